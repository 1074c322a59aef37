using System.Globalization;
using System.Text;

namespace FanOut.CrashHost;

/// <summary>
/// What the crash test reads: the executions log, to which "exec &lt;run&gt; &lt;step&gt;" is appended and flushed to
/// disk BEFORE a step's work (so it survives SIGKILL), and stdout, the protocol lines ("sent", "done", "finished").
/// With credits, a step starts only with a credit read from stdin ("go &lt;n&gt;" lines): the test keeps the child a
/// fixed number of steps ahead of what it has read, so the child is surely still working when it is killed.
/// </summary>
public sealed class Evidence : IDisposable
{
    private readonly Lock executionsGate = new();
    private readonly Lock stdoutGate = new();
    private readonly FileStream executions;
    private readonly TextWriter stdout = Console.Out;
    private readonly SemaphoreSlim? credits;
    private readonly Lock doneGate = new();
    private readonly List<(long Count, TaskCompletionSource Reached)> doneWaiters = [];
    private long done;

    public Evidence(string executionsLog, bool withCredits)
    {
        executions = new FileStream(executionsLog, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        if (withCredits)
        {
            credits = new SemaphoreSlim(0);
            _ = Task.Run(ReadCreditsAsync);
        }
    }

    /// <summary>A step's body: waits for a credit, logs its execution durably, then does its "work".</summary>
    public async Task ExecuteAsync(string runId, string stepId)
    {
        if (credits is not null)
        {
            await credits.WaitAsync();
        }
        var line = Encoding.UTF8.GetBytes($"exec {runId} {stepId}\n");
        lock (executionsGate)
        {
            executions.Write(line);
            executions.Flush(flushToDisk: true);
        }
        await Task.Yield(); // the step's "work"
    }

    /// <summary>Reports a step whose result is stored.</summary>
    public void Done(string runId, string stepId)
    {
        Say($"done {runId} {stepId}");
        lock (doneGate)
        {
            done++;
            for (int i = doneWaiters.Count - 1; i >= 0; i--)
            {
                if (doneWaiters[i].Count <= done)
                {
                    doneWaiters[i].Reached.SetResult();
                    doneWaiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Completes once this process has reported at least <paramref name="count"/> steps done.</summary>
    public Task DoneAtLeastAsync(long count)
    {
        lock (doneGate)
        {
            if (done >= count)
            {
                return Task.CompletedTask;
            }
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            doneWaiters.Add((count, reached));
            return reached.Task;
        }
    }

    /// <summary>Writes one protocol line to stdout, whole and at once.</summary>
    public void Say(string line)
    {
        lock (stdoutGate)
        {
            stdout.Write(line + "\n");
            stdout.Flush();
        }
    }

    public void Dispose() => executions.Dispose();

    private async Task ReadCreditsAsync()
    {
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("go ", StringComparison.Ordinal))
            {
                credits!.Release(int.Parse(line[3..], CultureInfo.InvariantCulture));
            }
        }
    }
}
