// The crash test's child process. It opens a SQLite store on the file it is given and drives it directly, as the
// worker does: recover, then claim and execute runs until none is left. Every step of a run is memoized: a step whose
// memo says Succeeded is skipped; otherwise "exec <run> <step>" is appended to the executions log and flushed to disk
// BEFORE the step's work, the step is saved, and only then "done <run> <step>" is printed. So a step executed twice
// shows as two exec lines, and a step printed done must never be executed again.
//
// With "credits", a step starts only with a credit read from stdin ("go <n>" lines): the test keeps the child a fixed
// number of steps ahead of what it has read, so the child is surely still working when it is killed.
//
// Usage: FanOut.CrashHost <db> <executions-log> <steps-per-run> [accept <events> <runs-per-event>] [credits]
using System.Text;
using FanOut;
using FanOut.Runs;
using FanOut.Sqlite;
using FanOut.Stores;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: FanOut.CrashHost <db> <executions-log> <steps-per-run> [accept <events> <runs-per-event>] [credits]");
    return 2;
}
var acceptAt = Array.IndexOf(args, "accept");
SemaphoreSlim? credits = null;
if (args.Contains("credits"))
{
    credits = new SemaphoreSlim(0);
    _ = Task.Run(async () =>
    {
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("go ", StringComparison.Ordinal))
            {
                credits.Release(int.Parse(line[3..], System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    });
}
var databasePath = args[0];
var stepsPerRun = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var time = TimeProvider.System;
var stdout = Console.Out;
var outputGate = new Lock();

await using var store = new SqliteStore(new SqliteStoreOptions { ConnectionString = databasePath }, time);
await using var executions = new FileStream(args[1], FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
var recovered = await store.RecoverAsync(CancellationToken.None);
Say($"recovered {recovered}");

if (acceptAt >= 0)
{
    var events = int.Parse(args[acceptAt + 1], System.Globalization.CultureInfo.InvariantCulture);
    var runsPerEvent = int.Parse(args[acceptAt + 2], System.Globalization.CultureInfo.InvariantCulture);
    var batch = new List<EventSubmission>();
    for (int e = 0; e < events; e++)
    {
        var evt = new StoredEvent($"evt-{e:D5}", "crash/test", Encoding.UTF8.GetBytes($$"""{"n":{{e}}}"""), time.GetUtcNow().ToUnixTimeMilliseconds());
        batch.Add(new EventSubmission(evt, [.. Enumerable.Range(0, runsPerEvent).Select(k => new RunRecord($"run-{e:D5}-{k}", $"function-{k}", evt))]));
    }
    await store.AcceptAsync(batch, CancellationToken.None);
    Say($"accepted {events * runsPerEvent}");
}

// Up to 16 runs at once, so several are in flight when the process is killed.
const int MaxConcurrentRuns = 16;
var inFlight = new List<Task>();
while (true)
{
    var claim = await store.ClaimAsync(MaxConcurrentRuns - inFlight.Count, CancellationToken.None);
    foreach (var claimed in claim.Runs)
    {
        inFlight.Add(Task.Run(() => ExecuteAsync(claimed)));
    }
    if (inFlight.Count == 0)
    {
        if (claim.Runs.Count == 0 && claim.NextDueAt is null)
        {
            break;
        }
        continue;
    }
    var ended = await Task.WhenAny(inFlight);
    await ended; // a failure ends the host, loudly
    inFlight.Remove(ended);
}
Say($"finished {store.Statistics}");
return 0;

async Task ExecuteAsync(ClaimedRun claimed)
{
    var runId = claimed.Run.Id;
    var startedAt = time.GetUtcNow();
    var steps = new List<StepResult>();
    for (int s = 1; s <= stepsPerRun; s++)
    {
        var stepId = $"step-{s}";
        var memo = claimed.Steps.FirstOrDefault(m => m.Id == stepId);
        if (memo is { Status: StepStatus.Succeeded })
        {
            steps.Add(new StepResult(stepId, memo.Status, memo.Attempts, memo.StartedAt, memo.FinishedAt, null));
            continue;
        }
        if (credits is not null)
        {
            await credits.WaitAsync();
        }
        var stepStarted = time.GetUtcNow();
        LogExecution($"exec {runId} {stepId}\n");
        await Task.Yield(); // the step's "work"
        var output = Encoding.UTF8.GetBytes($"\"{runId}/{stepId}\"");
        var now = time.GetUtcNow();
        await store.SaveStepAsync(runId, new StepState(stepId, StepStatus.Succeeded, 1, output, null, stepStarted, now), CancellationToken.None);
        steps.Add(new StepResult(stepId, StepStatus.Succeeded, 1, stepStarted, now, null));
        Say($"done {runId} {stepId}");
    }
    await store.FinishAsync(new RunResult(runId, claimed.Run.FunctionId, claimed.Run.Event.Id, claimed.Run.Event.Name, RunStatus.Succeeded)
    {
        Attempts = claimed.Attempt,
        StartedAt = startedAt,
        FinishedAt = time.GetUtcNow(),
        Steps = steps,
    }, CancellationToken.None);
}

void LogExecution(string line)
{
    var bytes = Encoding.UTF8.GetBytes(line);
    lock (outputGate)
    {
        executions.Write(bytes);
        executions.Flush(flushToDisk: true);
    }
}

void Say(string line)
{
    lock (outputGate)
    {
        stdout.WriteLine(line);
        stdout.Flush();
    }
}
