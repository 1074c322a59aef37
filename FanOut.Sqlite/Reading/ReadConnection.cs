using Microsoft.Data.Sqlite;

namespace FanOut.Sqlite.Reading;

/// <summary>
/// The store's connection for reads, apart from the writer's, so readers never queue behind the writer (WAL lets a
/// reader see the last commit while the writer works). A connection serves one command at a time: readers take turns.
/// </summary>
internal sealed class ReadConnection(SqliteConnection connection, string databasePath) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public SqliteConnection Connection { get; } = connection;

    public string DatabasePath { get; } = databasePath;

    /// <summary>Waits for this connection's turn; dispose the result to give it back.</summary>
    public async ValueTask<Turn> TakeTurnAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Turn(gate);
    }

    public void Dispose()
    {
        Connection.Dispose();
        gate.Dispose();
    }

    public readonly struct Turn(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
