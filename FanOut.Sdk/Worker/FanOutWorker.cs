using System.Collections.Concurrent;
using FanOut.Diagnostics;
using FanOut.Functions;
using FanOut.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FanOut.Worker;

/// <summary>
/// The hosted worker: takes accepted runs from the queue and executes them, at most
/// <see cref="FanOutOptions.MaxConcurrentRuns"/> at once. On shutdown it takes no new runs, lets in-flight runs finish
/// for <see cref="FanOutOptions.ShutdownGracePeriod"/>, then cancels them, then stops waiting for those that ignore
/// cancellation; runs it never started are recorded as cancelled, so nobody waits for them forever.
/// </summary>
internal sealed class FanOutWorker(
    RunQueue queue,
    RunExecutor executor,
    FunctionCatalog catalog,
    IOptions<FanOutOptions> options,
    ILogger<FanOutWorker> logger) : IHostedService, IDisposable
{
    private readonly FanOutOptions settings = options.Value;
    private readonly SemaphoreSlim slots = new(options.Value.MaxConcurrentRuns, options.Value.MaxConcurrentRuns);
    private readonly ConcurrentDictionary<string, Task> inFlight = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopTaking = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource abandon = new();
    private Task loop = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.MaxConcurrentRuns < 1)
        {
            throw new InvalidOperationException($"FanOutOptions.MaxConcurrentRuns is {settings.MaxConcurrentRuns}; it must be at least 1.");
        }
        Log.WorkerStarted(logger, catalog.All.Count(), settings.MaxConcurrentRuns);
        loop = Task.Run(() => TakeRunsAsync(stopTaking.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        stopTaking.Cancel();
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
        while (queue.TryTake(out var run))
        {
            await executor.RecordUnstartedAsync(run, "the host stopped before the run started").ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        stopTaking.Dispose();
        stopping.Dispose();
        abandon.Dispose();
        slots.Dispose();
    }

    private async Task TakeRunsAsync(CancellationToken token)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (!token.IsCancellationRequested && await TakeSlotAsync(token).ConfigureAwait(false))
                {
                    if (!queue.TryTake(out var run))
                    {
                        slots.Release();
                        break;
                    }
                    // Registered before it starts, so its own removal can never come first.
                    var start = new Task<Task>(() => RunAsync(run));
                    inFlight[run.Id] = start.Unwrap();
                    start.Start(TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TakeSlotAsync(CancellationToken token)
    {
        try
        {
            await slots.WaitAsync(token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task RunAsync(RunRecord run)
    {
        try
        {
            await executor.ExecuteAsync(run, stopping.Token, abandon.Token).ConfigureAwait(false);
        }
        finally
        {
            inFlight.TryRemove(run.Id, out _);
            slots.Release();
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
