using System.Diagnostics;

namespace FanOut.Load;

/// <summary>One configuration's figures: what every load project prints, in one row format.</summary>
public sealed record LoadReport(
    string System,
    string Store,
    string Durability,
    int Producers,
    int Steps,
    string Workers,
    int Events,
    int Succeeded,
    TimeSpan Elapsed,
    Latency SendToStart,
    Latency SendToFinish,
    string StepsPerCommit,
    long HeapBytes,
    TimeSpan Cpu)
{
    public double RunsPerSecond => Succeeded / Elapsed.TotalSeconds;

    public static void PrintHeader()
    {
        Console.WriteLine("| system | store | durability | producers | steps | workers | events | ok | runs/s | send→start p50 / p99 ms | send→finish p50 / p99 ms | CPU µs/run | steps/commit | heap after GC |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    }

    public void Print() => Console.WriteLine(
        $"| {System} | {Store} | {Durability} | {Producers} | {Steps} | {Workers} | {Events:N0} | {Succeeded:N0} | {RunsPerSecond:N0} | " +
        $"{SendToStart} | {SendToFinish} | {Cpu.TotalMicroseconds / Math.Max(1, Succeeded):N0} | {StepsPerCommit} | {HeapBytes / (1024.0 * 1024):0.0} MB |");

    /// <summary>The managed heap after a full, compacting collection: what the system keeps once the load is done.</summary>
    public static long HeapAfterFullGc()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

/// <summary>Percentiles of Stopwatch-timestamp differences, in milliseconds.</summary>
public readonly record struct Latency(double P50, double P99, int Count)
{
    public static Latency Of(long[] ticks, int count)
    {
        if (count == 0)
        {
            return new Latency(double.NaN, double.NaN, 0);
        }
        Array.Sort(ticks, 0, count);
        double Ms(double fraction) => ticks[Math.Min(count - 1, (int)Math.Ceiling(fraction * count) - 1)] * 1000.0 / Stopwatch.Frequency;
        return new Latency(Ms(0.50), Ms(0.99), count);
    }

    public override string ToString() => Count == 0 ? "n/a" : $"{P50:0.0} / {P99:0.0}";
}

/// <summary>
/// Per-event timestamps for one configuration: when each event was sent, first started, and finished. Indexed by the
/// event's index (carried in its payload), so recording is a plain array write with no allocation.
/// </summary>
public sealed class LoadClock
{
    private readonly long[] sent;
    private readonly long[] started;
    private readonly long[] finished;
    private readonly TaskCompletionSource allFinished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TimeSpan cpuAtFirstSend;
    private int finishedCount;
    private int failedCount;
    private int checkpoint = -1;
    private TaskCompletionSource checkpointReached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LoadClock(int events)
    {
        sent = new long[events];
        started = new long[events];
        finished = new long[events];
    }

    public static LoadClock? Current { get; set; }

    public int Events => sent.Length;
    public int Failed => Volatile.Read(ref failedCount);
    public int Finished => Volatile.Read(ref finishedCount);
    public Task AllFinished => allFinished.Task;

    public long Sending(int index) => sent[index] = Stopwatch.GetTimestamp();

    /// <summary>The first start only: a retried attempt does not move the figure.</summary>
    public void Started(int index, long sentAt) =>
        Interlocked.CompareExchange(ref started[index], Math.Max(1, Stopwatch.GetTimestamp() - sentAt), 0);

    public void Ended(int index, bool succeeded)
    {
        finished[index] = Stopwatch.GetTimestamp();
        if (!succeeded)
        {
            Interlocked.Increment(ref failedCount);
        }
        var finishedNow = Interlocked.Increment(ref finishedCount);
        if (finishedNow == sent.Length)
        {
            allFinished.TrySetResult();
        }
        if (finishedNow == Volatile.Read(ref checkpoint))
        {
            checkpointReached.TrySetResult();
        }
    }

    /// <summary>
    /// Completes once <paramref name="count"/> runs have ended: with sends paused after the first
    /// <paramref name="count"/> events, once all their runs have. One checkpoint at a time, set before those sends.
    /// </summary>
    public Task WhenFinished(int count)
    {
        checkpointReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref checkpoint, count);
        if (Finished >= count)
        {
            checkpointReached.TrySetResult();
        }
        return checkpointReached.Task;
    }

    /// <summary>The bytes of this clock's own timestamp arrays, which stay on the heap while it is alive.</summary>
    public long OwnBytes => 3L * sent.Length * sizeof(long);

    /// <summary>
    /// Process CPU time (all threads, user and kernel) from the first send to now. On a shared machine wall-clock
    /// throughput moves with the neighbours' load; CPU per run moves much less.
    /// </summary>
    public TimeSpan CpuSinceFirstSend => Process.GetCurrentProcess().TotalProcessorTime - cpuAtFirstSend;

    public (Latency Start, Latency Finish, TimeSpan Elapsed) Measure()
    {
        var startTicks = new long[sent.Length];
        var finishTicks = new long[sent.Length];
        int starts = 0, finishes = 0;
        long first = long.MaxValue, last = 0;
        for (int i = 0; i < sent.Length; i++)
        {
            first = Math.Min(first, sent[i]);
            last = Math.Max(last, finished[i]);
            if (started[i] != 0)
            {
                startTicks[starts++] = started[i];
            }
            if (finished[i] != 0)
            {
                finishTicks[finishes++] = finished[i] - sent[i];
            }
        }
        return (Latency.Of(startTicks, starts), Latency.Of(finishTicks, finishes), Stopwatch.GetElapsedTime(first, last));
    }

    /// <summary>
    /// Sends events 0..E-1 from <paramref name="producers"/> concurrent loops, each awaiting every send; with a
    /// <paramref name="rate"/> (events/s over all loops), event i is not sent before i/rate seconds from the start.
    /// </summary>
    public Task ProduceAsync(int producers, Func<int, Task> send, double rate = 0, int from = 0, int to = -1) =>
        ProduceBatchesAsync(producers, 1, (first, _) => send(first), rate, from, to);

    /// <summary>
    /// As <see cref="ProduceAsync"/>, but each call sends <paramref name="batch"/> consecutive events
    /// (<c>send(first, count)</c>), and each loop awaits every call. <paramref name="from"/> and <paramref name="to"/>
    /// (exclusive; -1 = all) send part of the events, so a caller can pause between parts; the pacing and the CPU
    /// clock start with the part that begins at 0.
    /// </summary>
    public async Task ProduceBatchesAsync(int producers, int batch, Func<int, int, Task> send, double rate = 0, int from = 0, int to = -1)
    {
        var begin = Stopwatch.GetTimestamp();
        var end = to < 0 ? sent.Length : Math.Min(to, sent.Length);
        if (from == 0)
        {
            cpuAtFirstSend = Process.GetCurrentProcess().TotalProcessorTime;
        }
        var loops = new Task[producers];
        for (int p = 0; p < producers; p++)
        {
            int first = p;
            loops[p] = Task.Run(async () =>
            {
                for (int i = from + first * batch; i < end; i += producers * batch)
                {
                    if (rate > 0)
                    {
                        var ahead = TimeSpan.FromSeconds((i - from) / rate) - Stopwatch.GetElapsedTime(begin);
                        if (ahead > TimeSpan.FromMilliseconds(1))
                        {
                            await Task.Delay(ahead).ConfigureAwait(false);
                        }
                    }
                    await send(i, Math.Min(batch, end - i)).ConfigureAwait(false);
                }
            });
        }
        await Task.WhenAll(loops).ConfigureAwait(false);
    }
}
