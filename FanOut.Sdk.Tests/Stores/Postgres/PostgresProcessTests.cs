using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using FanOut.PostgreSql;
using FanOut.Runs;
using FanOut.Stores;
using Xunit.Abstractions;

namespace FanOut.Tests.Stores.Postgres;

/// <summary>
/// Real worker processes (tests/FanOut.CrashHost on <c>postgres:&lt;schema&gt;</c>: AddFanOut, UsePostgres, the hosted
/// worker, generated functions) share one schema as nodes; this test process only accepts the events and reads the
/// outcome. One node is killed with SIGKILL mid-load, the server is restarted mid-load, a node is paused with SIGSTOP
/// until it loses its run and then resumed with SIGCONT. Each step logs "exec" durably before its work, and prints
/// "done" once its memo is stored; the evidence is read from those, never from timings.
/// </summary>
[Collection(PostgresServer.Collection)]
public sealed class PostgresProcessTests : IAsyncLifetime
{
    private const int StepsPerRun = 5;
    // The node that dies or stalls holds its runs on a short lease, so they are taken over soon; the healthy nodes on a
    // long one, so that a busy machine delaying their renewals cannot make them lose runs and muddle the evidence.
    private const int ShortLeaseMs = 2000;
    private const int LongLeaseMs = 30_000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly string[] StepIds = [.. Enumerable.Range(0, StepsPerRun).Select(i => i == 0 ? "step" : $"step:{i}")];

    private readonly PostgresServer server;
    private readonly ITestOutputHelper output;
    private readonly string schema = PostgresServer.NewSchema();
    private readonly string directory = Directory.CreateTempSubdirectory("fanout-pg-nodes-").FullName;
    private readonly List<Node> nodes = [];
    private PostgresStore producer = null!;
    private int sequence;

    public PostgresProcessTests(PostgresServer server, ITestOutputHelper output)
    {
        this.server = server;
        this.output = output;
    }

