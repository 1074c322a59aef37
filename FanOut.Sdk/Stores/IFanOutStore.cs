using FanOut.Runs;

namespace FanOut.Stores;

/// <summary>
/// Where events, runs, memoized steps and outcomes are kept. The engine knows no database: a store implements this
/// contract, and one contract test suite (FanOut.Sdk.Tests, <c>StoreContract</c>) runs against every store.
/// </summary>
/// <remarks>
/// The life of a run in a store: <see cref="AcceptAsync"/> creates it queued and due at once; <see cref="ClaimAsync"/>
/// hands it to one worker (running); the worker saves each finished step with <see cref="SaveStepAsync"/>; the attempt
/// ends with <see cref="RetryAsync"/> (queued again, due later), <see cref="ReleaseAsync"/> (the host stopped) or
/// <see cref="FinishAsync(RunResult, CancellationToken)"/> (succeeded, failed, cancelled, timed out). <see cref="RecoverAsync"/> puts back runs left
/// running by a process that died.
/// </remarks>
public interface IFanOutStore
{
    /// <summary>
    /// Stores a batch of events with the runs they start, in one transaction: all or nothing. An event whose
    /// deduplication key was accepted within the deduplication window is not stored again and starts no runs.
    /// Returns only once the batch is durable (as durable as the store's setting).
    /// </summary>
    /// <remarks>
    /// In the same transaction, each new event resolves the <see cref="EventWait"/>s it matches (saving the waiting
    /// step's memo, making the run due now) and cancels the unfinished runs whose cancel triggers
    /// (<see cref="RunRecord.CancelOn"/>) it matches, as <see cref="CancelAsync"/> would; then the new runs' cancel
    /// triggers are registered. Every event is kept (also one no function handles), for the look-back of waits.
    /// </remarks>
    ValueTask<IReadOnlyList<AcceptOutcome>> AcceptAsync(IReadOnlyList<EventSubmission> batch, CancellationToken cancellationToken);

    /// <summary>
    /// True when <see cref="AcceptAsync"/> honours <see cref="RunRecord.ClaimedOnAccept"/>: such a run is stored running,
    /// attempt 1, claimed by this process as <see cref="ClaimAsync"/> would have claimed it, in the accept's own
    /// transaction. The sending process's worker then starts it at once, with no claim write and no wake-up of its claim
    /// loop. False (the default) keeps every run queued until it is claimed.
    /// </summary>
    bool ClaimsOnAccept => false;

    /// <summary>
    /// Claims up to <paramref name="max"/> queued runs that are due, oldest due first, and marks them running. Each comes
    /// with its event, its attempt count and its memoized steps. Also says when the next queued run is due.
    /// </summary>
    ValueTask<ClaimResult> ClaimAsync(int max, CancellationToken cancellationToken);

    /// <summary>Records the outcome of one attempt of a step (the memo). Returns once it is durable.</summary>
    ValueTask SaveStepAsync(string runId, StepState step, CancellationToken cancellationToken);

    /// <summary>Ends a claimed run's attempt: queued again, due at <paramref name="dueAt"/> — a retry after an error, or the end of a sleep (no error).</summary>
    /// <param name="runId">The run.</param>
    /// <param name="failures">How many attempts failed outside any step so far (they count towards the function's retries; a step's retries are counted in its memo).</param>
    /// <param name="dueAt">When the next attempt may start.</param>
    /// <param name="error">Why the attempt failed, or null when the run is only suspended (a sleep).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Null; or, when the run was asked to cancel while it ran (<see cref="CancelAsync"/>), the result of ending it cancelled instead.</returns>
    ValueTask<RunResult?> RetryAsync(string runId, int failures, DateTimeOffset dueAt, RunError? error, CancellationToken cancellationToken);

    /// <summary>
    /// Ends a claimed run's attempt suspended on waits (<c>step.WaitForEvent</c>, <c>step.Invoke</c>), in one
    /// transaction: registers each wait — for an invoke, storing the child's event and run — and queues the run, due at
    /// the earliest of <paramref name="dueAt"/> and the waits' expiry times. An <see cref="EventWait"/> first looks
    /// back over the events accepted since the run's trigger: a match resolves it at once (the memo is saved and the run
    /// is due now), so an event accepted between the trigger and the registration is never missed. Registering a wait
    /// and accepting an event must not each miss the other: the store serializes them.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="failures">As for <see cref="RetryAsync"/>.</param>
    /// <param name="dueAt">When the run is due without any wait resolving (a sleep or retry of another step in the same attempt), or <see cref="DateTimeOffset.MaxValue"/>.</param>
    /// <param name="error">As for <see cref="RetryAsync"/>.</param>
    /// <param name="waits">The waits, at least one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<SuspendResult> SuspendAsync(string runId, int failures, DateTimeOffset dueAt, RunError? error, IReadOnlyList<RunWait> waits, CancellationToken cancellationToken);

