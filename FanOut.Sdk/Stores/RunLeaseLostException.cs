namespace FanOut;

/// <summary>
/// A store refused a write for a run because this worker no longer holds it: its lease expired and another worker has
/// claimed the run since (the store's fencing check), or the run was taken back. Nothing was written. The engine ends the
/// attempt without recording anything; the run goes on with its new owner.
/// </summary>
/// <remarks>Thrown by stores shared between processes (PostgreSQL); a store of one process never throws it.</remarks>
public sealed class RunLeaseLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="runId">The run whose write was refused.</param>
    /// <param name="message">What happened, and to which run.</param>
    public RunLeaseLostException(string runId, string message) : base(message) => RunId = runId;

    /// <summary>The run whose write was refused.</summary>
    public string RunId { get; }
}
