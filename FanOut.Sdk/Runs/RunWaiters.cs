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
}
