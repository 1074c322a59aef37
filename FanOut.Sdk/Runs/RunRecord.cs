using System.Diagnostics;

namespace FanOut.Runs;

/// <summary>A run as the engine tracks it: one function executing for one event.</summary>
public sealed class RunRecord
{
    /// <summary>Creates a queued run.</summary>
    public RunRecord(string id, string functionId, StoredEvent evt)
    {
        Id = id;
        FunctionId = functionId;
        Event = evt;
    }

    /// <summary>The run id (ULID).</summary>
    public string Id { get; }

    /// <summary>The function id.</summary>
    public string FunctionId { get; }

    /// <summary>The triggering event.</summary>
    public StoredEvent Event { get; }

    /// <summary>The trace context of the send that started the run, so the run's trace continues the sender's.</summary>
    public ActivityContext Origin { get; init; }

    /// <summary>The function's cancel triggers, registered by the store with the run (empty for most functions).</summary>
    public IReadOnlyList<Registration.CancelTrigger> CancelOn { get; init; } = [];

    /// <summary>
    /// True when the sending process's own worker takes the run as it is accepted (it had a free slot): a store whose
    /// <see cref="Stores.IFanOutStore.ClaimsOnAccept"/> is true then stores it running, in its first attempt, as
    /// <see cref="Stores.IFanOutStore.ClaimAsync"/> would have, so the run needs no claim of its own. Other stores never
    /// see it set.
    /// </summary>
    public bool ClaimedOnAccept { get; internal set; }
}
