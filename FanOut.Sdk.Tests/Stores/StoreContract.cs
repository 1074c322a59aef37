using System.Text;
using System.Text.Json;
using FanOut.Runs;
using FanOut.Stores;
using Microsoft.Extensions.Time.Testing;

namespace FanOut.Tests.Stores;

/// <summary>
/// The one contract every store must keep. Each store's test class derives from this and says how to make the store;
/// the same tests then run against it (River's driver suite is the model).
/// </summary>
public abstract partial class StoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private int sequence;

    protected FakeTimeProvider Clock { get; } = new(Start);

    protected IFanOutStore Store { get; private set; } = null!;

    /// <summary>True for a store whose runs outlive the process (released runs are queued again; recovery applies).</summary>
    protected abstract bool Durable { get; }

    /// <summary>Makes a store over fresh, empty storage, with a deduplication window of 24 h and finished-run retention of 1 h.</summary>
    protected abstract Task<IFanOutStore> CreateAsync(FakeTimeProvider clock);

    /// <summary>For durable stores: abandons the current store object as a crashed process would (no clean shutdown) and opens the same storage again.</summary>
    protected virtual Task<IFanOutStore> ReopenAfterCrashAsync(FakeTimeProvider clock) => throw new NotSupportedException();

    public async Task InitializeAsync() => Store = await CreateAsync(Clock);

    public virtual async Task DisposeAsync()
    {
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task Accepted_runs_are_claimed_with_their_event_as_first_attempts()
    {
        var submission = Submission("app/user.signup", """{"user":{"id":"u-1"}}""", "send-welcome-email", "add-to-crm");
        submission = submission with
        {
            Event = new StoredEvent(submission.Event.Id, submission.Event.Name, submission.Event.Data, 1_700_000_000_123)
            {
                DeduplicationKey = "signup-u-1",
                V = "2026-01",
                User = JsonDocument.Parse("""{"role":"admin"}""").RootElement,
            },
        };
        submission = submission with { Runs = [.. submission.Runs.Select(r => new RunRecord(r.Id, r.FunctionId, submission.Event))] };

        var outcomes = await Store.AcceptAsync([submission], default);
        var claim = await Store.ClaimAsync(10, default);

        Assert.Equal([new AcceptOutcome(submission.Event.Id, false)], outcomes);
        Assert.Equal(["add-to-crm", "send-welcome-email"], claim.Runs.Select(r => r.Run.FunctionId).Order());
        var first = claim.Runs[0];
        Assert.Equal(1, first.Attempt);
        Assert.Equal(0, first.Failures);
        Assert.Empty(first.Steps);
        Assert.Equal(submission.Event.Id, first.Run.Event.Id);
        Assert.Equal("app/user.signup", first.Run.Event.Name);
        Assert.Equal("""{"user":{"id":"u-1"}}""", Encoding.UTF8.GetString(first.Run.Event.Data.Span));
        Assert.Equal(1_700_000_000_123, first.Run.Event.Ts);
        Assert.Equal("signup-u-1", first.Run.Event.DeduplicationKey);
        Assert.Equal("2026-01", first.Run.Event.V);
        Assert.Equal("admin", first.Run.Event.User!.Value.GetProperty("role").GetString());
        Assert.Null(claim.NextDueAt);
        Assert.Empty((await Store.ClaimAsync(10, default)).Runs);
    }

    [Fact]
    public async Task A_claimed_run_keeps_the_trace_context_of_its_send()
    {
        var s = Submission("test/a", "{}", "f");
        var origin = new System.Diagnostics.ActivityContext(
            System.Diagnostics.ActivityTraceId.CreateRandom(), System.Diagnostics.ActivitySpanId.CreateRandom(), System.Diagnostics.ActivityTraceFlags.Recorded);
        s = s with { Runs = [new RunRecord(s.Runs[0].Id, "f", s.Event) { Origin = origin }] };

        await Store.AcceptAsync([s], default);
        var claimed = Assert.Single((await Store.ClaimAsync(10, default)).Runs).Run.Origin;

        Assert.Equal((origin.TraceId, origin.SpanId, origin.TraceFlags), (claimed.TraceId, claimed.SpanId, claimed.TraceFlags));
    }

    [Fact]
    public async Task Only_a_running_run_can_save_steps_or_end_its_attempt()
    {
        var s = Submission("test/a", "{}", "f");
        await Store.AcceptAsync([s], default);
        var runId = s.Runs[0].Id;
        var step = new StepState("x", StepStatus.Succeeded, 1, null, null, Start, Start);

        // Queued, not claimed: nothing may be recorded for it, and a refused call changes nothing.
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Store.SaveStepAsync(runId, step, default));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Store.RetryAsync(runId, 0, Start, new RunError("E", "m", null), default));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Store.SaveStepAsync("01NOSUCHRUN000000000000000", step, default));

        var claimed = Assert.Single((await Store.ClaimAsync(10, default)).Runs);
        Assert.Empty(claimed.Steps);
        Assert.Equal(1, claimed.Attempt);
    }

    [Fact]
    public async Task A_claim_takes_no_more_than_asked_oldest_first()
    {
        var a = Submission("test/a", "{}", "f");
        await Store.AcceptAsync([a], default);
        Clock.Advance(TimeSpan.FromMilliseconds(5));
        var b = Submission("test/b", "{}", "f");
        await Store.AcceptAsync([b], default);

        var first = await Store.ClaimAsync(1, default);
        var second = await Store.ClaimAsync(1, default);

        Assert.Equal(a.Runs[0].Id, Assert.Single(first.Runs).Run.Id);
        Assert.Equal(b.Runs[0].Id, Assert.Single(second.Runs).Run.Id);
    }

    [Fact]
    public async Task A_repeated_deduplication_key_within_the_window_starts_no_runs()
    {
        var first = Submission("test/a", "{}", "f") is var s1 ? WithKey(s1, "k-1") : null!;
        var again = WithKey(Submission("test/a", "{}", "f"), "k-1");
        var inSameBatch = WithKey(Submission("test/a", "{}", "f"), "k-2");
        var inSameBatchAgain = WithKey(Submission("test/a", "{}", "f"), "k-2");

        var o1 = await Store.AcceptAsync([first], default);
        Clock.Advance(TimeSpan.FromHours(23));
        var o2 = await Store.AcceptAsync([again, inSameBatch, inSameBatchAgain], default);

        Assert.False(o1[0].Duplicate);
        Assert.Equal(new AcceptOutcome(first.Event.Id, true), o2[0]);
        Assert.False(o2[1].Duplicate);
        Assert.Equal(new AcceptOutcome(inSameBatch.Event.Id, true), o2[2]);
        var claimed = (await Store.ClaimAsync(10, default)).Runs.Select(r => r.Run.Id).Order().ToArray();
        Assert.Equal(new[] { first.Runs[0].Id, inSameBatch.Runs[0].Id }.Order(), claimed);
    }

    [Fact]
    public async Task A_deduplication_key_is_accepted_again_after_the_window()
    {
        var first = WithKey(Submission("test/a", "{}", "f"), "k-1");
        var later = WithKey(Submission("test/a", "{}", "f"), "k-1");

        await Store.AcceptAsync([first], default);
        Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        await Store.PruneAsync(default);
        var outcome = await Store.AcceptAsync([later], default);

        Assert.Equal(new AcceptOutcome(later.Event.Id, false), outcome[0]);
    }

    [Fact]
    public async Task A_batch_is_stored_whole_or_not_at_all()
    {
        var good = Submission("test/a", "{}", "f");
        var clash = Submission("test/b", "{}", "f");
        // The second event reuses the first event's run id: the store must refuse the batch and keep nothing of it.
        clash = clash with { Runs = [new RunRecord(good.Runs[0].Id, "f", clash.Event)] };

        await Assert.ThrowsAnyAsync<Exception>(async () => await Store.AcceptAsync([good, clash], default));

        Assert.Empty((await Store.ClaimAsync(10, default)).Runs);
        var retried = await Store.AcceptAsync([good], default);
        Assert.False(retried[0].Duplicate);
        Assert.Single((await Store.ClaimAsync(10, default)).Runs);
    }

    [Fact]
    public async Task Saved_steps_come_back_with_the_next_claim_after_a_retry_is_due()
    {
        var s = Submission("test/a", "{}", "f");
        await Store.AcceptAsync([s], default);
        var runId = (await Store.ClaimAsync(1, default)).Runs[0].Run.Id;
        var done = new StepState("create-customer", StepStatus.Succeeded, 1, Encoding.UTF8.GetBytes("\"cus_1\""), null, Start, Start.AddMilliseconds(3));
        var failing = new StepState("create-subscription", StepStatus.Retrying, 1, null, new RunError("System.Net.Http.HttpRequestException", "503", "at Stripe"), Start, Start.AddMilliseconds(9));

        await Store.SaveStepAsync(runId, done, default);
        await Store.SaveStepAsync(runId, failing, default);
        await Store.RetryAsync(runId, failures: 0, Start.AddSeconds(30), failing.Error!, default);
        var early = await Store.ClaimAsync(10, default);
        Clock.Advance(TimeSpan.FromSeconds(30));
        var due = await Store.ClaimAsync(10, default);

        Assert.Empty(early.Runs);
        Assert.Equal(Start.AddSeconds(30), early.NextDueAt);
        var claimed = Assert.Single(due.Runs);
        Assert.Equal(2, claimed.Attempt);
        Assert.Equal(0, claimed.Failures);
        var steps = claimed.Steps.ToDictionary(x => x.Id);
        Assert.Equal("\"cus_1\"", Encoding.UTF8.GetString(steps["create-customer"].Output!.Value.Span));
        Assert.Equal(StepStatus.Succeeded, steps["create-customer"].Status);
        Assert.Equal(StepStatus.Retrying, steps["create-subscription"].Status);
        Assert.Equal(failing.Error, steps["create-subscription"].Error);
        Assert.Null(steps["create-subscription"].Output);
    }

    [Fact]
    public async Task A_saved_step_replaces_its_earlier_state()
    {
        var s = Submission("test/a", "{}", "f");
        await Store.AcceptAsync([s], default);
        var runId = (await Store.ClaimAsync(1, default)).Runs[0].Run.Id;
        await Store.SaveStepAsync(runId, new StepState("x", StepStatus.Retrying, 1, null, new RunError("E", "first", null), Start, Start), default);
        await Store.RetryAsync(runId, 0, Start, new RunError("E", "first", null), default);
        runId = (await Store.ClaimAsync(1, default)).Runs[0].Run.Id;

        await Store.SaveStepAsync(runId, new StepState("x", StepStatus.Succeeded, 2, Encoding.UTF8.GetBytes("42"), null, Start, Start), default);
        await Store.RetryAsync(runId, 1, Start, new RunError("E", "outside steps", null), default);
        var claimed = (await Store.ClaimAsync(1, default)).Runs[0];

        var step = Assert.Single(claimed.Steps);
        Assert.Equal((StepStatus.Succeeded, 2, "42"), (step.Status, step.Attempts, Encoding.UTF8.GetString(step.Output!.Value.Span)));
        Assert.Equal((3, 1), (claimed.Attempt, claimed.Failures));
    }

    [Fact]
    public async Task A_finished_run_is_not_claimed_again_and_its_result_is_kept()
    {
        var s = Submission("test/a", "{}", "f");
        await Store.AcceptAsync([s], default);
        var claimed = (await Store.ClaimAsync(1, default)).Runs[0];
        await Store.SaveStepAsync(claimed.Run.Id, new StepState("only", StepStatus.Succeeded, 1, null, null, Start, Start), default);

        await Store.FinishAsync(new RunResult(claimed.Run.Id, "f", s.Event.Id, "test/a", RunStatus.Succeeded)
        {
            Output = Encoding.UTF8.GetBytes("""{"ok":true}"""),
            Attempts = 1,
            StartedAt = Start,
            FinishedAt = Start.AddSeconds(1),
            Steps = [new StepResult("only", StepStatus.Succeeded, 1, Start, Start, null, Encoding.UTF8.GetBytes("\"cus_1\""))],
        }, default);
        var result = await Store.GetResultAsync(claimed.Run.Id, default);

        Assert.Empty((await Store.ClaimAsync(10, default)).Runs);
        Assert.NotNull(result);
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("""{"ok":true}""", Encoding.UTF8.GetString(result.Output!.Value.Span));
        Assert.Equal(("f", s.Event.Id, "test/a", 1), (result.FunctionId, result.EventId, result.EventName, result.Attempts));
        var step = Assert.Single(result.Steps);
        Assert.Equal(("only", "\"cus_1\""), (step.Id, Encoding.UTF8.GetString(step.Output!.Value.Span)));
    }

    [Fact]
    public async Task A_failed_result_keeps_its_error()
    {
        var s = Submission("test/a", "{}", "f");
        await Store.AcceptAsync([s], default);
        var claimed = (await Store.ClaimAsync(1, default)).Runs[0];
        var error = new RunError("System.InvalidOperationException", "card declined", "at Charge()");

        await Store.FinishAsync(new RunResult(claimed.Run.Id, "f", s.Event.Id, "test/a", RunStatus.Failed) { Error = error, Attempts = 5, StartedAt = Start, FinishedAt = Start }, default);
        var result = await Store.GetResultAsync(claimed.Run.Id, default);

        Assert.Equal(RunStatus.Failed, result!.Status);
        Assert.Equal(error, result.Error);
        Assert.Null(result.Output);
        Assert.Equal(5, result.Attempts);
    }

    [Fact]
    public async Task An_unfinished_run_has_no_result()
    {
        var s = Submission("test/a", "{}", "f");
        await Store.AcceptAsync([s], default);

        Assert.Null(await Store.GetResultAsync(s.Runs[0].Id, default));
        Assert.Null(await Store.GetResultAsync("01NOSUCHRUN000000000000000", default));
    }

    [Fact]
    public async Task A_released_run_resumes_in_a_durable_store_and_ends_cancelled_in_a_volatile_one()
    {
        var s = Submission("test/a", "{}", "f");
        await Store.AcceptAsync([s], default);
        var runId = (await Store.ClaimAsync(1, default)).Runs[0].Run.Id;
        await Store.SaveStepAsync(runId, new StepState("done", StepStatus.Succeeded, 1, null, null, Start, Start), default);

        var ended = await Store.ReleaseAsync(runId, "the host stopped", default);
        var again = await Store.ClaimAsync(10, default);

        if (Durable)
        {
            Assert.Null(ended);
            var claimed = Assert.Single(again.Runs);
            Assert.Equal("done", Assert.Single(claimed.Steps).Id);
        }
        else
        {
            Assert.Equal(RunStatus.Cancelled, ended!.Status);
            Assert.Equal("the host stopped", ended.Error!.Message);
            Assert.Empty(again.Runs);
            Assert.Equal(RunStatus.Cancelled, (await Store.GetResultAsync(runId, default))!.Status);
        }
    }

    [Fact]
    public async Task Runs_left_running_by_a_crashed_process_are_recovered_with_their_steps()
    {
        if (!Durable)
        {
            Assert.Equal(0, await Store.RecoverAsync(default));
            return;
        }
        var s = Submission("test/a", "{}", "f", "g");
        await Store.AcceptAsync([s], default);
        var claimed = await Store.ClaimAsync(1, default);
        var runId = claimed.Runs[0].Run.Id;
        await Store.SaveStepAsync(runId, new StepState("done", StepStatus.Succeeded, 1, Encoding.UTF8.GetBytes("1"), null, Start, Start), default);

        Store = await ReopenAfterCrashAsync(Clock);
        var recovered = await Store.RecoverAsync(default);
        var after = await Store.ClaimAsync(10, default);

        Assert.Equal(1, recovered);
        Assert.Equal(2, after.Runs.Count);
        var resumed = after.Runs.Single(r => r.Run.Id == runId);
        Assert.Equal("done", Assert.Single(resumed.Steps).Id);
        Assert.Equal(2, resumed.Attempt);
    }

    [Fact]
    public async Task Pruning_removes_finished_runs_past_retention_and_keeps_the_rest()
    {
        var old = Submission("test/a", "{}", "f");
        var recent = Submission("test/a", "{}", "f");
        var pending = Submission("test/a", "{}", "f");
        await Store.AcceptAsync([old, recent], default);
        var claimed = (await Store.ClaimAsync(10, default)).Runs.ToDictionary(r => r.Run.Id);
        await Finish(claimed[old.Runs[0].Id]);
        Clock.Advance(TimeSpan.FromMinutes(40));
        await Finish(claimed[recent.Runs[0].Id]);
        await Store.AcceptAsync([pending], default);
        Clock.Advance(TimeSpan.FromMinutes(21));

        var removed = await Store.PruneAsync(default);

        Assert.Equal(1, removed);
        Assert.Null(await Store.GetResultAsync(old.Runs[0].Id, default));
        Assert.NotNull(await Store.GetResultAsync(recent.Runs[0].Id, default));
        Assert.Equal(pending.Runs[0].Id, Assert.Single((await Store.ClaimAsync(10, default)).Runs).Run.Id);
    }

    private async Task Finish(ClaimedRun c) =>
        await Store.FinishAsync(new RunResult(c.Run.Id, "f", c.Run.Event.Id, "test/a", RunStatus.Succeeded) { StartedAt = Clock.GetUtcNow(), FinishedAt = Clock.GetUtcNow() }, default);

    [Fact]
    public async Task Many_concurrent_step_saves_all_land()
    {
        var submissions = Enumerable.Range(0, 50).Select(_ => Submission("test/a", "{}", "f")).ToArray();
        await Store.AcceptAsync(submissions, default);
        var runs = (await Store.ClaimAsync(100, default)).Runs;

        await Task.WhenAll(runs.SelectMany(r => Enumerable.Range(0, 4).Select(i =>
            Task.Run(async () => await Store.SaveStepAsync(r.Run.Id, new StepState("s" + i, StepStatus.Succeeded, 1, Encoding.UTF8.GetBytes(i.ToString()), null, Start, Start), default)))));
        foreach (var r in runs)
        {
            await Store.RetryAsync(r.Run.Id, 0, Start, new RunError("E", "m", null), default);
        }
        var again = (await Store.ClaimAsync(100, default)).Runs;

        Assert.Equal(50, again.Count);
        Assert.All(again, r => Assert.Equal(["s0", "s1", "s2", "s3"], r.Steps.Select(s => s.Id).Order()));
    }

    [Fact]
    public async Task Cancelling_a_queued_run_ends_it_at_once_with_the_reason()
    {
        var s = Submission("test/a", "{}", "f", "g");
        await Store.AcceptAsync([s], default);

        var cancelled = await Store.CancelAsync(s.Runs[0].Id, "cancelled by ops", default);
        var claim = await Store.ClaimAsync(10, default);

        Assert.Equal(CancelOutcome.Cancelled, cancelled.Outcome);
        Assert.Equal(RunStatus.Cancelled, cancelled.Ended!.Status);
        Assert.Equal("cancelled by ops", cancelled.Ended.Error!.Message);
        Assert.Equal(s.Runs[1].Id, Assert.Single(claim.Runs).Run.Id);
        Assert.Equal(RunStatus.Cancelled, (await Store.GetResultAsync(s.Runs[0].Id, default))!.Status);
    }

    [Fact]
    public async Task Cancelling_a_sleeping_run_ends_it_before_its_wake_time()
    {
        var s = Submission("test/a", "{}", "f");
        await Store.AcceptAsync([s], default);
        var runId = (await Store.ClaimAsync(1, default)).Runs[0].Run.Id;
        await Store.RetryAsync(runId, 0, Start.AddDays(3), null, default);

        var cancelled = await Store.CancelAsync(runId, "user activated", default);
        Clock.Advance(TimeSpan.FromDays(3));

        Assert.Equal(CancelOutcome.Cancelled, cancelled.Outcome);
        Assert.Empty((await Store.ClaimAsync(10, default)).Runs);
    }

    [Fact]
    public async Task Cancelling_a_running_run_is_a_request_that_its_next_requeue_turns_into_the_end()
    {
        var s = Submission("test/a", "{}", "f");
        await Store.AcceptAsync([s], default);
        var runId = (await Store.ClaimAsync(1, default)).Runs[0].Run.Id;

        var requested = await Store.CancelAsync(runId, "stop it", default);
        var ended = await Store.RetryAsync(runId, 0, Start, new RunError("E", "transient", null), default);

        Assert.Equal(CancelOutcome.Requested, requested.Outcome);
        Assert.Null(requested.Ended);
        Assert.Equal(RunStatus.Cancelled, ended!.Status);
        Assert.Equal("stop it", ended.Error!.Message);
        Assert.Empty((await Store.ClaimAsync(10, default)).Runs);
        Assert.Equal(RunStatus.Cancelled, (await Store.GetResultAsync(runId, default))!.Status);
    }

    [Fact]
    public async Task A_requeue_without_a_cancel_request_returns_nothing()
    {
        var s = Submission("test/a", "{}", "f");
        await Store.AcceptAsync([s], default);
        var runId = (await Store.ClaimAsync(1, default)).Runs[0].Run.Id;

        Assert.Null(await Store.RetryAsync(runId, 0, Start, null, default));
    }

    [Fact]
    public async Task Cancelling_a_finished_or_unknown_run_changes_nothing()
    {
        var s = Submission("test/a", "{}", "f");
        await Store.AcceptAsync([s], default);
        var claimed = (await Store.ClaimAsync(1, default)).Runs[0];
        await Finish(claimed);

        Assert.Equal(CancelOutcome.AlreadyFinished, (await Store.CancelAsync(claimed.Run.Id, "late", default)).Outcome);
        Assert.Equal(RunStatus.Succeeded, (await Store.GetResultAsync(claimed.Run.Id, default))!.Status);
        Assert.Equal(CancelOutcome.NotFound, (await Store.CancelAsync("01NOSUCHRUN000000000000000", "x", default)).Outcome);
    }

    [Fact]
    public async Task A_run_asked_to_cancel_while_running_when_its_process_died_is_not_resumed()
    {
        if (!Durable)
        {
            return;
        }
        var s = Submission("test/a", "{}", "f");
        await Store.AcceptAsync([s], default);
        var runId = (await Store.ClaimAsync(1, default)).Runs[0].Run.Id;
        await Store.CancelAsync(runId, "stop it", default);

        Store = await ReopenAfterCrashAsync(Clock);
        await Store.RecoverAsync(default);

        Assert.Empty((await Store.ClaimAsync(10, default)).Runs);
        Assert.Equal(RunStatus.Cancelled, (await Store.GetResultAsync(runId, default))!.Status);
    }

    [Fact]
    public async Task Runs_are_listed_newest_first_across_states_and_filtered()
    {
        var a = Submission("test/a", "{}", "f", "g");
        await Store.AcceptAsync([a], default);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var b = Submission("test/b", "{}", "f");
        await Store.AcceptAsync([b], default);
        var claimed = (await Store.ClaimAsync(10, default)).Runs.ToDictionary(r => r.Run.Id);
        await Store.FinishAsync(new RunResult(a.Runs[0].Id, "f", a.Event.Id, "test/a", RunStatus.Failed)
        {
            Error = new RunError("E", "boom", null), Attempts = 5, StartedAt = Clock.GetUtcNow(), FinishedAt = Clock.GetUtcNow(),
        }, default);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var c = Submission("test/a", "{}", "f");
        await Store.AcceptAsync([c], default);

        var all = await Store.ListRunsAsync(new RunQuery(), default);
        var failedF = await Store.ListRunsAsync(new RunQuery { FunctionId = "f", Status = RunStatus.Failed }, default);
        var queued = await Store.ListRunsAsync(new RunQuery { Status = RunStatus.Queued }, default);
        var running = await Store.ListRunsAsync(new RunQuery { Status = RunStatus.Running }, default);
        var ofB = await Store.ListRunsAsync(new RunQuery { EventName = "test/b" }, default);
        var window = await Store.ListRunsAsync(new RunQuery { Since = Start.AddSeconds(30), Until = Start.AddSeconds(90) }, default);
        var two = await Store.ListRunsAsync(new RunQuery { Limit = 2 }, default);

        Assert.Equal([c.Runs[0].Id, b.Runs[0].Id], all.Take(2).Select(r => r.RunId));
        Assert.Equal(4, all.Count);
        var failed = Assert.Single(failedF);
        Assert.Equal((a.Runs[0].Id, "boom", 5, Start), (failed.RunId, failed.Error!.Message, failed.Attempts, failed.AcceptedAt));
        Assert.NotNull(failed.FinishedAt);
        Assert.Equal([c.Runs[0].Id], queued.Select(r => r.RunId));
        Assert.Equal(new[] { a.Runs[1].Id, b.Runs[0].Id }.Order(), running.Select(r => r.RunId).Order());
        Assert.Equal([b.Runs[0].Id], ofB.Select(r => r.RunId));
        Assert.Equal([b.Runs[0].Id], window.Select(r => r.RunId));
        Assert.Equal(2, two.Count);
        Assert.Equal("test/a", all.Single(r => r.RunId == c.Runs[0].Id).EventName);
    }

    protected EventSubmission Submission(string name, string json, params string[] functionIds)
    {
        var n = Interlocked.Increment(ref sequence);
        var evt = new StoredEvent($"01EVENT{n:D19}", name, Encoding.UTF8.GetBytes(json), Clock.GetUtcNow().ToUnixTimeMilliseconds());
        return new EventSubmission(evt, [.. functionIds.Select((f, i) => new RunRecord($"01RUN{n:D17}{i:D4}", f, evt))]);
    }

    private static EventSubmission WithKey(EventSubmission s, string key)
    {
        var evt = new StoredEvent(s.Event.Id, s.Event.Name, s.Event.Data, s.Event.Ts) { DeduplicationKey = key };
        return new EventSubmission(evt, [.. s.Runs.Select(r => new RunRecord(r.Id, r.FunctionId, evt))]);
    }
}

