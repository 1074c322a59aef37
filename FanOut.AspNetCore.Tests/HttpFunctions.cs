using System.Collections.Concurrent;

namespace FanOut.AspNetCore.Tests;

[Event("test/order.placed")]
public sealed record OrderPlaced(string OrderId, int Quantity);

/// <summary>What the functions saw: one entry per finished call, so a test can count runs and check their data.</summary>
public sealed class Ledger
{
    public ConcurrentQueue<(string EventId, string? DeduplicationKey, OrderPlaced Order)> Orders { get; } = new();
}

public sealed class HttpFunctions(Ledger ledger)
{
    [Function("record-order", Event = "test/order.placed")]
    public async Task RecordOrder(Event<OrderPlaced> evt, Step step)
    {
        await step.Run("check-stock", () => Task.FromResult(evt.Data.Quantity));
        await step.Run("record", () =>
        {
            ledger.Orders.Enqueue((evt.Id, evt.DeduplicationKey, evt.Data));
            return Task.FromResult(true);
        });
    }
}
