using FanOut.Sqlite;

namespace FanOut.Cli.Commands;

/// <summary>
/// Opens a SQLite store as its writer, for the commands that change runs. A SQLite file is one process's: this works
/// only while no app holds it, and says which process does otherwise.
/// </summary>
internal static class StoreWriter
{
    public static SqliteStore Open(string location, string path, string instead)
    {
        if (SqliteStore.FindHolder(location) is { } holder)
        {
            throw InUse(path, holder, instead);
        }
        try
        {
            // No automatic pruning: the tool changes what it was asked to and nothing else.
            return new SqliteStore(new SqliteStoreOptions { ConnectionString = location, PruneInterval = Timeout.InfiniteTimeSpan });
        }
        catch (FanOutStoreException) when (SqliteStore.FindHolder(location) is { } late)
        {
            throw InUse(path, late, instead); // the app started between the check and the open
        }
    }

    private static CliException InUse(string path, SqliteStoreHolder holder, string instead) =>
        new($"The store '{path}' is in use by {holder}; stop it, or {instead}.");
}
