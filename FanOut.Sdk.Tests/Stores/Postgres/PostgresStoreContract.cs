using FanOut.PostgreSql;
using FanOut.Stores;
using Microsoft.Extensions.Time.Testing;

namespace FanOut.Tests.Stores.Postgres;

/// <summary>The store contract against a real PostgreSQL server, in a fresh schema per test.</summary>
[Collection(PostgresServer.Collection)]
public sealed class PostgresStoreContract(PostgresServer server) : StoreContract
{
    private readonly string schema = PostgresServer.NewSchema();
    private readonly List<PostgresStore> abandoned = [];

    protected override bool Durable => true;

    protected override Task<IFanOutStore> CreateAsync(FakeTimeProvider clock) => Task.FromResult<IFanOutStore>(Open(clock));

    protected override async Task<IFanOutStore> ReopenAfterCrashAsync(FakeTimeProvider clock)
    {
        // The old node dies: it stops renewing its leases. Its leases then expire — here at once, instead of after the
        // lease duration — and the new node's recovery takes its runs back.
        var dead = (PostgresStore)Store;
        await dead.AbandonAsync();
        abandoned.Add(dead);
        await server.ScalarAsync($"UPDATE \"{schema}\".runs SET lease_expires_at = 0 WHERE status = 1;");
        return Open(clock);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var store in abandoned)
        {
            await store.DisposeAsync();
        }
        await server.DropSchemaAsync(schema);
    }

    private PostgresStore Open(FakeTimeProvider clock) => new(new PostgresStoreOptions
    {
        ConnectionString = server.ConnectionString,
        Schema = schema,
        // The contract moves a fake clock: due times, windows and retention follow it. Leases stay on the database's clock.
        Clock = PostgresClock.TimeProvider,
        DeduplicationWindow = TimeSpan.FromHours(24),
        FinishedRunRetention = TimeSpan.FromHours(1),
        PruneInterval = Timeout.InfiniteTimeSpan,
        PollInterval = Timeout.InfiniteTimeSpan,
    }, clock);
}
