using System.Threading.Channels;

namespace FanOut.Runs;

/// <summary>Runs accepted and waiting for the worker, in order of acceptance. Unbounded: a send never waits for workers.</summary>
internal sealed class RunQueue
{
    private readonly Channel<RunRecord> channel = Channel.CreateUnbounded<RunRecord>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    public void Enqueue(RunRecord run)
    {
        // Unbounded and never completed while the host runs, so this cannot fail; after shutdown the run is left
        // queued and the waiters are told by the worker.
        channel.Writer.TryWrite(run);
    }

    public ChannelReader<RunRecord> Reader => channel.Reader;

    public bool TryTake(out RunRecord run) => channel.Reader.TryRead(out run!);
}
