using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace FanOut.Tests.Stores.Postgres;

/// <summary>
/// A real PostgreSQL server for the tests: the one <c>FANOUT_PG_CONNECTION</c> names, or else a throwaway PostgreSQL 15
/// cluster this fixture creates from the installed binaries (initdb in a fresh folder under /tmp, its own socket folder, a
/// free port on 127.0.0.1, trust on loopback), started once for the test run and stopped and deleted at the end. Tests
/// get a schema of their own (<see cref="NewSchema"/>), so they are independent. Missing binaries fail the tests with
/// what to install: never a silent skip.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string Collection = "PostgreSQL server";
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private string? directory;

    public string ConnectionString { get; private set; } = "";

    /// <summary>True when this fixture runs its own cluster (and so can restart it).</summary>
    public bool Owned => directory is not null;

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("FANOUT_PG_CONNECTION") is { Length: > 0 } given)
        {
            ConnectionString = given;
            return;
        }
        if (!Installed())
        {
            await InstallAsync();
        }
        if (!Installed())
        {
            throw new InvalidOperationException(
                $"The PostgreSQL tests need PostgreSQL 15's server binaries in {BinDirectory}: run `apt-get install postgresql-15` " +
                "(or set FANOUT_PG_CONNECTION to a server's connection string).");
        }
        directory = Directory.CreateTempSubdirectory("fanout-pg-").FullName;
        var data = Path.Combine(directory, "data");
        var socket = Path.Combine(directory, "socket");
        Directory.CreateDirectory(socket);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // initdb and pg_ctl refuse to run as root: the cluster belongs to the postgres user.
            await RunAsync("chown", ["-R", "postgres:postgres", directory]);
        }
        var port = FreePort();
        await RunPostgresAsync(asRoot, "initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--locale=C"]);
        await RunPostgresAsync(asRoot, "pg_ctl", ["start", "-D", data, "-w", "-t", "60", "-l", Path.Combine(directory, "server.log"),
            "-o", $"-p {port} -k {socket} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"]);
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=15;Command Timeout=30";
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (directory is null)
        {
            return;
        }
        try
        {
            await RunPostgresAsync(Environment.UserName == "root", "pg_ctl", ["stop", "-D", Path.Combine(directory, "data"), "-m", "immediate", "-w"]);
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    /// <summary>Restarts the server (pg_ctl restart, fast shutdown): every open connection is cut.</summary>
    public async Task RestartAsync()
    {
        await RunPostgresAsync(Environment.UserName == "root", "pg_ctl", ["restart", "-D", Path.Combine(directory!, "data"), "-m", "fast", "-w", "-t", "60"]);
        NpgsqlConnection.ClearAllPools(); // this process's own helpers open connections again
    }

    /// <summary>A schema name no other test uses.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N");

    /// <summary>Drops a test's schema.</summary>
    public async Task DropSchemaAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs one SQL statement and returns the first column of the first row.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static bool Installed() =>
        File.Exists(Path.Combine(BinDirectory, "initdb")) && File.Exists(Path.Combine(BinDirectory, "pg_ctl"));

    /// <summary>
    /// README's `dotnet test` needs no set-up: on a Debian machine where the tests run as root (a fresh CI or dev box),
    /// the missing server package is installed from Debian's archive, as .ci/run does. Elsewhere nothing is tried and the
    /// tests fail saying what to install. FANOUT_PG_NO_INSTALL=1 turns this off.
    /// </summary>
    private static async Task InstallAsync()
    {
        if (Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get") || Environment.GetEnvironmentVariable("FANOUT_PG_NO_INSTALL") == "1")
        {
            return;
        }
        await RunAsync("apt-get", ["update", "-qq"], TimeSpan.FromMinutes(5));
        await RunAsync("apt-get", ["install", "-y", "-qq", "postgresql-15"], TimeSpan.FromMinutes(10),
            ("DEBIAN_FRONTEND", "noninteractive"));
        // The package may start its own cluster on port 5432: the tests use a throwaway one, so that one is stopped.
        try
        {
            await RunAsync("pg_ctlcluster", ["15", "main", "stop"], TimeSpan.FromMinutes(1));
        }
        catch (InvalidOperationException)
        {
            // It was not running.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunPostgresAsync(bool asRoot, string tool, string[] arguments) =>
        asRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(BinDirectory, tool), .. arguments])
            : RunAsync(Path.Combine(BinDirectory, tool), arguments);

    private static Task RunAsync(string file, string[] arguments) => RunAsync(file, arguments, TimeSpan.FromSeconds(120));

    private static async Task RunAsync(string file, string[] arguments, TimeSpan limit, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(limit);
        await process.WaitForExitAsync(bound.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }
}

[CollectionDefinition(PostgresServer.Collection)]
public sealed class PostgresServerCollection : ICollectionFixture<PostgresServer>;
