using Microsoft.Extensions.DependencyInjection;

namespace FanOut.Tests.Runtime;

[Event("test/order.placed")]
public sealed record OrderPlaced(string Key, string OrderId, decimal Total);

public sealed record Receipt(string OrderId, decimal Total, int Lines);

[Event("test/nobody.listens")]
public sealed record NobodyListens(string Key);

[Event("test/slow.start")]
public sealed record SlowStart(string Key);

/// <summary>A scoped service: one instance per DI scope, i.e. per run attempt.</summary>
public sealed class ScopedCounter
{
    public Guid Instance { get; } = Guid.NewGuid();
}

public sealed class OrderFunctions(ScopedCounter counter)
{
    [Function("issue-receipt", Event = "test/order.placed")]
    public async Task<Receipt> IssueReceipt(Event<OrderPlaced> placed, Step step, CancellationToken ct)
    {
        Signals.Note(placed.Data.Key, $"dedup={placed.DeduplicationKey};name={placed.Name};id={placed.Id}");
        Signals.Note(placed.Data.Key + "/scopes", counter.Instance.ToString());
        int lines = 0;
        for (int i = 0; i < 3; i++)
        {
            lines += await step.Run("count-line", () => Task.FromResult(1));
        }
        return new Receipt(placed.Data.OrderId, placed.Data.Total, lines);
    }

    [Function("record-order", Event = "test/order.placed")]
    public Task RecordOrder(OrderPlaced placed)
    {
        Signals.Note(placed.Key + "/scopes", counter.Instance.ToString());
        return Task.CompletedTask;
    }
}

public static class SlowFunctions
{
    [Function("cooperative-timeout", Event = "test/slow.start", TimeoutSeconds = 5)]
    public static async Task Cooperative(SlowStart start, CancellationToken ct)
    {
        Signals.Flag(start.Key + "/cooperative-started").TrySetResult();
        await Task.Delay(Timeout.InfiniteTimeSpan, ct);
    }

    [Function("stubborn-timeout", Event = "test/slow.start", TimeoutSeconds = 5)]
    public static async Task Stubborn(SlowStart start)
    {
        Signals.Flag(start.Key + "/stubborn-started").TrySetResult();
        await Signals.Flag(start.Key + "/never").Task;
    }
}

public static class ServiceRegistration
{
    public static void AddTestServices(IServiceCollection services) => services.AddScoped<ScopedCounter>();
}
