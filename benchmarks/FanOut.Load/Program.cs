// FanOut end to end: E events sent by N producers (each awaiting every send) to a function of 1 or 2 steps, on the
// in-memory, the SQLite or the PostgreSQL store; one table row per configuration. docs/benchmarks.md has the figures
// and commands.
//
//   dotnet run -c Release --project benchmarks/FanOut.Load -- --store memory,sqlite --durability full,normal --producers 1,16 --steps 1,2
//   dotnet run -c Release --project benchmarks/FanOut.Load -- --store postgres --pg "Host=…" --producers 1,16 --steps 1,2
//   dotnet run -c Release --project benchmarks/FanOut.Load -- --store sqlite --durability normal --producers 16 --events 1000000 --heap-at 10000
//   dotnet run -c Release --project benchmarks/FanOut.Load -- --smoke        (CI: a few seconds; exit 1 if a run failed)
using FanOut;
using FanOut.Load;
using FanOut.Sqlite;
using FanOut.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var options = LoadOptions.Parse(args);
var configurations = options.Smoke
    ? new[] { new Configuration("memory", "none", 4, 2, 500), new Configuration("sqlite", "full", 4, 2, 500) }
    : (from store in options.Stores
       // PostgreSQL's durability is the server's (synchronous_commit, fsync): read from it and printed, not chosen here.
       from durability in store switch { "memory" => ["none"], "postgres" => ["server"], _ => options.Durabilities }
       from producers in options.Producers
       from steps in options.Steps
       select new Configuration(store, durability, producers, steps, options.Events)).ToArray();

var directory = Directory.CreateTempSubdirectory("fanout-load-").FullName;
var failed = false;
var heapLines = new List<string>();
try
{
    LoadReport.PrintHeader();
    foreach (var configuration in configurations)
    {
        var report = await RunAsync(configuration, options, directory, heapLines);
        report.Print();
        failed |= report.Succeeded != report.Events;
    }
    foreach (var line in heapLines)
    {
        Console.WriteLine();
        Console.WriteLine(line);
    }
}
finally
{
    Directory.Delete(directory, recursive: true);
}
if (failed)
{
    Console.Error.WriteLine("Some runs did not succeed (the ok column is below the events column).");
}
return failed ? 1 : 0;

