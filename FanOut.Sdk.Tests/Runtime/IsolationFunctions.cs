namespace FanOut.Tests.Runtime;

[Event("test/isolation.trial")]
public sealed record IsolationTrial(string Key);

/// <summary>One event, one function per way of going wrong, and one that does its job.</summary>
public sealed class IsolationFunctions
{
    [Function("throws-synchronously", Event = "test/isolation.trial")]
    public Task ThrowsSynchronously(IsolationTrial trial) =>
        throw new InvalidOperationException("thrown before any task existed");

    [Function("faults", Event = "test/isolation.trial")]
    public async Task Faults(IsolationTrial trial)
    {
        await Task.Yield();
        throw new InvalidOperationException("thrown after an await");
    }

    [Function("cancels-itself", Event = "test/isolation.trial")]
    public async Task CancelsItself(IsolationTrial trial)
    {
        await Task.Yield();
        throw new OperationCanceledException("gave up on its own");
    }

    [Function("ignores-cancellation", Event = "test/isolation.trial", TimeoutSeconds = 30)]
    public async Task IgnoresCancellation(IsolationTrial trial)
    {
        Signals.Flag(trial.Key + "/stubborn-started").TrySetResult();
        // Never observes its token: only the deadline can end this attempt.
        await Signals.Flag(trial.Key + "/never").Task;
    }

    [Function("does-its-job", Event = "test/isolation.trial")]
    public async Task<string> DoesItsJob(IsolationTrial trial, Step step)
    {
        return await step.Run("work", () => Task.FromResult("done " + trial.Key));
    }
}
