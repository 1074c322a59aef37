using FanOut.Stores;

namespace FanOut;

/// <summary>Operations on runs: list them and cancel them. The same calls work on every store.</summary>
public interface IFanOutAdmin
{
    /// <summary>Lists runs — queued, running and finished (until pruned) — newest first.</summary>
    Task<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels one run. A queued or sleeping run ends at once; a running run's token is cancelled, no further step starts
    /// in it, and it is recorded cancelled with <paramref name="reason"/>.
    /// </summary>
    Task<CancelOutcome> CancelRunAsync(string runId, string reason = "cancelled through the API", CancellationToken cancellationToken = default);

    /// <summary>Cancels every unfinished run that <paramref name="query"/> lists (its <see cref="RunQuery.Limit"/> applies). Returns how many were cancelled or asked to stop.</summary>
    Task<int> CancelRunsAsync(RunQuery query, string reason = "cancelled through the API", CancellationToken cancellationToken = default);
}
