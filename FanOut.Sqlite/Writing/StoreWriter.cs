using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace FanOut.Sqlite.Writing;

/// <summary>
/// The one writer of a database: every write (claims included) is queued here, and one loop executes them in groups.
/// </summary>
/// <remarks>
/// Group commit: the loop takes every write queued so far (up to <see cref="SqliteStoreOptions.MaxWritesPerCommit"/>),
/// runs them in ONE transaction, each inside its own savepoint, commits once, and only then completes their tasks. While
/// a commit is being flushed to disk, new writes queue up and form the next group, so under load one fsync covers many
/// writes. A write that throws is rolled back to its savepoint and fails alone; if the commit itself fails (disk full,
/// I/O error) every write of the group fails with a <see cref="FanOutStoreException"/> naming the file.
/// </remarks>
internal sealed class StoreWriter : IAsyncDisposable
{
    private readonly Channel<StoreWrite> queue = Channel.CreateUnbounded<StoreWrite>(new UnboundedChannelOptions { SingleReader = true });

    // Wakes the writer thread. No spinning: a profile showed the blocking wait on WaitToReadAsync spinning for a fifth of
    // the writer's CPU (docs/benchmarks.md), on a machine with two cores to share.
    private readonly ManualResetEventSlim workAvailable = new(initialState: false, spinCount: 0);
    private readonly SqliteConnection connection;
    private readonly WriteContext context;
    private readonly TimeProvider time;
    private readonly SqliteStoreOptions options;
    private readonly ITimer? pruneTimer;
    private readonly TaskCompletionSource loopEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long commits;
    private long writes;
    private long failedWrites;
    private long stepsSaved;
    private long prunes;
    private long groupsRunAgain;
    private int automaticPruneQueued;
    private int queued; // writes in the channel (a single-reader channel cannot count them)
    private volatile TaskCompletionSource? hold;
    private volatile QueuedWaiter? queuedWaiter;
    private volatile TaskCompletionSource? automaticPruneDone;

    public StoreWriter(SqliteConnection connection, SqliteStoreOptions options, string databasePath, TimeProvider time)
    {
        this.connection = connection;
        this.options = options;
        this.time = time;
        DatabasePath = databasePath;
        context = new WriteContext(connection, options, databasePath);
        // A thread of its own: commits block on the disk, and must not wait for (or starve) the thread pool.
        new Thread(RunLoop) { IsBackground = true, Name = "FanOut SQLite writer" }.Start();
        var interval = options.PruneInterval;
        if (interval > TimeSpan.Zero && interval != Timeout.InfiniteTimeSpan)
        {
            pruneTimer = time.CreateTimer(static state => ((StoreWriter)state!).QueueAutomaticPrune(), this, interval, interval);
        }
    }

    public string DatabasePath { get; }

    public SqliteStoreStatistics Statistics => new(
        Volatile.Read(ref commits), Volatile.Read(ref writes), Volatile.Read(ref failedWrites), Volatile.Read(ref stepsSaved), Volatile.Read(ref prunes), Volatile.Read(ref groupsRunAgain));

    /// <summary>Queues a write; the task completes once its group committed.</summary>
    public Task<T> Enqueue<T>(StoreWrite<T> write)
    {
        if (write.CancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(write.CancellationToken);
        }
        Interlocked.Increment(ref queued);
        if (!queue.Writer.TryWrite(write))
        {
            Interlocked.Decrement(ref queued);
            return Task.FromException<T>(new ObjectDisposedException(nameof(SqliteStore), $"The SQLite store '{DatabasePath}' is closed."));
        }
        workAvailable.Set();
        if (queuedWaiter is { } waiter && Volatile.Read(ref queued) >= waiter.Count)
        {
            waiter.Reached.TrySetResult();
        }
        return write.Task;
    }

