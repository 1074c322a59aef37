using FanOut.PostgreSql.Rows;
using FanOut.Stores;
using Npgsql;

namespace FanOut.PostgreSql.Writing;

/// <summary>
/// The writes of a claimed run's attempt — a step's memo, a retry, a release, the end — each fenced by the lease epoch
/// the claim handed out: a write whose epoch is no longer the run's (another node took it over) changes nothing. The
/// hot ones are executed by the group commit (<see cref="GroupCommit"/>, <c>GroupedWrites.cs</c>); the statements here
/// serve the rest (cancels, the ends of runs cancelled by events, recovery).
/// </summary>
internal static class RunEnds
{
    // A step's memo (grouped: Writing/GroupedWrites.cs). The run's row is read FOR SHARE: a claim that would take the run over (FOR UPDATE) waits for this statement, or
    // this statement waits for the claim and then sees the new epoch. So no memo lands after a takeover. A memo that is
    // final (succeeded, failed) is never replaced: a step's recorded outcome is written once.
    internal const string SaveStep = """
        WITH owned AS (
            SELECT id FROM {s}.runs WHERE id = @run AND status = 1 AND lease_epoch = @epoch FOR SHARE),
        saved AS (
            INSERT INTO {s}.steps AS st (run_id, step_id, status, attempts, output, error_type, error_message, error_stack, started_at, finished_at)
            SELECT @run, @step, @status, @attempts, @output, @error_type, @error_message, @error_stack, @started_at, @finished_at FROM owned
            ON CONFLICT (run_id, step_id) DO UPDATE SET
                status = excluded.status, attempts = excluded.attempts, output = excluded.output,
                error_type = excluded.error_type, error_message = excluded.error_message, error_stack = excluded.error_stack,
                started_at = excluded.started_at, finished_at = excluded.finished_at
            WHERE st.status NOT IN (1, 3)
            RETURNING 1)
        SELECT (SELECT count(*) FROM owned);
        """;

    private const string EndRun = """
        UPDATE {s}.runs SET status = @status, finished_at = {now}, lease_owner = NULL, lease_expires_at = NULL
        WHERE id = @id AND status = 1 AND lease_epoch = @epoch;
        """;

    private const string EndRunUnfenced = """
        UPDATE {s}.runs SET status = @status, finished_at = {now}, lease_owner = NULL, lease_expires_at = NULL
        WHERE id = @id AND status IN (0, 1);
        """;

    private const string SaveResult = """
        INSERT INTO {s}.results (run_id, function_id, event_id, event_name, status, output, error_type, error_message, error_stack,
                                 attempts, started_at, finished_at, steps)
        VALUES (@run, @function, @event, @event_name, @status, @output, @error_type, @error_message, @error_stack,
                @attempts, @started_at, @finished_at, @steps)
        ON CONFLICT (run_id) DO UPDATE SET
            status = excluded.status, output = excluded.output, error_type = excluded.error_type,
            error_message = excluded.error_message, error_stack = excluded.error_stack, attempts = excluded.attempts,
            started_at = excluded.started_at, finished_at = excluded.finished_at, steps = excluded.steps;
        """;

    private const string State = "SELECT status, lease_epoch, cancel_reason FROM {s}.runs WHERE id = @id FOR UPDATE;";

    private const string LoadRun = """
        SELECT runs.function_id, runs.event_id, events.name, runs.attempt
        FROM {s}.runs JOIN {s}.events ON events.id = runs.event_id
        WHERE runs.id = @id;
        """;

    private const string LoadSteps = """
        SELECT step_id, status, attempts, error_type, error_message, error_stack, started_at, finished_at
        FROM {s}.steps WHERE run_id = @run ORDER BY seq;
        """;

    private const string Notify = "SELECT pg_notify(@channel, coalesce(@payload, ''));";

