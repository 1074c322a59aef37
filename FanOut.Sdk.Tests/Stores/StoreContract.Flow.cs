using System.Text;
using FanOut.Registration;
using FanOut.Runs;
using FanOut.Stores;

namespace FanOut.Tests.Stores;

// The contract of durable flow: waits for events, invoked runs, cancel triggers and replays.
public abstract partial class StoreContract
{
    [Fact]
    public async Task A_wait_is_resolved_by_a_matching_event_accepted_later_and_not_by_another()
    {
        var trigger = Submission("test/joined", """{"userId":"u-1"}""", "f");
        await Store.AcceptAsync([trigger], default);
        var runId = (await Store.ClaimAsync(1, default)).Runs[0].Run.Id;
        var wait = new EventWait("wait", Start.AddDays(3), "test/activated", "data.userId", EventMatch.ValueOf(trigger.Event.Data, "data.userId"));

        var suspended = await Store.SuspendAsync(runId, 0, DateTimeOffset.MaxValue, null, [wait], default);
        var whileWaiting = await Store.ClaimAsync(10, default);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var other = await Store.AcceptAsync([Submission("test/activated", """{"userId":"u-2"}""")], default);
        var stillWaiting = await Store.ClaimAsync(10, default);
        var matching = Submission("test/activated", """{"userId":"u-1","plan":"pro"}""");
        var accepted = await Store.AcceptAsync([matching], default);
        var resumed = await Store.ClaimAsync(10, default);

        Assert.Equal(new SuspendResult(null, false), suspended);
        Assert.Empty(whileWaiting.Runs);
        Assert.Equal(Start.AddDays(3), whileWaiting.NextDueAt);
        Assert.Equal(0, other[0].Resumed);
        Assert.Empty(stillWaiting.Runs);
        Assert.Equal(1, accepted[0].Resumed);
        var run = Assert.Single(resumed.Runs);
        Assert.Equal(2, run.Attempt);
        var memo = Assert.Single(run.Steps);
        Assert.Equal(("wait", StepStatus.Succeeded), (memo.Id, memo.Status));
        var evt = StoredEventJson.Deserialize(memo.Output!.Value);
        Assert.Equal((matching.Event.Id, "test/activated", """{"userId":"u-1","plan":"pro"}"""), (evt.Id, evt.Name, Encoding.UTF8.GetString(evt.Data.Span)));
    }

    [Fact]
    public async Task A_wait_looks_back_at_an_event_accepted_after_the_trigger_but_before_the_wait_began()
    {
        // inngest/inngest#1433: the awaited event arrives while the run is still busy with the steps before its wait.
        var before = Submission("test/activated", """{"userId":"u-1","plan":"too-early"}""");
        await Store.AcceptAsync([before], default);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var trigger = Submission("test/joined", """{"userId":"u-1"}""", "f");
        await Store.AcceptAsync([trigger], default);
        var runId = (await Store.ClaimAsync(1, default)).Runs[0].Run.Id;
        var early = Submission("test/activated", """{"userId":"u-1","plan":"pro"}""");
        await Store.AcceptAsync([early], default); // no function handles it: still kept, for the look-back
        var wait = new EventWait("wait", Start.AddDays(3), "test/activated", "data.userId", EventMatch.ValueOf(trigger.Event.Data, "data.userId"));

        var suspended = await Store.SuspendAsync(runId, 0, DateTimeOffset.MaxValue, null, [wait], default);
        var resumed = await Store.ClaimAsync(10, default);

        Assert.True(suspended.ResolvedAtOnce);
        var memo = Assert.Single(Assert.Single(resumed.Runs).Steps);
        Assert.Equal(early.Event.Id, StoredEventJson.Deserialize(memo.Output!.Value).Id);
    }

    [Fact]
    public async Task A_wait_without_a_match_takes_any_later_event_of_its_name()
    {
        var trigger = Submission("test/joined", """{"userId":"u-1"}""", "f");
        await Store.AcceptAsync([trigger], default);
        var runId = (await Store.ClaimAsync(1, default)).Runs[0].Run.Id;
        await Store.SuspendAsync(runId, 0, DateTimeOffset.MaxValue, null, [new EventWait("wait", Start.AddHours(1), "test/activated", null, null)], default);

        var accepted = await Store.AcceptAsync([Submission("test/activated", """{"userId":"someone-else"}""")], default);

        Assert.Equal(1, accepted[0].Resumed);
        Assert.Single((await Store.ClaimAsync(10, default)).Runs);
    }

