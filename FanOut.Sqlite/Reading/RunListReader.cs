using System.Text;
using FanOut.Sqlite.Rows;
using FanOut.Stores;
using Microsoft.Data.Sqlite;

namespace FanOut.Sqlite.Reading;

/// <summary>
/// Lists runs on the read connection: queued, running and finished (until pruned), newest accepted first, then by run
/// id descending. A finished run is described by its result (attempts, finish time, error); an unfinished one by its row.
/// </summary>
internal sealed class RunListReader(ReadConnection reads)
{
    private const string Select = """
        SELECT runs.id, runs.function_id, runs.event_id, events.name, runs.status,
               coalesce(results.attempts, runs.attempt), runs.accepted_at, coalesce(results.finished_at, runs.finished_at),
               CASE WHEN results.run_id IS NULL THEN runs.error_type ELSE results.error_type END,
               CASE WHEN results.run_id IS NULL THEN runs.error_message ELSE results.error_message END,
               results.error_stack
        FROM runs
        JOIN events ON events.id = runs.event_id
        LEFT JOIN results ON results.run_id = runs.id
        WHERE 1 = 1
        """;

    public async ValueTask<IReadOnlyList<RunSummary>> ListAsync(RunQuery query, CancellationToken cancellationToken)
    {
        using var turn = await reads.TakeTurnAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Only the given filters are in the text, so SQLite can pick an index for them (runs_by_function_accepted_at,
            // runs_by_accepted_at); "$x IS NULL OR …" would hide them from the planner.
            using var command = reads.Connection.CreateCommand();
            var sql = new StringBuilder(Select);
            Filter(command, sql, "runs.function_id = $function", "$function", query.FunctionId);
            Filter(command, sql, "events.name = $event_name", "$event_name", query.EventName);
            Filter(command, sql, "runs.status = $status", "$status", query.Status is { } status ? (int)status : null);
            Filter(command, sql, "runs.accepted_at >= $since", "$since", query.Since is { } since ? RowCodec.Ms(since) : null);
            Filter(command, sql, "runs.accepted_at < $until", "$until", query.Until is { } until ? RowCodec.Ms(until) : null);
            sql.Append(" ORDER BY runs.accepted_at DESC, runs.id DESC LIMIT $limit;");
            command.Parameters.AddWithValue("$limit", Math.Max(0, query.Limit));
            command.CommandText = sql.ToString();

            var runs = new List<RunSummary>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                runs.Add(Summary(reader));
            }
            return runs;
        }
        catch (SqliteException ex)
        {
            throw new FanOutStoreException($"SQLite store '{reads.DatabasePath}': could not list runs: {ex.Message}", ex);
        }
    }

    /// <summary>One run, described as in a listing, or null when there is none with that id.</summary>
    public async ValueTask<RunSummary?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        using var turn = await reads.TakeTurnAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = reads.Connection.CreateCommand();
            command.CommandText = Select + " AND runs.id = $run;";
            command.Parameters.AddWithValue("$run", runId);
            using var reader = command.ExecuteReader();
            return reader.Read() ? Summary(reader) : null;
        }
        catch (SqliteException ex)
        {
            throw new FanOutStoreException($"SQLite store '{reads.DatabasePath}': could not read run {runId}: {ex.Message}", ex);
        }
    }

    private static RunSummary Summary(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        (RunStatus)reader.GetInt32(4),
        reader.GetInt32(5),
        RowCodec.Time(reader.GetInt64(6)),
        reader.IsDBNull(7) ? null : RowCodec.Time(reader.GetInt64(7)),
        RowCodec.Error(reader, 8));

    private static void Filter(SqliteCommand command, StringBuilder sql, string condition, string name, object? value)
    {
        if (value is null)
        {
            return;
        }
        sql.Append(" AND ").Append(condition);
        command.Parameters.AddWithValue(name, value);
    }
}
