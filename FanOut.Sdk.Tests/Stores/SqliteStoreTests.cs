using System.Text;
using FanOut.Runs;
using FanOut.Sqlite;
using FanOut.Sqlite.Schema;
using FanOut.Stores;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FanOut.Tests.Stores;

/// <summary>What the SQLite store promises beyond the contract: its file, its schema, its writer.</summary>
public sealed class SqliteStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly TempDatabase database = new();
    private readonly List<SqliteStore> opened = [];
    private readonly FakeTimeProvider clock = new(Start);
    private int sequence;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in opened)
        {
            await store.DisposeAsync();
        }
        database.Dispose();
    }

    [Fact]
    public async Task A_wait_registered_before_a_restart_is_still_resolved_by_an_event_after_it()
    {
        // The writer skips the flow look-ups while the file has no wait: it must learn of waits already in the file.
        var first = Open();
        var runId = (await AcceptAndClaim(first, 1))[0];
        await first.SuspendAsync(runId, 0, DateTimeOffset.MaxValue, null, [new EventWait("wait", Start.AddDays(3), "test/activated", null, null)], default);
        await first.DisposeAsync();

        var second = Open();
        var noise = await second.AcceptAsync([Submission("g")], default);
        var evt = new StoredEvent("01EVENTACTIVATED0000000000", "test/activated", "{}"u8.ToArray(), Start.ToUnixTimeMilliseconds());
        var accepted = await second.AcceptAsync([new EventSubmission(evt, [])], default);

        Assert.Equal(0, noise[0].Resumed);
        Assert.Equal(1, accepted[0].Resumed);
        var resumed = Assert.Single((await second.ClaimAsync(10, default)).Runs, r => r.Run.Id == runId);
        Assert.Equal("wait", Assert.Single(resumed.Steps).Id);
    }

    [Fact]
    public async Task Opening_a_file_again_migrates_nothing_and_keeps_its_data()
    {
        var first = Open();
        var submission = Submission("f");
        await first.AcceptAsync([submission], default);
        var schema = await first.InspectAsync(c => (string)c.Scalar("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema ORDER BY name);")!);
        await first.DisposeAsync();

        var again = Open();

        Assert.Equal((long)SqliteSchema.CurrentVersion, await again.InspectAsync(c => c.Scalar("PRAGMA user_version;")));
        Assert.Equal(schema, await again.InspectAsync(c => (string)c.Scalar("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema ORDER BY name);")!));
        Assert.Contains("runs_queued_by_due", schema, StringComparison.Ordinal);
        Assert.Equal(submission.Runs[0].Id, Assert.Single((await again.ClaimAsync(10, default)).Runs).Run.Id);
    }

    [Fact]
    public async Task An_existing_empty_database_is_migrated_and_a_newer_schema_is_refused()
    {
        using (var plain = new SqliteConnection($"Data Source={database.Path};Pooling=False"))
        {
            plain.Open();
            using var command = plain.CreateCommand();
            command.CommandText = "CREATE TABLE unrelated (x INTEGER);";
            command.ExecuteNonQuery();
        }
        var store = Open();
        Assert.Equal((long)SqliteSchema.CurrentVersion, await store.InspectAsync(c => c.Scalar("PRAGMA user_version;")));
        await store.InspectAsync(c => c.Execute("PRAGMA user_version = 99;"));
        await store.DisposeAsync();

        var refused = Assert.Throws<FanOutStoreException>(() => Open());

        Assert.Contains(database.Path, refused.Message, StringComparison.Ordinal);
        Assert.Contains("schema is version 99", refused.Message, StringComparison.Ordinal);
        // A refused open releases the lock: trying again is refused for the same reason, not as "in use".
        Assert.Contains("schema is version 99", Assert.Throws<FanOutStoreException>(() => Open()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_1_file_is_migrated_in_place_and_keeps_its_runs()
    {
        // A file as FanOut.Sqlite with schema 1 left it: the shipped migration 1, a queued run and a failed one.
        var acceptedAt = Start.AddMinutes(-5).ToUnixTimeMilliseconds();
        using (var v1 = new SqliteConnection($"Data Source={database.Path};Pooling=False"))
        {
            v1.Open();
            using var command = v1.CreateCommand();
            command.CommandText = FanOut.Sqlite.Schema.SqliteSchema.Migration(1) + $"""
                PRAGMA user_version = 1;
                INSERT INTO events (id, name, data, ts, accepted_at) VALUES ('01EVENTV1', 'test/v1', x'7B7D', 1, {acceptedAt});
                INSERT INTO runs (id, event_id, function_id, status, due_at) VALUES ('01RUNV1QUEUED', '01EVENTV1', 'f', 0, {acceptedAt});
                INSERT INTO runs (id, event_id, function_id, status, due_at, attempt, finished_at)
                VALUES ('01RUNV1FAILED', '01EVENTV1', 'g', 3, {acceptedAt}, 2, {acceptedAt + 1000});
                INSERT INTO results (run_id, function_id, event_id, event_name, status, error_type, error_message, attempts,
                                     started_at, finished_at, steps)
                VALUES ('01RUNV1FAILED', 'g', '01EVENTV1', 'test/v1', 3, 'E', 'boom', 2, {acceptedAt}, {acceptedAt + 1000}, x'5B5D');
                """;
            command.ExecuteNonQuery();
        }

        var store = Open();
        var listed = await store.ListRunsAsync(new RunQuery(), default);
        var cancelled = await store.CancelAsync("01RUNV1QUEUED", "after the upgrade", default);

        Assert.Equal((long)SqliteSchema.CurrentVersion, await store.InspectAsync(c => c.Scalar("PRAGMA user_version;")));
        Assert.Equal(["01RUNV1QUEUED", "01RUNV1FAILED"], listed.Select(r => r.RunId));
        Assert.All(listed, r => Assert.Equal(Start.AddMinutes(-5), r.AcceptedAt)); // filled in from the runs' event
        Assert.Equal((RunStatus.Failed, "boom", 2), (listed[1].Status, listed[1].Error!.Message, listed[1].Attempts));
        Assert.Equal(CancelOutcome.Cancelled, cancelled.Outcome);
        Assert.Equal("test/v1", cancelled.Ended!.EventName);
        Assert.Equal(RunStatus.Failed, (await store.GetResultAsync("01RUNV1FAILED", default))!.Status);
        Assert.Equal(1L, await store.InspectAsync(c => c.Scalar(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'runs_by_function_accepted_at';")));
    }

    [Fact]
    public async Task A_run_asked_to_cancel_is_not_released_to_resume_but_ends_cancelled()
    {
        var store = Open();
        var runId = (await AcceptAndClaim(store, 1))[0];
        await store.CancelAsync(runId, "stop it", default);

        var ended = await store.ReleaseAsync(runId, "the host stopped", default);

        Assert.Equal((RunStatus.Cancelled, "stop it"), (ended!.Status, ended.Error!.Message));
        Assert.Empty((await store.ClaimAsync(10, default)).Runs);
        Assert.Equal(RunStatus.Cancelled, (await store.GetResultAsync(runId, default))!.Status);
    }

    [Fact]
    public async Task Listing_by_function_newest_first_uses_the_function_index()
    {
        Open(); // creates the schema
        var details = new List<string>();
        using (var plain = new SqliteConnection($"Data Source={database.Path};Pooling=False;Mode=ReadOnly"))
        {
            plain.Open();
            using var command = plain.CreateCommand();
            command.CommandText = """
                EXPLAIN QUERY PLAN
                SELECT runs.id FROM runs JOIN events ON events.id = runs.event_id LEFT JOIN results ON results.run_id = runs.id
                WHERE 1 = 1 AND runs.function_id = 'f' ORDER BY runs.accepted_at DESC, runs.id DESC LIMIT 100;
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                details.Add(reader.GetString(3));
            }
        }
        var plan = string.Join(" | ", details);

        Assert.Contains("runs_by_function_accepted_at", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SqliteDurability.Full, 2L)]
    [InlineData(SqliteDurability.Normal, 1L)]
    public async Task The_durability_setting_is_the_writers_synchronous_pragma_in_wal_mode(SqliteDurability durability, long synchronous)
    {
        var store = Open(o => o.Durability = durability);

        Assert.Equal(synchronous, await store.InspectAsync(c => c.Scalar("PRAGMA synchronous;")));
        Assert.Equal("wal", await store.InspectAsync(c => c.Scalar("PRAGMA journal_mode;")));
    }

    [Fact]
    public async Task A_second_store_on_the_same_file_is_refused_with_the_owning_process()
    {
        var first = Open();

        var refused = Assert.Throws<FanOutStoreException>(() => Open());

        Assert.Contains($"'{database.Path}' is in use by process {Environment.ProcessId}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("SQLite stores are one process per file — use PostgreSQL for many nodes", refused.Message, StringComparison.Ordinal);
        await first.DisposeAsync();
        Open(); // released on dispose
    }

    [Fact]
    public async Task Concurrent_step_saves_are_committed_together()
    {
        var store = Open();
        var runs = await AcceptAndClaim(store, 50);
        var before = store.Statistics;

        Task[] saves;
        using (store.Writer.Hold())
        {
            saves = [.. runs.SelectMany(run => Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
                await store.SaveStepAsync(run, Step("s" + i, StepStatus.Succeeded, "1"), default))))];
            await Bounded(store.Writer.WhenQueuedAsync(200), "200 step saves to be queued behind the held writer");
        }
        await Bounded(Task.WhenAll(saves), "the 200 step saves to complete");
        var after = store.Statistics;

        var commits = after.Commits - before.Commits;
        var steps = after.StepsSaved - before.StepsSaved;
        Assert.Equal(200, steps);
        Assert.True(commits < after.Writes - before.Writes, $"expected fewer commits than writes: {after}");
        Assert.True(steps / (double)commits >= 10, $"expected ≥ 10 steps per commit, got {steps} steps in {commits} commits");
        Assert.Equal(1, commits); // all 200 were queued before the writer took them, and 200 ≤ MaxWritesPerCommit
        Assert.Equal(0L, after.GroupsRunAgain - before.GroupsRunAgain); // nothing failed: run once, whole
    }

    [Fact]
    public async Task A_failing_write_in_a_group_does_not_fail_its_neighbours()
    {
        var store = Open();
        var runs = await AcceptAndClaim(store, 2);
        var clashing = Submission("f");
        clashing = clashing with { Runs = [new RunRecord(runs[0], "f", clashing.Event)] };
        var before = store.Statistics;

        Task good1, notRunning, clash, good2;
        using (store.Writer.Hold())
        {
            good1 = store.SaveStepAsync(runs[0], Step("a", StepStatus.Succeeded, "1"), default).AsTask();
            notRunning = store.SaveStepAsync("01NOSUCHRUN000000000000000", Step("a", StepStatus.Succeeded, "1"), default).AsTask();
            clash = store.AcceptAsync([clashing], default).AsTask();
            good2 = store.SaveStepAsync(runs[1], Step("b", StepStatus.Succeeded, "2"), default).AsTask();
            await Bounded(store.Writer.WhenQueuedAsync(4), "4 writes to be queued");
        }

        await Bounded(Task.WhenAll(good1, good2), "the good writes");
        var notRunningError = await Assert.ThrowsAsync<InvalidOperationException>(() => notRunning);
        var clashError = await Assert.ThrowsAsync<InvalidOperationException>(() => clash);
        var after = store.Statistics;
        Assert.Contains("is not running", notRunningError.Message, StringComparison.Ordinal);
        Assert.Contains($"Run id {runs[0]} is used twice", clashError.Message, StringComparison.Ordinal);
        Assert.Equal((1L, 4L, 2L, 2L), (after.Commits - before.Commits, after.Writes - before.Writes, after.FailedWrites - before.FailedWrites, after.StepsSaved - before.StepsSaved));
        // The group was first run whole, without savepoints; the failures sent it back to run with one per write.
        Assert.Equal(1L, after.GroupsRunAgain - before.GroupsRunAgain);
        // The clashing batch left nothing behind; the good steps are there.
        Assert.Equal(0L, await store.InspectAsync(c => c.Scalar($"SELECT count(*) FROM events WHERE id = '{clashing.Event.Id}';")));
        Assert.Equal(2L, await store.InspectAsync(c => c.Scalar("SELECT count(*) FROM steps;")));
    }

    [Fact]
    public async Task A_write_cancelled_while_queued_is_not_applied_and_a_closed_store_refuses_writes()
    {
        var store = Open();
        var runs = await AcceptAndClaim(store, 1);
        using var cancel = new CancellationTokenSource();

        Task save;
        using (store.Writer.Hold())
        {
            save = store.SaveStepAsync(runs[0], Step("a", StepStatus.Succeeded, "1"), cancel.Token).AsTask();
            await Bounded(store.Writer.WhenQueuedAsync(1), "the save to be queued");
            cancel.Cancel();
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => save);
        Assert.Equal(0L, await store.InspectAsync(c => c.Scalar("SELECT count(*) FROM steps;")));
        await store.DisposeAsync();
        var closed = await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.ClaimAsync(1, default));
        Assert.Contains(database.Path, closed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pruning_deletes_the_rows_of_expired_runs_and_keys_and_keeps_the_rest()
    {
        var store = Open();
        var old = WithKey(Submission("f", "g"), "k-old");
        await store.AcceptAsync([old], default);
        foreach (var run in (await store.ClaimAsync(10, default)).Runs)
        {
            await store.SaveStepAsync(run.Run.Id, Step("s", StepStatus.Succeeded, "1"), default);
            await store.FinishAsync(Result(run), default);
        }
        clock.Advance(TimeSpan.FromHours(25));
        var pending = WithKey(Submission("f"), "k-new");
        await store.AcceptAsync([pending], default);
        var before = await Counts(store);

        var removed = await store.PruneAsync(default);

        var after = await Counts(store);
        Assert.Equal(2, removed);
        Assert.Equal("events 2, runs 3, steps 2, results 2, dedup_keys 2", before);
        Assert.Equal("events 1, runs 1, steps 0, results 0, dedup_keys 1", after);
        Assert.Equal(1, store.Statistics.Prunes);
    }

    [Fact]
    public async Task Pruning_a_backlog_larger_than_one_pass_removes_all_of_it_in_several_transactions()
    {
        var store = Open(o => o.Durability = SqliteDurability.Normal);
        const int count = PruneWriteBatch + 1;
        var submissions = Enumerable.Range(0, count).Select(_ => Submission("f")).ToArray();
        await store.AcceptAsync(submissions, default);
        var claimed = (await store.ClaimAsync(count, default)).Runs;
        await Bounded(Task.WhenAll(claimed.Select(run => store.FinishAsync(Result(run), default).AsTask())), "the runs to finish");
        clock.Advance(TimeSpan.FromHours(2));
        var before = store.Statistics;

        var removed = await store.PruneAsync(default);

        Assert.Equal(count, removed);
        Assert.Equal(2, store.Statistics.Prunes - before.Prunes);
        Assert.Equal("events 0, runs 0, steps 0, results 0, dedup_keys 0", await Counts(store));
    }

    private const int PruneWriteBatch = FanOut.Sqlite.Writing.PruneWrite.BatchSize;

    [Fact]
    public async Task The_store_prunes_itself_every_prune_interval()
    {
        var store = Open(o => o.PruneInterval = TimeSpan.FromMinutes(5));
        await store.AcceptAsync([Submission("f")], default);
        var run = Assert.Single((await store.ClaimAsync(10, default)).Runs);
        await store.FinishAsync(Result(run), default);
        var pruned = store.Writer.NextAutomaticPruneAsync();

        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(5));
        await Bounded(pruned, "the automatic prune");

        Assert.Equal("events 0, runs 0, steps 0, results 0, dedup_keys 0", await Counts(store));
        Assert.Null(await store.GetResultAsync(run.Run.Id, default));
    }

    [Fact]
    public void A_store_in_a_missing_directory_fails_at_once_naming_the_file()
    {
        var path = Path.Combine(database.Directory, "no-such-dir", "fanout.db");

        var error = Assert.Throws<FanOutStoreException>(() => new SqliteStore(new SqliteStoreOptions { ConnectionString = path }, clock));

        Assert.Contains($"Could not open the SQLite store '{path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_database_fails_at_once_naming_the_file()
    {
        File.WriteAllText(database.Path, new string('x', 4096));

        var error = Assert.Throws<FanOutStoreException>(() => Open());

        Assert.Contains($"Could not open the SQLite store '{database.Path}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_disk_fails_the_write_with_the_file_and_leaves_the_store_usable()
    {
        var store = Open();
        // A page limit at the current size makes SQLite report SQLITE_FULL as a full disk would.
        await store.InspectAsync(c => c.Scalar("PRAGMA max_page_count = " + c.Scalar("PRAGMA page_count;") + ";"));
        var big = Submission("f");
        big = big with { Event = new StoredEvent(big.Event.Id, "test/big", new byte[1 << 20], 0) };
        big = big with { Runs = [new RunRecord(big.Runs[0].Id, "f", big.Event)] };

        var error = await Bounded(Assert.ThrowsAsync<FanOutStoreException>(async () => await store.AcceptAsync([big], default)), "the write to fail");

        Assert.Contains($"SQLite store '{database.Path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("full", error.Message, StringComparison.Ordinal);
        await store.InspectAsync(c => c.Scalar("PRAGMA max_page_count = 1073741823;"));
        await store.AcceptAsync([Submission("f")], default);
        Assert.Single((await store.ClaimAsync(10, default)).Runs);
    }

    [Fact]
    public async Task UseSqlite_replaces_the_store_and_runs_on_fanouts_clock()
    {
        var services = new ServiceCollection();
        services.AddFanOut(o => o.TimeProvider = clock).UseSqlite($"Data Source={database.Path}", o => o.Durability = SqliteDurability.Normal);
        using (var provider = services.BuildServiceProvider()) // disposed synchronously, as some hosts do
        {
            var store = Assert.IsType<SqliteStore>(provider.GetRequiredService<IFanOutStore>());
            await store.AcceptAsync([Submission("f")], default);

            Assert.Equal(database.Path, store.DatabasePath);
            Assert.Equal(Start.ToUnixTimeMilliseconds(), await store.InspectAsync(c => c.Scalar("SELECT due_at FROM runs;")));
            Assert.Equal(1L, await store.InspectAsync(c => c.Scalar("PRAGMA synchronous;")));
        }
        Open().Dispose(); // the container released the file
    }

    private SqliteStore Open(Action<SqliteStoreOptions>? configure = null)
    {
        var options = new SqliteStoreOptions { ConnectionString = database.Path, PruneInterval = Timeout.InfiniteTimeSpan };
        configure?.Invoke(options);
        var store = new SqliteStore(options, clock);
        opened.Add(store);
        return store;
    }

    private async Task<string[]> AcceptAndClaim(SqliteStore store, int count)
    {
        var submissions = Enumerable.Range(0, count).Select(_ => Submission("f")).ToArray();
        await store.AcceptAsync(submissions, default);
        var claimed = await store.ClaimAsync(count, default);
        Assert.Equal(count, claimed.Runs.Count);
        return [.. claimed.Runs.Select(r => r.Run.Id)];
    }

    private static Task<string> Counts(SqliteStore store) => store.InspectAsync(c => string.Join(", ",
        new[] { "events", "runs", "steps", "results", "dedup_keys" }.Select(t => $"{t} {c.Scalar($"SELECT count(*) FROM {t};")}")));

    private static StepState Step(string id, StepStatus status, string json) =>
        new(id, status, 1, Encoding.UTF8.GetBytes(json), null, Start, Start);

    private RunResult Result(ClaimedRun run) =>
        new(run.Run.Id, run.Run.FunctionId, run.Run.Event.Id, run.Run.Event.Name, RunStatus.Succeeded) { StartedAt = clock.GetUtcNow(), FinishedAt = clock.GetUtcNow() };

    private EventSubmission Submission(params string[] functionIds)
    {
        var n = Interlocked.Increment(ref sequence);
        var evt = new StoredEvent($"01EVENT{n:D19}", "test/a", "{}"u8.ToArray(), clock.GetUtcNow().ToUnixTimeMilliseconds());
        return new EventSubmission(evt, [.. functionIds.Select((f, i) => new RunRecord($"01RUN{n:D17}{i:D4}", f, evt))]);
    }

    private static EventSubmission WithKey(EventSubmission s, string key)
    {
        var evt = new StoredEvent(s.Event.Id, s.Event.Name, s.Event.Data, s.Event.Ts) { DeduplicationKey = key };
        return new EventSubmission(evt, [.. s.Runs.Select(r => new RunRecord(r.Id, r.FunctionId, evt))]);
    }

    private static async Task Bounded(Task task, string what)
    {
        try
        {
            await task.WaitAsync(Bound);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Waited {Bound.TotalSeconds} s for {what}.");
        }
    }

    private static async Task<T> Bounded<T>(Task<T> task, string what)
    {
        await Bounded((Task)task, what);
        return await task;
    }
}
