using System.Text;
using FanOut.Runs;
using FanOut.Stores;

namespace FanOut.Tests.Stores;

// The two writes a run can save: runs accepted already claimed by the sending process, and a run's last steps saved with
// its outcome.
public abstract partial class StoreContract
{
    [Fact]
    public async Task A_run_accepted_claimed_is_running_at_once_or_queued_by_a_store_that_does_not_claim_on_accept()
    {
        var s = Submission("test/a", "{}", "f", "g");
        s.Runs[0].ClaimedOnAccept = true;

        await Store.AcceptAsync([s], default);
        var claim = await Store.ClaimAsync(10, default);

        if (!Store.ClaimsOnAccept)
        {
            // The flag is the store's to honour: one that does not keeps every run queued for a claim.
            Assert.Equal(s.Runs.Select(r => r.Id).Order(), claim.Runs.Select(r => r.Run.Id).Order());
            return;
        }
        // Only the unmarked run is left to claim; the marked one is running, first attempt, and can save and finish.
        Assert.Equal(s.Runs[1].Id, Assert.Single(claim.Runs).Run.Id);
        var runId = s.Runs[0].Id;
        var running = await Store.ListRunsAsync(new RunQuery { Status = RunStatus.Running }, default);
        Assert.Equal(new[] { runId, s.Runs[1].Id }.Order(), running.Select(r => r.RunId).Order());
        Assert.Equal(1, running.Single(r => r.RunId == runId).Attempts);
        await Store.SaveStepAsync(runId, new StepState("x", StepStatus.Succeeded, 1, null, null, Start, Start), default);
        await Store.FinishAsync(new RunResult(runId, "f", s.Event.Id, "test/a", RunStatus.Succeeded) { StartedAt = Start, FinishedAt = Start }, default);
        Assert.Equal(RunStatus.Succeeded, (await Store.GetResultAsync(runId, default))!.Status);
    }

    [Fact]
    public async Task A_run_accepted_claimed_by_a_process_that_crashed_is_recovered_into_its_second_attempt()
    {
        if (!Durable || !Store.ClaimsOnAccept)
        {
            return; // nothing outlives the process, or no run is ever accepted claimed
        }
        var s = Submission("test/a", "{}", "f");
        s.Runs[0].ClaimedOnAccept = true;
        await Store.AcceptAsync([s], default);

        Store = await ReopenAfterCrashAsync(Clock);
        var recovered = await Store.RecoverAsync(default);
        var claimed = Assert.Single((await Store.ClaimAsync(10, default)).Runs);

        Assert.Equal(1, recovered);
        Assert.Equal((s.Runs[0].Id, 2), (claimed.Run.Id, claimed.Attempt));
    }

    [Fact]
    public async Task Finishing_with_unsaved_steps_keeps_their_memos_as_saved_ones()
    {
        var s = Submission("test/order", """{"id":7}""", "ship");
        await Store.AcceptAsync([s], default);
        var runId = (await Store.ClaimAsync(1, default)).Runs[0].Run.Id;
        var now = Clock.GetUtcNow();
        await Store.SaveStepAsync(runId, new StepState("reserve", StepStatus.Succeeded, 1, Encoding.UTF8.GetBytes("1"), null, now, now), default);
        StepState[] unsaved =
        [
            new("charge", StepStatus.Succeeded, 1, Encoding.UTF8.GetBytes("\"ch_1\""), null, now, now),
            new("label", StepStatus.Succeeded, 2, Encoding.UTF8.GetBytes("\"lb_9\""), null, now, now),
        ];

        await Store.FinishAsync(new RunResult(runId, "ship", s.Event.Id, "test/order", RunStatus.Succeeded) { StartedAt = now, FinishedAt = now }, unsaved, default);
        await Store.ReplayAsync([new ReplayRequest(runId, "01REPLAYRESUME000000000000", true, null)], default);
        var replayed = Assert.Single((await Store.ClaimAsync(10, default)).Runs);

        Assert.Equal(RunStatus.Succeeded, (await Store.GetResultAsync(runId, default))!.Status);
        Assert.Equal(
            [("reserve", "1", 1), ("charge", "\"ch_1\"", 1), ("label", "\"lb_9\"", 2)],
            replayed.Steps.Select(m => (m.Id, Encoding.UTF8.GetString(m.Output!.Value.Span), m.Attempts)));
    }
}
