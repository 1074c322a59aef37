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

namespace FanOut.Worker;

/// <summary>
/// Executes one attempt of one claimed run, isolated from every other run: its own DI scope, its own step journal
/// (seeded with the run's memoized steps), its own cancellation and deadline. Whatever the function does (throw, fault,
/// swallow FanOut's signals, ignore its token), the attempt ends in exactly one of: finished (succeeded, failed, timed
/// out), queued again for a retry, or released because the host stopped — and the caller regains control by the deadline.
/// </summary>
internal sealed class RunExecutor(
    FunctionCatalog catalog,
    IServiceScopeFactory scopes,
    IFanOutStore store,
    RunWaiters waiters,
    RunCancellations cancellations,
    FanOutOptions options,
    ILogger<RunExecutor> logger)
{
    private readonly TimeProvider time = options.TimeProvider;
    private readonly RetryPolicy retryPolicy = new(options);

    /// <summary>Runs the attempt.</summary>
    /// <param name="claimed">The claimed run with its memo.</param>
    /// <param name="stopping">Cancelled when the host asks in-flight runs to stop: passed on to the function.</param>
    /// <param name="abandon">Cancelled when the host stops waiting: a function still running is left behind.</param>
    /// <returns>True when the worker may have new due work: the run went back to the queue (a retry, a sleep, a wait, a release), or its end resumed a run that invoked it.</returns>
    public async Task<bool> ExecuteAsync(ClaimedRun claimed, CancellationToken stopping, CancellationToken abandon)
    {
        var run = claimed.Run;
        var function = catalog.Find(run.FunctionId);
        if (function is null)
        {
            return await FinishAsync(Unhosted(claimed), [], null, default).ConfigureAwait(false);
        }
        var timeout = function.Timeout ?? options.DefaultTimeout;
        var retries = function.Retries ?? options.DefaultRetries;
        var functionTag = new KeyValuePair<string, object?>("fanout.function.id", function.Id);

        using var activity = FanOutTelemetry.Source.StartActivity("fanout.run", ActivityKind.Consumer, run.Origin);
        activity?.SetTag("fanout.run.id", run.Id);
        activity?.SetTag("fanout.run.attempt", claimed.Attempt);
        activity?.SetTag("fanout.function.id", function.Id);
        activity?.SetTag("fanout.event.id", run.Event.Id);
        activity?.SetTag("fanout.event.name", run.Event.Name);

        FanOutMetrics.RunsStarted.Add(1, functionTag);
        Log.RunStarted(logger, run.Id, function.Id, claimed.Attempt);
        var startedAt = time.GetUtcNow();
        // A run's id is a ULID made at the send, so its first attempt's wait in the queue needs no extra column.
        if (claimed.Attempt == 1 && FanOutMetrics.QueueLatency.Enabled && Ids.Ulid.TryGetTime(run.Id, out var sentMs))
        {
            FanOutMetrics.QueueLatency.Record(Math.Max(0, startedAt.ToUnixTimeMilliseconds() - sentMs) / 1000.0, functionTag);
        }
        var startedTicks = time.GetTimestamp();
        var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var journal = new StepJournal(run.Id, claimed.Steps, store, retryPolicy, time, retries, options.MaxStepOutputBytes, attemptCts.Token, options.StepSaving);
        var scope = scopes.CreateAsyncScope();
        var context = new RunContext(run, function, scope.ServiceProvider, new Step(journal, time, scope.ServiceProvider, run.Event), attemptCts.Token);

        // The deadline exists before the function starts, so no clock (real or fake) can pass it unnoticed.
        var deadlineCts = CancellationTokenSource.CreateLinkedTokenSource(abandon);
        var deadline = Task.Delay(timeout, time, deadlineCts.Token);
        var registration = cancellations.Register(run.Id, attemptCts, deadlineCts);
        var attempt = InvokeAsync(function.Invoker, context);
        Outcome outcome;
        if (await Task.WhenAny(attempt, deadline).ConfigureAwait(false) != attempt)
        {
            outcome = abandon.IsCancellationRequested
                ? Outcome.Release($"the host stopped while run {run.Id} of '{function.Id}' was still running; it ignored its cancellation token")
                : registration.CancelReason is { } reason
                    ? Outcome.End(RunStatus.Cancelled, new OperationCanceledException(reason))
                    : Outcome.End(RunStatus.TimedOut, new FunctionTimeoutException(
                        $"Run {run.Id} of '{function.Id}' did not finish within its timeout of {timeout}; it was cancelled and marked timed out."));
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
            deadlineCts.Cancel();
            outcome = await Judge(attempt, journal, stopping, function, claimed, retries).ConfigureAwait(false);
            if (registration.CancelReason is { } reason && outcome.Status != RunStatus.Succeeded && outcome.Kind == OutcomeKind.End)
            {
                outcome = Outcome.End(RunStatus.Cancelled, new OperationCanceledException(reason));
            }
            await scope.DisposeAsync().ConfigureAwait(false);
            attemptCts.Dispose();
        }
        cancellations.Unregister(run.Id, registration);
        deadlineCts.Dispose();

        var elapsed = time.GetElapsedTime(startedTicks);
        var steps = journal.Snapshot();
        switch (outcome.Kind)
        {
            case OutcomeKind.Retry:
                Log.RunRetrying(logger, outcome.Exception!, run.Id, function.Id, claimed.Attempt, outcome.DueAt);
                Count(functionTag, "retried", elapsed, activity);
                if (!await SaveUnsavedAsync(journal).ConfigureAwait(false))
                {
                    return false;
                }
                await RequeueAsync(run.Id, outcome.Failures, outcome.DueAt, RunError.From(outcome.Exception!)).ConfigureAwait(false);
                return true;
            case OutcomeKind.Suspend:
                // No thread or task is held while it sleeps: the run is a queued row, due at its wake time.
                Log.RunSuspended(logger, run.Id, function.Id, outcome.DueAt);
                Count(functionTag, "suspended", elapsed, activity);
                if (!await SaveUnsavedAsync(journal).ConfigureAwait(false))
                {
                    return false;
                }
                if (journal.Waits is { Count: > 0 } waits)
                {
                    // The waits are registered with the suspension, in one transaction: an event that arrives meanwhile,
                    // or an invoked run that ends meanwhile, finds them.
                    try
                    {
                        var suspended = await store.SuspendAsync(run.Id, outcome.Failures, outcome.DueAt, null, waits, CancellationToken.None).ConfigureAwait(false);
                        if (suspended.Cancelled is { } cancelled)
                        {
                            waiters.Complete(cancelled);
                        }
                    }
                    catch (RunLeaseLostException lost)
                    {
                        // Another worker holds the run now; its attempt registers the waits again.
                        Log.LeaseLost(logger, run.Id, lost.Message);
                    }
                }
                else
                {
                    await RequeueAsync(run.Id, outcome.Failures, outcome.DueAt, null).ConfigureAwait(false);
                }
                return true;
            case OutcomeKind.Release:
                Log.RunReleased(logger, run.Id, function.Id, outcome.Reason!);
                Count(functionTag, "released", elapsed, activity);
                if (!await SaveUnsavedAsync(journal).ConfigureAwait(false))
                {
                    return false;
                }
                try
                {
                    if (await store.ReleaseAsync(run.Id, outcome.Reason!, CancellationToken.None).ConfigureAwait(false) is { } ended)
                    {
                        waiters.Complete(ended);
                    }
                }
                catch (RunLeaseLostException lost)
                {
                    Log.LeaseLost(logger, run.Id, lost.Message);
                }
                return true;
            case OutcomeKind.Lost:
                Log.LeaseLost(logger, run.Id, outcome.Reason!);
                Count(functionTag, "lease_lost", elapsed, activity);
                return false;
        }
        var result = new RunResult(run.Id, function.Id, run.Event.Id, run.Event.Name, outcome.Status)
        {
            Output = outcome.Output,
            Error = outcome.Exception is null ? null : RunError.From(outcome.Exception),
            Exception = outcome.Exception,
            Attempts = claimed.Attempt,
            StartedAt = startedAt,
            FinishedAt = time.GetUtcNow(),
            Steps = steps,
        };
        Report(result, timeout, elapsed);
        Count(functionTag, OutcomeName(result.Status), elapsed, activity);
        if (result.Status != RunStatus.Succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.Error?.Message);
            if (function.FailureHandler is not null)
            {
                // Before the run is marked finished, so whoever waits for the failure finds the handler done.
                await HandleFailureAsync(function, run, result, timeout, stopping).ConfigureAwait(false);
            }
        }
        return await FinishAsync(result, journal.TakeUnsaved(), activity, functionTag).ConfigureAwait(false);
    }

    // Steps that succeeded since the attempt's last write are saved before the run goes back to the queue, so the next
    // attempt finds them. False when the store refused: another worker holds the run, and this attempt records nothing.
    private async ValueTask<bool> SaveUnsavedAsync(StepJournal journal)
    {
        if (!journal.HasUnsaved)
        {
            return true;
        }
        try
        {
            await journal.FlushAsync().ConfigureAwait(false);
            return true;
        }
        catch (AttemptInterruptedException) when (journal.LeaseLost is { } lost)
        {
            Log.LeaseLost(logger, journal.RunId, lost.Message);
            return false;
        }
    }

    /// <summary>Gives back a run accepted claimed for this worker that never started, because the host began to stop.</summary>
    public async Task ReleaseUnstartedAsync(RunRecord run, string reason)
    {
        try
        {
            Log.RunReleased(logger, run.Id, run.FunctionId, reason);
            if (await store.ReleaseAsync(run.Id, reason, CancellationToken.None).ConfigureAwait(false) is { } ended)
            {
                waiters.Complete(ended);
            }
        }
        catch (Exception e)
        {
            // It stays claimed; recovery at the next start queues it again.
            Log.RecordFailed(logger, e, run.Id);
        }
    }

    private async Task<Outcome> Judge(Task<object?> attempt, StepJournal journal, CancellationToken stopping, FunctionDescriptor function, ClaimedRun claimed, int retries)
    {
        object? output = null;
        Exception? error = null;
        try
        {
            output = await attempt.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            error = e;
        }
        // The store refused a step's memo: another worker holds the run now, and this attempt records nothing more.
        if (journal.LeaseLost is { } lost)
        {
            return Outcome.Lost(lost.Message);
        }
        // A step asked for a retry: that decides, whatever the function did with the signal afterwards.
        if (journal.Interruption is { } interruption)
        {
            return interruption.Error is { } stepError
                ? Outcome.Retry(claimed.Failures, interruption.DueAt, new StepRetryException(stepError))
                : Outcome.Suspend(claimed.Failures, interruption.DueAt);
        }
        if (error is OperationCanceledException && stopping.IsCancellationRequested)
        {
            return Outcome.Release($"the host stopped while run {claimed.Run.Id} of '{function.Id}' was running");
        }
        if (error is not null)
        {
            var failures = claimed.Failures + 1;
            if (RetryPolicy.IsFinal(error) || failures > retries)
            {
                return Outcome.End(RunStatus.Failed, error);
            }
            return Outcome.Retry(failures, retryPolicy.NextAttempt(time.GetUtcNow(), failures, error), error);
        }
        if (output is not null && function.OutputType is { } outputType)
        {
            try
            {
                return Outcome.Succeed(JsonSerializer.SerializeToUtf8Bytes(output, FanOutJson.GetTypeInfo(outputType)));
            }
            catch (Exception e)
            {
                return Outcome.End(RunStatus.Failed, new NonRetriableException(
                    $"Run {claimed.Run.Id} of '{function.Id}' returned an output that could not be serialized: {e.Message}", e));
            }
        }
        return Outcome.Succeed(null);
    }

    private async Task RequeueAsync(string runId, int failures, DateTimeOffset dueAt, RunError? error)
    {
        try
        {
            // A cancellation asked for while the attempt ran ends the run here instead of queueing it again.
            if (await store.RetryAsync(runId, failures, dueAt, error, CancellationToken.None).ConfigureAwait(false) is { } cancelled)
            {
                waiters.Complete(cancelled);
            }
        }
        catch (RunLeaseLostException lost)
        {
            // Another worker holds the run now; its attempt decides what happens next.
            Log.LeaseLost(logger, runId, lost.Message);
        }
    }

    private async Task HandleFailureAsync(FunctionDescriptor function, RunRecord run, RunResult result, TimeSpan timeout, CancellationToken stopping)
    {
        using var activity = FanOutTelemetry.Source.StartActivity("fanout.on_failure");
        activity?.SetTag("fanout.run.id", run.Id);
        activity?.SetTag("fanout.function.id", function.Id);
        var failure = new FunctionFailure(run.Id, function.Id, run.Event.Id, result.Status, result.Error!, result.Attempts) { Exception = result.Exception };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        await using var scope = scopes.CreateAsyncScope();
        var journal = new StepJournal(run.Id, [], store, retryPolicy, time, 0, options.MaxStepOutputBytes, cts.Token);
        var context = new RunContext(run, function, scope.ServiceProvider, new Step(journal, time, scope.ServiceProvider, run.Event), cts.Token) { Failure = failure };
        try
        {
            await InvokeAsync(function.FailureHandler!, context).WaitAsync(timeout, time).ConfigureAwait(false);
            await journal.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            cts.Cancel();
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            Log.FailureHandlerFailed(logger, e, run.Id, function.Id);
        }
    }

    private async Task<bool> FinishAsync(RunResult result, IReadOnlyList<StepState> unsavedSteps, Activity? activity, KeyValuePair<string, object?> functionTag)
    {
        bool resumed;
        try
        {
            // The steps that succeeded since the attempt's last write are saved with the outcome: one write, where a store can.
            resumed = await store.FinishAsync(result, unsavedSteps, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RunLeaseLostException lost)
        {
            // Another worker holds the run now: this outcome is not the run's, and no waiter may see it.
            Log.LeaseLost(logger, result.RunId, lost.Message);
            return false;
        }
        catch (Exception e)
        {
            // The run stays claimed in the store; recovery at the next start runs it again from its memo.
            Log.RecordFailed(logger, e, result.RunId);
            return false;
        }
        waiters.Complete(result);
        return resumed;
    }

    private static async Task<object?> InvokeAsync(FunctionInvoker invoker, RunContext context)
    {
        // Always asynchronous from the worker's view: a function that throws before its first await, or blocks, is
        // still one attempt's problem only.
        await Task.Yield();
        return await invoker(context).ConfigureAwait(false);
    }

    private RunResult Unhosted(ClaimedRun claimed)
    {
        var now = time.GetUtcNow();
        var error = new NonRetriableException($"Run {claimed.Run.Id} is for function '{claimed.Run.FunctionId}', which this process does not host.");
        return new RunResult(claimed.Run.Id, claimed.Run.FunctionId, claimed.Run.Event.Id, claimed.Run.Event.Name, RunStatus.Failed)
        {
            Error = RunError.From(error),
            Exception = error,
            Attempts = claimed.Attempt,
            StartedAt = now,
            FinishedAt = now,
        };
    }

    private void Report(RunResult result, TimeSpan timeout, TimeSpan elapsed)
    {
        switch (result.Status)
        {
            case RunStatus.Succeeded:
                Log.RunSucceeded(logger, result.RunId, result.FunctionId, elapsed.TotalMilliseconds);
                break;
            case RunStatus.TimedOut:
                Log.RunTimedOut(logger, result.RunId, result.FunctionId, timeout);
                break;
            default:
                Log.RunFailed(logger, result.Exception!, result.RunId, result.FunctionId, result.Attempts);
                break;
        }
    }

    private static void Count(KeyValuePair<string, object?> functionTag, string outcome, TimeSpan elapsed, Activity? activity)
    {
        var outcomeTag = new KeyValuePair<string, object?>("fanout.run.outcome", outcome);
        FanOutMetrics.RunsFinished.Add(1, functionTag, outcomeTag);
        FanOutMetrics.RunDuration.Record(elapsed.TotalSeconds, functionTag, outcomeTag);
        activity?.SetTag("fanout.run.outcome", outcome);
    }

    private static string OutcomeName(RunStatus status) => status switch
    {
        RunStatus.Succeeded => "succeeded",
        RunStatus.Failed => "failed",
        RunStatus.Cancelled => "cancelled",
        RunStatus.TimedOut => "timed_out",
        _ => "unknown",
    };

    private enum OutcomeKind
    {
        End,
        Retry,
        Suspend,
        Release,
        Lost,
    }

    private readonly record struct Outcome(OutcomeKind Kind, RunStatus Status, ReadOnlyMemory<byte>? Output, Exception? Exception, int Failures, DateTimeOffset DueAt, string? Reason)
    {
        public static Outcome Succeed(ReadOnlyMemory<byte>? output) => new(OutcomeKind.End, RunStatus.Succeeded, output, null, 0, default, null);

        public static Outcome End(RunStatus status, Exception error) => new(OutcomeKind.End, status, null, error, 0, default, null);

        public static Outcome Retry(int failures, DateTimeOffset dueAt, Exception error) => new(OutcomeKind.Retry, RunStatus.Queued, null, error, failures, dueAt, null);

        public static Outcome Suspend(int failures, DateTimeOffset dueAt) => new(OutcomeKind.Suspend, RunStatus.Queued, null, null, failures, dueAt, null);

        public static Outcome Release(string reason) => new(OutcomeKind.Release, RunStatus.Cancelled, null, null, 0, default, reason);

        public static Outcome Lost(string reason) => new(OutcomeKind.Lost, RunStatus.Cancelled, null, null, 0, default, reason);
    }
}

/// <summary>The error that ended an attempt because a step will be retried: the step's own error, as stored.</summary>
internal sealed class StepRetryException(RunError error) : Exception(error.Message)
{
    public RunError Error { get; } = error;
}
