using FanOut.Sqlite.Rows;

namespace FanOut.Sqlite.Writing;

/// <summary>How an attempt ends: retried (queued, due later), released (queued, due now) or finished.</summary>
internal static class RunEndWrites
{
    public static InvalidOperationException NotRunning(string runId, WriteContext context) =>
        new($"Run {runId} is not running in the SQLite store '{context.DatabasePath}'; it was never claimed, or it has finished.");
}

/// <summary>Queues a claimed run again, due at a later time, keeping why the attempt failed.</summary>
internal sealed class RetryWrite(string runId, int failures, DateTimeOffset dueAt, RunError? error, CancellationToken cancellationToken)
    : StoreWrite<bool>(cancellationToken)
{
    private const string Retry = """
        UPDATE runs SET status = 0, failures = $failures, due_at = $due_at, error_type = $error_type, error_message = $error_message
        WHERE id = $id AND status = 1;
        """;

    protected override bool Run(WriteContext context)
    {
        var changed = context.Command(Retry)
            .With("$id", runId)
            .With("$failures", failures)
            .With("$due_at", RowCodec.Ms(dueAt))
            .With("$error_type", error?.Type)
            .With("$error_message", error?.Message)
            .ExecuteNonQuery();
        return changed == 1 ? true : throw RunEndWrites.NotRunning(runId, context);
    }
}

/// <summary>Gives back a claimed run whose host stopped: queued again, due now, to resume with its memo.</summary>
internal sealed class ReleaseWrite(string runId, string reason, CancellationToken cancellationToken) : StoreWrite<RunResult?>(cancellationToken)
{
    private const string Release = """
        UPDATE runs SET status = 0, due_at = $now, error_type = 'System.OperationCanceledException', error_message = $reason
        WHERE id = $id AND status = 1;
        """;

    protected override RunResult? Run(WriteContext context)
    {
        var changed = context.Command(Release).With("$id", runId).With("$now", context.NowMs).With("$reason", reason).ExecuteNonQuery();
        return changed == 1 ? null : throw RunEndWrites.NotRunning(runId, context);
    }
}

/// <summary>Records a run's final outcome; the run is never claimed again and is pruned after the retention.</summary>
internal sealed class FinishWrite(RunResult result, CancellationToken cancellationToken) : StoreWrite<bool>(cancellationToken)
{
    private const string SaveResult = """
        INSERT INTO results (run_id, function_id, event_id, event_name, status, output, error_type, error_message, error_stack,
                             attempts, started_at, finished_at, steps)
        VALUES ($run, $function, $event, $event_name, $status, $output, $error_type, $error_message, $error_stack,
                $attempts, $started_at, $finished_at, $steps)
        ON CONFLICT (run_id) DO UPDATE SET
            status = excluded.status, output = excluded.output, error_type = excluded.error_type,
            error_message = excluded.error_message, error_stack = excluded.error_stack, attempts = excluded.attempts,
            started_at = excluded.started_at, finished_at = excluded.finished_at, steps = excluded.steps;
        """;

    private const string EndRun = "UPDATE runs SET status = $status, finished_at = $now WHERE id = $id;";

    protected override bool Run(WriteContext context)
    {
        var ended = context.Command(EndRun).With("$id", result.RunId).With("$status", (int)result.Status).With("$now", context.NowMs).ExecuteNonQuery();
        if (ended != 1)
        {
            throw new InvalidOperationException($"Run {result.RunId} is not in the SQLite store '{context.DatabasePath}'; it was never accepted, or it was pruned.");
        }
        context.Command(SaveResult)
            .With("$run", result.RunId)
            .With("$function", result.FunctionId)
            .With("$event", result.EventId)
            .With("$event_name", result.EventName)
            .With("$status", (int)result.Status)
            .With("$output", result.Output)
            .With("$error_type", result.Error?.Type)
            .With("$error_message", result.Error?.Message)
            .With("$error_stack", result.Error?.StackTrace)
            .With("$attempts", result.Attempts)
            .With("$started_at", RowCodec.Ms(result.StartedAt))
            .With("$finished_at", RowCodec.Ms(result.FinishedAt))
            .With("$steps", RowCodec.ResultSteps(result.Steps))
            .ExecuteNonQuery();
        return true;
    }
}
