// FanOut end to end: E events sent by N producers (each awaiting every send) to a function of 1 or 2 steps, on the
// in-memory or the SQLite store; one table row per configuration. docs/benchmarks.md has the figures and commands.
//
//   dotnet run -c Release --project benchmarks/FanOut.Load -- --store memory,sqlite --durability full,normal --producers 1,16 --steps 1,2
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
       from durability in store == "memory" ? ["none"] : options.Durabilities
       from producers in options.Producers
       from steps in options.Steps
       select new Configuration(store, durability, producers, steps, options.Events)).ToArray();

var directory = Directory.CreateTempSubdirectory("fanout-load-").FullName;
var failed = false;
try
{
    LoadReport.PrintHeader();
    foreach (var configuration in configurations)
    {
        var report = await RunAsync(configuration, options, directory);
        report.Print();
        failed |= report.Succeeded != report.Events;
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

static async Task<LoadReport> RunAsync(Configuration configuration, LoadOptions options, string directory)
{
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
    // Time each run's end where its result is committed (FinishClock), in front of whichever store was chosen.
    var real = builder.Services.Last(d => d.ServiceType == typeof(IFanOutStore));
    builder.Services.Replace(ServiceDescriptor.Singleton<IFanOutStore>(sp => new FinishClock(
        real.ImplementationFactory is { } factory ? (IFanOutStore)factory(sp) : (IFanOutStore)real.ImplementationInstance!, clock)));

    using var host = builder.Build();
    await host.StartAsync();
    var client = host.Services.GetRequiredService<IFanOutClient>();
    var store = ((FinishClock)host.Services.GetRequiredService<IFanOutStore>()).Store;
    var workers = (options.Workers > 0 ? options.Workers : new FanOutOptions().MaxConcurrentRuns).ToString();

    if (options.Batch == 1)
    {
        Func<int, Task> send = configuration.Steps == 1
            ? i => client.SendAsync(new OneStepTick(i, clock.Sending(i))).AsTask()
            : i => client.SendAsync(new TwoStepTick(i, clock.Sending(i))).AsTask();
        await clock.ProduceAsync(configuration.Producers, send, options.Rate);
    }
    else
    {
        // SendManyAsync: the batch's events and runs are accepted in one write, so one commit.
        await clock.ProduceBatchesAsync(configuration.Producers, options.Batch, (first, count) =>
        {
            var events = new OutgoingEvent[count];
            for (int k = 0; k < count; k++)
            {
                var i = first + k;
                events[k] = configuration.Steps == 1
                    ? OutgoingEvent.Create(new OneStepTick(i, clock.Sending(i)))
                    : OutgoingEvent.Create(new TwoStepTick(i, clock.Sending(i)));
            }
            return client.SendManyAsync(events).AsTask();
        }, options.Rate);
    }
    var finishedInTime = await Task.WhenAny(clock.AllFinished, Task.Delay(options.Timeout)) == clock.AllFinished;
    if (!finishedInTime)
    {
        Console.Error.WriteLine($"{configuration}: only {clock.Finished} of {clock.Events} runs finished within {options.Timeout}.");
    }

    var cpu = clock.CpuSinceFirstSend;
    var (start, finish, elapsed) = clock.Measure();
    var succeeded = clock.Finished - clock.Failed;
    var statistics = store is SqliteStore sqlite ? sqlite.Statistics : (SqliteStoreStatistics?)null;
    LoadClock.Current = null; // the harness's own arrays go before the heap is measured
    clock = null;
    var heap = LoadReport.HeapAfterFullGc();
    await host.StopAsync();
    if (statistics is { } counted)
    {
        Console.Error.WriteLine($"  {configuration}: {counted}");
    }
    return new LoadReport(
        options.Batch > 1 ? $"FanOut, SendManyAsync × {options.Batch}" : "FanOut", configuration.Store, configuration.Durability + (options.StepSaving == "next" ? ", steps saved with the next write" : ""), configuration.Producers, configuration.Steps, workers,
        configuration.Events, succeeded, elapsed, start, finish, statistics is { } st ? $"{st.StepsPerCommit:0.0}" : "n/a", heap, cpu);
}

internal sealed record Configuration(string Store, string Durability, int Producers, int Steps, int Events)
{
    public override string ToString() => $"{Store}/{Durability}, {Producers} producer(s), {Steps} step(s), {Events} events";
}
