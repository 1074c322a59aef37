using System.Diagnostics;
using System.Reflection;
using System.Text;
using FanOut.Sqlite;
using Xunit.Abstractions;

namespace FanOut.Tests.Stores;

/// <summary>
/// A real FanOut app (tests/FanOut.CrashHost: AddFanOut, UseSqlite, the hosted worker, generated functions) runs in a
/// child process, is killed with a real SIGKILL in the middle of its work, and is started again on the same file: every
/// event whose send returned must complete, and no step whose stored result was reported may run again.
/// </summary>
public sealed class SqliteCrashTests : IDisposable
{
    private const int Events = 50;
    private const int RunsPerEvent = 2; // the host's two functions of 'crash/work'
    private const int StepsPerRun = 5;
    private const int DoneBeforeKill = 200;
    private const int StepsAhead = 64; // credits the child holds beyond what the test has read: its work in flight
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    // One call site in a loop: the engine numbers the repeats of "step".
    private static readonly string[] StepIds = [.. Enumerable.Range(0, StepsPerRun).Select(i => i == 0 ? "step" : $"step:{i}")];

    private readonly TempDatabase database = new();
    private readonly string executionsLog;
    private readonly string runIdsFile;
    private readonly ITestOutputHelper output;

    public SqliteCrashTests(ITestOutputHelper output)
    {
        this.output = output;
        executionsLog = Path.Combine(database.Directory, "executions.log");
        runIdsFile = Path.Combine(database.Directory, "run-ids.txt");
    }

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task A_killed_app_completes_every_sent_event_after_a_restart_without_repeating_a_stored_step()
    {
        // 1. The child sends 50 events (two runs each, five steps per run) while its worker executes them; it is killed
        //    with SIGKILL once 200 steps were reported done (not on a timer). A step may start only with a credit, and
        //    the child gets one per done step read, so it is 64 steps ahead at most: surely mid-work at the kill (263
        //    of 500 steps done at most). Its sending keeps at most 8 events ahead of the steps done, so the kill also
        //    falls during the sending (34 events sent at most).
        using var first = Start("send", Events.ToString(), "credits");
        await first.GiveCreditsAsync(StepsAhead);
        var sent = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        using (var deadline = new CancellationTokenSource(Bound))
        {
            while (done.Count < DoneBeforeKill)
            {
                var line = await first.ReadLineAsync(deadline.Token, $"{DoneBeforeKill} done steps (read {done.Count})")
                    ?? throw new Xunit.Sdk.XunitException($"The child ended after {done.Count} done steps, before it could be killed.{first.Errors()}");
                if (Read(line, sent, done) && done.Count < DoneBeforeKill)
                {
                    await first.GiveCreditsAsync(1);
                }
            }
        }
        first.Process.Kill(); // SIGKILL on Unix: no handler, no flush, no dispose
        await Exited(first, "the killed child to exit");
        Assert.True(first.Process.ExitCode != 0, $"The child exited with {first.Process.ExitCode} before it was killed.{first.Errors()}");
        // What the child printed before it died is still in the pipe: more events whose send returned, more stored steps.
        foreach (var line in CompleteLines(await first.Process.StandardOutput.ReadToEndAsync().WaitAsync(Bound)))
        {
            Read(line, sent, done);
        }
        var executedBeforeKill = Count(File.ReadAllText(executionsLog));
        var inFlightAtKill = executedBeforeKill.Keys.Where(step => !done.Contains(step)).ToHashSet(StringComparer.Ordinal);
        Assert.True(sent.Count > 0, "No send returned before the kill; the test proves nothing.");
        Assert.True(done.Count < Events * RunsPerEvent * StepsPerRun, "The child finished everything before the kill; the test proves nothing.");
        Assert.True(sent.Count < Events, "Every send returned before the kill; the test does not prove that a send cut short harms nothing.");

        // 2. Start the app again on the same file, and wait for the runs of every event whose send returned. Its worker
        //    recovers the runs the killed process left running and resumes them from their stored steps.
        File.WriteAllLines(runIdsFile, sent.Values.SelectMany(runs => runs));
        using var second = Start("resume", runIdsFile);
        await Exited(second, "the restarted child to finish the runs of every sent event");
        var resumed = await second.Process.StandardOutput.ReadToEndAsync();
        Assert.True(second.Process.ExitCode == 0, $"The restarted child failed with exit code {second.Process.ExitCode}.{second.Errors()}\n{resumed}");
        Assert.Contains("finished: ", resumed, StringComparison.Ordinal);
        if (inFlightAtKill.Count > 0)
        {
            // A step in flight had its run claimed and unfinished at the kill: the worker must have recovered it.
            Assert.Contains("Recovered ", second.Errors(), StringComparison.Ordinal);
        }

        // 3. Every sent event's runs succeeded, with all their steps stored; each step executed once, twice only if it
        //    was in flight at the kill (logged as executed, not reported done).
        var executions = Count(File.ReadAllText(executionsLog));
        await using (var store = new SqliteStore(new SqliteStoreOptions { ConnectionString = database.Path }))
        {
            foreach (var (eventId, runIds) in sent)
            {
                Assert.True(runIds.Length == RunsPerEvent, $"Event {eventId} started {runIds.Length} run(s); expected {RunsPerEvent}.");
                foreach (var runId in runIds)
                {
                    var result = await store.GetResultAsync(runId, default);
                    Assert.True(result is { Status: RunStatus.Succeeded }, $"Run {runId} of event {eventId} did not succeed: {result?.ToString() ?? "no result"}.");
                    var stored = result!.Steps.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
                    Assert.True(stored.SetEquals(StepIds) && result.Steps.All(s => s.Status == StepStatus.Succeeded),
                        $"Run {runId} stored steps [{string.Join(", ", result.Steps.Select(s => $"{s.Id} {s.Status}"))}]; expected [{string.Join(", ", StepIds)}], all succeeded.");
                    foreach (var stepId in StepIds)
                    {
                        var step = $"{runId} {stepId}";
                        Assert.True(executions.GetValueOrDefault(step) >= 1, $"Step '{step}' is stored as succeeded but never logged as executed.");
                    }
                }
            }
        }
        // Also the steps of runs whose send had not returned at the kill (the store may have committed it anyway).
        foreach (var (step, count) in executions)
        {
            var allowed = inFlightAtKill.Contains(step) ? 2 : 1;
            Assert.True(count <= allowed,
                $"Step '{step}' executed {count} times; allowed {allowed} (reported done before the kill: {done.Contains(step)}, in flight at the kill: {inFlightAtKill.Contains(step)}).");
        }
        var repeated = executions.Count(e => e.Value > 1);
        output.WriteLine($"killed after {done.Count} done steps and {sent.Count} of {Events} sends returned, with {inFlightAtKill.Count} step(s) in flight; {repeated} step(s) executed again after the restart");
        output.WriteLine(resumed.Split('\n').FirstOrDefault(l => l.StartsWith("finished: ", StringComparison.Ordinal)));
        output.WriteLine(second.Errors());
    }

