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

    /// <summary>Lists accepted events, newest first, each with how many runs it started.</summary>
    /// <param name="query">Which events.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<EventSummary>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replays finished runs that match <paramref name="query"/> — every failed run of <c>start-stripe-trial</c> since two
    /// hours ago, say — as new runs of the same function for the same event (Inngest's Bulk Replay). Runs not finished
    /// are skipped (the query may name them, the replay does not touch them).
    /// </summary>
    /// <param name="query">Which runs; narrow it with <see cref="RunQuery.Status"/> (usually <see cref="RunStatus.Failed"/>).</param>
    /// <param name="mode">From scratch (the default) or resuming after the succeeded steps.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One outcome per finished run matched: the new run's id, or why it was refused.</returns>
    Task<IReadOnlyList<ReplayOutcome>> ReplayRunsAsync(RunQuery query, ReplayMode mode = ReplayMode.FromStart, CancellationToken cancellationToken = default);

    /// <summary>Replays one finished run; see <see cref="ReplayRunsAsync"/>.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="mode">From scratch (the default) or resuming after the succeeded steps.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ReplayOutcome> ReplayRunAsync(string runId, ReplayMode mode = ReplayMode.FromStart, CancellationToken cancellationToken = default);
}

/// <summary>How a replayed run treats the steps of the run it replays.</summary>
public enum ReplayMode
{
    /// <summary>
    /// The default: every step runs again. A replay usually follows a fix, and results computed by the code that failed
    /// are not trusted; as Inngest's Bulk Replay.
    /// </summary>
    FromStart,

    /// <summary>
    /// The succeeded steps keep their results and do not run again: the new run resumes from the step that failed. For
    /// failures outside the code (an outage), where repeating side effects (a charge, an email) would be wrong.
    /// </summary>
    KeepSucceededSteps,
}
