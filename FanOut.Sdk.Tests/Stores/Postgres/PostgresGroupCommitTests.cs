using System.Text;
using FanOut.PostgreSql;
using FanOut.Runs;
using FanOut.Stores;
using FanOut.Tests.Runtime;

namespace FanOut.Tests.Stores.Postgres;

/// <summary>
/// The PostgreSQL store's group commit: many runs' memos and ends in one transaction, each caller answered alone. Each
/// test holds the flusher while its writes queue, so the group is exactly those writes (no timing involved).
/// </summary>
[Collection(PostgresServer.Collection)]
public sealed class PostgresGroupCommitTests(PostgresServer server) : IAsyncLifetime
{
    private readonly string schema = PostgresServer.NewSchema();
    private PostgresStore store = null!;
    private int sequence;

    public async Task InitializeAsync()
    {
        store = new PostgresStore(new PostgresStoreOptions
        {
            ConnectionString = server.ConnectionString,
            Schema = schema,
            PruneInterval = Timeout.InfiniteTimeSpan,
            PollInterval = Timeout.InfiniteTimeSpan,
            Clock = PostgresClock.Database,
        });
        await store.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await store.DisposeAsync();
        await server.DropSchemaAsync(schema);
    }

    [Fact]
    public async Task Many_concurrent_saves_are_committed_together_in_fewer_commits_than_writes()
    {
        const int Runs = 24;
        var runs = await ClaimAsync(Runs);
        var before = store.Statistics;

        Task[] saves;
        using (store.Commits.Hold())
        {
            saves = [.. runs.Select(r => Task.Run(async () => await store.SaveStepAsync(r.Run.Id, Step("s"), default)))];
            await TestApp.Within(store.Commits.WhenQueuedAsync(Runs), $"{Runs} saves to queue");
        }
        await TestApp.Within(Task.WhenAll(saves), "the group to commit");
        var after = store.Statistics;

        Assert.Equal(1, after.Commits - before.Commits);
        Assert.Equal(Runs, after.Writes - before.Writes);
        Assert.Equal(Runs, after.StepsSaved - before.StepsSaved);
        Assert.Equal((long)Runs, await server.ScalarAsync($"SELECT count(*) FROM \"{schema}\".steps WHERE step_id = 's';"));
    }

    [Fact]
    public async Task A_write_refused_by_the_lease_fence_fails_alone_and_the_rest_of_its_group_commits()
    {
        var runs = await ClaimAsync(4);
        var (kept, lost, alsoKept, finished) = (runs[0].Run.Id, runs[1].Run.Id, runs[2].Run.Id, runs[3]);
        // Another node took the run over: its epoch is no longer the one this node claimed it with.
        await server.ScalarAsync($"UPDATE \"{schema}\".runs SET lease_epoch = lease_epoch + 1 WHERE id = '{lost}';");

        Task keptSave, lostSave, alsoKeptSave, finish;
        using (store.Commits.Hold())
        {
            keptSave = store.SaveStepAsync(kept, Step("s"), default).AsTask();
            lostSave = store.SaveStepAsync(lost, Step("s"), default).AsTask();
            alsoKeptSave = store.SaveStepAsync(alsoKept, Step("s"), default).AsTask();
            finish = store.FinishAsync(Succeeded(finished), default).AsTask();
            await TestApp.Within(store.Commits.WhenQueuedAsync(4), "4 writes to queue");
        }

        var refused = await TestApp.Within(Assert.ThrowsAsync<RunLeaseLostException>(() => lostSave), "the refused save");
        await TestApp.Within(Task.WhenAll(keptSave, alsoKeptSave, finish), "the other writes to commit");
        Assert.Equal(lost, refused.RunId);
        Assert.Equal(new PostgresStoreStatistics(Commits: 1, Writes: 4, FailedWrites: 0, StepsSaved: 2, Rollbacks: 0), store.Statistics);
        Assert.Equal($"{alsoKept},{kept}", await server.ScalarAsync($"SELECT string_agg(run_id, ',' ORDER BY run_id DESC) FROM \"{schema}\".steps;"));
        Assert.Equal(RunStatus.Succeeded, (await store.GetResultAsync(finished.Run.Id, default))!.Status);
    }

    [Fact]
    public async Task A_failing_statement_fails_only_its_own_write_and_the_rest_of_its_group_commits()
    {
        var runs = await ClaimAsync(3);
        // A real error from the server for one statement of the batch, which aborts its transaction.
        await server.ScalarAsync($"""
            CREATE FUNCTION "{schema}".refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.step_id = 'poison' THEN RAISE EXCEPTION 'poisoned step refused by a test trigger'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_poison BEFORE INSERT ON "{schema}".steps FOR EACH ROW EXECUTE FUNCTION "{schema}".refuse_poison();
            """);

        Task before, poison, after, finish;
        using (store.Commits.Hold())
        {
            before = store.SaveStepAsync(runs[0].Run.Id, Step("fine"), default).AsTask();
            poison = store.SaveStepAsync(runs[1].Run.Id, Step("poison"), default).AsTask();
            after = store.SaveStepAsync(runs[2].Run.Id, Step("fine"), default).AsTask();
            finish = store.FinishAsync(Succeeded(runs[0]), default).AsTask(); // the same run as the first save, queued after it
            await TestApp.Within(store.Commits.WhenQueuedAsync(4), "4 writes to queue");
        }

        var failed = await TestApp.Within(Assert.ThrowsAsync<FanOutStoreException>(() => poison), "the failing save");
        await TestApp.Within(Task.WhenAll(before, after, finish), "the other writes to commit");
        Assert.Contains("could not save step 'poison'", failed.Message);
        Assert.Contains("poisoned step refused by a test trigger", failed.Message);
        // Two rollbacks: the one statement for the memos of runs 2 and 3 failed, then one statement per memo named the failing one.
        Assert.Equal(new PostgresStoreStatistics(Commits: 1, Writes: 4, FailedWrites: 1, StepsSaved: 2, Rollbacks: 2), store.Statistics);
        Assert.Equal(2L, await server.ScalarAsync($"SELECT count(*) FROM \"{schema}\".steps WHERE step_id = 'fine';"));
        Assert.Equal(0L, await server.ScalarAsync($"SELECT count(*) FROM \"{schema}\".steps WHERE step_id = 'poison';"));
        Assert.Equal(RunStatus.Succeeded, (await store.GetResultAsync(runs[0].Run.Id, default))!.Status);
    }