    [Fact]
    public async Task A_wait_that_expires_is_claimed_at_its_timeout_with_a_memo_that_has_no_event()
    {
        var trigger = Submission("test/joined", """{"userId":"u-1"}""", "f");
        await Store.AcceptAsync([trigger], default);
        var runId = (await Store.ClaimAsync(1, default)).Runs[0].Run.Id;
        await Store.SuspendAsync(runId, 0, DateTimeOffset.MaxValue, null, [new EventWait("wait", Start.AddDays(3), "test/activated", "data.userId", "s:u-1")], default);

        Clock.Advance(TimeSpan.FromDays(3));
        var claimed = Assert.Single((await Store.ClaimAsync(10, default)).Runs);
        var late = await Store.AcceptAsync([Submission("test/activated", """{"userId":"u-1"}""")], default);

        var memo = Assert.Single(claimed.Steps);
        Assert.Equal(("wait", StepStatus.Succeeded, (ReadOnlyMemory<byte>?)null), (memo.Id, memo.Status, memo.Output));
        Assert.Equal(0, late[0].Resumed);
    }

    [Fact]
    public async Task An_invoke_stores_the_child_run_and_its_end_resumes_the_caller_with_the_output()
    {
        var trigger = Submission("test/parent", "{}", "parent");
        await Store.AcceptAsync([trigger], default);
        var parentId = (await Store.ClaimAsync(1, default)).Runs[0].Run.Id;
        var child = Submission(InvokeWait.EventName, """{"value":21}""", "child");

        await Store.SuspendAsync(parentId, 0, DateTimeOffset.MaxValue, null, [new InvokeWait("score", DateTimeOffset.MaxValue, child)], default);
        var childClaim = Assert.Single((await Store.ClaimAsync(10, default)).Runs);
        var resumed = await Store.FinishAsync(new RunResult(childClaim.Run.Id, "child", child.Event.Id, InvokeWait.EventName, RunStatus.Succeeded)
        {
            Output = Encoding.UTF8.GetBytes("""{"score":42}"""), StartedAt = Clock.GetUtcNow(), FinishedAt = Clock.GetUtcNow(),
        }, default);
        var parent = Assert.Single((await Store.ClaimAsync(10, default)).Runs);

        Assert.Equal((child.Runs[0].Id, "child", """{"value":21}"""), (childClaim.Run.Id, childClaim.Run.FunctionId, Encoding.UTF8.GetString(childClaim.Run.Event.Data.Span)));
        Assert.True(resumed);
        Assert.Equal(parentId, parent.Run.Id);
        var memo = Assert.Single(parent.Steps);
        Assert.Equal(("score", StepStatus.Succeeded, """{"score":42}"""), (memo.Id, memo.Status, Encoding.UTF8.GetString(memo.Output!.Value.Span)));
    }

    [Fact]
    public async Task A_failed_child_fails_the_invoking_step_and_an_expired_invoke_times_it_out()
    {
        var a = Submission("test/parent", "{}", "parent");
        var b = Submission("test/parent", "{}", "parent");
        await Store.AcceptAsync([a, b], default);
        var parents = (await Store.ClaimAsync(2, default)).Runs.Select(r => r.Run.Id).ToArray();
        var failing = Submission(InvokeWait.EventName, "{}", "child");
        var slow = Submission(InvokeWait.EventName, "{}", "child");
        await Store.SuspendAsync(parents[0], 0, DateTimeOffset.MaxValue, null, [new InvokeWait("call", DateTimeOffset.MaxValue, failing)], default);
        await Store.SuspendAsync(parents[1], 0, DateTimeOffset.MaxValue, null, [new InvokeWait("call", Start.AddHours(1), slow)], default);
        Assert.Equal(2, (await Store.ClaimAsync(10, default)).Runs.Count);

        await Store.FinishAsync(new RunResult(failing.Runs[0].Id, "child", failing.Event.Id, InvokeWait.EventName, RunStatus.Failed)
        {
            Error = new RunError("Shop.OutOfStock", "no stock", null), StartedAt = Clock.GetUtcNow(), FinishedAt = Clock.GetUtcNow(),
        }, default);
        var failedParent = Assert.Single((await Store.ClaimAsync(10, default)).Runs);
        Clock.Advance(TimeSpan.FromHours(1));
        var timedOutParent = Assert.Single((await Store.ClaimAsync(10, default)).Runs);
        var lateEnd = await Store.FinishAsync(new RunResult(slow.Runs[0].Id, "child", slow.Event.Id, InvokeWait.EventName, RunStatus.Succeeded)
        {
            StartedAt = Clock.GetUtcNow(), FinishedAt = Clock.GetUtcNow(),
        }, default);

        var failedMemo = Assert.Single(failedParent.Steps);
        Assert.Equal((parents[0], StepStatus.Failed, InvokeWait.ChildFailedType), (failedParent.Run.Id, failedMemo.Status, failedMemo.Error!.Type));
        Assert.Contains("no stock", failedMemo.Error.Message);
        var timedOutMemo = Assert.Single(timedOutParent.Steps);
        Assert.Equal((parents[1], StepStatus.Failed, InvokeWait.TimedOutType), (timedOutParent.Run.Id, timedOutMemo.Status, timedOutMemo.Error!.Type));
        Assert.False(lateEnd);
    }

