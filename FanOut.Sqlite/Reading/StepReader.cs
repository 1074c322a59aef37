using FanOut.Sqlite.Rows;
using Microsoft.Data.Sqlite;

namespace FanOut.Sqlite.Reading;

/// <summary>
/// Reads an unfinished run's memoized steps (the <c>steps</c> table: each step's latest saved state, in the order first
/// saved). A finished run's steps are in its result instead.
/// </summary>
internal sealed class StepReader(ReadConnection reads)
{
    private const string Load = """
        SELECT step_id, status, attempts, output, error_type, error_message, error_stack, started_at, finished_at
        FROM steps WHERE run_id = $run ORDER BY rowid;
        """;

    public async ValueTask<IReadOnlyList<StepResult>> GetAsync(string runId, CancellationToken cancellationToken)
    {
        using var turn = await reads.TakeTurnAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = reads.Connection.CreateCommand();
            command.CommandText = Load;
            command.Parameters.AddWithValue("$run", runId);
            using var reader = command.ExecuteReader();
            var steps = new List<StepResult>();
            while (reader.Read())
            {
                steps.Add(new StepResult(
                    reader.GetString(0),
                    (StepStatus)reader.GetInt32(1),
                    reader.GetInt32(2),
                    RowCodec.Time(reader.GetInt64(7)),
                    RowCodec.Time(reader.GetInt64(8)),
                    RowCodec.Error(reader, 4),
                    RowCodec.Memory(reader, 3)));
            }
            return steps;
        }
        catch (SqliteException ex)
        {
            throw new FanOutStoreException($"SQLite store '{reads.DatabasePath}': could not read the steps of run {runId}: {ex.Message}", ex);
        }
    }
}
