using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace FanOut.Tests.Runtime;

public sealed class FanOutRuntimeTests
{
    [Fact]
    public async Task A_worker_stopped_again_after_its_host_was_disposed_does_nothing()
    {
        var app = await TestApp.StartAsync(o => o.OnlyFunctions("sleeps-three-days"));
        var worker = app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<FanOut.Worker.FanOutWorker>().Single();
        await app.StopAsync();
        await app.DisposeAsync();

        var again = await Record.ExceptionAsync(() => worker.StopAsync(default));

        Assert.Null(again);
    }

    [Fact]
    public async Task Sixteen_functions_of_one_event_run_in_parallel()
    {
        await using var app = await TestApp.StartAsync(o => o.OnlyFunctionsOf(typeof(SixteenFunctions)));
        var key = Signals.NewKey();

        var results = await app.SendAndWaitAsync(new SixteenStarted(key));

        Assert.Equal(16, results.Count);
        Assert.All(results, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        Assert.Equal(16, Signals.Meeting(key, 16).Arrived);
    }

    [Fact]
    public async Task A_failing_function_does_not_stop_its_siblings_or_the_sender()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(o =>
        {
            o.OnlyFunctionsOf<IsolationFunctions>();
            o.TimeProvider = clock;
            o.DefaultRetries = 0;
        });
        var key = Signals.NewKey();

        var sent = await app.Client.SendAsync(new IsolationTrial(key));
        Assert.Equal(5, sent.Runs.Count);
        await TestApp.Within(Signals.Flag(key + "/stubborn-started").Task, "the stubborn function to start");
        var byFunction = new Dictionary<string, RunResult>();
        foreach (var run in sent.Runs.Where(r => r.FunctionId != "ignores-cancellation"))
        {
            byFunction[run.FunctionId] = await TestApp.Within(app.Client.WaitForRunAsync(run.RunId), run.FunctionId);
        }
        clock.Advance(TimeSpan.FromSeconds(30));
        var stubborn = sent.Runs.Single(r => r.FunctionId == "ignores-cancellation");
        byFunction[stubborn.FunctionId] = await TestApp.Within(app.Client.WaitForRunAsync(stubborn.RunId), "the stubborn function's deadline");

        Assert.Equal(RunStatus.Failed, byFunction["throws-synchronously"].Status);
        Assert.Equal("thrown before any task existed", byFunction["throws-synchronously"].Error!.Message);
        Assert.Equal(RunStatus.Failed, byFunction["faults"].Status);
        Assert.IsType<InvalidOperationException>(byFunction["faults"].Exception);
        Assert.Equal(RunStatus.Failed, byFunction["cancels-itself"].Status);
        Assert.IsType<OperationCanceledException>(byFunction["cancels-itself"].Exception);
        Assert.Equal(RunStatus.TimedOut, byFunction["ignores-cancellation"].Status);
        Assert.IsType<FunctionTimeoutException>(byFunction["ignores-cancellation"].Exception);
        Assert.Equal(RunStatus.Succeeded, byFunction["does-its-job"].Status);
        Assert.Equal("done " + key, byFunction["does-its-job"].GetOutput<string>());
    }

    [Fact]
    public async Task A_function_past_its_timeout_is_marked_timed_out_whether_or_not_it_observes_cancellation()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(o =>
        {
            o.OnlyFunctionsOf(typeof(SlowFunctions));
            o.TimeProvider = clock;
        });
        var key = Signals.NewKey();

        var sent = await app.Client.SendAsync(new SlowStart(key));
        await TestApp.Within(Signals.Flag(key + "/cooperative-started").Task, "the cooperative function to start");
        await TestApp.Within(Signals.Flag(key + "/stubborn-started").Task, "the stubborn function to start");
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(app.Client.WaitForRunAsync(sent.Runs[0].RunId).IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var results = await app.WaitForRunsAsync(sent);

        Assert.All(results, r => Assert.Equal(RunStatus.TimedOut, r.Status));
        Assert.All(results, r => Assert.Contains("timeout of 00:00:05", r.Error!.Message));
    }

    [Fact]
    public async Task A_timed_out_function_frees_its_slot_for_the_next_run()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(o =>
        {
            o.OnlyFunctions("stubborn-timeout", "record-order");
            o.MaxConcurrentRuns = 1;
            o.TimeProvider = clock;
        }, ServiceRegistration.AddTestServices);
        var key = Signals.NewKey();

