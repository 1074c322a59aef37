using System.Collections.Concurrent;
using FanOut.Runs;
using FanOut.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FanOut.Tests.Runtime;

public sealed class WaitAndInvokeTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_run_waiting_for_an_event_resumes_with_the_matching_one_and_ignores_others()
    {
        var (app, clock, watch) = await StartAsync("waits-for-activation");
        await using var _ = app;
        var key = Signals.NewKey();
        Signals.Flag(key + "/gate").TrySetResult();

        var sent = await app.Client.SendAsync(new MemberJoined(key, "u-1"));
        var runId = sent.Runs.Single().RunId;
        await TestApp.Within(watch.Suspended(runId), "the run to suspend on its wait");
        await app.Client.SendAsync(new MemberActivated(key, "u-2", "other user's"));
        var activation = await app.Client.SendAsync(new MemberActivated(key, "u-1", "pro"));
        var result = (await app.WaitForRunsAsync(sent)).Single();

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal($"activated pro ({activation.EventId})", result.GetOutput<string>());
        Assert.Equal(["exec before", "exec after"], Signals.Notes(key));
        Assert.Equal(Start, clock.GetUtcNow());
    }

    [Fact]
    public async Task A_wait_times_out_with_null_when_no_event_comes_in_three_days()
    {
        var (app, clock, watch) = await StartAsync("waits-for-activation");
        await using var _ = app;
        var key = Signals.NewKey();
        Signals.Flag(key + "/gate").TrySetResult();

        var sent = await app.Client.SendAsync(new MemberJoined(key, "u-1"));
        await TestApp.Within(watch.Suspended(sent.Runs.Single().RunId), "the run to suspend on its wait");
        clock.Advance(TimeSpan.FromDays(3));
        var result = (await app.WaitForRunsAsync(sent)).Single();
        var late = await app.Client.SendAsync(new MemberActivated(key, "u-1", "too late"));

        Assert.Equal("timed out", result.GetOutput<string>());
        Assert.Empty(late.Runs);
    }

    [Fact]
    public async Task An_event_sent_while_the_run_is_busy_before_its_wait_is_still_seen()
    {
        // inngest/inngest#1433: the activation arrives after the trigger, before the wait is registered.
        var (app, clock, _) = await StartAsync("waits-for-activation");
        await using var __ = app;
        var key = Signals.NewKey();

        var sent = await app.Client.SendAsync(new MemberJoined(key, "u-1"));
        await TestApp.Within(Signals.Flag(key + "/before").Task, "the step before the wait to start");
        var activation = await app.Client.SendAsync(new MemberActivated(key, "u-1", "early"));
        Signals.Flag(key + "/gate").TrySetResult();
        var result = (await app.WaitForRunsAsync(sent)).Single();

        Assert.Equal($"activated early ({activation.EventId})", result.GetOutput<string>());
        Assert.Equal(Start, clock.GetUtcNow());
    }

    [Fact]
    public async Task An_invoked_function_runs_alone_and_its_output_is_the_step_result()
    {
        var (app, _, _) = await StartAsync("invokes-scorer", "scores");
        await using var __ = app;
        var key = Signals.NewKey();

        var results = await app.SendAndWaitAsync(new ScoreWanted(key, 21, 60));

        Assert.Equal("score 42", Assert.Single(results).GetOutput<string>());
        Assert.Equal(["exec before"], Signals.Notes(key).Where(n => n.StartsWith("exec")));
        Assert.Single(Signals.Notes(key), n => n.StartsWith("scoring "));
        var scored = await app.Services.GetRequiredService<IFanOutAdmin>().ListRunsAsync(new RunQuery { FunctionId = "scores" });
        var child = Assert.Single(scored, r => Signals.Notes(key).Contains("scoring " + r.RunId));
        Assert.Equal((InvokeWait.EventName, RunStatus.Succeeded), (child.EventName, child.Status));
    }

    [Fact]
    public async Task A_failed_invoked_function_surfaces_as_a_typed_exception_in_the_caller()
    {
        var (app, _, _) = await StartAsync("invokes-scorer", "scores");
        await using var __ = app;
        var key = Signals.NewKey();

        var results = await app.SendAndWaitAsync(new ScoreWanted(key, -1, 60));

        Assert.Equal("invoke Failed: a score cannot be negative", Assert.Single(results).GetOutput<string>());
    }

    [Fact]
    public async Task An_invoke_times_out_when_the_child_does_not_finish_in_time()
    {
        var (app, clock, watch) = await StartAsync("invokes-scorer", "scores");
        await using var __ = app;
        var key = Signals.NewKey();

        var sent = await app.Client.SendAsync(new ScoreWanted(key, 0, 30));
        await TestApp.Within(watch.Suspended(sent.Runs.Single().RunId), "the caller to suspend on its invoke");
        await TestApp.Within(Signals.Flag(key + "/scoring").Task, "the child to start");
        clock.Advance(TimeSpan.FromMinutes(30));
        var result = (await app.WaitForRunsAsync(sent)).Single();
        Signals.Flag(key + "/score-gate").TrySetResult();

        Assert.StartsWith("invoke timed out (", result.GetOutput<string>());
    }

    [Fact]
    public async Task An_event_matching_a_cancel_trigger_cancels_the_sleeping_run_and_no_further_step_runs()
    {
        var (app, clock, watch) = await StartAsync("cancelled-when-member-leaves");
        await using var __ = app;
        var key = Signals.NewKey();
        var admin = app.Services.GetRequiredService<IFanOutAdmin>();

        var sent = await app.Client.SendAsync(new MemberJoined(key, "u-1"));
        var runId = sent.Runs.Single().RunId;
        await TestApp.Within(watch.Suspended(runId), "the run to go to sleep");
        await app.Client.SendAsync(new MemberLeft("u-2"));
        var stillSleeping = (await admin.ListRunsAsync(new RunQuery { FunctionId = "cancelled-when-member-leaves" })).Single();
        var left = await app.Client.SendAsync(new MemberLeft("u-1"));
        var result = (await app.WaitForRunsAsync(sent)).Single();
        clock.Advance(TimeSpan.FromDays(2));

        Assert.Equal(RunStatus.Queued, stillSleeping.Status);
        Assert.Equal(RunStatus.Cancelled, result.Status);
        Assert.Equal($"cancelled by event 'test/member.left' ({left.EventId})", result.Error!.Message);
        Assert.Equal(["exec welcome"], Signals.Notes(key));
    }

    [Fact]
    public async Task Failed_runs_are_replayed_from_scratch_by_default_or_from_the_failed_step()
    {
        var (app, _, _) = await StartAsync("charges-and-ships");
        await using var __ = app;
        var admin = app.Services.GetRequiredService<IFanOutAdmin>();
        var key = Signals.NewKey();
        var failed = Assert.Single(await app.SendAndWaitAsync(new ShipmentOrdered(key)));
        Assert.Equal(RunStatus.Failed, failed.Status);

        Signals.Flag(key + "/fixed").TrySetResult();
        var fromStart = await admin.ReplayRunAsync(failed.RunId);
        var resumed = await admin.ReplayRunAsync(failed.RunId, ReplayMode.KeepSucceededSteps);
        var first = await TestApp.Within(app.Client.WaitForRunAsync(fromStart.NewRunId!), "the replay from the start");
        var second = await TestApp.Within(app.Client.WaitForRunAsync(resumed.NewRunId!), "the replay that keeps steps");

        Assert.Equal((RunStatus.Succeeded, RunStatus.Succeeded), (first.Status, second.Status));
        // The first run charged and failed to ship; the replay from the start charged again; the resumed one did not.
        Assert.Equal(2, Signals.Notes(key).Count(n => n == "charged"));
        Assert.Equal(3, Signals.Notes(key).Count(n => n == "ship"));
        var bulk = await admin.ReplayRunsAsync(new RunQuery { FunctionId = "charges-and-ships", Status = RunStatus.Failed });
        Assert.Equal([failed.RunId], bulk.Select(o => o.RunId));
    }

    private static async Task<(TestApp App, FakeTimeProvider Clock, SuspendWatch Watch)> StartAsync(params string[] functions)
    {
        var clock = new FakeTimeProvider(Start);
        SuspendWatch? watch = null;
        var app = await TestApp.StartAsync(
            o =>
            {
                o.OnlyFunctions(functions);
                o.TimeProvider = clock;
                o.DefaultTimeout = TimeSpan.FromDays(30);
            },
            services => services.AddSingleton<IFanOutStore>(_ => watch = new SuspendWatch(new InMemoryStore(clock))));
        return (app, clock, watch!);
    }

    /// <summary>Tells a test when a run has suspended (on its waits, or asleep): the store has queued it again.</summary>
    private sealed class SuspendWatch(IFanOutStore inner) : DelegatingStore(inner)
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource> suspended = new();

        public Task Suspended(string runId) => Flag(runId).Task;

        public override async ValueTask<SuspendResult> SuspendAsync(string runId, int failures, DateTimeOffset dueAt, RunError? error, IReadOnlyList<RunWait> waits, CancellationToken cancellationToken)
        {
            var result = await base.SuspendAsync(runId, failures, dueAt, error, waits, cancellationToken);
            Flag(runId).TrySetResult();
            return result;
        }

        public override async ValueTask<RunResult?> RetryAsync(string runId, int failures, DateTimeOffset dueAt, RunError? error, CancellationToken cancellationToken)
        {
            var result = await base.RetryAsync(runId, failures, dueAt, error, cancellationToken);
            Flag(runId).TrySetResult();
            return result;
        }

        private TaskCompletionSource Flag(string runId) => suspended.GetOrAdd(runId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
