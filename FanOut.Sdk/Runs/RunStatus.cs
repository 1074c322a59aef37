namespace FanOut;

/// <summary>Where a run is in its life: queued → running → succeeded, failed, cancelled or timed out, with retries going back to queued.</summary>
public enum RunStatus
{
    /// <summary>Accepted (or waiting for its next attempt), waiting for a worker.</summary>
    Queued,

    /// <summary>An attempt is executing.</summary>
    Running,

    /// <summary>Finished; its output is kept.</summary>
    Succeeded,

    /// <summary>Finished with an error: its retries ran out, or the error was not retriable.</summary>
    Failed,

    /// <summary>Stopped before it finished: on request, or by a host that could not keep it (the in-memory store at shutdown).</summary>
    Cancelled,

    /// <summary>An attempt ran past its timeout.</summary>
    TimedOut,
}
