using System.Text;
using FanOut.PostgreSql;
using FanOut.Runs;
using FanOut.Stores;
using FanOut.Tests.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace FanOut.Tests.Stores.Postgres;

/// <summary>What the PostgreSQL store promises beyond the contract: many nodes, leases, fencing, migrations, NOTIFY, transactional send.</summary>
[Collection(PostgresServer.Collection)]
public sealed class PostgresStoreTests(PostgresServer server) : IAsyncLifetime
{
    private readonly string schema = PostgresServer.NewSchema();
    private readonly List<PostgresStore> stores = [];
    private int sequence;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
        await server.DropSchemaAsync(schema);
    }

    [Fact]
    public async Task Nodes_starting_at_once_migrate_the_schema_once()
    {
        var nodes = Enumerable.Range(0, 6).Select(_ => Node()).ToArray();

        await Task.WhenAll(nodes.Select(n => n.MigrateAsync()));

        Assert.Equal((long)FanOut.PostgreSql.Schema.PostgresSchema.CurrentVersion, await server.ScalarAsync($"SELECT count(*) FROM \"{schema}\".migrations;"));
        Assert.Equal(FanOut.PostgreSql.Schema.PostgresSchema.CurrentVersion, await server.ScalarAsync($"SELECT max(version) FROM \"{schema}\".migrations;"));
    }

    [Fact]
    public async Task A_node_does_not_recover_or_claim_runs_another_live_node_holds()
    {
        var a = Node();
        var b = Node();
        await a.AcceptAsync([Submission("f")], default);
        var claimed = Assert.Single((await a.ClaimAsync(10, default)).Runs);

        Assert.Equal(0, await b.RecoverAsync(default));
        Assert.Empty((await b.ClaimAsync(10, default)).Runs);
        await a.SaveStepAsync(claimed.Run.Id, Step("kept"), default);
    }

    [Fact]
    public async Task A_run_whose_lease_expired_is_taken_over_and_the_old_holders_late_writes_are_refused()
    {
        var stalled = Node();
        var taker = Node();
        var s = Submission("f");
        await stalled.AcceptAsync([s], default);
        var first = Assert.Single((await stalled.ClaimAsync(10, default)).Runs);
        await stalled.SaveStepAsync(first.Run.Id, Step("before-stall"), default);
        await stalled.AbandonAsync(); // stops renewing, as a paused process would
        await ExpireLeasesAsync();

        var taken = Assert.Single((await taker.ClaimAsync(10, default)).Runs);
        var lateStep = await Assert.ThrowsAsync<RunLeaseLostException>(async () => await stalled.SaveStepAsync(first.Run.Id, Step("late"), default));
        var lateFinish = await Assert.ThrowsAsync<RunLeaseLostException>(async () => await stalled.FinishAsync(Succeeded(first), default));
        await taker.SaveStepAsync(taken.Run.Id, Step("after-takeover"), default);
        await taker.FinishAsync(Succeeded(taken), default);

        Assert.Equal((first.Run.Id, 2), (taken.Run.Id, taken.Attempt));
        Assert.Equal("before-stall", Assert.Single(taken.Steps).Id);
        Assert.Contains("another node took it over", lateStep.Message);
        Assert.Equal(first.Run.Id, lateFinish.RunId);
        var result = await taker.GetResultAsync(first.Run.Id, default);
        Assert.Equal(2, result!.Attempts);
        Assert.Equal(2L, await server.ScalarAsync($"SELECT count(*) FROM \"{schema}\".steps WHERE step_id IN ('before-stall', 'after-takeover');"));
        Assert.Equal(0L, await server.ScalarAsync($"SELECT count(*) FROM \"{schema}\".steps WHERE step_id = 'late';"));
    }

    [Fact]
    public async Task A_wait_registered_while_its_event_is_accepted_on_another_node_is_never_missed()
    {
        // Each run waits for an event with its own key, and that event is accepted on another node at the same moment
        // as the wait is registered. Whichever commits first, the other must see it: the look-back finds the event, or
        // the accept finds the wait. A miss would leave the run waiting for its three-day timeout.
        const int Runs = 40;
        var waiter = Node();
        var sender = Node();
        var triggers = Enumerable.Range(0, Runs).Select(i => Submission(Encoding.UTF8.GetBytes($$"""{"key":"k-{{i}}"}"""), "f")).ToArray();
        await waiter.AcceptAsync(triggers, default);
        var claimed = (await waiter.ClaimAsync(Runs, default)).Runs.ToDictionary(r => r.Run.Event.Id);
        await sender.MigrateAsync();

        var races = triggers.Select(t => Task.Run(async () =>
        {
            var run = claimed[t.Event.Id].Run.Id;
            var wait = new EventWait("wait", DateTimeOffset.UtcNow.AddDays(3), "test/go", "data.key", EventMatch.ValueOf(t.Event.Data, "data.key"));
            var evt = new StoredEvent($"01PGGO{run[7..]}", "test/go", t.Event.Data, 0);
            var suspend = Task.Run(async () => (await waiter.SuspendAsync(run, 0, DateTimeOffset.MaxValue, null, [wait], default)).ResolvedAtOnce ? 1 : 0);
            var accept = Task.Run(async () => (await sender.AcceptAsync([new EventSubmission(evt, [])], default))[0].Resumed);
            return await suspend + await accept;
        })).ToArray();
        var resolutions = await Task.WhenAll(races);
        var resumed = (await waiter.ClaimAsync(Runs, default)).Runs;

        Assert.All(resolutions, r => Assert.Equal(1, r)); // resolved once: by the look-back or by the accept, never both, never neither
        Assert.Equal(Runs, resumed.Count);
        Assert.All(resumed, r => Assert.Equal("wait", Assert.Single(r.Steps).Id));
    }

    [Fact]
    public async Task Held_leases_are_renewed_on_the_database_clock()
    {
        var node = Node(o => o.LeaseDuration = TimeSpan.FromHours(1));
        await node.AcceptAsync([Submission("f")], default);
        Assert.Single((await node.ClaimAsync(10, default)).Runs);
        await server.ScalarAsync($"UPDATE \"{schema}\".runs SET lease_expires_at = 1;");

        var renewed = await node.RenewLeasesAsync(default);

        Assert.Equal(1, renewed);
        var expires = (long)(await server.ScalarAsync($"SELECT lease_expires_at FROM \"{schema}\".runs;"))!;
        Assert.InRange(expires - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), TimeSpan.FromMinutes(59).TotalMilliseconds, TimeSpan.FromMinutes(61).TotalMilliseconds);
    }

    [Fact]
    public async Task A_step_recorded_as_final_is_never_replaced()
    {
        var node = Node();
        await node.AcceptAsync([Submission("f")], default);
        var run = Assert.Single((await node.ClaimAsync(10, default)).Runs).Run.Id;

        await node.SaveStepAsync(run, Step("charge", StepStatus.Succeeded, "\"ch_1\""), default);
        await node.SaveStepAsync(run, Step("charge", StepStatus.Retrying, null), default);
        await node.RetryAsync(run, 0, DateTimeOffset.UtcNow.AddSeconds(-1), null, default);
        var again = Assert.Single((await node.ClaimAsync(10, default)).Runs);

        var step = Assert.Single(again.Steps);
        Assert.Equal((StepStatus.Succeeded, "\"ch_1\""), (step.Status, Encoding.UTF8.GetString(step.Output!.Value.Span)));
    }

    [Fact]
    public async Task A_node_claims_only_runs_of_the_functions_it_hosts()
    {
        var old = Node(o => o.FunctionIds = ["f"]);
        await old.AcceptAsync([Submission("f", "new-function")], default);

        var claim = await old.ClaimAsync(10, default);

        Assert.Equal("f", Assert.Single(claim.Runs).Run.FunctionId);
        Assert.Null(claim.NextDueAt);
        Assert.Equal("new-function", Assert.Single((await Node().ClaimAsync(10, default)).Runs).Run.FunctionId);
    }

    [Fact]
    public async Task On_the_database_clock_a_due_time_is_the_engines_delay_from_the_databases_now()
    {
        var node = Node(o => o.Clock = PostgresClock.Database);
        await node.AcceptAsync([Submission("f")], default);
        var run = Assert.Single((await node.ClaimAsync(10, default)).Runs).Run.Id;

        await node.RetryAsync(run, 1, DateTimeOffset.UtcNow.AddHours(1), new RunError("E", "m", null), default);
        var claim = await node.ClaimAsync(10, default);

        Assert.Empty(claim.Runs);
        Assert.InRange(claim.NextDueAt!.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
    }

    [Fact]
    public async Task A_producer_only_node_never_claims()
    {
        var producer = Node(o => o.ClaimRuns = false);
        await producer.AcceptAsync([Submission("f")], default);

        Assert.Empty((await producer.ClaimAsync(10, default)).Runs);
        Assert.Equal(0, await producer.RecoverAsync(default));
        Assert.Single((await Node().ClaimAsync(10, default)).Runs);
    }

    [Fact]
    public async Task A_send_in_a_rolled_back_transaction_leaves_no_event_and_no_run_and_a_committed_one_runs()
    {
        await using var app = await App();
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();

        SendResult rolledBack;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            rolledBack = await app.Client.SendAsync(new PgOrder("tx-rolled-back"), transaction);
            await transaction.RollbackAsync();
        }
        SendResult committed;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            committed = await app.Client.SendAsync(new PgOrder("tx-committed"), transaction);
            await transaction.CommitAsync();
        }
        var results = await app.WaitForRunsAsync(committed);

        Assert.Equal("receipt-tx-committed", Assert.Single(results).GetOutput<string>());
        Assert.Single(rolledBack.Runs);
        Assert.Equal(0L, await server.ScalarAsync($"SELECT count(*) FROM \"{schema}\".events WHERE id = '{rolledBack.EventId}';"));
        Assert.Equal(0L, await server.ScalarAsync($"SELECT count(*) FROM \"{schema}\".runs WHERE id = '{rolledBack.Runs[0].RunId}';"));
        Assert.False(PostgresFunctions.Executions.ContainsKey("tx-rolled-back"));
    }

    [Fact]
    public async Task A_send_on_a_producer_node_wakes_an_idle_worker_on_another_node_and_the_producer_learns_the_result_by_notify()
    {
        // No polling: only NOTIFY can wake the worker, which has already found nothing to do and sleeps.
        await using var worker = await App(o => o.PollInterval = Timeout.InfiniteTimeSpan);
        await using var producer = await App(o => o.ClaimRuns = false);
        await TestApp.Within(WaitUntilAsync(() => ((PostgresStore)worker.Services.GetRequiredService<IFanOutStore>()).ListenerConnected), "the worker's NOTIFY listener to connect");

        var sent = await producer.Client.SendAsync(new PgOrder("notify"));
        var result = await TestApp.Within(producer.Client.WaitForRunAsync(sent.Runs[0].RunId), "the woken worker to run the order, and the producer to hear of it");

        Assert.Equal(RunStatus.Succeeded, result.Status);
    }

    [Fact]
    public async Task A_run_cancelled_on_another_node_is_stopped_where_it_runs_at_its_next_lease_renewal()
    {
        await using var worker = await App(o => o.LeaseRenewalInterval = TimeSpan.FromMilliseconds(200), "pg-blocks-until-cancelled");
        await using var admin = await App(o => o.ClaimRuns = false, "pg-blocks-until-cancelled");
        var sent = await admin.Client.SendAsync(new PgBlock("b-1"));
        var runId = sent.Runs[0].RunId;
        await TestApp.Within(WaitUntilAsync(async () => await server.ScalarAsync($"SELECT status FROM \"{schema}\".runs WHERE id = '{runId}';") is short status && status == 1),
            "the worker node to start the run");

        var requested = await admin.Services.GetRequiredService<IFanOutAdmin>().CancelRunAsync(runId, "stopped from the admin node");
        var result = await TestApp.Within(admin.Client.WaitForRunAsync(runId), "the run to be stopped on the worker node");

        Assert.Equal(CancelOutcome.Requested, requested);
        Assert.Equal((RunStatus.Cancelled, "stopped from the admin node"), (result.Status, result.Error!.Message));
    }

    [Fact]
    public async Task The_health_check_reports_a_reachable_store_healthy_and_an_unreachable_one_unhealthy()
    {
        await using var app = await App();
        var broken = new ServiceCollection().AddLogging();
        broken.AddFanOut().UsePostgres("Host=127.0.0.1;Port=1;Timeout=2", o => o.Schema = schema).AddFanOutHealthChecks();
        await using var brokenServices = broken.BuildServiceProvider();

        var healthy = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var unhealthy = await brokenServices.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
        Assert.Contains("unreachable", unhealthy.Entries["fanout-postgres"].Description);
    }

    private Task<TestApp> App(Action<PostgresStoreOptions>? configure = null, string function = "pg-record-order") =>
        TestApp.StartAsync(o => o.OnlyFunctions(function), services => services.AddFanOut().UsePostgres(server.ConnectionString, o =>
        {
            o.Schema = schema;
            o.PollInterval = TimeSpan.FromMilliseconds(500);
            configure?.Invoke(o);
        }).AddFanOutHealthChecks());

    // Polls for an outcome; the caller bounds the wait (TestApp.Within) and fails with what it waited for.
    private static Task<bool> WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition)
    {
        while (!await condition())
        {
            await Task.Delay(20);
        }
        return true;
    }

    private PostgresStore Node(Action<PostgresStoreOptions>? configure = null)
    {
        var options = new PostgresStoreOptions
        {
            ConnectionString = server.ConnectionString,
            Schema = schema,
            PruneInterval = Timeout.InfiniteTimeSpan,
            PollInterval = Timeout.InfiniteTimeSpan,
            Clock = PostgresClock.Database,
        };
        configure?.Invoke(options);
        var store = new PostgresStore(options);
        stores.Add(store);
        return store;
    }

    private Task ExpireLeasesAsync() => server.ScalarAsync($"UPDATE \"{schema}\".runs SET lease_expires_at = 0 WHERE status = 1;");

    private EventSubmission Submission(params string[] functionIds) => Submission("{}"u8.ToArray(), functionIds);

    private EventSubmission Submission(byte[] data, params string[] functionIds)
    {
        var n = Interlocked.Increment(ref sequence);
        var evt = new StoredEvent($"01PGEVENT{n:D17}", "test/a", data, 0);
        return new EventSubmission(evt, [.. functionIds.Select((f, i) => new RunRecord($"01PGRUN{n:D15}{i:D4}", f, evt))]);
    }

    private static StepState Step(string id, StepStatus status = StepStatus.Succeeded, string? output = null) =>
        new(id, status, 1, output is null ? null : Encoding.UTF8.GetBytes(output), status == StepStatus.Retrying ? new RunError("E", "m", null) : null,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    private static RunResult Succeeded(ClaimedRun run) =>
        new(run.Run.Id, run.Run.FunctionId, run.Run.Event.Id, run.Run.Event.Name, RunStatus.Succeeded)
        {
            Attempts = run.Attempt,
            StartedAt = DateTimeOffset.UtcNow,
            FinishedAt = DateTimeOffset.UtcNow,
        };
}
