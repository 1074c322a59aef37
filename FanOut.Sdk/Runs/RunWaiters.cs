using System.Collections.Concurrent;
using FanOut.Stores;

namespace FanOut.Runs;

/// <summary>
/// Callers waiting for runs to finish. A waiter registers, then checks the store, so a run that finishes in between is
/// not missed. Callers waiting for the same run share one completion; the last one to stop waiting (cancelled) removes
/// it, so an abandoned wait leaves nothing behind.
/// </summary>
internal sealed class RunWaiters(IFanOutStore store)
{
    private readonly ConcurrentDictionary<string, Waiter> waiting = new(StringComparer.Ordinal);

    /// <summary>How many runs have callers waiting (for tests).</summary>
    internal int Count => waiting.Count;

    public async Task<RunResult> WaitAsync(string runId, CancellationToken cancellationToken)
    {
        var waiter = Join(runId);
        try
        {
            if (await store.GetResultAsync(runId, cancellationToken).ConfigureAwait(false) is { } done)
            {
                // Completes every caller sharing this waiter, not only this one.
                Complete(done);
                return done;
            }
            return await waiter.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Leave(runId, waiter);
        }
    }

    public void Complete(RunResult result)
    {
        if (waiting.TryRemove(result.RunId, out var waiter))
        {
            waiter.Completion.TrySetResult(result);
        }
    }

    /// <summary>
    /// For a store shared by many processes: a run may finish in another process, which cannot complete this one's
    /// waiters. When the store learns that <paramref name="runId"/> finished somewhere (or, with null, that it may have
    /// missed such news), the waiters read the results from the store.
    /// </summary>
    public async Task RefreshAsync(string? runId, CancellationToken cancellationToken)
    {
        if (runId is not null)
        {
            if (waiting.ContainsKey(runId) && await store.GetResultAsync(runId, cancellationToken).ConfigureAwait(false) is { } done)
            {
                Complete(done);
            }
            return;
        }
        foreach (var id in waiting.Keys)
        {
            if (await store.GetResultAsync(id, cancellationToken).ConfigureAwait(false) is { } result)
            {
                Complete(result);
            }
        }
    }

    private Waiter Join(string runId)
    {
        while (true)
        {
            var waiter = waiting.GetOrAdd(runId, static _ => new Waiter());
            lock (waiter)
            {
                // A waiter whose last caller left is on its way out of the dictionary: take a new one.
                if (waiter.Callers >= 0)
                {
                    waiter.Callers++;
                    return waiter;
                }
            }
        }
    }

    private void Leave(string runId, Waiter waiter)
    {
        lock (waiter)
        {
            if (--waiter.Callers == 0)
            {
                waiter.Callers = -1;
                waiting.TryRemove(KeyValuePair.Create(runId, waiter));
            }
        }
    }

    private sealed class Waiter
    {
        public TaskCompletionSource<RunResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Callers waiting; -1 once the last has left. Guarded by the waiter's lock.</summary>
        public int Callers { get; set; }
    }
}
