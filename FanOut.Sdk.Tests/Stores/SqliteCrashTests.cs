using System.Diagnostics;
using System.Reflection;
using System.Text;
using FanOut.Sqlite;
using Xunit.Abstractions;

namespace FanOut.Tests.Stores;

/// <summary>
/// A real child process (tests/FanOut.CrashHost) drives a SQLite store, is killed with a real SIGKILL in the middle of
/// its work, and is started again on the same file: every run must finish, and no step whose save was reported may run
/// again.
/// </summary>
public sealed class SqliteCrashTests : IDisposable
{
    private const int Events = 50;
    private const int RunsPerEvent = 4;
    private const int StepsPerRun = 5;
    private const int DoneBeforeKill = 200;
    private const int StepsAhead = 64; // credits the child holds beyond what the test has read: its work in flight
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly TempDatabase database = new();
    private readonly string executionsLog;

    private readonly ITestOutputHelper output;

    public SqliteCrashTests(ITestOutputHelper output)
    {
        this.output = output;
        executionsLog = Path.Combine(database.Directory, "executions.log");
    }

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task A_killed_process_resumes_every_run_without_repeating_a_stored_step()
    {
        // 1. Accept 50 events × 4 runs and work; SIGKILL once 200 steps were reported done (not on a timer). The child
        //    may start a step only with a credit, and gets one per done step read, so it is 64 steps ahead at most and
        //    surely mid-work at the kill (264 of 1,000 steps at most).
        using var first = Start("accept", Events.ToString(), RunsPerEvent.ToString(), "credits");
        await first.Process.StandardInput.WriteLineAsync($"go {StepsAhead}");
        await first.Process.StandardInput.FlushAsync();
        var doneBeforeKill = new HashSet<string>(StringComparer.Ordinal);
        using (var deadline = new CancellationTokenSource(Bound))
        {
            while (doneBeforeKill.Count < DoneBeforeKill)
            {
                var line = await first.Process.StandardOutput.ReadLineAsync(deadline.Token)
                    ?? throw new Xunit.Sdk.XunitException($"The child ended after {doneBeforeKill.Count} done steps, before it could be killed.{first.Errors()}");
                if (line.StartsWith("done ", StringComparison.Ordinal))
                {
                    doneBeforeKill.Add(line[5..]);
                    if (doneBeforeKill.Count < DoneBeforeKill)
                    {
                        await first.Process.StandardInput.WriteLineAsync("go 1");
                        await first.Process.StandardInput.FlushAsync();
                    }
                }
            }
        }
        first.Process.Kill(); // SIGKILL on Unix: no handler, no flush, no dispose
        await Exited(first, "the killed child to exit");
        Assert.True(first.Process.ExitCode != 0, $"The child exited with {first.Process.ExitCode} before it was killed.{first.Errors()}");
        // What the child printed before it died is still in the pipe: every step it reported saved.
        foreach (var line in (await first.Process.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("done ", StringComparison.Ordinal))
            {
                doneBeforeKill.Add(line[5..]);
            }
        }
        var executedBeforeKill = Count(File.ReadAllLines(executionsLog));
        var inFlightAtKill = executedBeforeKill.Keys.Where(step => !doneBeforeKill.Contains(step)).ToHashSet(StringComparer.Ordinal);
        Assert.True(doneBeforeKill.Count < Events * RunsPerEvent * StepsPerRun, "the child finished everything before the kill; the test proves nothing");

        // 2. Start again on the same file: it recovers the runs left running and finishes everything.
        using var second = Start();
        await Exited(second, "the resumed child to finish every run");
        var resumed = await second.Process.StandardOutput.ReadToEndAsync();
        Assert.True(second.Process.ExitCode == 0, $"The resumed child failed with exit code {second.Process.ExitCode}.{second.Errors()}\n{resumed}");
        Assert.Contains("recovered ", resumed, StringComparison.Ordinal);

        // 3. Every run finished, and each step ran once — twice only if it was in flight at the kill.
        var executions = Count(File.ReadAllLines(executionsLog));
        await using (var store = new SqliteStore(new SqliteStoreOptions { ConnectionString = database.Path }))
        {
            for (int e = 0; e < Events; e++)
            {
                for (int k = 0; k < RunsPerEvent; k++)
                {
                    var runId = $"run-{e:D5}-{k}";
                    var result = await store.GetResultAsync(runId, default);
                    Assert.True(result is { Status: RunStatus.Succeeded }, $"Run {runId} did not finish: {result?.ToString() ?? "no result"}.");
                    Assert.Equal(StepsPerRun, result!.Steps.Count);
                    for (int s = 1; s <= StepsPerRun; s++)
                    {
                        var step = $"{runId} step-{s}";
                        var allowed = inFlightAtKill.Contains(step) ? 2 : 1;
                        var count = executions.GetValueOrDefault(step);
                        Assert.True(count >= 1 && count <= allowed,
                            $"Step '{step}' executed {count} time(s); allowed {allowed} (done before the kill: {doneBeforeKill.Contains(step)}, in flight at the kill: {inFlightAtKill.Contains(step)}).");
                    }
                }
            }
        }
        Assert.Equal(Events * RunsPerEvent * StepsPerRun, executions.Count);
        var repeated = executions.Count(e => e.Value > 1);
        output.WriteLine($"killed after {doneBeforeKill.Count} done steps with {inFlightAtKill.Count} in flight; {repeated} step(s) ran again after the restart");
        output.WriteLine(string.Join('\n', resumed.Split('\n').Where(l => !l.StartsWith("done ", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task A_file_held_by_another_process_is_refused_naming_that_process_until_it_dies()
    {
        // The child accepts one run and then waits for a credit that never comes: it holds the file, alive.
        using var holder = Start("accept", "1", "1", "credits");
        using (var deadline = new CancellationTokenSource(Bound))
        {
            while (await holder.Process.StandardOutput.ReadLineAsync(deadline.Token) is { } line && !line.StartsWith("accepted", StringComparison.Ordinal))
            {
            }
        }

        var refused = Assert.Throws<FanOutStoreException>(() => new SqliteStore(new SqliteStoreOptions { ConnectionString = database.Path }));

        Assert.Contains($"'{database.Path}' is in use by process {holder.Process.Id}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("use PostgreSQL for many nodes", refused.Message, StringComparison.Ordinal);
        holder.Process.Kill();
        await Exited(holder, "the holder to die");
        await using var store = new SqliteStore(new SqliteStoreOptions { ConnectionString = database.Path });
        await store.RecoverAsync(default); // the child may or may not have claimed the run before it died
        Assert.Equal("run-00000-0", Assert.Single((await store.ClaimAsync(10, default)).Runs).Run.Id);
    }

    private Child Start(params string[] extra)
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
        foreach (var arg in new[] { hostPath, database.Path, executionsLog, StepsPerRun.ToString() }.Concat(extra))
        {
            info.ArgumentList.Add(arg);
        }
        return new Child(Process.Start(info)!);
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

    private static Dictionary<string, int> Count(string[] lines)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in lines)
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
