namespace Peers.Wolverine;

/// <summary>
/// What durability WolverineFx.Sqlite runs with: its journal mode is a property of the file, and it sets no
/// <c>synchronous</c> pragma (neither Wolverine.Sqlite nor Weasel.Sqlite has such a string), so its connections get SQLite's default, which a fresh
/// connection on the same file reports.
/// </summary>
internal static class SqliteDurabilityProbe
{
    public static string Describe(string path)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}");
        connection.Open();
        var journal = Scalar(connection, "PRAGMA journal_mode");
        var synchronous = Convert.ToInt32(Scalar(connection, "PRAGMA synchronous"));
        return $"journal={journal}, synchronous={Name(synchronous)} (its defaults)";
    }

    private static string Scalar(Microsoft.Data.Sqlite.SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    private static string Name(int synchronous) => synchronous switch { 0 => "OFF", 1 => "NORMAL", 2 => "FULL", 3 => "EXTRA", _ => synchronous.ToString() };
}
