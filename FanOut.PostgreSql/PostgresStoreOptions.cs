namespace FanOut.PostgreSql;

/// <summary>Settings of <see cref="PostgresStore"/>.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>An Npgsql connection string (<c>Host=db;Database=app;Username=app;Password=…</c>).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The schema that holds FanOut's tables, created and migrated by the store. Default: <c>fanout</c>. Lower-case
    /// letters, digits and underscores, starting with a letter or underscore.
    /// </summary>
    public string Schema { get; set; } = "fanout";

    /// <summary>
    /// How long a claimed run stays this node's without a renewal. The store renews the leases of the runs it holds
    /// every <see cref="LeaseRenewalInterval"/>; when a node dies or stalls, its runs are taken over by any node once their
    /// leases expire. Measured on the database's clock. Default: 30 seconds.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the leases of held runs are renewed. Default: a third of <see cref="LeaseDuration"/>.</summary>
    public TimeSpan? LeaseRenewalInterval { get; set; }

    /// <summary>
    /// The longest an idle worker waits before it looks for work again, whatever it was told (NOTIFY wakes it at once;
    /// connection poolers in transaction mode drop NOTIFY, and polling is the fallback). Also bounds how late a run whose
    /// lease expired on another node is taken over. Default: 5 seconds. <see cref="Timeout.InfiniteTimeSpan"/> turns
    /// polling off.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether an idle worker listens for <c>NOTIFY</c> on a dedicated connection (reconnecting after failures). Default: true.</summary>
    public bool ListenForWork { get; set; } = true;

    /// <summary>
    /// Whether this node claims runs at all. False makes a producer-only node: it sends (and reads results), and its
    /// worker never claims or recovers a run. Default: true.
    /// </summary>
    public bool ClaimRuns { get; set; } = true;

    /// <summary>
    /// The functions whose runs this node claims; null claims every function. <c>UsePostgres</c> sets it to the
    /// functions this process hosts (<c>AddFanOut(o =&gt; o.OnlyFunctions(…))</c> narrows them), so in a rolling deploy a
    /// node never claims a run of a function it does not have.
    /// </summary>
    public IReadOnlyCollection<string>? FunctionIds { get; set; }

    /// <summary>Which clock decides due times, deduplication windows and retention. Default: <see cref="PostgresClock.Database"/>.</summary>
    public PostgresClock Clock { get; set; } = PostgresClock.Database;

    /// <summary>This node's name in the lease columns (for operators reading the tables). Default: machine name and process id.</summary>
    public string NodeName { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>How long a deduplication key is remembered. Default: 24 hours, as Inngest.</summary>
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a finished run (its result, steps and event) is kept after it finished. Default: 1 hour.</summary>
    public TimeSpan FinishedRunRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often this node prunes (every node may; passes skip rows another node is pruning). Default: 1 minute. <see cref="Timeout.InfiniteTimeSpan"/> turns it off.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(1);

    internal TimeSpan RenewalInterval => LeaseRenewalInterval ?? LeaseDuration / 3;
}

/// <summary>The clock that decides when a run is due, and the age of deduplication keys and finished runs.</summary>
public enum PostgresClock
{
    /// <summary>
    /// The database server's clock: every node agrees, whatever the skew between them. A due time the engine computes
    /// (a retry's backoff, a sleep's wake time) is kept as a delay from the engine's now, added to the database's now.
    /// </summary>
    Database,

    /// <summary>
    /// FanOut's <see cref="FanOutOptions.TimeProvider"/>: for tests on a fake clock, and single-node set-ups. Leases still
    /// use the database's clock (they measure real time between nodes).
    /// </summary>
    TimeProvider,
}