    [Fact]
    public async Task A_file_held_by_another_process_is_refused_naming_that_process_until_it_dies()
    {
        // The child sends one event, and its runs wait for a credit that never comes: it holds the file, alive.
        using var holder = Start("send", "1", "credits");
        string[]? runIds = null;
        using (var deadline = new CancellationTokenSource(Bound))
        {
            while (runIds is null)
            {
                var line = await holder.ReadLineAsync(deadline.Token, "its event to be sent")
                    ?? throw new Xunit.Sdk.XunitException($"The holder ended before it sent its event.{holder.Errors()}");
                if (line.StartsWith("sent ", StringComparison.Ordinal))
                {
                    runIds = line.Split(' ')[2..];
                }
            }
        }

        var refused = Assert.Throws<FanOutStoreException>(() => new SqliteStore(new SqliteStoreOptions { ConnectionString = database.Path }));

        Assert.Contains($"'{database.Path}' is in use by process {holder.Process.Id}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("use PostgreSQL for many nodes", refused.Message, StringComparison.Ordinal);
        holder.Process.Kill();
        await Exited(holder, "the holder to die");
        await using var store = new SqliteStore(new SqliteStoreOptions { ConnectionString = database.Path });
        await store.RecoverAsync(default); // the child may or may not have claimed the runs before it died
        var claimed = (await store.ClaimAsync(10, default)).Runs.Select(c => c.Run.Id);
        Assert.Equal(runIds.Order(StringComparer.Ordinal), claimed.Order(StringComparer.Ordinal));
    }

    private Child Start(params string[] mode)
    {
        var hostPath = typeof(SqliteCrashTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "FanOut.CrashHost").Value!;
        hostPath = Path.GetFullPath(hostPath);
        Assert.True(File.Exists(hostPath), $"The crash host is not built at {hostPath}.");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { hostPath, database.Path, executionsLog, StepsPerRun.ToString() }.Concat(mode))
        {
            info.ArgumentList.Add(arg);
        }
        return new Child(Process.Start(info)!);
    }

