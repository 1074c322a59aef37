using FanOut.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FanOut.Tests.Runtime;

public sealed class CancellationTests
{
    [Fact]
    public async Task A_sleeping_run_cancelled_through_the_api_never_wakes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(o =>
        {
            o.OnlyFunctions("sleeps-three-days");
            o.TimeProvider = clock;
        });
        var admin = app.Services.GetRequiredService<IFanOutAdmin>();
        var key = Signals.NewKey();

        var sent = await app.Client.SendAsync(new FlowStarted(key));
        await TestApp.Within(Signals.Flag(key + "/before").Task, "the step before the sleep");
        var outcome = await admin.CancelRunAsync(sent.Runs[0].RunId, "the user activated");
        var result = (await app.WaitForRunsAsync(sent)).Single();
        clock.Advance(TimeSpan.FromDays(4));

        Assert.True(outcome is CancelOutcome.Cancelled or CancelOutcome.Requested, outcome.ToString());
        Assert.Equal(RunStatus.Cancelled, result.Status);
        Assert.Equal("the user activated", result.Error!.Message);
        Assert.Equal(["exec before"], Signals.Notes(key));
        Assert.Equal(CancelOutcome.AlreadyFinished, await admin.CancelRunAsync(sent.Runs[0].RunId));
    }

    [Fact]
    public async Task A_running_run_is_stopped_at_once_whether_or_not_it_observes_its_token()
    {
        await using var app = await TestApp.StartAsync(o => o.OnlyFunctionsOf(typeof(SlowFunctions)));
        var admin = app.Services.GetRequiredService<IFanOutAdmin>();
        var key = Signals.NewKey();

        var sent = await app.Client.SendAsync(new SlowStart(key));
        await TestApp.Within(Signals.Flag(key + "/cooperative-started").Task, "the cooperative function to start");
        await TestApp.Within(Signals.Flag(key + "/stubborn-started").Task, "the stubborn function to start");
        var cancelled = await admin.CancelRunsAsync(new RunQuery { EventName = "test/slow.start", Status = RunStatus.Running }, "deploy rollback");
        var results = await app.WaitForRunsAsync(sent);

        Assert.Equal(2, cancelled);
        Assert.All(results, r => Assert.Equal(RunStatus.Cancelled, r.Status));
        Assert.All(results, r => Assert.Equal("deploy rollback", r.Error!.Message));
    }

    [Fact]
    public async Task Runs_can_be_listed_by_function_and_status()
    {
        await using var app = await TestApp.StartAsync(o =>
        {
            o.OnlyFunctions("stripe-trial", "flaky-outside-steps");
            o.RetryBaseDelay = TimeSpan.Zero;
            o.DefaultRetries = 0;
        });
        var admin = app.Services.GetRequiredService<IFanOutAdmin>();
        var key = Signals.NewKey();

        var sent = await app.Client.SendAsync(new DurableTrial(key, FailTimes: 100));
        await app.WaitForRunsAsync(sent);
        var failedTrials = await admin.ListRunsAsync(new RunQuery { FunctionId = "stripe-trial", Status = RunStatus.Failed, Limit = 1000 });
        var ofThisEvent = (await admin.ListRunsAsync(new RunQuery { Limit = 1000 })).Where(r => r.EventId == sent.EventId).ToArray();

        Assert.Contains(failedTrials, r => r.EventId == sent.EventId && r.Error!.Message == "Stripe answered 503");
        Assert.Equal(["flaky-outside-steps", "stripe-trial"], ofThisEvent.Select(r => r.FunctionId).Order());
        Assert.All(ofThisEvent, r => Assert.Equal(RunStatus.Failed, r.Status));
    }
}
