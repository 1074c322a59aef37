// The PostgreSQL store's step path: N concurrent workers each save the 5 steps of a claimed run one after another and
// finish it (as SqliteGroupCommit.cs does for SQLite), each in a fresh schema. Every save and finish is its own
// transaction and commit: there is no group commit, so this measures the server's commit rate under concurrency.
//
//   FANOUT_PG_CONNECTION="Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres" dotnet run -c Release benchmarks/PostgresSteps.cs
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
    Console.WriteLine($"{workers,3} workers: {Runs * StepsPerRun / clock.Elapsed.TotalSeconds,8:0} steps/s, {Runs / clock.Elapsed.TotalSeconds,7:0} runs/s");
}
