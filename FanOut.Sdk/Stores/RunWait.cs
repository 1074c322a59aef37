using FanOut.Registration;

namespace FanOut.Stores;

/// <summary>
/// What a suspended run waits for, registered by <see cref="IFanOutStore.SuspendAsync"/>: the step that waits, and when
/// it stops waiting. The store resolves the wait by saving that step's memo and making the run due at once.
/// </summary>
/// <param name="StepId">The waiting step's unique id.</param>
/// <param name="ExpiresAt">When the wait times out: the run is due then, and its claim saves the step's memo as timed out.</param>
public abstract record RunWait(string StepId, DateTimeOffset ExpiresAt);

/// <summary>
/// <c>step.WaitForEvent</c>: resolved by the first event named <paramref name="EventName"/>, accepted after the run's
/// triggering event, whose <see cref="EventMatch"/> key at <paramref name="MatchPath"/> equals
/// <paramref name="MatchValue"/> (any such event when <paramref name="MatchPath"/> is null). The memo's output is the
/// event in <see cref="StoredEventJson"/>; a timed-out wait's memo has no output.
/// </summary>
/// <param name="StepId">The waiting step's unique id.</param>
/// <param name="ExpiresAt">When the wait times out.</param>
/// <param name="EventName">The awaited event's name.</param>
/// <param name="MatchPath">The field both events must share, or null.</param>
/// <param name="MatchValue">The triggering event's key at <paramref name="MatchPath"/>.</param>
public sealed record EventWait(string StepId, DateTimeOffset ExpiresAt, string EventName, string? MatchPath, string? MatchValue)
    : RunWait(StepId, ExpiresAt);

/// <summary>
/// <c>step.Invoke</c>: the child's event and its one run are stored with the suspension, in the same transaction; the
/// wait is resolved when the child run finishes — the memo succeeds with the child's output, or fails with an error of
/// type <see cref="InvokeWait.ChildFailedType"/> — or times out with an error of type <see cref="InvokeWait.TimedOutType"/>.
/// </summary>
/// <param name="StepId">The invoking step's unique id.</param>
/// <param name="ExpiresAt">When the invoke times out.</param>
/// <param name="Child">The child's event and run.</param>
public sealed record InvokeWait(string StepId, DateTimeOffset ExpiresAt, EventSubmission Child) : RunWait(StepId, ExpiresAt)
{
    /// <summary>The name of the event that carries an invoke's payload, as Inngest names it.</summary>
    public const string EventName = "inngest/function.invoked";

    /// <summary>The error type of an invoking step's memo when the child did not succeed.</summary>
    public const string ChildFailedType = "FanOut.InvokeFailedException";

    /// <summary>The error type of an invoking step's memo when the invoke timed out.</summary>
    public const string TimedOutType = "FanOut.InvokeTimeoutException";

    /// <summary>
    /// The memo a store saves for an invoking step when its child run ended: succeeded with the child's output, or
    /// failed with the child's status and error (the output then holds <c>{"runId","status","errorType","errorMessage"}</c>
    /// for the exception).
    /// </summary>
    public static StepState Resolved(string stepId, RunResult child, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(child);
        if (child.Status == RunStatus.Succeeded)
        {
            return new StepState(stepId, StepStatus.Succeeded, 1, child.Output, null, at, at);
        }
        var error = new RunError(ChildFailedType, $"run {child.RunId} of the invoked function ended {child.Status}: {child.Error}", null);
        return new StepState(stepId, StepStatus.Failed, 1, FailureJson(child.RunId, child.Status, child.Error), error, at, at);
    }

    /// <summary>The memo a store saves for an invoking step whose wait expired.</summary>
    public static StepState Expired(string stepId, string childRunId, DateTimeOffset expiresAt, DateTimeOffset at) =>
        new(stepId, StepStatus.Failed, 1, FailureJson(childRunId, null, null),
            new RunError(TimedOutType, $"run {childRunId} of the invoked function had not finished at {expiresAt:O}, when the invoke timed out", null), at, at);

    private static byte[] FailureJson(string runId, RunStatus? status, RunError? error)
    {
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("runId", runId);
            if (status is { } s)
            {
                writer.WriteString("status", s.ToString());
            }
            if (error is not null)
            {
                writer.WriteString("errorType", error.Type);
                writer.WriteString("errorMessage", error.Message);
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}

/// <summary>What a suspension did.</summary>
/// <param name="Cancelled">When the run had been asked to cancel while it ran: the result of ending it cancelled instead.</param>
/// <param name="ResolvedAtOnce">True when a wait was resolved at once (an event accepted since the trigger matched): the run is due now.</param>
public sealed record SuspendResult(RunResult? Cancelled, bool ResolvedAtOnce);

/// <summary>A replay to perform: a new run of a finished run's function, for the same event.</summary>
/// <param name="RunId">The finished run to replay.</param>
/// <param name="NewRunId">The new run's id.</param>
/// <param name="KeepSucceededSteps">True to copy the finished run's succeeded steps, so the new run resumes from the step that failed; false to start from scratch.</param>
/// <param name="CancelOn">The function's cancel triggers now (registered for the new run as at accept), or null for the replayed run's own.</param>
public sealed record ReplayRequest(string RunId, string NewRunId, bool KeepSucceededSteps, IReadOnlyList<CancelTrigger>? CancelOn);

/// <summary>What became of one replay.</summary>
/// <param name="RunId">The replayed run.</param>
/// <param name="NewRunId">The new run, or null when refused.</param>
/// <param name="Refused">Why not, when refused: the run is unknown (or pruned), or has not finished.</param>
public sealed record ReplayOutcome(string RunId, string? NewRunId, string? Refused);
