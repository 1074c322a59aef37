// The Wolverine peer of FanOut.Load: E messages published by N producers (each awaiting every publish) to a durable
// local queue persisted in SQLite or PostgreSQL; the handler does the same trivial work as FanOut's one-step function. Same command
// line and row as FanOut.Load (docs/benchmarks.md).
//
//   dotnet run -c Release --project benchmarks/Peers.Wolverine -- --producers 1,16
//   dotnet run -c Release --project benchmarks/Peers.Wolverine -- --store postgres --pg "Host=…" --producers 1,16
using FanOut.Load;
using JasperFx.CodeGeneration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Peers.Wolverine;
using Wolverine;
using Wolverine.Postgresql;
using Wolverine.Sqlite;

var options = LoadOptions.Parse(args);
if (options.Batch > 1)
{
    Console.Error.WriteLine("--batch is FanOut's SendManyAsync; this peer sends one job per call.");
    return 2;
}
var directory = Directory.CreateTempSubdirectory("wolverine-load-").FullName;
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
                "sqlite" => await RunAsync(producers, options, new SqliteTarget(Path.Combine(directory, $"wolverine-{producers}.db"))),
                "postgres" => await RunAsync(producers, options, new PostgresTarget(options.Postgres!, PostgresProbe.NewSchema("wolverine"))),
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
    builder.UseWolverine(opts =>
    {
        opts.UseRuntimeCompilation();
        switch (target)
        {
            case SqliteTarget sqlite: opts.PersistMessagesWithSqlite($"Data Source={sqlite.Path}"); break;
            case PostgresTarget pg: opts.PersistMessagesWithPostgresql(pg.ConnectionString, pg.Schema); break;
        }
        opts.Policies.UseDurableLocalQueues();
        opts.Discovery.DisableConventionalDiscovery().IncludeType(typeof(TickHandler));
        opts.PublishMessage<Tick>().ToLocalQueue("load").UseDurableInbox();
        if (options.Workers > 0)
        {
            opts.LocalQueue("load").MaximumParallelMessages(options.Workers);
        }
    });

    var host = builder.Build();
    await host.StartAsync();
    var bus = host.Services.GetRequiredService<IMessageBus>();
    await clock.ProduceAsync(producers, i => bus.PublishAsync(new Tick(i, clock.Sending(i))).AsTask(), options.Rate);
    var finishedInTime = await Task.WhenAny(clock.AllFinished, Task.Delay(options.Timeout)) == clock.AllFinished;
    if (!finishedInTime)
    {
        Console.Error.WriteLine($"Wolverine, {producers} producer(s): only {clock.Finished} of {clock.Events} messages handled within {options.Timeout}.");
    }
    var cpu = clock.CpuSinceFirstSend;
    var (start, finish, elapsed) = clock.Measure();
    var succeeded = clock.Finished - clock.Failed;
    LoadClock.Current = null;
    clock = null;
    var heap = LoadReport.HeapAfterFullGc();
    using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
    {
        try { await host.StopAsync(stop.Token); } catch (OperationCanceledException) { } // Wolverine waits its drain timeout otherwise
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
    return new LoadReport("Wolverine 6.62.0", target is PostgresTarget ? "postgres" : "sqlite", durability, producers, 1, options.Workers > 0 ? options.Workers.ToString() : "default", options.Events, succeeded,
        elapsed, start, finish, perCommit, heap, cpu);
}

internal sealed record SqliteTarget(string Path);

internal sealed record PostgresTarget(string ConnectionString, string Schema);