    [Fact]
    public async Task A_cancel_trigger_ends_a_queued_run_and_asks_a_running_one_to_stop_when_the_field_matches()
    {
        var triggers = new[] { new CancelTrigger("test/left", "data.userId") };
        var queued = WithCancelOn(Submission("test/joined", """{"userId":"u-1"}""", "waits"), triggers);
        var running = WithCancelOn(Submission("test/joined", """{"userId":"u-1"}""", "busy"), triggers);
        var other = WithCancelOn(Submission("test/joined", """{"userId":"u-2"}""", "waits"), triggers);
        await Store.AcceptAsync([running], default);
        await Store.ClaimAsync(1, default);
        await Store.AcceptAsync([queued, other], default);

        var left = Submission("test/left", """{"userId":"u-1"}""");
        var outcome = (await Store.AcceptAsync([left], default))[0];
        var reason = CancelTrigger.ReasonFor(left.Event);

        var ended = Assert.Single(outcome.Cancelled!);
        Assert.Equal((queued.Runs[0].Id, RunStatus.Cancelled, reason), (ended.RunId, ended.Status, ended.Error!.Message));
        Assert.Equal([running.Runs[0].Id], outcome.CancelRequested);
        Assert.Equal(RunStatus.Cancelled, (await Store.GetResultAsync(queued.Runs[0].Id, default))!.Status);
        Assert.Equal([other.Runs[0].Id], (await Store.ClaimAsync(10, default)).Runs.Select(r => r.Run.Id));
        var stopped = await Store.RetryAsync(running.Runs[0].Id, 0, Clock.GetUtcNow(), null, default);
        Assert.Equal((RunStatus.Cancelled, reason), (stopped!.Status, stopped.Error!.Message));
    }

    [Fact]
    public async Task An_event_does_not_cancel_the_run_it_triggers_and_a_finished_run_drops_its_triggers()
    {
        var triggers = new[] { new CancelTrigger("test/joined", null) };
        var first = WithCancelOn(Submission("test/joined", "{}", "once"), triggers);
        await Store.AcceptAsync([first], default);
        var claimed = Assert.Single((await Store.ClaimAsync(1, default)).Runs);
        await Store.FinishAsync(new RunResult(claimed.Run.Id, "once", first.Event.Id, "test/joined", RunStatus.Succeeded)
        {
            StartedAt = Clock.GetUtcNow(), FinishedAt = Clock.GetUtcNow(),
        }, default);

        var second = WithCancelOn(Submission("test/joined", "{}", "once"), triggers);
        var outcome = (await Store.AcceptAsync([second], default))[0];

        Assert.Null(outcome.Cancelled);
        Assert.Null(outcome.CancelRequested);
        Assert.Equal(RunStatus.Succeeded, (await Store.GetResultAsync(claimed.Run.Id, default))!.Status);
        Assert.Single((await Store.ClaimAsync(10, default)).Runs);
    }

