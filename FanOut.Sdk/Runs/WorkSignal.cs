namespace FanOut.Runs;

/// <summary>Wakes the worker when there may be work: a send accepted runs, or a run ended and freed a slot.</summary>
internal sealed class WorkSignal
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Set()
    {
        if (signal.CurrentCount != 0)
        {
            return;
        }
        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another caller set it first: the worker wakes either way.
        }
    }

    private static readonly TimeSpan MaxWait = TimeSpan.FromHours(1);

    /// <summary>Waits for the signal, or until <paramref name="until"/> (on <paramref name="time"/>'s clock), whichever comes first.</summary>
    public async Task WaitAsync(DateTimeOffset? until, TimeProvider time, CancellationToken cancellationToken)
    {
        if (until is null)
        {
            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        var delay = until.Value - time.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            return;
        }
        // A run may be due in months (a long sleep, an invoke without a timeout): timers take at most ~49 days, and a
        // worker that wakes once an hour to find nothing due costs nothing.
        if (delay > MaxWait)
        {
            delay = MaxWait;
        }
        using var timer = new CancellationTokenSource(delay, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await signal.WaitAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The due time came.
        }
    }
}
