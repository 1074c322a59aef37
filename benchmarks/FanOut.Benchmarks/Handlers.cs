namespace FanOut.Benchmarks;

/// <summary>The two trivial handler bodies every contender calls: one that completes synchronously, one that yields once.</summary>
public static class Handlers
{
    public static Task Sync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static async Task Yield(CancellationToken cancellationToken) => await Task.Yield();
}
