using System.Collections.Concurrent;
using FanOut.Stores;

namespace FanOut.Runs;

/// <summary>Callers waiting for runs to finish. A waiter registers, then checks the store, so a run that finishes in between is not missed.</summary>
internal sealed class RunWaiters(IFanOutStore store)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RunResult>> waiting = new(StringComparer.Ordinal);

    public async Task<RunResult> WaitAsync(string runId, CancellationToken cancellationToken)
    {
        var tcs = waiting.GetOrAdd(runId, static _ => new TaskCompletionSource<RunResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (await store.GetResultAsync(runId, cancellationToken).ConfigureAwait(false) is { } done)
        {
            waiting.TryRemove(runId, out _);
            return done;
        }
        return await tcs.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Complete(RunResult result)
    {
        if (waiting.TryRemove(result.RunId, out var tcs))
        {
            tcs.TrySetResult(result);
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
}