    /// <summary>Test hook: keeps the loop from taking writes until the returned object is disposed.</summary>
    internal IDisposable Hold()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hold = gate;
        return new Release(() =>
        {
            hold = null;
            gate.TrySetResult();
        });
    }

    /// <summary>Test hook: completes once at least <paramref name="count"/> writes are queued (use with <see cref="Hold"/>).</summary>
    internal Task WhenQueuedAsync(int count)
    {
        var waiter = new QueuedWaiter(count);
        queuedWaiter = waiter;
        if (Volatile.Read(ref queued) >= count)
        {
            waiter.Reached.TrySetResult();
        }
        return waiter.Reached.Task;
    }

    /// <summary>Test hook: completes when the next automatic prune has committed.</summary>
    internal Task NextAutomaticPruneAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        automaticPruneDone = done;
        return done.Task;
    }

    /// <summary>Stops taking writes and waits for the queued ones to be done.</summary>
    public async ValueTask StopAsync()
    {
        if (pruneTimer is not null)
        {
            await pruneTimer.DisposeAsync().ConfigureAwait(false);
        }
        queue.Writer.TryComplete();
        workAvailable.Set();
        hold?.TrySetResult();
        await loopEnded.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        context.DisposeCommands();
        workAvailable.Dispose();
    }

    private void QueueAutomaticPrune()
    {
        // One automatic prune at a time: a slow prune does not pile up more behind it.
        if (Interlocked.Exchange(ref automaticPruneQueued, 1) == 1)
        {
            return;
        }
        var prune = new PruneWrite(CancellationToken.None);
        _ = Enqueue(prune).ContinueWith(
            static (task, state) =>
            {
                var writer = (StoreWriter)state!;
                Volatile.Write(ref writer.automaticPruneQueued, 0);
                if (task.IsCompletedSuccessfully && task.Result == PruneWrite.BatchSize)
                {
                    writer.QueueAutomaticPrune(); // a backlog: the next pass, behind the writes queued meanwhile
                }
                else if (task.IsCompletedSuccessfully)
                {
                    writer.automaticPruneDone?.TrySetResult();
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void RunLoop()
    {
        var reader = queue.Reader;
        var group = new List<StoreWrite>();
        try
        {
            while (WaitToRead(reader))
            {
                hold?.Task.Wait();
                if (options.GroupCommitDelay > TimeSpan.Zero)
                {
                    Thread.Sleep(options.GroupCommitDelay); // deliberate: trades this much latency for bigger groups
                }
                var max = Math.Max(1, options.MaxWritesPerCommit);
                while (group.Count < max && reader.TryRead(out var write))
                {
                    group.Add(write);
                }
                Interlocked.Add(ref queued, -group.Count);
                try
                {
                    CommitGroup(group);
                }
                catch (Exception ex)
                {
                    // Nothing may escape the loop: a dead writer would leave every later caller waiting.
                    foreach (var write in group)
                    {
                        write.Fail(ex as FanOutStoreException ?? Failure($"could not write {group.Count} change(s)", ex));
                    }
                }
                group.Clear();
            }
        }
        finally
        {
            loopEnded.TrySetResult();
        }
    }

    /// <summary>Blocks the writer thread until a write is queued (true) or the queue is closed and empty (false).</summary>
    private bool WaitToRead(ChannelReader<StoreWrite> reader)
    {
        while (true)
        {
            if (reader.TryPeek(out _))
            {
                return true;
            }
            if (reader.Completion.IsCompleted)
            {
                return false;
            }
            // Reset, then look again: a write queued between the look above and the reset has set the event before
            // the reset cleared it, and is seen here; one queued after the reset sets it again and ends the wait.
            workAvailable.Reset();
            if (reader.TryPeek(out _) || reader.Completion.IsCompleted)
            {
                continue;
            }
            workAvailable.Wait();
        }
    }

    private void CommitGroup(List<StoreWrite> group)
    {
        context.NowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        // Almost every group commits whole: it runs without a savepoint around each write (two statements per write).
        // Only when a write fails is the group rolled back and run again with them, so that the failing write alone is
        // undone. Writes only set their result when they run, so running one again after the rollback is safe.
        if (!RunGroup(group, savepoints: false))
        {
            Interlocked.Increment(ref groupsRunAgain);
            RunGroup(group, savepoints: true);
        }
    }

    // One transaction for the group. Without savepoints a failing write rolls the whole group back and returns false
    // (nothing counted, nothing completed); with them it is undone alone and fails alone.
    private bool RunGroup(List<StoreWrite> group, bool savepoints)
    {
        try
        {
            context.Execute("BEGIN IMMEDIATE;");
        }
        catch (SqliteException ex)
        {
            throw Failure($"could not start a transaction for {group.Count} write(s)", ex);
        }
        int executed = 0, failed = 0, steps = 0, pruned = 0;
        try
        {
            foreach (var write in group)
            {
                write.Error = null;
                if (write.CancellationToken.IsCancellationRequested)
                {
                    write.Error = new OperationCanceledException(write.CancellationToken);
                    continue;
                }
                if (savepoints)
                {
                    context.Execute("SAVEPOINT write;");
                }
                executed++;
                try
                {
                    write.Execute(context);
                    if (savepoints)
                    {
                        context.Execute("RELEASE write;");
                    }
                    steps += write.StepsSaved;
                    pruned += write.IsPrune ? 1 : 0;
                }
                catch (Exception ex) when (ex is not SqliteException { SqliteErrorCode: 10 or 13 })
                {
                    if (!savepoints)
                    {
                        TryRollback();
                        return false;
                    }
                    // Undo this write only; its neighbours in the group stay.
                    context.Execute("ROLLBACK TO write; RELEASE write;");
                    write.Error = ex is SqliteException sqlite ? Failure("a write failed", sqlite) : ex;
                    failed++;
                }
            }
            context.Execute("COMMIT;");
        }
        catch (Exception ex)
        {
            // An I/O error or a full disk (SQLITE_IOERR 10, SQLITE_FULL 13) may have ended the transaction already.
            TryRollback();
            throw ex as FanOutStoreException ?? Failure($"could not commit {group.Count} write(s)", ex);
        }
        Interlocked.Increment(ref commits);
        Interlocked.Add(ref writes, executed);
        Interlocked.Add(ref failedWrites, failed);
        Interlocked.Add(ref stepsSaved, steps);
        Interlocked.Add(ref prunes, pruned);
        foreach (var write in group)
        {
            write.Complete();
        }
        return true;
    }

    private void TryRollback()
    {
        try
        {
            if (!connection.State.HasFlag(System.Data.ConnectionState.Open))
            {
                return;
            }
            context.Execute("ROLLBACK;");
        }
        catch (SqliteException)
        {
            // Already rolled back by SQLite itself.
        }
    }

    private FanOutStoreException Failure(string what, Exception ex) =>
        new($"SQLite store '{DatabasePath}': {what}: {ex.Message}", ex);

    private sealed record QueuedWaiter(int Count)
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Release(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
