using FanOut.Sqlite.Locking;
using FanOut.Sqlite.Reading;
using FanOut.Sqlite.Schema;
using FanOut.Sqlite.Writing;
using FanOut.Stores;
using Microsoft.Data.Sqlite;

namespace FanOut.Sqlite;

/// <summary>
/// A durable store in one SQLite file: accepted events, runs and their memoized steps survive the process, so runs
/// resume after a crash or a restart without repeating a step that was saved.
/// </summary>
/// <remarks>
/// <para>One process per file: the store takes an exclusive OS lock on <c>&lt;db&gt;.lock</c> when it opens, and a
/// second store on the same file (in this process or another) is refused. Many nodes need a server database.</para>
/// <para>Every write goes through one writer that commits the writes queued meanwhile together (group commit), so a
/// disk flush is shared by many steps; see <see cref="Statistics"/>. Results are read on a connection of their own.</para>
/// <para>The schema is created and migrated when the store opens. Times are kept to the millisecond.</para>
/// </remarks>
public sealed class SqliteStore : IFanOutStore, IAsyncDisposable, IDisposable
{
    private readonly DatabaseFileLock fileLock;
    private readonly SqliteConnection writeConnection;
    private readonly StoreWriter writer;
    private readonly ReadConnection reads;
    private readonly ResultReader results;
    private readonly RunListReader listing;
    private readonly EventListReader events;
    private int disposed;

    /// <summary>
    /// Opens (creating if needed) the database of <paramref name="options"/>, takes its lock and brings its schema up to
    /// date. Fails at once with a <see cref="FanOutStoreException"/> saying what and which file when it cannot.
    /// </summary>
    /// <param name="options">The database and settings.</param>
    /// <param name="timeProvider">The clock (due times, retention, automatic pruning). Default: the system clock.</param>
    public SqliteStore(SqliteStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var time = timeProvider ?? TimeProvider.System;
        var connectionString = ConnectionStringFor(options, out var path);
        DatabasePath = path;
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            throw new FanOutStoreException($"Could not open the SQLite store '{path}': the directory '{directory}' does not exist.");
        }
        fileLock = DatabaseFileLock.Acquire(path);
        SqliteConnection? readConnection = null;
        try
        {
            writeConnection = new SqliteConnection(connectionString);
            writeConnection.Open();
            SqliteSchema.Open(writeConnection, options.Durability, options.BusyTimeout);
            readConnection = new SqliteConnection(connectionString);
            readConnection.Open();
            using (var command = readConnection.CreateCommand())
            {
                command.CommandText = $"PRAGMA query_only = 1; PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds};";
                command.ExecuteNonQuery();
            }
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            readConnection?.Dispose();
            writeConnection?.Dispose();
            fileLock.Dispose();
            throw new FanOutStoreException($"Could not open the SQLite store '{path}': {ex.Message}", ex);
        }
        reads = new ReadConnection(readConnection, path);
        results = new ResultReader(reads);
        listing = new RunListReader(reads);
        events = new EventListReader(reads);
        writer = new StoreWriter(writeConnection, options, path, time);
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// Opens an existing store file to read its runs, beside the app that holds it: takes no lock, never writes, never
    /// migrates. Fails with a <see cref="FanOutStoreException"/> when the file does not exist or is not a FanOut store.
    /// </summary>
    /// <param name="connectionStringOrPath">A file path (<c>fanout.db</c>) or a connection string (<c>Data Source=fanout.db</c>).</param>
    /// <param name="busyTimeout">How long a read may wait for a lock (a checkpoint). Default: 5 seconds.</param>
    public static SqliteRunReader OpenReadOnly(string connectionStringOrPath, TimeSpan? busyTimeout = null) =>
        SqliteRunReader.Open(connectionStringOrPath, busyTimeout ?? TimeSpan.FromSeconds(5));

    /// <summary>
    /// Which process holds the store file's lock (a running app), or null when none does. Takes no lock and creates
    /// nothing: a tool calls it to say why it cannot open the store for writing.
    /// </summary>
    /// <param name="connectionStringOrPath">A file path (<c>fanout.db</c>) or a connection string (<c>Data Source=fanout.db</c>).</param>
    public static SqliteStoreHolder? FindHolder(string connectionStringOrPath) =>
        DatabaseFileLock.FindHolder(SqliteRunReader.FullPath(connectionStringOrPath, out _));

    /// <summary>The writer's counters so far: commits, writes, steps saved, and their ratios (steps per commit).</summary>
    public SqliteStoreStatistics Statistics => writer.Statistics;

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AcceptOutcome>> AcceptAsync(IReadOnlyList<EventSubmission> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return new(writer.Enqueue(new AcceptWrite(batch, cancellationToken)));
    }

    /// <inheritdoc />
    /// <remarks>True: a file has one process (it holds the file's lock), so a run accepted claimed by it needs no claim write.</remarks>
    public bool ClaimsOnAccept => true;

    /// <inheritdoc />
    public ValueTask<ClaimResult> ClaimAsync(int max, CancellationToken cancellationToken) =>
        new(writer.Enqueue(new ClaimWrite(max, cancellationToken)));

    /// <inheritdoc />
    public ValueTask SaveStepAsync(string runId, StepState step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        return new(writer.Enqueue(new SaveStepWrite(runId, step, cancellationToken)));
    }

    /// <inheritdoc />
    public ValueTask<RunResult?> RetryAsync(string runId, int failures, DateTimeOffset dueAt, RunError? error, CancellationToken cancellationToken) =>
        new(writer.Enqueue(new RetryWrite(runId, failures, dueAt, error, cancellationToken)));

