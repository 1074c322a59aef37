using FanOut.Load;

namespace Peers.Hangfire;

/// <summary>The same trivial work as FanOut's one-step function. Its end is timed when the method returns (Hangfire then
/// moves the job to Succeeded in storage), so the send→finish figure excludes that last write.</summary>
public sealed class TickJob
{
    public static int Output { get; private set; }

    public void Run(int index, long sentAt)
    {
        var clock = LoadClock.Current;
        clock?.Started(index, sentAt);
        Output = index + 1;
        clock?.Ended(index, succeeded: true);
    }
}