    /// <summary>The run's status, lease epoch and pending cancel request, locked for the rest of the transaction; null when there is no such run.</summary>
    public static async Task<(RunStatus Status, long Epoch, string? CancelReason)?> StateAsync(
        PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, string runId, CancellationToken cancellationToken)
    {
        await using var command = db.Command(connection, transaction, State).With("id", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return ((RunStatus)reader.GetInt16(0), reader.GetInt64(1), RowCodec.Text(reader, 2));
    }

    /// <summary>Marks the run finished and saves its result. With an epoch, only if the run is still that epoch's (returns false otherwise).</summary>
    public static async Task<bool> RecordAsync(
        PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, RunResult result, long? epoch, CancellationToken cancellationToken)
    {
        var end = db.Command(connection, transaction, epoch is null ? EndRunUnfenced : EndRun).With("id", result.RunId).With("status", (int)result.Status);
        if (epoch is not null)
        {
            end.With("epoch", epoch);
        }
        await using (end)
        {
            if (await end.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                return false;
            }
        }
        await using var save = db.Command(connection, transaction, SaveResult)
            .With("run", result.RunId)
            .With("function", result.FunctionId)
            .With("event", result.EventId)
            .With("event_name", result.EventName)
            .With("status", (int)result.Status)
            .With("output", result.Output)
            .With("error_type", result.Error?.Type)
            .With("error_message", result.Error?.Message)
            .With("error_stack", result.Error?.StackTrace)
            .With("attempts", result.Attempts)
            .With("started_at", RowCodec.Ms(result.StartedAt))
            .With("finished_at", RowCodec.Ms(result.FinishedAt))
            .With("steps", (ReadOnlyMemory<byte>?)RowCodec.ResultSteps(result.Steps));
        await save.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        // Callers waiting for the run on other nodes learn of its end when this commits.
        await using var notify = db.Command(connection, transaction, Notify).With("channel", db.FinishedChannel).With("payload", result.RunId);
        await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Records the end as <see cref="RecordAsync"/> does, then drops the run's waits and resumes a run that invoked it (true when one was made due).</summary>
    public static async Task<(bool Recorded, bool ResumedInvoker)> RecordAndResumeAsync(
        PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, RunResult result, long? epoch, CancellationToken cancellationToken)
    {
        if (!await RecordAsync(db, connection, transaction, result, epoch, cancellationToken).ConfigureAwait(false))
        {
            return (false, false);
        }
        return (true, await Flow.EndedAsync(db, connection, transaction, result, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Ends a queued or running run as cancelled, now, with <paramref name="reason"/> as its error, its attempts so far and
    /// its memoized steps; records the result and returns it.
    /// </summary>
    public static async Task<RunResult> EndCancelledAsync(
        PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, string runId, string reason, CancellationToken cancellationToken) =>
        (await EndCancelledAndResumeAsync(db, connection, transaction, runId, reason, cancellationToken).ConfigureAwait(false)).Result;

    /// <summary>As <see cref="EndCancelledAsync"/>, also saying whether a run that invoked this one was made due.</summary>
    public static async Task<(RunResult Result, bool ResumedInvoker)> EndCancelledAndResumeAsync(
        PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, string runId, string reason, CancellationToken cancellationToken)
    {
        string functionId, eventId, eventName;
        int attempts;
        await using (var command = db.Command(connection, transaction, LoadRun).With("id", runId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"Run {runId} or its event is missing from the {db.Describe}; the tables were changed outside FanOut.");
            }
            (functionId, eventId, eventName, attempts) = (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3));
        }
        var steps = new List<StepResult>();
        await using (var command = db.Command(connection, transaction, LoadSteps).With("run", runId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                steps.Add(new StepResult(
                    reader.GetString(0),
                    (StepStatus)reader.GetInt16(1),
                    reader.GetInt32(2),
                    RowCodec.Time(reader.GetInt64(6)),
                    RowCodec.Time(reader.GetInt64(7)),
                    RowCodec.Error(reader, 3)));
            }
        }
        var now = db.Time.GetUtcNow();
        var result = new RunResult(runId, functionId, eventId, eventName, RunStatus.Cancelled)
        {
            Error = new RunError(typeof(OperationCanceledException).FullName!, reason, null),
            Attempts = attempts,
            StartedAt = now,
            FinishedAt = now,
            Steps = steps,
        };
        var (_, resumed) = await RecordAndResumeAsync(db, connection, transaction, result, null, cancellationToken).ConfigureAwait(false);
        return (result, resumed);
    }

    public static async Task NotifyAsync(PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = db.Command(connection, transaction, Notify).With("channel", db.Channel).With("payload", (string?)null);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