    /// <summary>Takes in one line of the child's protocol; returns true for a "done" line.</summary>
    private static bool Read(string line, Dictionary<string, string[]> sent, HashSet<string> done)
    {
        if (line.StartsWith("done ", StringComparison.Ordinal))
        {
            done.Add(line[5..]);
            return true;
        }
        if (line.StartsWith("sent ", StringComparison.Ordinal))
        {
            var parts = line.Split(' ');
            sent[parts[1]] = parts[2..];
        }
        return false;
    }

    private static async Task Exited(Child child, string what)
    {
        try
        {
            await child.Process.WaitForExitAsync().WaitAsync(Bound);
        }
        catch (TimeoutException)
        {
            child.Process.Kill();
            Assert.Fail($"Waited {Bound.TotalSeconds} s for {what}.{child.Errors()}");
        }
    }

    /// <summary>The lines ended by a newline: a line cut short by the kill is not evidence of anything.</summary>
    private static string[] CompleteLines(string text)
    {
        var end = text.LastIndexOf('\n');
        return end < 0 ? [] : text[..end].Split('\n');
    }

    /// <summary>How many times each "&lt;run&gt; &lt;step&gt;" was logged as executed.</summary>
    private static Dictionary<string, int> Count(string executionsLogText)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in CompleteLines(executionsLogText))
        {
            if (line.StartsWith("exec ", StringComparison.Ordinal))
            {
                var step = line[5..];
                counts[step] = counts.GetValueOrDefault(step) + 1;
            }
        }
        return counts;
    }

    private sealed class Child : IDisposable
    {
        private readonly StringBuilder errors = new();

        public Child(Process process)
        {
            Process = process;
            process.ErrorDataReceived += (_, e) =>
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            };
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public async Task GiveCreditsAsync(int credits)
        {
            try
            {
                await Process.StandardInput.WriteLineAsync($"go {credits}");
                await Process.StandardInput.FlushAsync();
            }
            catch (IOException e)
            {
                throw new Xunit.Sdk.XunitException($"The child stopped reading its credits ({e.Message}); did it die?{Errors()}");
            }
        }

        /// <summary>Reads the next stdout line, or null at its end; fails naming what it waited for when the deadline passes.</summary>
        public async Task<string?> ReadLineAsync(CancellationToken deadline, string waitingFor)
        {
            try
            {
                return await Process.StandardOutput.ReadLineAsync(deadline);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new Xunit.Sdk.XunitException($"Waited {Bound.TotalSeconds} s for {waitingFor}.{Errors()}");
            }
        }

        public string Errors()
        {
            lock (errors)
            {
                return errors.Length == 0 ? "" : "\nstderr:\n" + errors;
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
            }
            Process.Dispose();
        }
    }
}