    /// <summary>
    /// Starts finished runs again as new runs of the same function for the same event (bulk replay), each from scratch
    /// or keeping its succeeded steps' memos. The new runs are queued, due now. One transaction; a refused replay (an
    /// unknown or unfinished run) refuses only itself.
    /// </summary>
    ValueTask<IReadOnlyList<ReplayOutcome>> ReplayAsync(IReadOnlyList<ReplayRequest> replays, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back a claimed run whose attempt the host stopped. A durable store queues it again (it resumes, with its
    /// memoized steps, when a worker next starts); a store that cannot outlive the process ends it as cancelled and
    /// returns that result.
    /// </summary>
    ValueTask<RunResult?> ReleaseAsync(string runId, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Records a run's final outcome; the run will not be claimed again and its cancel triggers are dropped. When a run
    /// invoked it (<see cref="InvokeWait"/>) and still waits, the invoking step's memo is saved with it
    /// (<see cref="InvokeWait.Resolved"/>) and the invoker is due now.
    /// </summary>
    /// <returns>True when an invoking run was made due.</returns>
    ValueTask<bool> FinishAsync(RunResult result, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="FinishAsync(RunResult, CancellationToken)"/>, and first saves the memos of the attempt's steps that
    /// finished since its last write (<paramref name="unsavedSteps"/>, in order), as <see cref="SaveStepAsync"/> would:
    /// a run's last steps and its outcome are one write. A store that can, does both in one transaction; the default
    /// saves the steps one by one, then finishes.
    /// </summary>
    /// <param name="result">The outcome.</param>
    /// <param name="unsavedSteps">Step memos not saved yet, possibly none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>As <see cref="FinishAsync(RunResult, CancellationToken)"/>.</returns>
    ValueTask<bool> FinishAsync(RunResult result, IReadOnlyList<StepState> unsavedSteps, CancellationToken cancellationToken) =>
        unsavedSteps.Count == 0 ? FinishAsync(result, cancellationToken) : StoreDefaults.SaveThenFinishAsync(this, result, unsavedSteps, cancellationToken);

    /// <summary>The outcome of a finished run, or null while it has not finished (or is unknown, or was pruned).</summary>
    ValueTask<RunResult?> GetResultAsync(string runId, CancellationToken cancellationToken);

    /// <summary>
    /// Queues again every run left running by a process that ended without finishing it (a crash). Called by the worker
    /// when it starts. Returns how many runs were recovered.
    /// </summary>
    ValueTask<int> RecoverAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Cancels a run: a queued (or sleeping) run ends cancelled at once, with <paramref name="reason"/> as its error; a
    /// running run is marked, its worker stops it and records it cancelled (and a run marked so that is found running by
    /// <see cref="RecoverAsync"/> ends cancelled instead of resuming); a finished run is left alone.
    /// </summary>
    ValueTask<CancelResult> CancelAsync(string runId, string reason, CancellationToken cancellationToken);

    /// <summary>Lists runs — queued, running and finished (until pruned) — that match <paramref name="query"/>, newest first.</summary>
    ValueTask<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Lists accepted events — also those no function handles, while the store keeps them — that match
    /// <paramref name="query"/>, newest first, each with how many runs it started.
    /// </summary>
    ValueTask<IReadOnlyList<EventSummary>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken);

    /// <summary>Removes finished runs (with their steps and events no run needs) and deduplication keys older than the retention settings.</summary>
    /// <returns>How many runs were removed.</returns>
    ValueTask<int> PruneAsync(CancellationToken cancellationToken);
}

/// <summary>An event to accept and the runs it starts.</summary>
/// <param name="Event">The event.</param>
/// <param name="Runs">Its runs, one per function of the event.</param>
public sealed record EventSubmission(StoredEvent Event, IReadOnlyList<RunRecord> Runs);

/// <summary>What became of one submitted event.</summary>
/// <param name="EventId">The id of the stored event: the submitted one, or for a duplicate the id of the event first accepted with that key.</param>
/// <param name="Duplicate">True when the deduplication key had been seen: nothing was stored and no run started.</param>
public readonly record struct AcceptOutcome(string EventId, bool Duplicate)
{
    /// <summary>How many waiting runs the event made due (waits it resolved, cancellations of queued runs).</summary>
    public int Resumed { get; init; }

    /// <summary>Runs that were executing when the event cancelled them: their workers must stop them.</summary>
    public IReadOnlyList<string>? CancelRequested { get; init; }

    /// <summary>Queued runs the event cancelled, ended at once.</summary>
    public IReadOnlyList<RunResult>? Cancelled { get; init; }
}

/// <summary>Runs handed to a worker, and when the next queued run is due.</summary>
/// <param name="Runs">The claimed runs.</param>
/// <param name="NextDueAt">When the earliest run still queued is due, or null when none is queued.</param>
public sealed record ClaimResult(IReadOnlyList<ClaimedRun> Runs, DateTimeOffset? NextDueAt);

/// <summary>A run handed to a worker.</summary>
/// <param name="Run">The run and its event.</param>
/// <param name="Attempt">The number of this attempt: 1 for a fresh run; the claim counts it.</param>
/// <param name="Failures">How many earlier attempts failed outside any step.</param>
/// <param name="Steps">Its memoized steps.</param>
public sealed record ClaimedRun(RunRecord Run, int Attempt, int Failures, IReadOnlyList<StepState> Steps);

/// <summary>A step's memo: its latest recorded state.</summary>
/// <param name="Id">The unique step id within the run.</param>
/// <param name="Status">Succeeded, Retrying or Failed.</param>
/// <param name="Attempts">How many times its body ran.</param>
/// <param name="Output">The result as JSON, for a succeeded step that returns a value.</param>
/// <param name="Error">The last error, for a step that failed.</param>
/// <param name="StartedAt">When its last attempt started.</param>
/// <param name="FinishedAt">When its last attempt finished.</param>
public sealed record StepState(
    string Id,
    StepStatus Status,
    int Attempts,
    ReadOnlyMemory<byte>? Output,
    RunError? Error,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt);

/// <summary>What a cancellation did.</summary>
public enum CancelOutcome
{
    /// <summary>The run was queued (or sleeping): it ended, cancelled, at once.</summary>
    Cancelled,

    /// <summary>The run is executing: its worker stops it at once (its token is cancelled, no further step starts) and records it cancelled.</summary>
    Requested,

    /// <summary>The run had already finished; nothing changed.</summary>
    AlreadyFinished,

    /// <summary>No such run.</summary>
    NotFound,
}

/// <summary>The answer of <see cref="IFanOutStore.CancelAsync"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Ended">For <see cref="CancelOutcome.Cancelled"/>: the cancelled run's result.</param>
public sealed record CancelResult(CancelOutcome Outcome, RunResult? Ended);

/// <summary>Which runs to list: every given criterion must match.</summary>
public sealed record RunQuery
{
    /// <summary>Only runs of this function.</summary>
    public string? FunctionId { get; init; }

    /// <summary>Only runs triggered by events of this name.</summary>
    public string? EventName { get; init; }

    /// <summary>Only runs in this state.</summary>
    public RunStatus? Status { get; init; }

    /// <summary>Only runs whose event was accepted at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only runs whose event was accepted before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>At most this many runs, newest first. Default: 100.</summary>
    public int Limit { get; init; } = 100;
}

/// <summary>One run in a listing.</summary>
/// <param name="RunId">The run id (a ULID: sorts by creation time).</param>
/// <param name="FunctionId">The function.</param>
/// <param name="EventId">The triggering event.</param>
/// <param name="EventName">The triggering event's name.</param>
/// <param name="Status">Where the run is.</param>
/// <param name="Attempts">Attempts so far.</param>
/// <param name="AcceptedAt">When its event was accepted.</param>
/// <param name="FinishedAt">When it finished, if it did.</param>
/// <param name="Error">The last error, if any.</param>
public sealed record RunSummary(
    string RunId,
    string FunctionId,
    string EventId,
    string EventName,
    RunStatus Status,
    int Attempts,
    DateTimeOffset AcceptedAt,
    DateTimeOffset? FinishedAt,
    RunError? Error);

/// <summary>Which events to list: every given criterion must match.</summary>
public sealed record EventQuery
{
    /// <summary>Only events of this name.</summary>
    public string? Name { get; init; }

    /// <summary>Only events accepted at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only events accepted before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>At most this many events, newest first. Default: 100.</summary>
    public int Limit { get; init; } = 100;
}

/// <summary>One event in a listing.</summary>
/// <param name="Event">The event as stored.</param>
/// <param name="AcceptedAt">When it was accepted.</param>
/// <param name="Runs">How many runs it started (invoked and replayed runs count for the event they run).</param>
public sealed record EventSummary(StoredEvent Event, DateTimeOffset AcceptedAt, int Runs);
