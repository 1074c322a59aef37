namespace FanOut.Load;

/// <summary>An event whose one function has one step. <paramref name="SentAt"/> is the sender's Stopwatch timestamp.</summary>
[Event("load/one-step")]
public sealed record OneStepTick(int Index, long SentAt);

/// <summary>An event whose one function has two steps, the second using the first's output.</summary>
[Event("load/two-steps")]
public sealed record TwoStepTick(int Index, long SentAt);

/// <summary>Trivial work: the figures measure the engine and its store, not the functions.</summary>
public static class LoadFunctions
{
    [Function("load-one-step", Event = "load/one-step")]
    public static async Task<int> OneStep(OneStepTick tick, Step step, CancellationToken ct)
    {
        LoadClock.Current?.Started(tick.Index, tick.SentAt);
        return await step.Run("add", () => Task.FromResult(tick.Index + 1));
    }

    [Function("load-two-steps", Event = "load/two-steps")]
    public static async Task<int> TwoSteps(TwoStepTick tick, Step step, CancellationToken ct)
    {
        LoadClock.Current?.Started(tick.Index, tick.SentAt);
        var first = await step.Run("add", () => Task.FromResult(tick.Index + 1));
        return await step.Run("double", () => Task.FromResult(first * 2));
    }
}
