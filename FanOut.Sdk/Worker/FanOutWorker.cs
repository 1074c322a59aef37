using System.Collections.Concurrent;
using FanOut.Diagnostics;
using FanOut.Functions;
using FanOut.Runs;
using FanOut.Stores;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FanOut.Worker;

/// <summary>
/// The hosted worker: claims due runs from the store and executes them, at most
/// <see cref="FanOutOptions.MaxConcurrentRuns"/> at once (it claims no more than it has free slots). It sleeps until a
/// send or a finished run wakes it, or the next queued run is due. On start it recovers runs a crashed process left
/// running. On shutdown it claims nothing more, lets in-flight runs finish for
/// <see cref="FanOutOptions.ShutdownGracePeriod"/>, then cancels them, then stops waiting for those that ignore
/// cancellation; the store keeps or ends what was interrupted (see <see cref="IFanOutStore.ReleaseAsync"/>).
/// </summary>
internal sealed class FanOutWorker(
    IFanOutStore store,
    RunExecutor executor,
    FunctionCatalog catalog,
    WorkSignal signal,
    LocalDispatch dispatch,
    FanOutOptions settings,
    ILogger<FanOutWorker> logger) : IHostedService, IDisposable
{
    // Guards the hand-over of runs accepted by this process's sends (see Reserve): a run is either registered in
    // inFlight before StopAsync looks, or not started at all.
    private readonly Lock handoff = new();
    private bool acceptingHandoffs;
    private readonly SemaphoreSlim slots = new(settings.MaxConcurrentRuns, settings.MaxConcurrentRuns);
    private readonly ConcurrentDictionary<string, Task> inFlight = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopClaiming = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource abandon = new();
    private Task loop = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.MaxConcurrentRuns < 1)
        {
            throw new InvalidOperationException($"FanOutOptions.MaxConcurrentRuns is {settings.MaxConcurrentRuns}; it must be at least 1.");
        }
        if (!settings.StartWorker)
        {
            Log.WorkerOff(logger);
            return; // StopAsync then finds nothing claimed and nothing in flight
        }
        var recovered = await store.RecoverAsync(cancellationToken).ConfigureAwait(false);
        if (recovered > 0)
        {
            Log.RunsRecovered(logger, recovered);
        }
        Log.WorkerStarted(logger, catalog.All.Count(), settings.MaxConcurrentRuns);
        loop = Task.Run(() => ClaimRunsAsync(stopClaiming.Token), CancellationToken.None);
        lock (handoff)
        {
            acceptingHandoffs = true;
        }
        dispatch.Attach(this);
    }

    /// <summary>
    /// Takes up to <paramref name="wanted"/> free slots for runs this process is about to accept
    /// (<see cref="Runs.RunRecord.ClaimedOnAccept"/>): each must then be started with <see cref="StartAccepted"/> or given
    /// back with <see cref="Unreserve"/>. Returns how many were taken; none while the worker is not running.
    /// </summary>
    public int Reserve(int wanted)
    {
        if (!Volatile.Read(ref acceptingHandoffs))
        {
            return 0;
        }
        int taken = 0;
        while (taken < wanted && slots.Wait(0))
        {
            taken++;
        }
        return taken;
    }

    /// <summary>Gives back slots taken by <see cref="Reserve"/> for runs that were not accepted after all.</summary>
    public void Unreserve(int count)
    {
        if (count > 0)
        {
            slots.Release(count);
        }
    }

    /// <summary>Starts a run the store accepted already claimed for this worker, in a slot taken by <see cref="Reserve"/>.</summary>
    public void StartAccepted(Runs.RunRecord run)
    {
        lock (handoff)
        {
            if (acceptingHandoffs)
            {
                Start(new ClaimedRun(run, 1, 0, []));
                return;
            }
        }
        // The host began to stop between the reservation and the accept: the run is given back as a stopping host gives
        // back the runs it holds.
        slots.Release();
        _ = executor.ReleaseUnstartedAsync(run, $"the host stopped before run {run.Id} of '{run.FunctionId}' started");
    }

    private int disposed;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref disposed) == 1)
        {
            return; // a host stopped again after it was disposed: nothing runs any more
        }
        dispatch.Attach(null);
        lock (handoff)
        {
            acceptingHandoffs = false;
        }
        stopClaiming.Cancel();
        await loop.ConfigureAwait(false);
        Log.WorkerStopping(logger, inFlight.Count);
        using (cancellationToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), abandon))
        {
            if (!await AllFinishedWithin(settings.ShutdownGracePeriod, cancellationToken).ConfigureAwait(false))
            {
                stopping.Cancel();
                if (!await AllFinishedWithin(settings.ShutdownGracePeriod, cancellationToken).ConfigureAwait(false))
                {
                    abandon.Cancel();
                }
            }
            await Task.WhenAll(inFlight.Values).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }
        dispatch.Attach(null);
        lock (handoff)
        {
            acceptingHandoffs = false;
        }
        stopClaiming.Dispose();
        stopping.Dispose();
        abandon.Dispose();
        slots.Dispose();
    }

    private async Task ClaimRunsAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(token).ConfigureAwait(false);
                // Sends take slots too (runs handed over as they are accepted), so the loop takes every slot it claims for
                // before it claims, and gives back what the claim did not fill.
                var free = 1;
                while (slots.Wait(0))
                {
                    free++;
                }
                ClaimResult claim;
                try
                {
                    claim = await store.ClaimAsync(free, token).ConfigureAwait(false);
                }
                catch (Exception e) when (!token.IsCancellationRequested)
                {
                    // A store that fails (or times out) must not end the loop: say so, wait a moment, try again.
                    slots.Release(free);
                    Log.ClaimFailed(logger, e);
                    await signal.WaitAsync(settings.TimeProvider.GetUtcNow() + TimeSpan.FromSeconds(1), settings.TimeProvider, token).ConfigureAwait(false);
                    continue;
                }
                for (int i = 0; i < claim.Runs.Count; i++)
                {
                    Start(claim.Runs[i]);
                }
                if (free > claim.Runs.Count)
                {
                    slots.Release(free - claim.Runs.Count);
                }
                if (claim.Runs.Count == 0)
                {
                    await signal.WaitAsync(claim.NextDueAt, settings.TimeProvider, token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void Start(ClaimedRun claimed)
    {
        // Registered before it starts, so its own removal can never come first.
        var start = new Task<Task>(() => RunAsync(claimed));
        inFlight[claimed.Run.Id] = start.Unwrap();
        start.Start(TaskScheduler.Default);
    }

    private async Task RunAsync(ClaimedRun claimed)
    {
        // A finished run frees a slot (which wakes a loop waiting for one) but adds no due work; only a run that went back
        // to the queue may be due before whatever the loop is sleeping until.
        var requeued = true;
        try
        {
            requeued = await executor.ExecuteAsync(claimed, stopping.Token, abandon.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Only the store can fail here (the function's own errors are outcomes). The run stays claimed; recovery
            // at the next start runs it again from its memo.
            Log.RecordFailed(logger, e, claimed.Run.Id);
        }
        finally
        {
            inFlight.TryRemove(claimed.Run.Id, out _);
            slots.Release();
            if (requeued)
            {
                signal.Set();
            }
        }
    }

    private async Task<bool> AllFinishedWithin(TimeSpan wait, CancellationToken cancellationToken)
    {
        var all = Task.WhenAll(inFlight.Values);
        if (all.IsCompleted)
        {
            return true;
        }
        try
        {
            await all.WaitAsync(wait, settings.TimeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
