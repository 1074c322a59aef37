using System.Diagnostics;

namespace FanOut;

/// <summary>
/// The step tool of one run. Each <see cref="Run{T}(string, Func{Task{T}})"/> is a unit of work with a stable id:
/// its outcome is recorded in the run's journal, which is what a durable store memoizes so that a retry or a replay runs
/// only the steps that did not finish.
/// </summary>
/// <remarks>
/// Step ids must be stable from one attempt to the next (use constants). An id used again within one run, as in a
/// loop, becomes <c>id:1</c>, <c>id:2</c>, … in order of use, as in Inngest. Steps may run in parallel: start several
/// and await them with <see cref="Task.WhenAll(Task[])"/>.
/// There is deliberately no <c>Run&lt;T&gt;(id, Func&lt;T&gt;)</c>: with it, <c>() =&gt; SendAsync()</c> would bind
/// <c>T = Task</c> and record a task instead of its result.
/// </remarks>
public sealed class Step
{
    private readonly StepJournal journal;

    internal Step(StepJournal journal) => this.journal = journal;

    /// <summary>Runs a step that produces a value, and returns it.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="id">The step id, stable across attempts.</param>
    /// <param name="body">The work.</param>
    /// <returns>The step's result.</returns>
    public Task<T> Run<T>(string id, Func<Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var entry = journal.Begin(id);
        return Execute(entry, body);
    }

    /// <summary>Runs a step that produces no value.</summary>
    /// <param name="id">The step id, stable across attempts.</param>
    /// <param name="body">The work.</param>
    /// <returns>A task that completes when the step has.</returns>
    public Task Run(string id, Func<Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var entry = journal.Begin(id);
        return Execute(entry, body);
    }

    private async Task<T> Execute<T>(StepEntry entry, Func<Task<T>> body)
    {
        using var activity = StepActivity(entry);
        try
        {
            var result = await body().ConfigureAwait(false);
            journal.Succeed(entry, result);
            return result;
        }
        catch (Exception e)
        {
            journal.Fail(entry, e);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    private async Task Execute(StepEntry entry, Func<Task> body)
    {
        using var activity = StepActivity(entry);
        try
        {
            await body().ConfigureAwait(false);
            journal.Succeed<object?>(entry, null);
        }
        catch (Exception e)
        {
            journal.Fail(entry, e);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    private Activity? StepActivity(StepEntry entry)
    {
        var activity = Diagnostics.FanOutTelemetry.Source.StartActivity("fanout.step");
        if (activity is not null)
        {
            activity.SetTag("fanout.run.id", journal.RunId);
            activity.SetTag("fanout.step.id", entry.Id);
        }
        return activity;
    }
}