        var slow = await app.Client.SendAsync(new SlowStart(key));
        await TestApp.Within(Signals.Flag(key + "/stubborn-started").Task, "the stubborn function to start");
        var next = await app.Client.SendAsync(new OrderPlaced(key, "o-1", 10m));
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(RunStatus.TimedOut, (await app.WaitForRunsAsync(slow)).Single().Status);
        Assert.Equal(RunStatus.Succeeded, (await app.WaitForRunsAsync(next)).Single().Status);
    }

    [Fact]
    public async Task An_event_with_no_functions_is_accepted_and_reported_as_such()
    {
        await using var app = await TestApp.StartAsync(o => o.OnlyFunctionsOf(typeof(SixteenFunctions)));

        var sent = await app.Client.SendAsync(new NobodyListens(Signals.NewKey()));

        Assert.Empty(sent.Runs);
        Assert.False(sent.Duplicate);
        Assert.Equal("test/nobody.listens", sent.EventName);
        Assert.Equal(26, sent.EventId.Length);
    }

    [Fact]
    public async Task A_function_output_is_kept_as_the_run_output_and_repeated_step_ids_are_numbered()
    {
        await using var app = await TestApp.StartAsync(o => o.OnlyFunctions("issue-receipt"), ServiceRegistration.AddTestServices);
        var key = Signals.NewKey();

        var result = (await app.SendAndWaitAsync(new OrderPlaced(key, "o-42", 99.5m))).Single();

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(new Receipt("o-42", 99.5m, 3), result.GetOutput<Receipt>());
        Assert.Equal("""{"orderId":"o-42","total":99.5,"lines":3}""", System.Text.Encoding.UTF8.GetString(result.Output!.Value.Span));
        Assert.Equal(["count-line", "count-line:1", "count-line:2"], result.Steps.Select(s => s.Id));
        Assert.All(result.Steps, s => Assert.Equal(StepStatus.Succeeded, s.Status));
    }

    [Fact]
    public async Task Every_run_attempt_gets_its_own_dependency_injection_scope()
    {
        await using var app = await TestApp.StartAsync(o => o.OnlyFunctionsOf<OrderFunctions>(), ServiceRegistration.AddTestServices);
        var key = Signals.NewKey();

        await app.SendAndWaitAsync(new OrderPlaced(key, "o-1", 1m));
        await app.SendAndWaitAsync(new OrderPlaced(key, "o-2", 2m));

        var scopes = Signals.Notes(key + "/scopes");
        Assert.Equal(4, scopes.Length);
        Assert.Equal(4, scopes.Distinct().Count());
    }

    [Fact]
    public async Task The_deduplication_key_is_kept_on_the_event_and_a_repeat_starts_no_runs()
    {
        await using var app = await TestApp.StartAsync(o => o.OnlyFunctions("issue-receipt"), ServiceRegistration.AddTestServices);
        var key = Signals.NewKey();
        var options = new SendOptions { DeduplicationKey = "order-o-7-" + key };

        var first = await app.Client.SendAsync(new OrderPlaced(key, "o-7", 7m), options);
        await app.WaitForRunsAsync(first);
        var again = await app.Client.SendAsync(new OrderPlaced(key, "o-7", 7m), options);

        Assert.Equal([$"dedup=order-o-7-{key};name=test/order.placed;id={first.EventId}"], Signals.Notes(key));
        Assert.True(again.Duplicate);
        Assert.Empty(again.Runs);
        Assert.Equal(first.EventId, again.EventId);
    }

    [Fact]
    public async Task A_batch_send_accepts_every_event_and_starts_their_runs()
    {
        await using var app = await TestApp.StartAsync(o => o.OnlyFunctions("issue-receipt", "record-order"), ServiceRegistration.AddTestServices);
        var key = Signals.NewKey();
        var raw = JsonDocument.Parse($$"""{"key":"{{key}}","orderId":"o-raw","total":3}""").RootElement;

        var sent = await app.Client.SendManyAsync(
        [
            OutgoingEvent.Create(new OrderPlaced(key, "o-1", 1m)),
            OutgoingEvent.Create(new NobodyListens(key)),
            OutgoingEvent.Raw("test/order.placed", raw),
        ]);

        Assert.Equal(3, sent.Count);
        Assert.Equal([2, 0, 2], sent.Select(s => s.Runs.Count));
        Assert.Equal(3, sent.Select(s => s.EventId).Distinct().Count());
        var outputs = new List<Receipt>();
        foreach (var s in sent)
        {
            foreach (var r in await app.WaitForRunsAsync(s))
            {
                Assert.Equal(RunStatus.Succeeded, r.Status);
                if (r.FunctionId == "issue-receipt")
                {
                    outputs.Add(r.GetOutput<Receipt>());
                }
            }
        }
        Assert.Equal(["o-1", "o-raw"], outputs.Select(o => o.OrderId).Order());
    }

    [Fact]
    public async Task A_batch_with_one_bad_event_is_refused_whole()
    {
        await using var app = await TestApp.StartAsync(o => o.OnlyFunctions("record-order"), ServiceRegistration.AddTestServices);
        var key = Signals.NewKey();
        var data = JsonDocument.Parse("{}").RootElement;

        var error = Assert.Throws<ArgumentException>(() =>
        {
            _ = app.Client.SendManyAsync([OutgoingEvent.Create(new OrderPlaced(key, "o-1", 1m)), OutgoingEvent.Raw("bad name", data)]);
        });

        Assert.Contains("'bad name' is not a valid event name", error.Message);
        // Nothing of the batch reached the store: no run exists, queued, running or finished.
        var admin = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IFanOutAdmin>(app.Services);
        Assert.Empty(await admin.ListRunsAsync(new FanOut.Stores.RunQuery()));
    }

    [Fact]
    public async Task Data_that_does_not_fit_the_declared_type_fails_the_run_naming_the_event_function_and_member()
    {
        await using var app = await TestApp.StartAsync(o => o.OnlyFunctions("record-order"), ServiceRegistration.AddTestServices);
        var data = JsonDocument.Parse("""{"key":"k","total":3}""").RootElement;

        var sent = await app.Client.SendAsync("test/order.placed", data);
        var result = (await app.WaitForRunsAsync(sent)).Single();

        Assert.Equal(RunStatus.Failed, result.Status);
        var error = Assert.IsType<EventDataException>(result.Exception);
        Assert.Contains("Function 'record-order' received event 'test/order.placed'", error.Message);
        Assert.Contains("orderId", error.Message);
    }

    [Fact]
    public async Task Sending_a_type_without_an_event_attribute_says_how_to_fix_it()
    {
        await using var app = await TestApp.StartAsync(o => o.OnlyFunctions("record-order"), ServiceRegistration.AddTestServices);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await app.Client.SendAsync(new Receipt("o", 1m, 1)));

        Assert.Contains("is not a FanOut event type: add [Event(", error.Message);
    }

    [Fact]
    public async Task Shutdown_lets_an_in_flight_run_finish()
    {
        var app = await TestApp.StartAsync(o => o.OnlyFunctions("ignores-cancellation"));
        var key = Signals.NewKey();
        var sent = await app.Client.SendAsync(new IsolationTrial(key));
        await TestApp.Within(Signals.Flag(key + "/stubborn-started").Task, "the function to start");

        var stopping = app.StopAsync();
        Signals.Flag(key + "/never").TrySetResult();
        await stopping;

        Assert.Equal(RunStatus.Succeeded, (await app.WaitForRunsAsync(sent)).Single().Status);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Shutdown_cancels_runs_past_the_grace_period_and_stops_even_when_one_ignores_its_token()
    {
        var app = await TestApp.StartAsync(o =>
        {
            o.OnlyFunctionsOf(typeof(SlowFunctions));
            o.ShutdownGracePeriod = TimeSpan.Zero;
        });
        var key = Signals.NewKey();
        var sent = await app.Client.SendAsync(new SlowStart(key));
        await TestApp.Within(Signals.Flag(key + "/cooperative-started").Task, "the cooperative function to start");
        await TestApp.Within(Signals.Flag(key + "/stubborn-started").Task, "the stubborn function to start");

        await app.StopAsync();
        var results = (await app.WaitForRunsAsync(sent)).ToDictionary(r => r.FunctionId);

        Assert.Equal(RunStatus.Cancelled, results["cooperative-timeout"].Status);
        Assert.Equal(RunStatus.Cancelled, results["stubborn-timeout"].Status);
        Assert.Contains("ignored its cancellation token", results["stubborn-timeout"].Error!.Message);
        await app.DisposeAsync();
    }
}

public sealed class ConcurrencyBoundTests
{
    [Fact]
    public async Task No_more_runs_execute_at_once_than_the_configured_bound()
    {
        await using var app = await TestApp.StartAsync(o =>
        {
            o.OnlyFunctionsOf(typeof(BoundFunctions));
            o.MaxConcurrentRuns = 2;
        });
        var key = Signals.NewKey();
        var gate = BoundFunctions.Gates.GetOrAdd(key, _ => new BoundFunctions.Gate());

        var sent = await app.Client.SendAsync(new BoundCheck(key));
        // Two runs must be executing together before any is let go; after that, each release makes room for one more.
        for (int i = 0; i < 6; i++)
        {
            Assert.True(await gate.Arrivals.WaitAsync(TestApp.Patience), $"run {i + 1} of 6 never started");
            if (i >= 1)
            {
                gate.Releases.Release();
            }
        }
        gate.Releases.Release();
        var results = await app.WaitForRunsAsync(sent);

        Assert.All(results, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        Assert.Equal(2, gate.Max);
    }
}
