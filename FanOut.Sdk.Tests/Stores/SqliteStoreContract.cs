using FanOut.Sqlite;
using FanOut.Stores;
using Microsoft.Extensions.Time.Testing;

namespace FanOut.Tests.Stores;

/// <summary>The store contract against a real SQLite file, a fresh one per test.</summary>
public sealed class SqliteStoreContract : StoreContract
{
    private readonly TempDatabase database = new();
    private readonly List<SqliteStore> abandoned = [];

    protected override bool Durable => true;

    protected override Task<IFanOutStore> CreateAsync(FakeTimeProvider clock) => Task.FromResult<IFanOutStore>(Open(clock));

    protected override async Task<IFanOutStore> ReopenAfterCrashAsync(FakeTimeProvider clock)
    {
        // The old store dies as a killed process would: its lock is released by the OS, nothing is closed cleanly.
        var dead = (SqliteStore)Store;
        await dead.AbandonAsync();
        abandoned.Add(dead);
        return Open(clock);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var store in abandoned)
        {
            await store.DisposeAsync();
        }
        database.Dispose();
    }

    private SqliteStore Open(FakeTimeProvider clock) => new(new SqliteStoreOptions
    {
        ConnectionString = database.Path,
        DeduplicationWindow = TimeSpan.FromHours(24),
        FinishedRunRetention = TimeSpan.FromHours(1),
        // The contract prunes explicitly; a timer firing as the fake clock jumps would race with it.
        PruneInterval = Timeout.InfiniteTimeSpan,
    }, clock);
}

/// <summary>A database file in a fresh temporary directory, deleted with the directory afterwards.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("fanout-sqlite-").FullName;
        Path = System.IO.Path.Combine(Directory, "fanout.db");
    }

    public string Directory { get; }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
