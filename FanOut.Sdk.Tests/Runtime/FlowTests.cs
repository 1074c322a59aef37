using FanOut.Sqlite;
using FanOut.Stores;
using FanOut.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace FanOut.Tests.Runtime;

public sealed class FlowTests
{
    [Fact]
    public async Task A_sleep_of_three_days_completes_at_once_on_the_test_clock_and_steps_before_it_do_not_run_again()
    {
        await using var test = await FanOutTestHost.StartAsync(t => t.Functions("sleeps-three-days"));
        var start = test.Time.GetUtcNow();
        var key = Signals.NewKey();

        var run = await test.RunAsync("sleeps-three-days", new FlowStarted(key));

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("woke", run.Output<string>());
        Assert.Equal(["exec before", "exec after"], Signals.Notes(key));
        Assert.Equal(2, run.Attempts);
        Assert.True(test.Time.GetUtcNow() - start >= TimeSpan.FromDays(3), "the clock was not moved to the wake time");
    }

    [Fact]
    public async Task A_sent_event_fans_out_and_a_retry_does_not_send_it_again()
    {
        await using var test = await FanOutTestHost.StartAsync(t => t.Functions("sends-follow-up", "receives-follow-up"));
        var key = Signals.NewKey();

        var run = await test.RunAsync("sends-follow-up", new FlowStarted(key));
        await Signals.Flag(key + "/received").Task.WaitAsync(test.Patience);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(2, run.Attempts);
        var sent = Signals.Notes(key).Where(n => n.StartsWith("sent ")).ToArray();
        Assert.Equal(2, sent.Length);
        Assert.Single(sent.Distinct());
        Assert.Equal("received " + sent[0][5..], Assert.Single(Signals.Notes(key), n => n.StartsWith("received ")));
    }

    [Fact]
    public async Task Several_events_sent_in_one_step_fan_out_once_each_although_the_run_is_retried()
    {
        await using var test = await FanOutTestHost.StartAsync(t => t.Functions("sends-two-follow-ups", "receives-follow-up"));
        var key = Signals.NewKey();

        var run = await test.RunAsync("sends-two-follow-ups", new FlowStarted(key));
        await Signals.Flag(key + "/received-second").Task.WaitAsync(test.Patience);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(2, run.Attempts);
        var sent = Signals.Notes(key).Where(n => n.StartsWith("sent ")).ToArray();
        Assert.Equal(2, sent.Length);
        Assert.Single(sent.Distinct());
        var ids = sent[0][5..].Split(',');
        Assert.Equal(2, ids.Length);
        var receivers = await test.Services.GetRequiredService<IFanOutAdmin>().ListRunsAsync(new RunQuery { FunctionId = "receives-follow-up" });
        Assert.Equal(ids.Order(), receivers.Select(r => r.EventId).Order());
    }

    [Fact]
    public async Task A_sleeping_run_survives_a_restart_and_resumes_at_its_wake_time()
    {
        var directory = Directory.CreateTempSubdirectory("fanout-sleep-");
        var path = Path.Combine(directory.FullName, "fanout.db");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var key = Signals.NewKey();
        try
        {
            string runId;
            using (var first = Build(path, clock))
            {
                await first.StartAsync();
                var sent = await first.Services.GetRequiredService<IFanOutClient>().SendAsync(new FlowStarted(key));
                runId = sent.Runs.Single().RunId;
                await TestApp.Within(Signals.Flag(key + "/before").Task, "the step before the sleep");
                // Stopping waits for the attempt in flight, which ends by suspending the run until its wake time.
                await TestApp.Within(first.StopAsync(), "the first host to stop");
            }

            clock.Advance(TimeSpan.FromDays(3));
            using var second = Build(path, clock);
            await second.StartAsync();
            var result = await TestApp.Within(second.Services.GetRequiredService<IFanOutClient>().WaitForRunAsync(runId), "the run to resume after the restart");
            await second.StopAsync();

            Assert.Equal(RunStatus.Succeeded, result.Status);
            Assert.Equal("woke", result.GetOutput<string>());
            Assert.Equal(["exec before", "exec after"], Signals.Notes(key));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static IHost Build(string path, FakeTimeProvider clock)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddFanOut(o =>
        {
            o.OnlyFunctions("sleeps-three-days");
            o.TimeProvider = clock;
        }).UseSqlite(path);
        return builder.Build();
    }
}
