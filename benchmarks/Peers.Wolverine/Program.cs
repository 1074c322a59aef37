// The Wolverine peer of FanOut.Load: E messages published by N producers (each awaiting every publish) to a durable
// local queue persisted in SQLite; the handler does the same trivial work as FanOut's one-step function. Same command
// line and row as FanOut.Load (docs/benchmarks.md).
//
//   dotnet run -c Release --project benchmarks/Peers.Wolverine -- --producers 1,16
using FanOut.Load;
using JasperFx.CodeGeneration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Peers.Wolverine;
using Wolverine;
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
    foreach (var producers in options.Producers)
    {
        var report = await RunAsync(producers, options, Path.Combine(directory, $"wolverine-{producers}.db"));
        report.Print();
        failed |= report.Succeeded != report.Events;
    }
}
finally
{
    Directory.Delete(directory, recursive: true);
}
return failed ? 1 : 0;

static async Task<LoadReport> RunAsync(int producers, LoadOptions options, string path)
{
    var clock = new LoadClock(options.Events);
    LoadClock.Current = clock;
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
    builder.UseWolverine(opts =>
    {
        opts.UseRuntimeCompilation();
        opts.PersistMessagesWithSqlite($"Data Source={path}");
        opts.Policies.UseDurableLocalQueues();
        opts.Discovery.DisableConventionalDiscovery().IncludeType(typeof(TickHandler));
        opts.PublishMessage<Tick>().ToLocalQueue("load").UseDurableInbox();
        if (options.Workers > 0)
        {
            opts.LocalQueue("load").MaximumParallelMessages(options.Workers);
        }
    });

    using var host = builder.Build();
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
    return new LoadReport("Wolverine 6.62.0", "sqlite", SqliteDurabilityProbe.Describe(path), producers, 1, options.Workers > 0 ? options.Workers.ToString() : "default", options.Events, succeeded,
        elapsed, start, finish, "n/a", heap, cpu);
}
