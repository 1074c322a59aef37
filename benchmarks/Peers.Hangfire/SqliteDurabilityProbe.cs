namespace Peers.Hangfire;

/// <summary>
/// What durability Hangfire.Storage.SQLite runs with: its journal mode is a property of the file, and it sets no
/// <c>synchronous</c> pragma (the library has no such string), so its connections get SQLite's default, which a fresh
/// connection on the same file reports.
/// </summary>
internal static class SqliteDurabilityProbe
{
    public static string Describe(string path)
    {
        using var connection = new SQLite.SQLiteConnection(path);
        var journal = connection.ExecuteScalar<string>("PRAGMA journal_mode");
        var synchronous = connection.ExecuteScalar<int>("PRAGMA synchronous");
        return $"journal={journal}, synchronous={Name(synchronous)} (its defaults)";
    }

    private static string Name(int synchronous) => synchronous switch { 0 => "OFF", 1 => "NORMAL", 2 => "FULL", 3 => "EXTRA", _ => synchronous.ToString() };
}
