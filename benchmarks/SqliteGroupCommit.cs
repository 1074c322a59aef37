// How group commit amortizes the disk flush: N concurrent workers each save the 5 steps of a run one after another and
// finish it, against a SqliteStore on a temporary file, for both durability settings. Prints steps/s and steps/commit.
//
//   dotnet run -c Release benchmarks/SqliteGroupCommit.cs
#:project ../FanOut.Sqlite/FanOut.Sqlite.csproj
using System.Diagnostics;
using FanOut;
using FanOut.Runs;
using FanOut.Sqlite;
using FanOut.Stores;

const int Runs = 2000;
const int StepsPerRun = 5;
var directory = Directory.CreateTempSubdirectory("fanout-bench-").FullName;
try
{
    foreach (var durability in new[] { SqliteDurability.Full, SqliteDurability.Normal })
    {
        foreach (var workers in new[] { 1, 16, 64 })
        {
            var path = Path.Combine(directory, $"{durability}-{workers}.db");
            await using var store = new SqliteStore(new SqliteStoreOptions { ConnectionString = path, Durability = durability });
            var batch = new List<EventSubmission>(Runs);
            for (int i = 0; i < Runs; i++)
            {
                var evt = new StoredEvent($"e{i}", "bench/event", "{}"u8.ToArray(), 0);
                batch.Add(new EventSubmission(evt, [new RunRecord($"r{i}", "f", evt)]));
            }
            await store.AcceptAsync(batch, default);
            var claimed = (await store.ClaimAsync(Runs, default)).Runs;
            var before = store.Statistics;
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
            var after = store.Statistics;
            var commits = after.Commits - before.Commits;
            var steps = after.StepsSaved - before.StepsSaved;
            Console.WriteLine(
                $"{durability,-6} {workers,3} workers: {steps / clock.Elapsed.TotalSeconds,8:0} steps/s, " +
                $"{commits,6} commits, {(double)steps / commits,5:0.0} steps/commit, {(double)(after.Writes - before.Writes) / commits,5:0.0} writes/commit");
        }
    }
}
finally
{
    Directory.Delete(directory, recursive: true);
}
