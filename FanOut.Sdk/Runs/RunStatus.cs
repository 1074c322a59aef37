namespace FanOut;

/// <summary>Where a run is in its life.</summary>
public enum RunStatus
{
    /// <summary>Accepted, waiting for a worker.</summary>
    Queued,

    /// <summary>An attempt is executing.</summary>
    Running,

    /// <summary>Finished; its output is kept.</summary>
    Succeeded,

    /// <summary>Finished with an error.</summary>
    Failed,

    /// <summary>Stopped on request, or by the host's shutdown, before it finished.</summary>
    Cancelled,

    /// <summary>An attempt ran past its timeout.</summary>
    TimedOut,
}
