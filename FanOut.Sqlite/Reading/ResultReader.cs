using FanOut.Sqlite.Rows;
using Microsoft.Data.Sqlite;

namespace FanOut.Sqlite.Reading;

/// <summary>Reads finished runs' results on the read connection, so waiting callers never queue behind the writer.</summary>
internal sealed class ResultReader(ReadConnection reads) : IDisposable
{
    private const string Load = """
        SELECT function_id, event_id, event_name, status, output, error_type, error_message, error_stack,
               attempts, started_at, finished_at, steps
        FROM results WHERE run_id = $run;
        """;

    private readonly SqliteCommand command = Prepare(reads.Connection);

    public async ValueTask<RunResult?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        using var turn = await reads.TakeTurnAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            command.Parameters["$run"].Value = runId;
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }
            return new RunResult(runId, reader.GetString(0), reader.GetString(1), reader.GetString(2), (RunStatus)reader.GetInt32(3))
            {
                Output = RowCodec.Memory(reader, 4),
                Error = RowCodec.Error(reader, 5),
                Attempts = reader.GetInt32(8),
                StartedAt = RowCodec.Time(reader.GetInt64(9)),
                FinishedAt = RowCodec.Time(reader.GetInt64(10)),
                Steps = RowCodec.ResultSteps((byte[])reader.GetValue(11)),
            };
        }
        catch (SqliteException ex)
        {
            throw new FanOutStoreException($"SQLite store '{reads.DatabasePath}': could not read the result of run {runId}: {ex.Message}", ex);
        }
    }

    public void Dispose() => command.Dispose();

    private static SqliteCommand Prepare(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = Load;
        command.Parameters.Add(new SqliteParameter("$run", DBNull.Value));
        return command;
    }
}
