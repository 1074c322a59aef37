namespace FanOut.Sqlite;

/// <summary>Settings of <see cref="SqliteStore"/>.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>
    /// The database: a connection string (<c>Data Source=fanout.db</c>) or a plain file path (<c>fanout.db</c>). It must
    /// name a file; the file is created with its schema if it does not exist, but its directory must exist. An in-memory
    /// database is refused: use the in-memory store for that.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>What a committed write survives. Default: <see cref="SqliteDurability.Full"/>.</summary>
    public SqliteDurability Durability { get; set; } = SqliteDurability.Full;

    /// <summary>How long a deduplication key is remembered. Default: 24 hours, as Inngest.</summary>
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a finished run (its result, steps and event) is kept after it finished. Default: 1 hour.</summary>
    public TimeSpan FinishedRunRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often the store prunes itself (on its <see cref="TimeProvider"/>). Default: 1 minute.
    /// <see cref="Timeout.InfiniteTimeSpan"/> or zero turns automatic pruning off; <see cref="SqliteStore.PruneAsync"/> still works.
    /// </summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The most writes (one accepted batch, one claim, one saved step…) committed in one transaction. Default: 1024.
    /// Writes that queue up while a commit is being made to disk are committed together by the next one, up to this many.
    /// </summary>
    public int MaxWritesPerCommit { get; set; } = 1024;

    /// <summary>
    /// How long the writer waits, after the first write of a group arrives, for more writes to join it. Default: zero
    /// (no wait: groups form by themselves while the previous commit is being made durable). A small delay such as 1 ms
    /// can raise writes per commit under moderate load at the cost of that much latency. Measured on the wall clock,
    /// not on the store's <see cref="TimeProvider"/>.
    /// </summary>
    public TimeSpan GroupCommitDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How long one statement may wait for a database lock before the write fails (instead of hanging). With one
    /// process per file this only matters for outside tools reading the file. Default: 5 seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>What a write survives once <see cref="SqliteStore"/> has reported it done. The journal is always WAL.</summary>
public enum SqliteDurability
{
    /// <summary>
    /// <c>PRAGMA synchronous = FULL</c>: every commit is flushed to the disk (fsync of the WAL) before it is reported done.
    /// A reported write survives a process crash and a power loss or kernel panic. Group commit keeps this affordable:
    /// one fsync covers every write in the group.
    /// </summary>
    Full,

    /// <summary>
    /// <c>PRAGMA synchronous = NORMAL</c>: commits are written to the WAL but flushed only at checkpoints. A reported write
    /// survives a process crash (the operating system still has it), but the last commits before a power loss or kernel
    /// panic may be lost — the database itself stays consistent. Runs whose steps are lost run those steps again.
    /// </summary>
    Normal,
}
