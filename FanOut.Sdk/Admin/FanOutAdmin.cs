using FanOut.Functions;
using FanOut.Ids;
using FanOut.Runs;
using FanOut.Stores;
using FanOut.Worker;

namespace FanOut.Admin;

/// <summary>Lists and cancels runs through the store; a run executing in this process is stopped at once.</summary>
internal sealed class FanOutAdmin(IFanOutStore store, RunWaiters waiters, RunCancellations running, FunctionCatalog catalog, WorkSignal signal, TimeProvider time) : IFanOutAdmin
{
    public async Task<IReadOnlyList<EventSummary>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await store.ListEventsAsync(query, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ReplayOutcome>> ReplayRunsAsync(RunQuery query, ReplayMode mode = ReplayMode.FromStart, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var requests = new List<ReplayRequest>();
        foreach (var run in await store.ListRunsAsync(query, cancellationToken).ConfigureAwait(false))
        {
            if (run.Status is not (RunStatus.Queued or RunStatus.Running))
            {
                requests.Add(Request(run.RunId, run.FunctionId, mode));
            }
        }
        return await ReplayAsync(requests, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ReplayOutcome> ReplayRunAsync(string runId, ReplayMode mode = ReplayMode.FromStart, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var known = await store.GetResultAsync(runId, cancellationToken).ConfigureAwait(false);
        var outcomes = await ReplayAsync([Request(runId, known?.FunctionId, mode)], cancellationToken).ConfigureAwait(false);
        return outcomes[0];
    }

    private ReplayRequest Request(string runId, string? functionId, ReplayMode mode) => new(
        runId,
        Ulid.Shared.New(time.GetUtcNow().ToUnixTimeMilliseconds()),
        mode == ReplayMode.KeepSucceededSteps,
        functionId is null ? null : catalog.Find(functionId)?.CancelOn);

    private async Task<IReadOnlyList<ReplayOutcome>> ReplayAsync(IReadOnlyList<ReplayRequest> requests, CancellationToken cancellationToken)
    {
        if (requests.Count == 0)
        {
            return [];
        }
        var outcomes = await store.ReplayAsync(requests, cancellationToken).ConfigureAwait(false);
        signal.Set();
        return outcomes;
    }

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
                signal.Set(); // a run that invoked it may be due now
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