public sealed class InMemoryStoreContract : StoreContract
{
    protected override bool Durable => false;

    protected override Task<IFanOutStore> CreateAsync(FakeTimeProvider clock) =>
        Task.FromResult<IFanOutStore>(new InMemoryStore(clock, new InMemoryStoreOptions
        {
            DeduplicationWindow = TimeSpan.FromHours(24),
            FinishedRunRetention = TimeSpan.FromHours(1),
        }));

    [Fact]
    public async Task The_event_history_keeps_only_what_unfinished_runs_can_look_back_at_however_fast_events_come()
    {
        var waiting = Submission("test/joined", """{"userId":"u-1"}""", "f");
        await Store.AcceptAsync([waiting], default);
        for (int i = 0; i < 20_000; i++)
        {
            await Store.AcceptAsync([Submission("test/noise", "{}")], default);
        }
        var kept = (await Store.ListEventsAsync(new EventQuery { Limit = int.MaxValue }, default)).Count;
        var runId = (await Store.ClaimAsync(1, default)).Runs[0].Run.Id;
        await Store.FinishAsync(new RunResult(runId, "f", waiting.Event.Id, "test/joined", RunStatus.Succeeded)
        {
            StartedAt = Clock.GetUtcNow(), FinishedAt = Clock.GetUtcNow(),
        }, default);
        for (int i = 0; i < 20_000; i++)
        {
            await Store.AcceptAsync([Submission("test/noise", "{}")], default);
        }
        var afterwards = (await Store.ListEventsAsync(new EventQuery { Name = "test/noise", Limit = int.MaxValue }, default)).Count;

        // While a run may still wait, every event since its trigger is kept; once none can, the history is trimmed
        // as it grows, without waiting for the prune interval (the clock does not move here).
        Assert.Equal(20_001, kept);
        Assert.True(afterwards < 20_000 / 2, $"{afterwards} events kept with no unfinished run");
    }
}
