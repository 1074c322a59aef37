using FanOut.Sqlite.Rows;
using Microsoft.Data.Sqlite;

namespace FanOut.Sqlite.Reading;

/// <summary>
/// Reads finished runs' results on a connection of its own, so waiting callers never queue behind the writer (WAL lets
/// a reader see the last commit while the writer works).
/// </summary>
internal sealed class ResultReader(SqliteConnection connection, string databasePath) : IDisposable
{
    private const string Load = """
        SELECT function_id, event_id, event_name, status, output, error_type, error_message, error_stack,
               attempts, started_at, finished_at, steps
        FROM results WHERE run_id = $run;
        """;

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly SqliteCommand command = Prepare(connection);

    public async ValueTask<RunResult?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
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
            throw new FanOutStoreException($"SQLite store '{databasePath}': could not read the result of run {runId}: {ex.Message}", ex);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        command.Dispose();
        connection.Dispose();
        gate.Dispose();
    }

    private static SqliteCommand Prepare(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = Load;
        command.Parameters.Add(new SqliteParameter("$run", DBNull.Value));
        return command;
    }
}