    [Fact]
    public async Task A_replay_starts_a_new_run_of_the_same_event_from_scratch_or_with_its_succeeded_steps()
    {
        var s = Submission("test/order", """{"id":7}""", "ship");
        await Store.AcceptAsync([s], default);
        var runId = (await Store.ClaimAsync(1, default)).Runs[0].Run.Id;
        var now = Clock.GetUtcNow();
        await Store.SaveStepAsync(runId, new StepState("charge", StepStatus.Succeeded, 1, Encoding.UTF8.GetBytes("\"ch_1\""), null, now, now), default);
        await Store.SaveStepAsync(runId, new StepState("ship", StepStatus.Failed, 3, null, new RunError("E", "no carrier", null), now, now), default);
        await Store.FinishAsync(new RunResult(runId, "ship", s.Event.Id, "test/order", RunStatus.Failed)
        {
            Error = new RunError("E", "no carrier", null), StartedAt = now, FinishedAt = now,
        }, default);

        var outcomes = await Store.ReplayAsync(
        [
            new ReplayRequest(runId, "01REPLAYSCRATCH00000000000", false, null),
            new ReplayRequest(runId, "01REPLAYRESUME000000000000", true, null),
            new ReplayRequest("01NOSUCHRUN000000000000000", "01REPLAYNONE00000000000000", false, null),
        ], default);
        var claimed = (await Store.ClaimAsync(10, default)).Runs.ToDictionary(r => r.Run.Id);

        Assert.Equal(["01REPLAYSCRATCH00000000000", "01REPLAYRESUME000000000000", null], outcomes.Select(o => o.NewRunId));
        Assert.Contains("unknown", outcomes[2].Refused);
        Assert.Equal(2, claimed.Count);
        var scratch = claimed["01REPLAYSCRATCH00000000000"];
        Assert.Equal(("ship", s.Event.Id, """{"id":7}""", 1), (scratch.Run.FunctionId, scratch.Run.Event.Id, Encoding.UTF8.GetString(scratch.Run.Event.Data.Span), scratch.Attempt));
        Assert.Empty(scratch.Steps);
        var resumed = Assert.Single(claimed["01REPLAYRESUME000000000000"].Steps);
        Assert.Equal(("charge", StepStatus.Succeeded, "\"ch_1\""), (resumed.Id, resumed.Status, Encoding.UTF8.GetString(resumed.Output!.Value.Span)));
        Assert.Equal(RunStatus.Failed, (await Store.GetResultAsync(runId, default))!.Status);
    }

    [Fact]
    public async Task A_run_that_has_not_finished_is_not_replayed()
    {
        var s = Submission("test/order", "{}", "ship");
        await Store.AcceptAsync([s], default);

        var outcome = Assert.Single(await Store.ReplayAsync([new ReplayRequest(s.Runs[0].Id, "01REPLAYQUEUED000000000000", false, null)], default));

        Assert.Null(outcome.NewRunId);
        Assert.Contains("not finished", outcome.Refused);
        Assert.Single((await Store.ClaimAsync(10, default)).Runs);
    }

    [Fact]
    public async Task Events_are_listed_newest_first_also_those_no_function_handles()
    {
        var handled = Submission("test/joined", """{"userId":"u-1"}""", "f", "g");
        await Store.AcceptAsync([handled], default);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var unhandled = Submission("test/activated", """{"userId":"u-1"}""");
        await Store.AcceptAsync([unhandled], default);

        var all = await Store.ListEventsAsync(new EventQuery(), default);
        var joined = await Store.ListEventsAsync(new EventQuery { Name = "test/joined" }, default);
        var recent = await Store.ListEventsAsync(new EventQuery { Since = Start.AddSeconds(30) }, default);

        Assert.Equal([(unhandled.Event.Id, 0), (handled.Event.Id, 2)], all.Select(e => (e.Event.Id, e.Runs)));
        Assert.Equal(Start, all[1].AcceptedAt);
        Assert.Equal("""{"userId":"u-1"}""", Encoding.UTF8.GetString(all[1].Event.Data.Span));
        Assert.Equal([handled.Event.Id], joined.Select(e => e.Event.Id));
        Assert.Equal([unhandled.Event.Id], recent.Select(e => e.Event.Id));
    }

    private static EventSubmission WithCancelOn(EventSubmission s, IReadOnlyList<CancelTrigger> triggers) =>
        s with { Runs = [.. s.Runs.Select(r => new RunRecord(r.Id, r.FunctionId, s.Event) { CancelOn = triggers })] };
}
