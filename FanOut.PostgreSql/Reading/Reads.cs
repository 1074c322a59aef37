using System.Text;
using FanOut.PostgreSql.Rows;
using FanOut.Stores;
using Npgsql;

namespace FanOut.PostgreSql.Reading;

/// <summary>Reads results and listings; each on a pooled connection of its own, never waiting for writes.</summary>
internal static class Reads
{
    private const string LoadResult = """
        SELECT function_id, event_id, event_name, status, output, error_type, error_message, error_stack,
               attempts, started_at, finished_at, steps
        FROM {s}.results WHERE run_id = @run;
        """;

    private const string List = """
        SELECT runs.id, runs.function_id, runs.event_id, events.name, runs.status,
               coalesce(results.attempts, runs.attempt), runs.accepted_at, coalesce(results.finished_at, runs.finished_at),
               CASE WHEN results.run_id IS NULL THEN runs.error_type ELSE results.error_type END,
               CASE WHEN results.run_id IS NULL THEN runs.error_message ELSE results.error_message END,
               results.error_stack
        FROM {s}.runs
        JOIN {s}.events ON events.id = runs.event_id
        LEFT JOIN {s}.results ON results.run_id = runs.id
        WHERE true
        """;

    private const string Events = """
        SELECT events.id, events.name, events.data, events.ts, events.dedup_key, events.v, events.user_json, events.accepted_at,
               (SELECT count(*) FROM {s}.runs WHERE runs.event_id = events.id)
        FROM {s}.events
        WHERE true
        """;

    /// <summary>Accepted events, newest first, each with how many runs it started.</summary>
    public static async ValueTask<IReadOnlyList<EventSummary>> EventsAsync(PostgresDatabase db, EventQuery query, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var sql = new StringBuilder(Events);
            var command = db.Command(connection, null, "");
            if (query.Name is { } name)
            {
                sql.Append(" AND events.name = @name");
                command.With("name", name);
            }
            if (query.Since is { } since)
            {
                sql.Append(" AND events.accepted_at >= @since");
                command.With("since", RowCodec.Ms(since));
            }
            if (query.Until is { } until)
            {
                sql.Append(" AND events.accepted_at < @until");
                command.With("until", RowCodec.Ms(until));
            }
            sql.Append(" ORDER BY events.accepted_at DESC, events.id DESC LIMIT @limit;");
            command.With("limit", Math.Max(0, query.Limit));
            command.CommandText = db.Sql(sql.ToString());
            await using (command)
            {
                var events = new List<EventSummary>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var evt = new Runs.StoredEvent(reader.GetString(0), reader.GetString(1), RowCodec.Bytes(reader, 2) ?? [], reader.GetInt64(3))
                    {
                        DeduplicationKey = RowCodec.Text(reader, 4),
                        V = RowCodec.Text(reader, 5),
                        User = RowCodec.Bytes(reader, 6) is { } user ? RowCodec.Json(user) : null,
                    };
                    events.Add(new EventSummary(evt, RowCodec.Time(reader.GetInt64(7)), (int)reader.GetInt64(8)));
                }
                return events;
            }
        }
        catch (NpgsqlException ex)
        {
            throw db.Failure("could not list events", ex);
        }
    }

    public static async ValueTask<RunResult?> ResultAsync(PostgresDatabase db, string runId, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = db.Command(connection, null, LoadResult).With("run", runId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
            return new RunResult(runId, reader.GetString(0), reader.GetString(1), reader.GetString(2), (RunStatus)reader.GetInt16(3))
            {
                Output = RowCodec.Memory(reader, 4),
                Error = RowCodec.Error(reader, 5),
                Attempts = reader.GetInt32(8),
                StartedAt = RowCodec.Time(reader.GetInt64(9)),
                FinishedAt = RowCodec.Time(reader.GetInt64(10)),
                Steps = RowCodec.ResultSteps(reader.GetFieldValue<byte[]>(11)),
            };
        }
        catch (NpgsqlException ex)
        {
            throw db.Failure($"could not read the result of run {runId}", ex);
        }
    }

    private const string SavedSteps = """
        SELECT step_id, status, attempts, started_at, finished_at, error_type, error_message, error_stack, output
        FROM {s}.steps WHERE run_id = @run ORDER BY seq;
        """;

    /// <summary>One run as a listing describes it, or null.</summary>
    public static async ValueTask<RunSummary?> RunAsync(PostgresDatabase db, string runId, CancellationToken cancellationToken)
    {
        var runs = await ListAsync(db, new RunQuery { Limit = 1 }, cancellationToken, runId).ConfigureAwait(false);
        return runs.Count == 0 ? null : runs[0];
    }

    /// <summary>The steps a run has saved so far, each at its latest state, in the order first saved.</summary>
    public static async ValueTask<IReadOnlyList<StepResult>> SavedStepsAsync(PostgresDatabase db, string runId, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = db.Command(connection, null, SavedSteps).With("run", runId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var steps = new List<StepResult>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                steps.Add(new StepResult(
                    reader.GetString(0),
                    (StepStatus)reader.GetInt16(1),
                    reader.GetInt32(2),
                    RowCodec.Time(reader.GetInt64(3)),
                    RowCodec.Time(reader.GetInt64(4)),
                    RowCodec.Error(reader, 5),
                    RowCodec.Memory(reader, 8)));
            }
            return steps;
        }
        catch (NpgsqlException ex)
        {
            throw db.Failure($"could not read the steps of run {runId}", ex);
        }
    }

    public static async ValueTask<IReadOnlyList<RunSummary>> ListAsync(PostgresDatabase db, RunQuery query, CancellationToken cancellationToken, string? runId = null)
    {
        try
        {
            await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            // Only the given filters are in the text, so the planner can use the listing indexes for them.
            var sql = new StringBuilder(List);
            var command = db.Command(connection, null, "");
            if (runId is not null)
            {
                sql.Append(" AND runs.id = @run_id");
                command.With("run_id", runId);
            }
            if (query.FunctionId is { } function)
            {
                sql.Append(" AND runs.function_id = @function");
                command.With("function", function);
            }
            if (query.EventName is { } name)
            {
                sql.Append(" AND events.name = @event_name");
                command.With("event_name", name);
            }
            if (query.Status is { } status)
            {
                sql.Append(" AND runs.status = @status");
                command.With("status", (int)status);
            }
            if (query.Since is { } since)
            {
                sql.Append(" AND runs.accepted_at >= @since");
                command.With("since", RowCodec.Ms(since));
            }
            if (query.Until is { } until)
            {
                sql.Append(" AND runs.accepted_at < @until");
                command.With("until", RowCodec.Ms(until));
            }
            sql.Append(" ORDER BY runs.accepted_at DESC, runs.id DESC LIMIT @limit;");
            command.With("limit", Math.Max(0, query.Limit));
            command.CommandText = db.Sql(sql.ToString());
            await using (command)
            {
                var runs = new List<RunSummary>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    runs.Add(new RunSummary(
                        reader.GetString(0),
                        reader.GetString(1),
                        reader.GetString(2),
                        reader.GetString(3),
                        (RunStatus)reader.GetInt16(4),
                        reader.GetInt32(5),
                        RowCodec.Time(reader.GetInt64(6)),
                        RowCodec.Long(reader, 7) is { } finished ? RowCodec.Time(finished) : null,
                        RowCodec.Error(reader, 8)));
                }
                return runs;
            }
        }
        catch (NpgsqlException ex)
        {
            throw db.Failure("could not list runs", ex);
        }
    }
}
