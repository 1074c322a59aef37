using System.Diagnostics;
using Npgsql;

namespace FanOut.Load;

/// <summary>
/// What every load project reads from the PostgreSQL server it runs on: the durability settings (so they are printed
/// beside every figure), the database's committed transactions and the cluster's WAL flushes (so commits per run can
/// be computed the same way for FanOut and the peers), and the dropping of a configuration's schema. Its own
/// connections are unpooled, so none of them stays open between readings.
/// </summary>
public sealed class PostgresProbe(string connectionString)
{
    private readonly string connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    /// <summary>A schema name for one configuration (lower case, so it needs no quoting in any library's SQL).</summary>
    public static string NewSchema(string system) => $"load_{system}_{Guid.NewGuid():N}"[..(6 + system.Length + 16)]; // FanOut.PostgreSql takes at most 41 characters

    /// <summary>The server's <c>synchronous_commit</c> and <c>fsync</c>, as its sessions see them.</summary>
    public async Task<string> DurabilityAsync()
    {
        await using var connection = await OpenAsync();
        return $"synchronous_commit={await ScalarAsync(connection, "SHOW synchronous_commit")}, fsync={await ScalarAsync(connection, "SHOW fsync")}";
    }

    /// <summary>
    /// The database's committed transactions (<c>pg_stat_database.xact_commit</c>, all its sessions, autovacuum included)
    /// and the cluster's WAL flushes (<c>pg_stat_wal.wal_sync</c>). A session reports its counts when it ends (or when
    /// idle for a while), so this first waits, up to 15 s, until no other session is connected to the database: read
    /// it before the system under test connects and after it has stopped and its pools are cleared.
    /// </summary>
    public async Task<PostgresCounters> CountersAsync()
    {
        await using var connection = await OpenAsync();
        var waited = Stopwatch.StartNew();
        long others;
        while ((others = Convert.ToInt64(await ScalarAsync(connection,
                   "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"))) > 0
               && waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(50);
        }
        if (others > 0)
        {
            Console.Error.WriteLine($"  PostgreSQL: {others} session(s) still connected after 15 s; their unreported commits are missing from commits/run.");
        }
        await ScalarAsync(connection, "SELECT pg_stat_clear_snapshot()");
        var commits = Convert.ToInt64(await ScalarAsync(connection, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"));
        var walSyncs = Convert.ToInt64(await ScalarAsync(connection, "SELECT wal_sync FROM pg_stat_wal"));
        return new PostgresCounters(commits, walSyncs, ServerChildrenCpu(Convert.ToString(await ScalarAsync(connection, "SHOW data_directory"))));
    }

    /// <summary>
    /// The CPU time of the server's ended sessions: a PostgreSQL backend is a child process of the postmaster, which
    /// reaps it when it ends, so the postmaster's <c>cutime + cstime</c> (/proc/PID/stat, in clock ticks of 10 ms) grows
    /// by each ended session's CPU. Null when the server is not on this machine or /proc cannot be read.
    /// </summary>
    private static TimeSpan? ServerChildrenCpu(string? dataDirectory)
    {
        try
        {
            if (dataDirectory is null || !File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
            {
                return null;
            }
            var pid = File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First().Trim();
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // fields from the 3rd (state) on
            var ticks = long.Parse(fields[16 - 3]) + long.Parse(fields[17 - 3]); // cutime and cstime are fields 16 and 17 (1-based)
            return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    public async Task DropSchemaAsync(string schema)
    {
        await using var connection = await OpenAsync();
        await ScalarAsync(connection, $"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}

/// <summary>Server counters read before and after one configuration; see <see cref="PostgresProbe.CountersAsync"/>.</summary>
public readonly record struct PostgresCounters(long Commits, long WalSyncs, TimeSpan? ServerCpu)
{
    /// <summary>The server's CPU per run (its ended sessions, see <see cref="PostgresProbe.CountersAsync"/>), in µs; "n/a" if unknown.</summary>
    public static string ServerCpuPerRun(PostgresCounters before, PostgresCounters after, int runs) =>
        runs > 0 && before.ServerCpu is { } b && after.ServerCpu is { } a ? $"{(a - b).TotalMicroseconds / runs:N0}" : "n/a";

    /// <summary>The steps/commit column on PostgreSQL: commits, WAL flushes and server CPU per succeeded run, from the server.</summary>
    public static string PerRun(PostgresCounters before, PostgresCounters after, int runs) =>
        runs == 0 ? "n/a" : $"{(after.Commits - before.Commits) / (double)runs:0.00} commits/run, {(after.WalSyncs - before.WalSyncs) / (double)runs:0.00} WAL syncs/run, " +
            $"server CPU {ServerCpuPerRun(before, after, runs)} µs/run";
}