    public async Task InitializeAsync()
    {
        producer = new PostgresStore(new PostgresStoreOptions
        {
            ConnectionString = server.ConnectionString,
            Schema = schema,
            ClaimRuns = false,
            PruneInterval = Timeout.InfiniteTimeSpan,
        });
        await producer.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var node in nodes)
        {
            node.Dispose();
        }
        try
        {
            await producer.DisposeAsync();
            await server.DropSchemaAsync(schema);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Three_nodes_one_killed_mid_load_complete_every_run_and_no_stored_step_runs_again()
    {
        var victim = StartNode(credits: true, leaseMs: ShortLeaseMs);
        await victim.WaitForLineAsync("working");
        var runIds = await AcceptAsync(events: 40);
        await WaitUntilAsync(async () => (long)(await server.ScalarAsync($"SELECT count(*) FROM \"{schema}\".runs WHERE lease_owner = 'node-{victim.Process.Id}';"))! == 16,
            "the victim to claim 16 runs (its concurrency)");
        var survivors = new[] { StartNode(), StartNode() };
        await victim.GiveCreditsAsync(30);
        await victim.WaitForDoneAsync(30, "the victim's 30 credited steps");
        victim.Process.Kill(); // SIGKILL: no handler, no flush, no lease released
        await victim.ExitedAsync();

        var results = await WaitForResultsAsync(runIds);

        var evidence = Evidence.Read(nodes);
        AssertAllSucceededWithTheirSteps(results);
        foreach (var (step, executions) in evidence.Executions)
        {
            var onSurvivors = executions.Count(n => n != victim);
            Assert.True(onSurvivors <= 1, $"Step '{step}' executed {onSurvivors} times on the surviving nodes.");
            Assert.True(evidence.DoneBy(step).Count <= 1, $"Step '{step}' was reported stored by {evidence.DoneBy(step).Count} nodes.");
            if (evidence.DoneBy(step).Contains(victim))
            {
                Assert.True(executions.Count == 1, $"Step '{step}' was stored by the killed node and still executed {executions.Count} times.");
            }
        }
        var takenOver = runIds.Where(run => StepIds.Any(s => evidence.DoneBy($"{run} {s}").Contains(victim))
            && StepIds.Any(s => evidence.DoneBy($"{run} {s}").Any(n => n != victim))).ToArray();
        Assert.True(takenOver.Length > 0, "No run of the killed node was finished by another node; the test proves nothing.");
        output.WriteLine($"{takenOver.Length} run(s) of the killed node finished elsewhere; {evidence.Executions.Count(e => e.Value.Count > 1)} step(s) executed twice");
    }

    [Fact]
    public async Task Nodes_reconnect_after_the_server_restarts_mid_load_and_finish_every_run()
    {
        Assert.True(server.Owned, "This test restarts the server: run it on the fixture's own cluster (unset FANOUT_PG_CONNECTION).");
        var runIds = await AcceptAsync(events: 30);
        var workers = new[] { StartNode(credits: true), StartNode(credits: true), StartNode(credits: true) };
        foreach (var worker in workers)
        {
            await worker.GiveCreditsAsync(25);
        }
        // Every node holds runs, their next steps waiting for credits, when the server goes down and comes back.
        foreach (var worker in workers)
        {
            await worker.WaitForDoneAsync(25, "25 credited steps");
        }
        var startedBefore = await server.ScalarAsync("SELECT pg_postmaster_start_time();");
        await server.RestartAsync();
        var startedAfter = await server.ScalarAsync("SELECT pg_postmaster_start_time();");
        foreach (var worker in workers)
        {
            await worker.GiveCreditsAsync(10_000);
        }

        var results = await WaitForResultsAsync(runIds);

        AssertAllSucceededWithTheirSteps(results);
        var evidence = Evidence.Read(nodes);
        Assert.All(evidence.Executions.Keys, step => Assert.True(evidence.DoneBy(step).Count <= 1, $"Step '{step}' was reported stored twice."));
        Assert.NotEqual(startedBefore, startedAfter); // every connection the nodes had was cut
        output.WriteLine($"{evidence.Executions.Count(e => e.Value.Count > 1)} step(s) executed again after the restart");
    }

    [Fact]
    public async Task A_paused_node_loses_its_run_to_another_and_its_late_writes_after_resuming_are_refused()
    {
        var runIds = await AcceptAsync(events: 1, functions: ["crash-left"]);
        var paused = StartNode(credits: true, leaseMs: ShortLeaseMs); // its first step waits for a credit: it holds the run, mid-attempt
        await WaitUntilAsync(async () => await server.ScalarAsync($"SELECT lease_owner FROM \"{schema}\".runs WHERE status = 1;") as string == $"node-{paused.Process.Id}",
            "the first node to claim the run");
        Signal(paused, Sigstop);
        await paused.GiveCreditsAsync(100); // read only after SIGCONT
        var taker = StartNode();

        var result = Assert.Single(await WaitForResultsAsync(runIds));
        Signal(paused, Sigcont);
        await paused.WaitForErrorAsync("taken over by another worker");
        var after = await producer.GetResultAsync(runIds[0], default);

        AssertAllSucceededWithTheirSteps([result]);
        Assert.Equal(2, result.Attempts);
        var evidence = Evidence.Read(nodes);
        Assert.All(StepIds, s => Assert.Equal([taker], evidence.DoneBy($"{runIds[0]} {s}")));
        Assert.Contains(paused, evidence.Executions[$"{runIds[0]} step"]); // it did run its step after SIGCONT …
        Assert.Equal(0L, await server.ScalarAsync($"SELECT count(*) FROM \"{schema}\".steps WHERE status <> 1;")); // … and recorded nothing
        Assert.Equal((RunStatus.Succeeded, 2, result.FinishedAt), (after!.Status, after.Attempts, after.FinishedAt));
    }

    private const int Sigstop = 19;
    private const int Sigcont = 18;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private static void Signal(Node node, int signal) =>
        Assert.True(kill(node.Process.Id, signal) == 0, $"kill({node.Process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");

    private async Task<string[]> AcceptAsync(int events, string[]? functions = null)
    {
        functions ??= ["crash-left", "crash-right"];
        var batch = new List<EventSubmission>();
        for (int e = 0; e < events; e++)
        {
            var n = Interlocked.Increment(ref sequence);
            var evt = new StoredEvent($"01PROCEVENT{n:D15}", "crash/work", Encoding.UTF8.GetBytes($$"""{"number":{{n}},"steps":{{StepsPerRun}}}"""), 0);
            batch.Add(new EventSubmission(evt, [.. functions.Select((f, i) => new RunRecord($"01PROCRUN{n:D13}{i:D4}", f, evt))]));
        }
        await producer.AcceptAsync(batch, default);
        return [.. batch.SelectMany(b => b.Runs.Select(r => r.Id))];
    }

    private async Task<RunResult[]> WaitForResultsAsync(string[] runIds)
    {
        var results = new RunResult?[runIds.Length];
        await WaitUntilAsync(async () =>
        {
            try
            {
                for (int i = 0; i < runIds.Length; i++)
                {
                    results[i] ??= await producer.GetResultAsync(runIds[i], default);
                }
            }
            catch (FanOutStoreException)
            {
                // The server is restarting: look again.
            }
            return results.All(r => r is not null);
        }, $"all {runIds.Length} runs to finish");
        return results!;
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > Bound)
            {
                Assert.Fail($"Waited {Bound.TotalSeconds} s for {what}.{string.Concat(nodes.Select(n => $"\nnode {n.Process.Id}:{n.Errors()}"))}");
            }
            await Task.Delay(50); // polling the database for an outcome; the bound above is what fails
        }
    }

    private static void AssertAllSucceededWithTheirSteps(IEnumerable<RunResult> results)
    {
        foreach (var result in results)
        {
            Assert.True(result.Status == RunStatus.Succeeded, $"Run {result.RunId} did not succeed: {result}.");
            Assert.Equal(StepIds.Order(StringComparer.Ordinal), result.Steps.Select(s => s.Id).Order(StringComparer.Ordinal));
            Assert.All(result.Steps, s => Assert.Equal(StepStatus.Succeeded, s.Status));
        }
    }

    private Node StartNode(bool credits = false, int leaseMs = LongLeaseMs)
    {
        var hostPath = Path.GetFullPath(typeof(PostgresProcessTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "FanOut.CrashHost").Value!);
        Assert.True(File.Exists(hostPath), $"The crash host is not built at {hostPath}.");
        var log = Path.Combine(directory, $"executions-{nodes.Count}.log");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["FANOUT_CRASH_PG_CONNECTION"] = server.ConnectionString;
        info.Environment["FANOUT_CRASH_PG_LEASE_MS"] = leaseMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var arg in new[] { hostPath, "postgres:" + schema, log, StepsPerRun.ToString(System.Globalization.CultureInfo.InvariantCulture), "work", "0" })
        {
            info.ArgumentList.Add(arg);
        }
        if (credits)
        {
            info.ArgumentList.Add("credits");
        }
        var node = new Node(Process.Start(info)!, log);
        nodes.Add(node);
        return node;
    }

    /// <summary>What the nodes reported: which nodes executed each "&lt;run&gt; &lt;step&gt;", and which reported it stored.</summary>
    private sealed class Evidence
    {
        public Dictionary<string, List<Node>> Executions { get; } = new(StringComparer.Ordinal);

        private Dictionary<string, List<Node>> Done { get; } = new(StringComparer.Ordinal);

        public IReadOnlyList<Node> DoneBy(string step) => Done.TryGetValue(step, out var by) ? by : [];

        public static Evidence Read(IEnumerable<Node> nodes)
        {
            var evidence = new Evidence();
            foreach (var node in nodes)
            {
                foreach (var line in CompleteLines(File.ReadAllText(node.ExecutionsLog)))
                {
                    if (line.StartsWith("exec ", StringComparison.Ordinal))
                    {
                        Add(evidence.Executions, line[5..], node);
                    }
                }
                foreach (var line in node.Lines)
                {
                    if (line.StartsWith("done ", StringComparison.Ordinal))
                    {
                        Add(evidence.Done, line[5..], node);
                    }
                }
            }
            return evidence;
        }

        private static void Add(Dictionary<string, List<Node>> map, string step, Node node)
        {
            if (!map.TryGetValue(step, out var list))
            {
                map[step] = list = [];
            }
            list.Add(node);
        }

        private static string[] CompleteLines(string text)
        {
            var end = text.LastIndexOf('\n');
            return end < 0 ? [] : text[..end].Split('\n');
        }
    }

    private sealed class Node : IDisposable
    {
        private readonly StringBuilder errors = new();
        private readonly ConcurrentQueue<string> lines = new();
        private readonly TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock gate = new();
        private readonly List<(Func<bool> Condition, TaskCompletionSource Reached)> waiters = [];
        private int done;

        public Node(Process process, string executionsLog)
        {
            Process = process;
            ExecutionsLog = executionsLog;
            process.ErrorDataReceived += (_, e) =>
            {
                lock (gate)
                {
                    errors.AppendLine(e.Data);
                }
                Check();
            };
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    ended.TrySetResult();
                    return;
                }
                lines.Enqueue(e.Data);
                if (e.Data.StartsWith("done ", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref done);
                }
                Check();
            };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
        }

        public Process Process { get; }

        public string ExecutionsLog { get; }

        public IEnumerable<string> Lines => lines;

        public Task WaitForLineAsync(string line) => WaitForAsync(() => lines.Contains(line), $"the line '{line}'");

        public Task WaitForDoneAsync(int count, string what) => WaitForAsync(() => Volatile.Read(ref done) >= count, what);

        public Task WaitForErrorAsync(string text) => WaitForAsync(() => Errors().Contains(text, StringComparison.Ordinal), $"'{text}' in its log");

        public async Task ExitedAsync()
        {
            await Process.WaitForExitAsync().WaitAsync(Bound);
            await ended.Task.WaitAsync(Bound); // everything it printed before it died is read
        }

        public async Task GiveCreditsAsync(int credits)
        {
            await Process.StandardInput.WriteLineAsync($"go {credits}");
            await Process.StandardInput.FlushAsync();
        }

        public string Errors()
        {
            lock (gate)
            {
                return errors.ToString();
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                kill(Process.Id, Sigcont);
                Process.Kill();
                Process.WaitForExit(10_000);
            }
            Process.Dispose();
        }

        private async Task WaitForAsync(Func<bool> condition, string what)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (gate)
            {
                waiters.Add((condition, reached));
            }
            Check();
            try
            {
                await reached.Task.WaitAsync(Bound);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"Waited {Bound.TotalSeconds} s for node {Process.Id}: {what}.\n{Errors()}");
            }
        }

        private void Check()
        {
            List<TaskCompletionSource>? reached = null;
            lock (gate)
            {
                for (int i = waiters.Count - 1; i >= 0; i--)
                {
                    if (waiters[i].Condition())
                    {
                        (reached ??= []).Add(waiters[i].Reached);
                        waiters.RemoveAt(i);
                    }
                }
            }
            reached?.ForEach(r => r.TrySetResult());
        }
    }
}
