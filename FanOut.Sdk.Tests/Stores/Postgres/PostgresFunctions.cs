using System.Collections.Concurrent;

namespace FanOut.Tests.Stores.Postgres;

[Event("test/pg.order")]
public sealed record PgOrder(string Id);

[Event("test/pg.block")]
public sealed record PgBlock(string Id);

/// <summary>Functions the PostgreSQL tests host: each records what its steps did, per order id.</summary>
public static class PostgresFunctions
{
    public static readonly ConcurrentDictionary<string, int> Executions = new(StringComparer.Ordinal);

    [Function("pg-record-order", Event = "test/pg.order")]
    public static async Task<string> RecordOrder(PgOrder order, Step step)
    {
        var receipt = await step.Run("record", () =>
        {
            Executions.AddOrUpdate(order.Id, 1, static (_, n) => n + 1);
            return Task.FromResult("receipt-" + order.Id);
        });
        return receipt;
    }

    [Function("pg-other-function", Event = "test/pg.order")]
    public static Task OtherFunction(PgOrder order) => Task.CompletedTask;

    [Function("pg-blocks-until-cancelled", Event = "test/pg.block")]
    public static async Task BlocksUntilCancelled(PgBlock block, CancellationToken cancellationToken) =>
        await Task.Delay(Timeout.Infinite, cancellationToken);
}
