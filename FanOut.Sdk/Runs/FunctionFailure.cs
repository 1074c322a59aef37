namespace FanOut;

/// <summary>
/// What a failure handler (<see cref="FunctionAttribute.OnFailure"/>) receives besides the event: which run failed, after
/// how many attempts, and why.
/// </summary>
public sealed class FunctionFailure
{
    /// <summary>Creates the description. FanOut creates these; tests may too.</summary>
    public FunctionFailure(string runId, string functionId, string eventId, RunStatus status, RunError error, int attempts)
    {
        RunId = runId;
        FunctionId = functionId;
        EventId = eventId;
        Status = status;
        Error = error;
        Attempts = attempts;
    }

    /// <summary>The run that failed.</summary>
    public string RunId { get; }

    /// <summary>The function that failed.</summary>
    public string FunctionId { get; }

    /// <summary>The triggering event's id.</summary>
    public string EventId { get; }

    /// <summary><see cref="RunStatus.Failed"/> or <see cref="RunStatus.TimedOut"/>.</summary>
    public RunStatus Status { get; }

    /// <summary>The error, as stored.</summary>
    public RunError Error { get; }

    /// <summary>The exception, when the run failed in this process.</summary>
    public Exception? Exception { get; init; }

    /// <summary>How many attempts the run made.</summary>
    public int Attempts { get; }
}
