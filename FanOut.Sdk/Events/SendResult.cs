namespace FanOut;

/// <summary>What a send accepted: the event's id and the runs it started.</summary>
public sealed class SendResult
{
    /// <summary>Creates a result. FanOut creates these.</summary>
    public SendResult(string eventId, string eventName, IReadOnlyList<RunRef> runs, bool duplicate = false)
    {
        EventId = eventId;
        EventName = eventName;
        Runs = runs;
        Duplicate = duplicate;
    }

    /// <summary>FanOut's id for the accepted event (ULID).</summary>
    public string EventId { get; }

    /// <summary>The event name.</summary>
    public string EventName { get; }

    /// <summary>One entry per function of the event; empty when no function listens to it.</summary>
    public IReadOnlyList<RunRef> Runs { get; }

    /// <summary>True when the event repeated a deduplication key already seen: it was not stored again and started no runs.</summary>
    public bool Duplicate { get; }
}

/// <summary>A run started by a send: its id and its function.</summary>
/// <param name="RunId">The run's id (ULID).</param>
/// <param name="FunctionId">The id of the function the run executes.</param>
public readonly record struct RunRef(string RunId, string FunctionId);
