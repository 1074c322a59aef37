using System.Collections.Concurrent;

namespace FanOut.Worker;

/// <summary>The attempts executing in this process, so a cancellation stops one at once rather than at its next step.</summary>
internal sealed class RunCancellations
{
    private readonly ConcurrentDictionary<string, Attempt> attempts = new(StringComparer.Ordinal);

    public Attempt Register(string runId, CancellationTokenSource attemptCts, CancellationTokenSource deadlineCts)
    {
        var attempt = new Attempt(attemptCts, deadlineCts);
        attempts[runId] = attempt;
        return attempt;
    }

    public void Unregister(string runId, Attempt attempt) => attempts.TryRemove(new KeyValuePair<string, Attempt>(runId, attempt));

    public void Cancel(string runId, string reason)
    {
        if (attempts.TryGetValue(runId, out var attempt))
        {
            attempt.Cancel(reason);
        }
    }

    internal sealed class Attempt(CancellationTokenSource attemptCts, CancellationTokenSource deadlineCts)
    {
        private string? reason;

        public string? CancelReason => Volatile.Read(ref reason);

        public void Cancel(string why)
        {
            if (Interlocked.CompareExchange(ref reason, why, null) is not null)
            {
                return;
            }
            try
            {
                // The function's token, and the executor's wait: a function that ignores its token is left behind.
                attemptCts.Cancel();
                deadlineCts.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The attempt ended meanwhile; its end is recorded by the executor.
            }
        }
    }
}