    /// <inheritdoc />
    /// <remarks>A running run's request is kept in its row, so it survives a crash: recovery ends the run instead of resuming it.</remarks>
    public ValueTask<CancelResult> CancelAsync(string runId, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(reason);
        return new(writer.Enqueue(new CancelWrite(runId, reason, cancellationToken)));
    }

    /// <inheritdoc />
    /// <remarks>Read on the read connection: listing never waits for the writer.</remarks>
    public ValueTask<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return listing.ListAsync(query, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Read on the read connection. Events no function handles are kept for the retention (and while an unfinished run may look back at them).</remarks>
    public ValueTask<IReadOnlyList<EventSummary>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return events.ListAsync(query, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The run is queued again, due now, and returns null: it resumes with its memoized steps when a worker next claims
    /// it. A run asked to cancel while it ran is not kept to resume: it ends cancelled, and that result is returned.
    /// </remarks>
    public ValueTask<RunResult?> ReleaseAsync(string runId, string reason, CancellationToken cancellationToken) =>
        new(writer.Enqueue(new ReleaseWrite(runId, reason, cancellationToken)));

    /// <inheritdoc />
    public ValueTask<bool> FinishAsync(RunResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(writer.Enqueue(new FinishWrite(result, [], cancellationToken)));
    }

    /// <inheritdoc />
    /// <remarks>The memos and the outcome are one write, in one transaction.</remarks>
    public ValueTask<bool> FinishAsync(RunResult result, IReadOnlyList<StepState> unsavedSteps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(unsavedSteps);
        return new(writer.Enqueue(new FinishWrite(result, unsavedSteps, cancellationToken)));
    }

    /// <inheritdoc />
    public ValueTask<SuspendResult> SuspendAsync(string runId, int failures, DateTimeOffset dueAt, RunError? error, IReadOnlyList<RunWait> waits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(waits);
        return new(writer.Enqueue(new SuspendWrite(runId, failures, dueAt, error, waits, cancellationToken)));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ReplayOutcome>> ReplayAsync(IReadOnlyList<ReplayRequest> replays, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replays);
        return new(writer.Enqueue(new ReplayWrite(replays, cancellationToken)));
    }

    /// <inheritdoc />
    public ValueTask<RunResult?> GetResultAsync(string runId, CancellationToken cancellationToken) => results.GetAsync(runId, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Every run marked running is queued again (the file's lock guarantees no live process is running it), except one
    /// asked to cancel while it ran: it ends cancelled, with the request's reason. Counts only the runs queued again.
    /// </remarks>
    public ValueTask<int> RecoverAsync(CancellationToken cancellationToken) =>
        new(writer.Enqueue(new RecoverWrite(cancellationToken)));

    /// <inheritdoc />
    /// <remarks>Runs are removed in passes of a bounded size, each its own transaction, until one pass finds fewer.</remarks>
    public async ValueTask<int> PruneAsync(CancellationToken cancellationToken)
    {
        int total = 0, removed;
        do
        {
            removed = await writer.Enqueue(new PruneWrite(cancellationToken)).ConfigureAwait(false);
            total += removed;
        }
        while (removed == PruneWrite.BatchSize);
        return total;
    }

    /// <summary>Lets queued writes finish, closes the database and releases its lock (for containers disposed synchronously).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult(); // the writer has its own thread: no deadlock

    /// <summary>Lets queued writes finish, closes the database and releases its lock.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }
        try
        {
            await writer.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            results.Dispose();
            reads.Dispose();
            writeConnection.Dispose();
            fileLock.Dispose();
        }
    }

    /// <summary>The writer, for tests that hold it to make groups.</summary>
    internal StoreWriter Writer => writer;

    /// <summary>Test hook: runs <paramref name="inspect"/> on the writer's connection (PRAGMAs are per connection).</summary>
    internal Task<T> InspectAsync<T>(Func<WriteContext, T> inspect) => writer.Enqueue(new InspectWrite<T>(inspect));

    /// <summary>
    /// Test hook: behaves as if this process died — the writer stops and the file lock is released — without closing the
    /// database cleanly (no checkpoint). Call <see cref="DisposeAsync"/> later to free the connections.
    /// </summary>
    internal async Task AbandonAsync()
    {
        await writer.StopAsync().ConfigureAwait(false);
        fileLock.Dispose();
    }

    private static string ConnectionStringFor(SqliteStoreOptions options, out string path)
    {
        var text = options.ConnectionString?.Trim() ?? "";
        if (text.Length == 0)
        {
            throw new ArgumentException("SqliteStoreOptions.ConnectionString is empty: give a connection string (Data Source=fanout.db) or a file path.", nameof(options));
        }
        var builder = text.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(text)
            : new SqliteConnectionStringBuilder { DataSource = text };
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource.Length == 0 || builder.DataSource == ":memory:")
        {
            throw new ArgumentException($"The SQLite store needs a file, not '{text}': use the in-memory store for a store that ends with the process.", nameof(options));
        }
        if (builder.Mode == SqliteOpenMode.ReadOnly)
        {
            throw new ArgumentException($"The SQLite store writes to its file; '{text}' opens it read-only.", nameof(options));
        }
        path = Path.GetFullPath(builder.DataSource);
        builder.DataSource = path;
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        builder.Cache = SqliteCacheMode.Private;
        builder.Pooling = false; // the store keeps its connections for its life; pooling would keep the file open after it
        builder.DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds));
        return builder.ToString();
    }
}
