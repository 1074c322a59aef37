// The Hangfire peer of FanOut.Load: E fire-and-forget jobs enqueued by N producers (each enqueue returns once the
// job is stored) on Hangfire.Storage.SQLite; the job does the same trivial work as FanOut's one-step function. Same
// command line and row as FanOut.Load (docs/benchmarks.md).
//
//   dotnet run -c Release --project benchmarks/Peers.Hangfire -- --producers 1,16
using FanOut.Load;
using Hangfire;
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
    foreach (var producers in options.Producers)
    {
        var report = await RunAsync(producers, options, Path.Combine(directory, $"hangfire-{producers}.db"));
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
    builder.Services.AddHangfire(c => c
        .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
        .UseSimpleAssemblyNameTypeSerializer()
        .UseRecommendedSerializerSettings()
        .UseSQLiteStorage(path, new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromMilliseconds(100) }));
    var workers = options.Workers > 0 ? options.Workers : Math.Min(Environment.ProcessorCount * 5, 20); // Hangfire's default
    builder.Services.AddHangfireServer(o => o.WorkerCount = workers);

    using var host = builder.Build();
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
    return new LoadReport("Hangfire 1.8.25", "sqlite", SqliteDurabilityProbe.Describe(path), producers, 1, workers.ToString(), options.Events, succeeded,
        elapsed, start, finish, "n/a", heap, cpu);
}
