using System.Collections.Concurrent;

namespace FanOut.Tests.Runtime;

/// <summary>
/// Named signals that functions and tests meet on. Keys carry a per-test id (in the event payload), so tests running
/// side by side never share a signal. No sleeps: everything waits on a signal, within <see cref="TestApp.Patience"/>.
/// </summary>
internal static class Signals
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Flags = new();
    private static readonly ConcurrentDictionary<string, Rendezvous> Meetings = new();
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> Logs = new();

    public static TaskCompletionSource Flag(string key) =>
        Flags.GetOrAdd(key, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public static Rendezvous Meeting(string key, int parties) => Meetings.GetOrAdd(key, _ => new Rendezvous(parties));

    public static void Note(string key, string entry) => Logs.GetOrAdd(key, static _ => new()).Enqueue(entry);

    public static string[] Notes(string key) => Logs.TryGetValue(key, out var q) ? q.ToArray() : [];

    public static string NewKey() => Guid.NewGuid().ToString("N");
}

/// <summary>Completes once <c>parties</c> callers have arrived.</summary>
internal sealed class Rendezvous(int parties)
{
    private readonly TaskCompletionSource all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int arrived;

    public int Arrived => Volatile.Read(ref arrived);

    public Task ArriveAndWaitAsync()
    {
        if (Interlocked.Increment(ref arrived) == parties)
        {
            all.TrySetResult();
        }
        return all.Task.WaitAsync(TestApp.Patience);
    }
}
