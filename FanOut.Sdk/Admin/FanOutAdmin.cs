using FanOut.Runs;
using FanOut.Stores;
using FanOut.Worker;

namespace FanOut.Admin;

/// <summary>Lists and cancels runs through the store; a run executing in this process is stopped at once.</summary>
internal sealed class FanOutAdmin(IFanOutStore store, RunWaiters waiters, RunCancellations running) : IFanOutAdmin
{
    public async Task<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await store.ListRunsAsync(query, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CancelOutcome> CancelRunAsync(string runId, string reason = "cancelled through the API", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var result = await store.CancelAsync(runId, reason, cancellationToken).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case CancelOutcome.Cancelled:
                waiters.Complete(result.Ended!);
                break;
            case CancelOutcome.Requested:
                // Executing here: stop it now. (Executing elsewhere — a future multi-node store — its worker sees the
                // request when it next writes.)
                running.Cancel(runId, reason);
                break;
        }
        return result.Outcome;
    }

    public async Task<int> CancelRunsAsync(RunQuery query, string reason = "cancelled through the API", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        int count = 0;
        foreach (var run in await store.ListRunsAsync(query, cancellationToken).ConfigureAwait(false))
        {
            if (run.Status is RunStatus.Queued or RunStatus.Running
                && await CancelRunAsync(run.RunId, reason, cancellationToken).ConfigureAwait(false) is CancelOutcome.Cancelled or CancelOutcome.Requested)
            {
                count++;
            }
        }
        return count;
    }
}
