// The Hangfire peer of FanOut.Load: E fire-and-forget jobs enqueued by N producers (each enqueue returns once the
// job is stored) on Hangfire.Storage.SQLite or Hangfire.PostgreSql; the job does the same trivial work as FanOut's one-step function. Same
// command line and row as FanOut.Load (docs/benchmarks.md).
//
//   dotnet run -c Release --project benchmarks/Peers.Hangfire -- --producers 1,16
//   dotnet run -c Release --project benchmarks/Peers.Hangfire -- --store postgres --pg "Host=…" --producers 1,16
using FanOut.Load;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Peers.Hangfire;

var options = LoadOptions.Parse(args);
if (options.Batch > 1)
{
    Console.Error.WriteLine("--batch is FanOut's SendManyAsync; this peer sends one job per call.");
    return 2;
}
var directory = Directory.CreateTempSubdirectory("hangfire-load-").FullName;
var failed = false;
try
{
    LoadReport.PrintHeader();
    foreach (var store in options.Stores)
    {
        foreach (var producers in options.Producers)
        {
            var report = store switch
            {
                "sqlite" => await RunAsync(producers, options, new SqliteTarget(Path.Combine(directory, $"hangfire-{producers}.db"))),
                "postgres" => await RunAsync(producers, options, new PostgresTarget(options.Postgres!, PostgresProbe.NewSchema("hangfire"))),
                _ => throw new ArgumentException($"This peer runs on sqlite or postgres, not '{store}'."),
            };
            report.Print();
            failed |= report.Succeeded != report.Events;
        }
    }
}
finally
{
    Directory.Delete(directory, recursive: true);
}
return failed ? 1 : 0;

static async Task<LoadReport> RunAsync(int producers, LoadOptions options, object target)
{
    var postgres = target is PostgresTarget pg ? new PostgresProbe(pg.ConnectionString) : null;
    var before = postgres is null ? default : await postgres.CountersAsync();
    var clock = new LoadClock(options.Events);
    LoadClock.Current = clock;
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
    builder.Services.AddHangfire(c =>
    {
        c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
        _ = target switch
        {
            SqliteTarget sqlite => c.UseSQLiteStorage(sqlite.Path, new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromMilliseconds(100) }),
            PostgresTarget pg => (object)c.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(pg.ConnectionString),
                new PostgreSqlStorageOptions { SchemaName = pg.Schema, PrepareSchemaIfNecessary = true, QueuePollInterval = TimeSpan.FromMilliseconds(100) }),
            _ => throw new ArgumentException("Unknown target."),
        };
    });
    var workers = options.Workers > 0 ? options.Workers : Math.Min(Environment.ProcessorCount * 5, 20); // Hangfire's default
    builder.Services.AddHangfireServer(o => o.WorkerCount = workers);

    var host = builder.Build();
    await host.StartAsync();
    var jobs = host.Services.GetRequiredService<IBackgroundJobClient>();
    await clock.ProduceAsync(producers, i =>
    {
        var sentAt = clock.Sending(i);
        jobs.Enqueue<TickJob>(job => job.Run(i, sentAt)); // synchronous: returns once the job is stored
        return Task.CompletedTask;
    }, options.Rate);
    var finishedInTime = await Task.WhenAny(clock.AllFinished, Task.Delay(options.Timeout)) == clock.AllFinished;
    if (!finishedInTime)
    {
        Console.Error.WriteLine($"Hangfire, {producers} producer(s): only {clock.Finished} of {clock.Events} jobs ran within {options.Timeout}.");
    }
    var cpu = clock.CpuSinceFirstSend;
    var (start, finish, elapsed) = clock.Measure();
    var succeeded = clock.Finished - clock.Failed;
    LoadClock.Current = null;
    clock = null;
    var heap = LoadReport.HeapAfterFullGc();
    using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
    {
        try { await host.StopAsync(stop.Token); } catch (OperationCanceledException) { }
    }
    host.Dispose();
    string durability, perCommit = "n/a";
    if (target is PostgresTarget done)
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        perCommit = PostgresCounters.PerRun(before, await postgres!.CountersAsync(), succeeded);
        durability = await postgres.DurabilityAsync();
        await postgres.DropSchemaAsync(done.Schema);
    }
    else
    {
        durability = SqliteDurabilityProbe.Describe(((SqliteTarget)target).Path);
    }
    return new LoadReport("Hangfire 1.8.25", target is PostgresTarget ? "postgres" : "sqlite", durability, producers, 1, workers.ToString(), options.Events, succeeded,
        elapsed, start, finish, perCommit, heap, cpu);
}

internal sealed record SqliteTarget(string Path);

internal sealed record PostgresTarget(string ConnectionString, string Schema);
