namespace FanOut.Sqlite;

/// <summary>The process that holds a SQLite store's file (see <see cref="SqliteStore.FindHolder"/>).</summary>
/// <param name="ProcessId">Its process id, when it wrote one beside the lock.</param>
/// <param name="MachineName">Its machine, when it wrote one beside the lock.</param>
public sealed record SqliteStoreHolder(int? ProcessId, string? MachineName)
{
    /// <inheritdoc />
    public override string ToString() => ProcessId is { } id
        ? MachineName is null ? $"process {id}" : $"process {id} on {MachineName}"
        : "another process";
}
