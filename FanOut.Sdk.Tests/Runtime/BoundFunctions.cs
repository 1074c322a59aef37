using System.Collections.Concurrent;

namespace FanOut.Tests.Runtime;

[Event("test/bound.check")]
public sealed record BoundCheck(string Key);

/// <summary>Six functions of one event; each records how many runs are executing while it is, then waits to be let go.</summary>
public static class BoundFunctions
{
    public sealed class Gate
    {
        private int current;
        private int max;

        public SemaphoreSlim Arrivals { get; } = new(0);
        public SemaphoreSlim Releases { get; } = new(0);
        public int Max => Volatile.Read(ref max);

        public async Task EnterAsync()
        {
            var now = Interlocked.Increment(ref current);
            int seen;
            while (now > (seen = Volatile.Read(ref max)) && Interlocked.CompareExchange(ref max, now, seen) != seen)
            {
            }
            Arrivals.Release();
            await Releases.WaitAsync(TestApp.Patience);
            Interlocked.Decrement(ref current);
        }
    }

    public static readonly ConcurrentDictionary<string, Gate> Gates = new();

    private static Task Enter(BoundCheck check) => Gates.GetOrAdd(check.Key, _ => new Gate()).EnterAsync();

    [Function("bound-1", Event = "test/bound.check")]
    public static Task Bound1(BoundCheck check) => Enter(check);

    [Function("bound-2", Event = "test/bound.check")]
    public static Task Bound2(BoundCheck check) => Enter(check);

    [Function("bound-3", Event = "test/bound.check")]
    public static Task Bound3(BoundCheck check) => Enter(check);

    [Function("bound-4", Event = "test/bound.check")]
    public static Task Bound4(BoundCheck check) => Enter(check);

    [Function("bound-5", Event = "test/bound.check")]
    public static Task Bound5(BoundCheck check) => Enter(check);

    [Function("bound-6", Event = "test/bound.check")]
    public static Task Bound6(BoundCheck check) => Enter(check);

}
