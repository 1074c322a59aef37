using System.Diagnostics;
using System.Text.Json;
using FanOut.Diagnostics;
using FanOut.Functions;
using FanOut.Registration;
using FanOut.Runs;
using FanOut.Serialization;
using FanOut.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FanOut.Worker;

/// <summary>
/// Executes one attempt of one run, isolated from every other run: its own DI scope, its own step journal, its own
/// cancellation and deadline. Whatever the function does (throw, fault, ignore its token), the outcome is recorded and
/// the caller gets control back by the deadline.
/// </summary>
internal sealed class RunExecutor(
    FunctionCatalog catalog,
    IServiceScopeFactory scopes,
    IFanOutStore store,
    RunWaiters waiters,
    IOptions<FanOutOptions> options,
    ILogger<RunExecutor> logger)
{
    private readonly TimeProvider time = options.Value.TimeProvider;
    private readonly TimeSpan defaultTimeout = options.Value.DefaultTimeout;

    /// <summary>Runs the attempt.</summary>
    /// <param name="run">The run.</param>
    /// <param name="stopping">Cancelled when the host asks in-flight runs to stop: passed on to the function.</param>
    /// <param name="abandon">Cancelled when the host stops waiting: a function still running is left behind and the run is marked cancelled.</param>
    public async Task<RunResult> ExecuteAsync(RunRecord run, CancellationToken stopping, CancellationToken abandon)
    {
        var function = catalog.Find(run.FunctionId)
            ?? throw new InvalidOperationException($"Run {run.Id} is for function '{run.FunctionId}', which this process does not host.");
        var timeout = function.Timeout ?? defaultTimeout;
        var functionTag = new KeyValuePair<string, object?>("fanout.function.id", function.Id);

        using var activity = FanOutTelemetry.Source.StartActivity("fanout.run", ActivityKind.Consumer, run.Origin);
        activity?.SetTag("fanout.run.id", run.Id);
        activity?.SetTag("fanout.function.id", function.Id);
        activity?.SetTag("fanout.event.id", run.Event.Id);
        activity?.SetTag("fanout.event.name", run.Event.Name);

        FanOutMetrics.RunsStarted.Add(1, functionTag);
        Log.RunStarted(logger, run.Id, function.Id);
        var startedAt = time.GetUtcNow();
        var startedTicks = time.GetTimestamp();
        var journal = new StepJournal(run.Id, time);
        var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var scope = scopes.CreateAsyncScope();
        var context = new RunContext(run, function, scope.ServiceProvider, new Step(journal), attemptCts.Token);

        // The deadline exists before the function starts, so no clock (real or fake) can pass it unnoticed.
        var deadlineCts = CancellationTokenSource.CreateLinkedTokenSource(abandon);
        var deadline = Task.Delay(timeout, time, deadlineCts.Token);
        var attempt = InvokeAsync(function, context);
        RunStatus status;
        object? output = null;
        Exception? error = null;
        bool orphaned = false;
        if (await Task.WhenAny(attempt, deadline).ConfigureAwait(false) != attempt)
        {
            orphaned = true;
            if (abandon.IsCancellationRequested)
            {
                status = RunStatus.Cancelled;
                error = new OperationCanceledException($"Run {run.Id} of '{function.Id}' was still running when the host stopped waiting for it; it ignored its cancellation token.");
            }
            else
            {
                status = RunStatus.TimedOut;
                error = new FunctionTimeoutException($"Run {run.Id} of '{function.Id}' did not finish within its timeout of {timeout}; it was cancelled and marked timed out.");
            }
        }
        else
        {
            deadlineCts.Cancel();
            try
            {
                output = await attempt.ConfigureAwait(false);
                status = RunStatus.Succeeded;
            }
            catch (OperationCanceledException e) when (attemptCts.IsCancellationRequested)
            {
                status = RunStatus.Cancelled;
                error = e;
            }
            catch (Exception e)
            {
                status = RunStatus.Failed;
                error = e;
            }
        }
        deadlineCts.Dispose();

        if (orphaned)
        {
            // The function ignores its token: tell it anyway, and release its scope only when it really ends, so that
            // scoped services are not disposed under its feet.
            attemptCts.Cancel();
            _ = attempt.ContinueWith(
                static (t, state) =>
                {
                    _ = t.Exception;
                    var (s, c) = ((AsyncServiceScope, CancellationTokenSource))state!;
                    c.Dispose();
                    return s.DisposeAsync().AsTask();
                },
                (scope, attemptCts),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
        else
        {
            await scope.DisposeAsync().ConfigureAwait(false);
            attemptCts.Dispose();
        }

        ReadOnlyMemory<byte>? outputJson = null;
        if (status == RunStatus.Succeeded && output is not null && function.OutputType is { } outputType)
        {
            try
            {
                outputJson = JsonSerializer.SerializeToUtf8Bytes(output, FanOutJson.GetTypeInfo(outputType));
            }
            catch (Exception e)
            {
                status = RunStatus.Failed;
                error = new InvalidOperationException($"Run {run.Id} of '{function.Id}' returned an output that could not be serialized: {e.Message}", e);
            }
        }

        var elapsed = time.GetElapsedTime(startedTicks);
        var result = new RunResult(run.Id, function.Id, run.Event.Id, run.Event.Name, status)
        {
            Output = outputJson,
            Error = error,
            StartedAt = startedAt,
            FinishedAt = time.GetUtcNow(),
            Steps = journal.Snapshot(),
        };
        Report(result, timeout, elapsed, activity, functionTag);
        await RecordAsync(result).ConfigureAwait(false);
        return result;
    }

    /// <summary>Records an outcome that no attempt produced (a run the host never started before it stopped).</summary>
    public async Task RecordUnstartedAsync(RunRecord run, string reason)
    {
        var now = time.GetUtcNow();
        var result = new RunResult(run.Id, run.FunctionId, run.Event.Id, run.Event.Name, RunStatus.Cancelled)
        {
            Error = new OperationCanceledException($"Run {run.Id} of '{run.FunctionId}' was cancelled: {reason}."),
            StartedAt = now,
            FinishedAt = now,
        };
        Log.RunCancelled(logger, run.Id, run.FunctionId, reason);
        await RecordAsync(result).ConfigureAwait(false);
    }

    private static async Task<object?> InvokeAsync(FunctionDescriptor function, RunContext context)
    {
        // Always asynchronous from the worker's view: a function that throws before its first await, or blocks, is
        // still one attempt's problem only.
        await Task.Yield();
        return await function.Invoker(context).ConfigureAwait(false);
    }

    private void Report(RunResult result, TimeSpan timeout, TimeSpan elapsed, Activity? activity, KeyValuePair<string, object?> functionTag)
    {
        var outcomeTag = new KeyValuePair<string, object?>("fanout.run.outcome", Outcome(result.Status));
        FanOutMetrics.RunsFinished.Add(1, functionTag, outcomeTag);
        FanOutMetrics.RunDuration.Record(elapsed.TotalSeconds, functionTag, outcomeTag);
        activity?.SetTag("fanout.run.outcome", Outcome(result.Status));
        switch (result.Status)
        {
            case RunStatus.Succeeded:
                Log.RunSucceeded(logger, result.RunId, result.FunctionId, elapsed.TotalMilliseconds);
                break;
            case RunStatus.TimedOut:
                activity?.SetStatus(ActivityStatusCode.Error, "timed out");
                Log.RunTimedOut(logger, result.RunId, result.FunctionId, timeout);
                break;
            case RunStatus.Cancelled:
                activity?.SetStatus(ActivityStatusCode.Error, "cancelled");
                Log.RunCancelled(logger, result.RunId, result.FunctionId, result.Error?.Message ?? "cancelled");
                break;
            default:
                activity?.SetStatus(ActivityStatusCode.Error, result.Error?.Message);
                Log.RunFailed(logger, result.Error!, result.RunId, result.FunctionId, elapsed.TotalMilliseconds);
                break;
        }
    }

    private async Task RecordAsync(RunResult result)
    {
        try
        {
            await store.RecordResultAsync(result, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.RecordFailed(logger, e, result.RunId);
        }
        waiters.Complete(result);
    }

    private static string Outcome(RunStatus status) => status switch
    {
        RunStatus.Succeeded => "succeeded",
        RunStatus.Failed => "failed",
        RunStatus.Cancelled => "cancelled",
        RunStatus.TimedOut => "timed_out",
        _ => "unknown",
    };
}
