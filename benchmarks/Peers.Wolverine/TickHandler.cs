using FanOut.Load;

namespace Peers.Wolverine;

/// <summary>The job: FanOut.Load's payload (index and send timestamp).</summary>
public sealed record Tick(int Index, long SentAt);

/// <summary>The same trivial work as FanOut's one-step function. Its end is timed when the handler returns (Wolverine
/// then marks the envelope handled in its inbox), so the send→finish figure excludes that last write.</summary>
public static class TickHandler
{
    public static void Handle(Tick tick)
    {
        var clock = LoadClock.Current;
        clock?.Started(tick.Index, tick.SentAt);
        Output = tick.Index + 1; // a return value would be published as a cascading message
        clock?.Ended(tick.Index, succeeded: true);
    }

    public static int Output { get; private set; }
}
