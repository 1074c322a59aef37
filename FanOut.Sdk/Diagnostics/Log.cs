using Microsoft.Extensions.Logging;

namespace FanOut.Diagnostics;

/// <summary>FanOut's log messages, source-generated: no boxing or formatting unless the level is enabled.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Accepted event '{EventName}' {EventId}: {RunCount} run(s) started")]
    public static partial void EventAccepted(ILogger logger, string eventName, string eventId, int runCount);

    [LoggerMessage(2, LogLevel.Information, "Event '{EventName}' {EventId} was accepted, but no function of this process listens to it")]
    public static partial void NoFunctions(ILogger logger, string eventName, string eventId);

    [LoggerMessage(3, LogLevel.Information, "Event '{EventName}' repeats deduplication key '{DeduplicationKey}' of event {FirstEventId}: no runs started")]
    public static partial void DuplicateEvent(ILogger logger, string eventName, string? deduplicationKey, string firstEventId);

    [LoggerMessage(10, LogLevel.Debug, "Run {RunId} of '{FunctionId}' started attempt {Attempt}")]
    public static partial void RunStarted(ILogger logger, string runId, string functionId, int attempt);

    [LoggerMessage(11, LogLevel.Information, "Run {RunId} of '{FunctionId}' succeeded in {ElapsedMs:F1} ms")]
    public static partial void RunSucceeded(ILogger logger, string runId, string functionId, double elapsedMs);

    [LoggerMessage(12, LogLevel.Error, "Run {RunId} of '{FunctionId}' failed after {Attempts} attempt(s)")]
    public static partial void RunFailed(ILogger logger, Exception error, string runId, string functionId, int attempts);

    [LoggerMessage(13, LogLevel.Warning, "Run {RunId} of '{FunctionId}' timed out after {Timeout}; its slot is freed")]
    public static partial void RunTimedOut(ILogger logger, string runId, string functionId, TimeSpan timeout);

    [LoggerMessage(14, LogLevel.Warning, "Run {RunId} of '{FunctionId}' was released: {Reason}")]
    public static partial void RunReleased(ILogger logger, string runId, string functionId, string reason);

    [LoggerMessage(15, LogLevel.Warning, "Run {RunId} of '{FunctionId}' attempt {Attempt} failed; retrying at {DueAt:O}")]
    public static partial void RunRetrying(ILogger logger, Exception error, string runId, string functionId, int attempt, DateTimeOffset dueAt);

    [LoggerMessage(19, LogLevel.Debug, "Run {RunId} of '{FunctionId}' sleeps until {DueAt:O}")]
    public static partial void RunSuspended(ILogger logger, string runId, string functionId, DateTimeOffset dueAt);

    [LoggerMessage(16, LogLevel.Warning, "Recovered {Count} run(s) left running by a process that ended without finishing them")]
    public static partial void RunsRecovered(ILogger logger, int count);

    [LoggerMessage(17, LogLevel.Error, "The FanOut worker could not claim runs from the store; trying again")]
    public static partial void ClaimFailed(ILogger logger, Exception error);

    [LoggerMessage(18, LogLevel.Error, "The failure handler of '{FunctionId}' failed for run {RunId}; it is not retried")]
    public static partial void FailureHandlerFailed(ILogger logger, Exception error, string runId, string functionId);

    [LoggerMessage(20, LogLevel.Information, "FanOut worker started: {FunctionCount} function(s), at most {MaxConcurrentRuns} concurrent runs")]
    public static partial void WorkerStarted(ILogger logger, int functionCount, int maxConcurrentRuns);

    [LoggerMessage(21, LogLevel.Information, "FanOut worker stopping: {InFlight} run(s) in flight")]
    public static partial void WorkerStopping(ILogger logger, int inFlight);

    [LoggerMessage(22, LogLevel.Error, "The FanOut worker could not record the outcome of run {RunId}")]
    public static partial void RecordFailed(ILogger logger, Exception error, string runId);

    [LoggerMessage(23, LogLevel.Information, "FanOut worker off (FanOutOptions.StartWorker is false): this process accepts events; other processes run them")]
    public static partial void WorkerOff(ILogger logger);

    [LoggerMessage(24, LogLevel.Warning, "Run {RunId} was taken over by another worker after this worker's lease on it expired; this attempt ends without recording anything ({Reason})")]
    public static partial void LeaseLost(ILogger logger, string runId, string reason);
}