    [Fact]
    public async Task Memos_saved_together_never_replace_a_final_memo()
    {
        var runs = await ClaimAsync(2);
        await store.SaveStepAsync(runs[0].Run.Id, Step("s", "\"first\""), default);

        Task again, other;
        using (store.Commits.Hold())
        {
            again = store.SaveStepAsync(runs[0].Run.Id, Step("s", "\"second\""), default).AsTask();
            other = store.SaveStepAsync(runs[1].Run.Id, Step("s", "\"other\""), default).AsTask();
            await TestApp.Within(store.Commits.WhenQueuedAsync(2), "2 saves to queue");
        }
        await TestApp.Within(Task.WhenAll(again, other), "the group to commit");

        Assert.Equal("\"first\"", Encoding.UTF8.GetString((byte[])(await server.ScalarAsync($"SELECT output FROM \"{schema}\".steps WHERE run_id = '{runs[0].Run.Id}';"))!));
        Assert.Equal("\"other\"", Encoding.UTF8.GetString((byte[])(await server.ScalarAsync($"SELECT output FROM \"{schema}\".steps WHERE run_id = '{runs[1].Run.Id}';"))!));
    }

    [Fact]
    public async Task A_caller_that_cancels_while_queued_does_not_cancel_the_others_in_its_group()
    {
        var runs = await ClaimAsync(3);
        using var giveUp = new CancellationTokenSource();

        Task first, cancelled, last;
        using (store.Commits.Hold())
        {
            first = store.SaveStepAsync(runs[0].Run.Id, Step("s"), default).AsTask();
            cancelled = store.SaveStepAsync(runs[1].Run.Id, Step("s"), giveUp.Token).AsTask();
            last = store.SaveStepAsync(runs[2].Run.Id, Step("s"), default).AsTask();
            await TestApp.Within(store.Commits.WhenQueuedAsync(3), "3 saves to queue");
            await giveUp.CancelAsync();
        }

        await TestApp.Within(Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled), "the cancelled save");
        await TestApp.Within(Task.WhenAll(first, last), "the other saves to commit");
        Assert.Equal(new PostgresStoreStatistics(Commits: 1, Writes: 2, FailedWrites: 0, StepsSaved: 2, Rollbacks: 0), store.Statistics);
        Assert.Equal(0L, await server.ScalarAsync($"SELECT count(*) FROM \"{schema}\".steps WHERE run_id = '{runs[1].Run.Id}';"));
    }

    [Fact]
    public async Task A_retry_of_a_run_asked_to_cancel_ends_it_cancelled_inside_a_group_without_disturbing_the_others()
    {
        var runs = await ClaimAsync(2);
        Assert.Equal(CancelOutcome.Requested, (await store.CancelAsync(runs[0].Run.Id, "stop it", default)).Outcome);

        Task<RunResult?> retry;
        Task save;
        using (store.Commits.Hold())
        {
            retry = store.RetryAsync(runs[0].Run.Id, 1, DateTimeOffset.UtcNow, null, default).AsTask();
            save = store.SaveStepAsync(runs[1].Run.Id, Step("s"), default).AsTask();
            await TestApp.Within(store.Commits.WhenQueuedAsync(2), "2 writes to queue");
        }

        var ended = await TestApp.Within(retry, "the retry");
        await TestApp.Within(save, "the save");
        Assert.Equal(RunStatus.Cancelled, ended!.Status);
        Assert.Equal(RunStatus.Cancelled, (await store.GetResultAsync(runs[0].Run.Id, default))!.Status);
        Assert.Equal(1, store.Statistics.Commits);
    }

    private async Task<IReadOnlyList<ClaimedRun>> ClaimAsync(int count)
    {
        var submissions = Enumerable.Range(0, count).Select(_ =>
        {
            var n = Interlocked.Increment(ref sequence);
            var evt = new StoredEvent($"01PGGROUPEVENT{n:D12}", "test/a", "{}"u8.ToArray(), 0);
            return new EventSubmission(evt, [new RunRecord($"01PGGROUPRUN{n:D14}", "f", evt)]);
        }).ToArray();
        await store.AcceptAsync(submissions, default);
        var claimed = (await store.ClaimAsync(count, default)).Runs;
        Assert.Equal(count, claimed.Count);
        return [.. claimed.OrderBy(r => r.Run.Id, StringComparer.Ordinal)];
    }

    private static StepState Step(string id, string output = "1") =>
        new(id, StepStatus.Succeeded, 1, Encoding.UTF8.GetBytes(output), null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    private static RunResult Succeeded(ClaimedRun run) =>
        new(run.Run.Id, run.Run.FunctionId, run.Run.Event.Id, run.Run.Event.Name, RunStatus.Succeeded)
        {
            Attempts = run.Attempt,
            StartedAt = DateTimeOffset.UtcNow,
            FinishedAt = DateTimeOffset.UtcNow,
        };
}
