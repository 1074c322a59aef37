namespace Peers.InProcess;

/// <summary>How the handlers finish: at once, or after one <c>await Task.Yield()</c> (a hop through the thread pool).</summary>
public enum Completion
{
    Sync,
    Yield,
}

/// <summary>
/// What each contender gets for one scenario: the payload, FanOut's functions as plain delegates (the baseline calls
/// them), MassTransit's consumer types and Wolverine's handler types. FanOut's functions and Mediator's handlers are
/// found by their generators and need no list.
/// </summary>
public sealed record Scenario<T>(T Payload, Func<T, CancellationToken, Task>[] Delegates, Type[] Consumers, Type[] WolverineHandlers)
    where T : class
{
    public int Handlers => Delegates.Length;
}

/// <summary>
/// Counts which handlers ran, while a check is counting; costs one read of a static field otherwise. The benchmark turns
/// it on around one operation in GlobalSetup and GlobalCleanup, never while BenchmarkDotNet measures: a per-operation
/// check would need [IterationCleanup], which forces one invocation per iteration and spoils nanosecond figures.
/// </summary>
public static class Tally
{
    private static int[]? ran;

    /// <summary>Counts handler <paramref name="index"/> once <paramref name="body"/> has completed, if counting.</summary>
    public static Task After(int index, Task body)
    {
        var counts = ran;
        return counts is null ? body : CountAsync(counts, index, body);
    }

    private static async Task CountAsync(int[] counts, int index, Task body)
    {
        await body;
        Interlocked.Increment(ref counts[index]);
    }

    /// <summary>
    /// Runs <paramref name="operation"/> once with counting on and fails unless each of the <paramref name="handlers"/>
    /// handlers ran exactly once by the time it completed — then waits a little and checks that none ran late or twice.
    /// </summary>
    public static async Task CheckAsync(string contender, int handlers, Func<Task> operation)
    {
        var counts = new int[handlers];
        ran = counts;
        try
        {
            await operation().WaitAsync(TimeSpan.FromSeconds(30));
            var afterOperation = (int[])counts.Clone();
            await Task.Delay(200);
            for (int i = 0; i < handlers; i++)
            {
                if (afterOperation[i] != 1 || counts[i] != 1)
                {
                    throw new InvalidOperationException(
                        $"{contender}: handler {i + 1} of {handlers} ran {afterOperation[i]} time(s) by the end of the operation and " +
                        $"{counts[i]} time(s) 200 ms later; every handler must run exactly once per operation, before it completes.");
                }
            }
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException(
                $"{contender}: one operation did not complete within 30 s; ran so far: [{string.Join(", ", counts)}] of {handlers} handlers.");
        }
        finally
        {
            ran = null;
        }
    }
}

/// <summary>
/// Wolverine's PublishAsync returns once the message is on its local queues, before any handler ran; the benchmark times
/// until all N handlers have run by waiting on this countdown, which each Wolverine handler signals after its body. One
/// operation at a time (BenchmarkDotNet awaits each invocation before the next), so one static instance suffices.
/// </summary>
public static class WolverineCountdown
{
    private static int remaining;
    private static TaskCompletionSource? done;
    private static int extraSignals;

    /// <summary>How many handlers signalled when no operation was waiting for them (must stay 0).</summary>
    public static int ExtraSignals => Volatile.Read(ref extraSignals);

    /// <summary>Starts an operation that waits for <paramref name="handlers"/> signals.</summary>
    public static Task Start(int handlers)
    {
        // Continuations run on the thread of the last handler (no RunContinuationsAsynchronously): the cheapest way back.
        var source = new TaskCompletionSource();
        done = source;
        Volatile.Write(ref remaining, handlers);
        return source.Task;
    }

    public static Task After(Task body)
    {
        if (body.IsCompletedSuccessfully)
        {
            Signal();
            return body;
        }
        return SignalAfterAsync(body);
    }

    private static async Task SignalAfterAsync(Task body)
    {
        await body;
        Signal();
    }

    private static void Signal()
    {
        var left = Interlocked.Decrement(ref remaining);
        if (left == 0)
        {
            done!.TrySetResult();
        }
        else if (left < 0)
        {
            Interlocked.Increment(ref extraSignals);
        }
    }
}
