using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace FanOut.Sqlite.Writing;

/// <summary>
/// What a write works with: the writer's connection with its prepared statements, the group's clock reading and the
/// store's settings. Only the writer's loop uses it, one write at a time.
/// </summary>
internal sealed class WriteContext(SqliteConnection connection, SqliteStoreOptions options, string databasePath)
{
    // Keyed by the writes' const SQL strings, compared by reference: a look-up never hashes the SQL text.
    private readonly Dictionary<string, SqliteCommand> commands = new(ReferenceEqualityComparer.Instance);

    /// <summary>Now, in milliseconds since the Unix epoch, read once per group.</summary>
    public long NowMs { get; set; }

    public SqliteStoreOptions Options { get; } = options;

    /// <summary>
    /// False while the file has no wait and no cancel trigger at all (most apps, most of the time): then an accept, a
    /// claim and a finish skip the flow look-ups on the hot path. Read from the file when the writer starts, set by every
    /// wait inserted, read again after a prune. Only ever wrongly true (a rolled-back insert), which costs a look-up.
    /// </summary>
    public bool WaitsExist { get; set; } = Exists(connection);

    /// <summary>Reads <see cref="WaitsExist"/> from the file again.</summary>
    public void RefreshWaitsExist() => WaitsExist = Exists(connection);

    private static bool Exists(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM waits);";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    public string DatabasePath { get; } = databasePath;

    /// <summary>The prepared command for <paramref name="sql"/>, with a parameter for each distinct <c>$name</c> in it.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in ParameterNames(sql))
            {
                command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
            }
            commands.Add(sql, command);
        }
        return command;
    }

    /// <summary>Executes a statement without parameters.</summary>
    public int Execute(string sql) => Command(sql).ExecuteNonQuery();

    /// <summary>The first column of the first row of a statement without parameters; not prepared for reuse (for inspection).</summary>
    public object? Scalar(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void DisposeCommands()
    {
        foreach (var command in commands.Values)
        {
            command.Dispose();
        }
        commands.Clear();
    }

    private static IEnumerable<string> ParameterNames(string sql)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < sql.Length; i++)
        {
            if (sql[i] != '$')
            {
                continue;
            }
            int end = i + 1;
            while (end < sql.Length && (char.IsAsciiLetterOrDigit(sql[end]) || sql[end] == '_'))
            {
                end++;
            }
            var name = sql[i..end];
            if (name.Length > 1 && seen.Add(name))
            {
                yield return name;
            }
            i = end - 1;
        }
    }
}

/// <summary>Sets parameters of prepared commands.</summary>
internal static class SqliteCommandExtensions
{
    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters[name].Value = value ?? DBNull.Value;
        return command;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, ReadOnlyMemory<byte>? value) =>
        command.With(name, value is { } bytes ? (object)ToArray(bytes) : null);

    private static byte[] ToArray(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();
}
