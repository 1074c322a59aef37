namespace FanOut.Stores;

/// <summary>
/// A store that forwards every call to another: the base for decorators (counting, fault injection, test hooks), which
/// override only what they change.
/// </summary>
public abstract class DelegatingStore : IFanOutStore
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    protected DelegatingStore(IFanOutStore inner) => Inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>The store calls are forwarded to.</summary>
    protected IFanOutStore Inner { get; }

    /// <inheritdoc />
    public virtual ValueTask<IReadOnlyList<AcceptOutcome>> AcceptAsync(IReadOnlyList<EventSubmission> batch, CancellationToken cancellationToken) =>
        Inner.AcceptAsync(batch, cancellationToken);

    /// <inheritdoc />
    public virtual bool ClaimsOnAccept => Inner.ClaimsOnAccept;

    /// <inheritdoc />
    public virtual ValueTask<ClaimResult> ClaimAsync(int max, CancellationToken cancellationToken) => Inner.ClaimAsync(max, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask SaveStepAsync(string runId, StepState step, CancellationToken cancellationToken) =>
        Inner.SaveStepAsync(runId, step, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<RunResult?> RetryAsync(string runId, int failures, DateTimeOffset dueAt, RunError? error, CancellationToken cancellationToken) =>
        Inner.RetryAsync(runId, failures, dueAt, error, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<RunResult?> ReleaseAsync(string runId, string reason, CancellationToken cancellationToken) =>
        Inner.ReleaseAsync(runId, reason, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<bool> FinishAsync(RunResult result, CancellationToken cancellationToken) => Inner.FinishAsync(result, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// By default this goes through this decorator's own <see cref="SaveStepAsync"/> and
    /// <see cref="FinishAsync(RunResult, CancellationToken)"/>, so a decorator that overrides only those still sees every
    /// memo and every outcome; it gives up the inner store's single write. Override this too to forward it as one call.
    /// </remarks>
    public virtual ValueTask<bool> FinishAsync(RunResult result, IReadOnlyList<StepState> unsavedSteps, CancellationToken cancellationToken) =>
        StoreDefaults.SaveThenFinishAsync(this, result, unsavedSteps, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<SuspendResult> SuspendAsync(string runId, int failures, DateTimeOffset dueAt, RunError? error, IReadOnlyList<RunWait> waits, CancellationToken cancellationToken) =>
        Inner.SuspendAsync(runId, failures, dueAt, error, waits, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<IReadOnlyList<ReplayOutcome>> ReplayAsync(IReadOnlyList<ReplayRequest> replays, CancellationToken cancellationToken) =>
        Inner.ReplayAsync(replays, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<RunResult?> GetResultAsync(string runId, CancellationToken cancellationToken) => Inner.GetResultAsync(runId, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<int> RecoverAsync(CancellationToken cancellationToken) => Inner.RecoverAsync(cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<CancelResult> CancelAsync(string runId, string reason, CancellationToken cancellationToken) =>
        Inner.CancelAsync(runId, reason, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken) =>
        Inner.ListRunsAsync(query, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<IReadOnlyList<EventSummary>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken) =>
        Inner.ListEventsAsync(query, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<int> PruneAsync(CancellationToken cancellationToken) => Inner.PruneAsync(cancellationToken);
}