static async Task<LoadReport> RunAsync(Configuration configuration, LoadOptions options, string directory, List<string> heapLines)
{
    var postgres = configuration.Store == "postgres" ? new PostgresProbe(options.Postgres!) : null;
    var schema = PostgresProbe.NewSchema("fanout");
    var before = postgres is null ? default : await postgres.CountersAsync();
    var clock = new LoadClock(configuration.Events);
    LoadClock.Current = clock;
    var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
    builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
    var fanout = builder.Services.AddFanOut(o =>
    {
        if (options.Workers > 0)
        {
            o.MaxConcurrentRuns = options.Workers;
        }
        o.StepSaving = options.StepSaving == "next" ? StepSaving.WithNextWrite : StepSaving.BeforeReturning;
    });
    if (configuration.Store == "sqlite")
    {
        var durability = configuration.Durability == "normal" ? SqliteDurability.Normal : SqliteDurability.Full;
        var path = Path.Combine(directory, $"{configuration.Durability}-{configuration.Producers}-{configuration.Steps}.db");
        fanout.UseSqlite($"Data Source={path}", o => o.Durability = durability);
    }
    else if (configuration.Store == "postgres")
    {
        fanout.UsePostgres(options.Postgres!, o => o.Schema = schema); // a fresh schema per configuration, dropped below
    }
    else if (configuration.Store != "memory")
    {
        throw new ArgumentException($"Unknown store '{configuration.Store}': memory, sqlite or postgres.");
    }
    // Time each run's end where its result is committed (FinishClock), in front of whichever store was chosen.
    var real = builder.Services.Last(d => d.ServiceType == typeof(IFanOutStore));
    builder.Services.Replace(ServiceDescriptor.Singleton<IFanOutStore>(sp => new FinishClock(
        real.ImplementationFactory is { } factory ? (IFanOutStore)factory(sp) : (IFanOutStore)real.ImplementationInstance!, clock)));

    var host = builder.Build();
    await host.StartAsync();
    var client = host.Services.GetRequiredService<IFanOutClient>();
    var store = ((FinishClock)host.Services.GetRequiredService<IFanOutStore>()).Store;
    var workers = (options.Workers > 0 ? options.Workers : new FanOutOptions().MaxConcurrentRuns).ToString();

    Func<int, int, Task> send = options.Batch == 1
        ? configuration.Steps == 1
            ? (i, _) => client.SendAsync(new OneStepTick(i, clock.Sending(i))).AsTask()
            : (i, _) => client.SendAsync(new TwoStepTick(i, clock.Sending(i))).AsTask()
        : (first, count) =>
        {
            // SendManyAsync: the batch's events and runs are accepted in one write, so one commit.
            var events = new OutgoingEvent[count];
            for (int k = 0; k < count; k++)
            {
                var i = first + k;
                events[k] = configuration.Steps == 1
                    ? OutgoingEvent.Create(new OneStepTick(i, clock.Sending(i)))
                    : OutgoingEvent.Create(new TwoStepTick(i, clock.Sending(i)));
            }
            return client.SendManyAsync(events).AsTask();
        };
    HeapReading? early = null;
    if (options.HeapAt > 0)
    {
        // The memory run: send the first N events, wait until all their runs have finished, measure the heap, then
        // send the rest. Both readings are taken in the same state (no run in flight, this harness's arrays alive).
        var reached = clock.WhenFinished(options.HeapAt);
        await clock.ProduceBatchesAsync(configuration.Producers, options.Batch, send, options.Rate, 0, options.HeapAt);
        if (await Task.WhenAny(reached, Task.Delay(options.Timeout)) != reached)
        {
            throw new TimeoutException($"{configuration}: the first {options.HeapAt} runs did not finish within {options.Timeout}.");
        }
        early = HeapReading.Take();
    }
    await clock.ProduceBatchesAsync(configuration.Producers, options.Batch, send, options.Rate, options.HeapAt);
    var finishedInTime = await Task.WhenAny(clock.AllFinished, Task.Delay(options.Timeout)) == clock.AllFinished;
    if (!finishedInTime)
    {
        Console.Error.WriteLine($"{configuration}: only {clock.Finished} of {clock.Events} runs finished within {options.Timeout}.");
    }

    var cpu = clock.CpuSinceFirstSend;
    // The second reading comes before Measure(), whose two temporary arrays of 8 bytes per event would otherwise stay
    // in the GC's committed memory and the working set (not in the heap: they are garbage by then).
    HeapReading? late = early is null ? null : HeapReading.Take();
    var (start, finish, elapsed) = clock.Measure();
    var succeeded = clock.Finished - clock.Failed;
    var statistics = store is SqliteStore sqlite ? sqlite.Statistics : (SqliteStoreStatistics?)null;
    if (early is { } atN && late is { } atEnd)
    {
        var harness = clock.OwnBytes;
        heapLines.Add(
            $"heap ({configuration}, durability {configuration.Durability}): after the first {options.HeapAt:N0} events' runs {atN}; " +
            $"after all {configuration.Events:N0} {atEnd}. Managed heap end ÷ first: {(double)atEnd.Heap / atN.Heap:0.000} " +
            $"({(atEnd.Heap - atN.Heap) / 1024.0:+0;-0} KB); without this harness's own {harness / 1048576.0:0.0} MB of timestamp arrays " +
            $"(alive at both readings): {(atN.Heap - harness) / 1024.0:N0} KB, then {(atEnd.Heap - harness) / 1024.0:N0} KB, {(double)(atEnd.Heap - harness) / (atN.Heap - harness):0.000}. " +
            $"Readings: GC.Collect(2, Forced, blocking, compacting), WaitForPendingFinalizers, again, GC.GetTotalMemory(true).");
    }
    LoadClock.Current = null; // the harness's own arrays go before the heap is measured
    clock = null;
    var heap = LoadReport.HeapAfterFullGc();
    await host.StopAsync();
    await ((IAsyncDisposable)host).DisposeAsync();
    if (statistics is { } counted)
    {
        Console.Error.WriteLine($"  {configuration}: {counted}");
    }
    var perCommit = statistics is { } st ? $"{st.StepsPerCommit:0.0}" : "n/a";
    var durabilityShown = configuration.Durability;
    if (postgres is not null)
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        perCommit = PostgresCounters.PerRun(before, await postgres.CountersAsync(), succeeded);
        durabilityShown = await postgres.DurabilityAsync();
        await postgres.DropSchemaAsync(schema);
    }
    return new LoadReport(
        options.Batch > 1 ? $"FanOut, SendManyAsync × {options.Batch}" : "FanOut", configuration.Store, durabilityShown + (options.StepSaving == "next" ? ", steps saved with the next write" : ""), configuration.Producers, configuration.Steps, workers,
        configuration.Events, succeeded, elapsed, start, finish, perCommit, heap, cpu);
}

/// <summary>
/// The managed heap after a full compacting collection, the memory the GC keeps committed for it, and the process's
/// working set (managed, native and code), at one moment.
/// </summary>
internal readonly record struct HeapReading(long Heap, long Committed, long WorkingSet)
{
    public static HeapReading Take()
    {
        var heap = LoadReport.HeapAfterFullGc();
        return new HeapReading(heap, GC.GetGCMemoryInfo().TotalCommittedBytes, Environment.WorkingSet);
    }

    public override string ToString() =>
        $"{Heap / 1024.0:N0} KB managed heap (GC committed {Committed / 1048576.0:0.0} MB, working set {WorkingSet / 1048576.0:0} MB)";
}

internal sealed record Configuration(string Store, string Durability, int Producers, int Steps, int Events)
{
    public override string ToString() => $"{Store}/{Durability}, {Producers} producer(s), {Steps} step(s), {Events} events";
}
