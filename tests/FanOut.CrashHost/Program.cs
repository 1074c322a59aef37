// The crash test's child process: a real FanOut app. It hosts the engine (AddFanOut + UseSqlite on the file it is
// given, the hosted worker, the generated trigger table) and two functions of 'crash/work' whose runs execute their
// steps one after another. See Evidence for what each step reports, and FanOut.Sdk.Tests/Stores/SqliteCrashTests.cs
// for the test that kills this process with SIGKILL and starts it again on the same file.
//
//   send <events>         sends that many events, one SendAsync at a time, printing "sent <event> <run> <run>" once each
//                         send has returned; then waits for their runs and prints "finished" (unless killed first).
//                         The sending keeps pace with the work (at most 8 events ahead of the steps done), so a kill
//                         during the work also falls during the sending.
//   resume <run-ids-file> waits until every run listed in the file (one id a line) has finished; prints "finished".
//   work <ignored>        a worker node only: runs what it claims until it is killed (the PostgreSQL process tests).
//   credits               a step starts only with a credit read from stdin ("go <n>").
//
// <db> is a SQLite file, or "postgres:<schema>" for the PostgreSQL store (FanOut.Sdk.Tests/Stores/Postgres/
// PostgresProcessTests.cs): the connection string is in FANOUT_CRASH_PG_CONNECTION and the lease, in milliseconds, in
// FANOUT_CRASH_PG_LEASE_MS; several such processes share one schema, each a node.
//
// Usage: FanOut.CrashHost <db> <executions-log> <steps-per-run> (send <events> | resume <run-ids-file> | work 0) [credits]
using System.Globalization;
using FanOut;
using FanOut.CrashHost;
using FanOut.Sqlite;
using FanOut.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

if (args.Length < 5 || args[3] is not ("send" or "resume" or "work"))
{
    Console.Error.WriteLine("usage: FanOut.CrashHost <db> <executions-log> <steps-per-run> (send <events> | resume <run-ids-file> | work 0) [credits]");
    return 2;
}
var (databasePath, executionsLog, mode, modeArgument) = (args[0], args[1], args[3], args[4]);
var stepsPerRun = int.Parse(args[2], CultureInfo.InvariantCulture);
using var evidence = new Evidence(executionsLog, withCredits: args.Contains("credits"));

// Not CreateApplicationBuilder(args): the arguments are this program's own, and a path such as /tmp/… would be read as
// a configuration switch.
var builder = Host.CreateApplicationBuilder();
// stdout is the test's protocol: logs go to stderr, which the test shows when it fails. The worker's recovery is a
// warning ("Recovered N run(s) …"), so it is visible here.
builder.Logging.ClearProviders();
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton(evidence);
var fanOutBuilder = builder.Services.AddFanOut(o =>
{
    o.MaxConcurrentRuns = 16; // several runs at once, so several steps are in flight when the process is killed
    o.ShutdownGracePeriod = TimeSpan.FromSeconds(5);
});
if (databasePath.StartsWith("postgres:", StringComparison.Ordinal))
{
    var lease = TimeSpan.FromMilliseconds(int.Parse(Environment.GetEnvironmentVariable("FANOUT_CRASH_PG_LEASE_MS") ?? "30000", CultureInfo.InvariantCulture));
    fanOutBuilder.UsePostgres(Environment.GetEnvironmentVariable("FANOUT_CRASH_PG_CONNECTION")!, o =>
    {
        o.Schema = databasePath["postgres:".Length..];
        o.LeaseDuration = lease;
        o.LeaseRenewalInterval = lease / 4;
        o.PollInterval = TimeSpan.FromMilliseconds(250);
        o.NodeName = $"node-{Environment.ProcessId}";
    });
}
else
{
    fanOutBuilder.UseSqlite(databasePath);
}

using var host = builder.Build();
await host.StartAsync(); // the worker recovers what a killed process left running, then claims due runs
var fanout = host.Services.GetRequiredService<IFanOutClient>();

var runIds = new List<string>();
if (mode == "send")
{
    const int EventsAhead = 8;
    var events = int.Parse(modeArgument, CultureInfo.InvariantCulture);
    var stepsSent = new List<long>(); // after each event: how many steps all the events sent so far make
    for (int e = 0; e < events; e++)
    {
        if (e >= EventsAhead)
        {
            await evidence.DoneAtLeastAsync(stepsSent[e - EventsAhead]);
        }
        var sent = await fanout.SendAsync(new CrashWork(e, stepsPerRun));
        // Printed only after SendAsync returned: the store has committed the event and its runs.
        evidence.Say($"sent {sent.EventId} {string.Join(' ', sent.Runs.Select(r => r.RunId))}");
        runIds.AddRange(sent.Runs.Select(r => r.RunId));
        stepsSent.Add((stepsSent.Count == 0 ? 0 : stepsSent[^1]) + (long)sent.Runs.Count * stepsPerRun);
    }
}
else if (mode == "resume")
{
    runIds.AddRange(File.ReadAllLines(modeArgument).Where(line => line.Length > 0));
}
else
{
    evidence.Say("working");
    await Task.Delay(Timeout.Infinite); // a worker node runs until it is killed
}

var failed = 0;
foreach (var runId in runIds)
{
    var result = await fanout.WaitForRunAsync(runId);
    if (result.Status != RunStatus.Succeeded)
    {
        failed++;
        Console.Error.WriteLine($"Run {runId} ended {result.Status}: {result.Error?.Message}");
    }
}
var statistics = host.Services.GetRequiredService<IFanOutStore>() is SqliteStore sqlite ? $"; {sqlite.Statistics}" : "";
evidence.Say($"finished: {runIds.Count - failed} of {runIds.Count} runs succeeded{statistics}");
await host.StopAsync();
return failed == 0 ? 0 : 1;
