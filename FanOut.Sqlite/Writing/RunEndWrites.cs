using FanOut.Stores;
using FanOut.Sqlite.Rows;

namespace FanOut.Sqlite.Writing;

/// <summary>How an attempt ends: retried (queued, due later), released (queued, due now) or finished.</summary>
internal static class RunEndWrites
{
    private const string LoadRun = """
        SELECT runs.function_id, runs.event_id, events.name, runs.attempt
        FROM runs JOIN events ON events.id = runs.event_id
        WHERE runs.id = $id;
        """;

    private const string LoadSteps = """
        SELECT step_id, status, attempts, error_type, error_message, error_stack, started_at, finished_at
        FROM steps WHERE run_id = $run ORDER BY rowid;
        """;

    public static InvalidOperationException NotRunning(string runId, WriteContext context) =>
        new($"Run {runId} is not running in the SQLite store '{context.DatabasePath}'; it was never claimed, or it has finished.");

    /// <summary>
    /// Ends a queued or running run as cancelled, now, with <paramref name="reason"/> as its error, its attempts so far
    /// and its memoized steps; records the result as <see cref="FinishWrite"/> does and returns it.
    /// </summary>
    public static (RunResult Result, bool ResumedInvoker) EndCancelled(WriteContext context, string runId, string reason)
    {
        RunResult result;
        using (var reader = context.Command(LoadRun).With("$id", runId).ExecuteReader())
        {
            if (!reader.Read())
            {
                throw new InvalidOperationException($"Run {runId} or its event is missing from '{context.DatabasePath}'; the file was changed outside FanOut.");
            }
            var now = RowCodec.Time(context.NowMs);
            result = new RunResult(runId, reader.GetString(0), reader.GetString(1), reader.GetString(2), RunStatus.Cancelled)
            {
                Error = new RunError(typeof(OperationCanceledException).FullName!, reason, null),
                Attempts = reader.GetInt32(3),
                StartedAt = now,
                FinishedAt = now,
                Steps = Steps(context, runId),
            };
        }
        return (result, FinishWrite.Record(context, result));
    }

    private static StepResult[] Steps(WriteContext context, string runId)
    {
        using var reader = context.Command(LoadSteps).With("$run", runId).ExecuteReader();
        List<StepResult>? steps = null;
        while (reader.Read())
        {
            (steps ??= []).Add(new StepResult(
                reader.GetString(0),
                (StepStatus)reader.GetInt32(1),
                reader.GetInt32(2),
                RowCodec.Time(reader.GetInt64(6)),
                RowCodec.Time(reader.GetInt64(7)),
                RowCodec.Error(reader, 3)));
        }
        return steps is null ? [] : [.. steps];
    }
}

/// <summary>
/// Queues a claimed run again, due at a later time, keeping why the attempt failed — unless it was asked to cancel while
/// it ran: then it ends, cancelled with the request's reason, and the write returns that result.
/// </summary>
internal sealed class RetryWrite(string runId, int failures, DateTimeOffset dueAt, RunError? error, CancellationToken cancellationToken)
    : StoreWrite<RunResult?>(cancellationToken)
{
    private const string Retry = """
        UPDATE runs SET status = 0, failures = $failures, due_at = $due_at, error_type = $error_type, error_message = $error_message
        WHERE id = $id AND status = 1 AND cancel_reason IS NULL;
        """;

    protected override RunResult? Run(WriteContext context)
    {
        var changed = context.Command(Retry)
            .With("$id", runId)
            .With("$failures", failures)
            .With("$due_at", RowCodec.Ms(dueAt))
            .With("$error_type", error?.Type)
            .With("$error_message", error?.Message)
            .ExecuteNonQuery();
        if (changed == 1)
        {
            return null;
        }
        // Not queued again: either a cancel request is pending, or the run is not running at all.
        return CancelRequest.Of(context, runId) is { } reason
            ? RunEndWrites.EndCancelled(context, runId, reason).Result
            : throw RunEndWrites.NotRunning(runId, context);
    }
}

/// <summary>
/// Gives back a claimed run whose host stopped: queued again, due now, to resume with its memo — unless it was asked to
/// cancel while it ran: then it ends, cancelled, and the write returns that result.
/// </summary>
internal sealed class ReleaseWrite(string runId, string reason, CancellationToken cancellationToken) : StoreWrite<RunResult?>(cancellationToken)
{
    private const string Release = """
        UPDATE runs SET status = 0, due_at = $now, error_type = 'System.OperationCanceledException', error_message = $reason
        WHERE id = $id AND status = 1 AND cancel_reason IS NULL;
        """;

    protected override RunResult? Run(WriteContext context)
    {
        var changed = context.Command(Release).With("$id", runId).With("$now", context.NowMs).With("$reason", reason).ExecuteNonQuery();
        if (changed == 1)
        {
            return null;
        }
        // A run asked to cancel is not kept to resume: it ends, cancelled with the request's reason.
        return CancelRequest.Of(context, runId) is { } requested
            ? RunEndWrites.EndCancelled(context, runId, requested).Result
            : throw RunEndWrites.NotRunning(runId, context);
    }
}

/// <summary>
/// Records a run's final outcome, after the memos of its last steps that were not saved yet (so a run's last step and its
/// outcome are one write); the run is never claimed again and is pruned after the retention.
/// </summary>
internal sealed class FinishWrite(RunResult result, IReadOnlyList<StepState> unsavedSteps, CancellationToken cancellationToken) : StoreWrite<bool>(cancellationToken)
{
    public override int StepsSaved => Error is null ? unsavedSteps.Count : 0;

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
        for (int i = 0; i < unsavedSteps.Count; i++)
        {
            // Saved only while the run is running, as SaveStepWrite does; the outcome is recorded either way.
            context.Command(SaveStepWrite.Save).WithStep(result.RunId, unsavedSteps[i]).ExecuteNonQuery();
        }
        return Record(context, result);
    }

    /// <summary>
    /// Marks the run finished and saves its result (also used by the writes that end a run cancelled); drops its waits
    /// and resumes a run that invoked it. True when such a run was made due.
    /// </summary>
    public static bool Record(WriteContext context, RunResult result)
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
        return FlowRows.Ended(context, result);
    }
}
