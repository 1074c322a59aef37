// The PostgreSQL store's step path: N concurrent workers each save the 5 steps of a claimed run one after another and
// finish it (as SqliteGroupCommit.cs does for SQLite), each in a fresh schema. The store's group commit puts the saves
// and ends of all the workers' runs that queue while a commit is in flight into the next transaction; each line ends
// with how many writes went into how many commits (PostgresStore.Statistics) and this process's CPU time per run.
//
//   FANOUT_PG_CONNECTION="Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres" dotnet run -c Release benchmarks/PostgresSteps.cs
//
// With FANOUT_PG_PID set to the server's postmaster pid (a server on this machine), each line also gives the server's CPU
// time per run: the postmaster's and its live children's, plus what its exited children used, from /proc.
#:project ../FanOut.PostgreSql/FanOut.PostgreSql.csproj
using System.Diagnostics;
using FanOut;
using FanOut.PostgreSql;
using FanOut.Runs;
using FanOut.Stores;

const int Runs = 2000;
const int StepsPerRun = 5;
var connection = Environment.GetEnvironmentVariable("FANOUT_PG_CONNECTION")
    ?? throw new InvalidOperationException("Set FANOUT_PG_CONNECTION to a PostgreSQL connection string.");
foreach (var workers in new[] { 1, 16, 64 })
{
    var schema = $"bench_{workers}_{Guid.NewGuid():N}"[..30];
    await using var store = new PostgresStore(new PostgresStoreOptions
    {
        ConnectionString = connection + ";Maximum Pool Size=100",
        Schema = schema,
        PruneInterval = Timeout.InfiniteTimeSpan,
    });
    var batch = new List<EventSubmission>(Runs);
    for (int i = 0; i < Runs; i++)
    {
        var evt = new StoredEvent($"e{i}", "bench/event", "{}"u8.ToArray(), 0);
        batch.Add(new EventSubmission(evt, [new RunRecord($"r{i}", "f", evt)]));
    }
    await store.AcceptAsync(batch, default);
    var claimed = new List<ClaimedRun>();
    while (claimed.Count < Runs)
    {
        claimed.AddRange((await store.ClaimAsync(500, default)).Runs);
    }
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var serverCpu = ServerCpuTicks();
    var clock = Stopwatch.StartNew();
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < claimed.Count)
        {
            var run = claimed[i].Run;
            for (int s = 0; s < StepsPerRun; s++)
            {
                var now = DateTimeOffset.UtcNow;
                await store.SaveStepAsync(run.Id, new StepState($"s{s}", StepStatus.Succeeded, 1, "1"u8.ToArray(), null, now, now), default);
            }
            await store.FinishAsync(new RunResult(run.Id, run.FunctionId, run.Event.Id, run.Event.Name, RunStatus.Succeeded), default);
        }
    })));
    clock.Stop();
    cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    serverCpu = ServerCpuTicks() - serverCpu;
    var statistics = store.Statistics;
    Console.WriteLine($"{workers,3} workers: {Runs * StepsPerRun / clock.Elapsed.TotalSeconds,8:0} steps/s, {Runs / clock.Elapsed.TotalSeconds,7:0} runs/s, " +
        $"{statistics.Writes} writes in {statistics.Commits} commits ({statistics.WritesPerCommit:0.0} writes/commit), " +
        $"client CPU {cpu.TotalMicroseconds / Runs:0} µs/run" +
        (serverCpu >= 0 ? $", server CPU {serverCpu * 10_000.0 / Runs:0} µs/run" : ""));
}

// The server's CPU time in clock ticks (1/100 s), or -1 without FANOUT_PG_PID.
static long ServerCpuTicks()
{
    if (!int.TryParse(Environment.GetEnvironmentVariable("FANOUT_PG_PID"), out var postmaster))
    {
        return -1;
    }
    long ticks = 0;
    foreach (var directory in Directory.EnumerateDirectories("/proc"))
    {
        string[] fields;
        try
        {
            var stat = File.ReadAllText(Path.Combine(directory, "stat"));
            fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // fields from the state on: [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime
        }
        catch (IOException)
        {
            continue; // not a process, or it ended
        }
        catch (UnauthorizedAccessException)
        {
            continue;
        }
        if (!int.TryParse(Path.GetFileName(directory), out var pid) || (pid != postmaster && fields[1] != postmaster.ToString()))
        {
            continue;
        }
        ticks += long.Parse(fields[11]) + long.Parse(fields[12]);
        if (pid == postmaster)
        {
            ticks += long.Parse(fields[13]) + long.Parse(fields[14]);
        }
    }
    return ticks;
}
