using System.Collections.Concurrent;
using Npgsql;

namespace FanOut.PostgreSql.Writing;

/// <summary>
/// Group commit for an attempt's hot writes (step memos, retries, releases, ends): callers queue their write, one flusher
/// takes everything queued, sends it as one batch in one transaction (one round trip), commits once, and only then
/// completes each caller's task with its own outcome. While a group commits, the next one queues up, so under load one
/// WAL flush covers many runs' writes.
/// </summary>
/// <remarks>
/// <para>Every write is fenced by its run's lease epoch with a statement that affects no row when refused, so a refused
/// write is refused for its caller alone. A statement that fails (an error from the server) aborts the transaction: the
/// group is rolled back, that write fails alone, and the rest run again without it. A deadlock with another transaction
/// (the group locks many runs' rows) rolls back and runs the group again. A broken connection fails every write of the
/// group with the error (whether the commit happened is unknown when the connection broke during it, as with any
/// transaction), except step memos, which are idempotent and tried once more on a new connection.</para>
/// <para>The writes of a group are executed ordered by run id, and in queue order within a run (so a run's memo comes
/// before its end); the same order in every group keeps groups on several nodes from deadlocking on each other.</para>
/// <para>Writes that take the flow's advisory locks (accepts, suspensions) are not grouped: their lock order would
/// have to hold across the group.</para>
/// </remarks>
internal sealed class GroupCommit : IAsyncDisposable
{
    /// <summary>The most writes one commit takes; more wait for the next.</summary>
    public const int MaxWritesPerCommit = 256;

    private const int DeadlockRetries = 5;

    private readonly PostgresDatabase db;
    private readonly WriteStatements sql;
    private readonly ConcurrentQueue<GroupedWrite> queue = new();
    private readonly Lock flushGate = new();
    private Task flusher = Task.CompletedTask;
    private bool flushing;
    private bool closed;
    private int queued;
    private long commits, writes, failedWrites, stepsSaved, rollbacks;
    private volatile TaskCompletionSource? hold;
    private volatile QueuedWaiter? queuedWaiter;

    public GroupCommit(PostgresDatabase db)
    {
        this.db = db;
        sql = new WriteStatements(db);
    }

    public PostgresStoreStatistics Statistics => new(
        Volatile.Read(ref commits), Volatile.Read(ref writes), Volatile.Read(ref failedWrites), Volatile.Read(ref stepsSaved), Volatile.Read(ref rollbacks));

    /// <summary>Queues a write; its task completes once its group committed (or it failed alone, or its group failed).</summary>
    public Task<T> Enqueue<T>(GroupedWrite<T> write)
    {
        if (write.CancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(write.CancellationToken);
        }
        lock (flushGate)
        {
            if (closed)
            {
                return Task.FromException<T>(new ObjectDisposedException(nameof(PostgresStore), $"The {db.Describe} is closed."));
            }
            queue.Enqueue(write);
            Interlocked.Increment(ref queued);
            if (!flushing)
            {
                flushing = true;
                flusher = Task.Run(FlushLoopAsync);
            }
        }
        if (queuedWaiter is { } waiter && Volatile.Read(ref queued) >= waiter.Count)
        {
            waiter.Reached.TrySetResult();
        }
        return write.Task;
    }

    /// <summary>Test hook: keeps the flusher from taking writes until the returned object is disposed.</summary>
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

    /// <summary>Takes no more writes and waits until the queued ones are done.</summary>
    public async ValueTask DisposeAsync()
    {
        Task last;
        lock (flushGate)
        {
            closed = true;
            last = flusher;
        }
        hold?.TrySetResult();
        await last.ConfigureAwait(false);
    }

    private async Task FlushLoopAsync()
    {
        var group = new List<GroupedWrite>(MaxWritesPerCommit);
        while (true)
        {
            if (hold is { } gate)
            {
                await gate.Task.ConfigureAwait(false);
            }
            while (group.Count < MaxWritesPerCommit && queue.TryDequeue(out var write))
            {
                Interlocked.Decrement(ref queued);
                if (write.CancellationToken.IsCancellationRequested)
                {
                    write.Cancel(); // not begun: the caller gave up before the group was taken
                    continue;
                }
                group.Add(write);
            }
            if (group.Count == 0)
            {
                lock (flushGate)
                {
                    if (queue.IsEmpty)
                    {
                        flushing = false;
                        return;
                    }
                }
                continue;
            }
            try
            {
                await CommitAsync(group).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Nothing may escape the loop: a dead flusher would leave every later caller waiting.
                foreach (var write in group)
                {
                    write.Fail(ex as FanOutStoreException ?? db.Failure($"could not {write.What}", ex));
                }
            }
            group.Clear();
        }
    }

    // Runs the group until it commits, taking out the writes that fail alone; completes or fails every write in it.
    private async Task CommitAsync(List<GroupedWrite> group)
    {
        // By run id, and in queue order within a run: a stable sort (List.Sort is not stable, so the queue position breaks ties).
        var order = new (GroupedWrite Write, int Position)[group.Count];
        for (int i = 0; i < group.Count; i++)
        {
            order[i] = (group[i], i);
        }
        Array.Sort(order, static (a, b) =>
        {
            var byRun = string.CompareOrdinal(a.Write.RunId, b.Write.RunId);
            return byRun != 0 ? byRun : a.Position.CompareTo(b.Position);
        });
        var pending = new List<GroupedWrite>(order.Length);
        foreach (var (write, _) in order)
        {
            pending.Add(write);
        }
        int deadlocks = 0;
        bool reconnected = false, setSaves = true;
        while (pending.Count > 0)
        {
            var failed = new FailedStatement();
            try
            {
                await ExecuteAsync(pending, setSaves, failed).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && ++deadlocks <= DeadlockRetries)
            {
                Interlocked.Increment(ref rollbacks);
                continue; // nothing was committed: the whole group again
            }
            catch (Exception ex) when (ex is PostgresException && !PostgresDatabase.BrokenConnection(ex) && failed.InSet)
            {
                // The statement of many memos failed: run the group again with one statement per memo, which names the one.
                Interlocked.Increment(ref rollbacks);
                setSaves = false;
                continue;
            }
            catch (Exception ex) when (ex is PostgresException && !PostgresDatabase.BrokenConnection(ex) && failed.Culprit is { } culprit)
            {
                // The statement of one write failed and aborted the transaction: that write fails alone, the rest run again.
                Interlocked.Increment(ref rollbacks);
                Interlocked.Increment(ref failedWrites);
                Interlocked.Increment(ref writes);
                culprit.Fail(db.Failure($"could not {culprit.What}", ex));
                pending.Remove(culprit);
                continue;
            }
            catch (Exception ex) when (PostgresDatabase.BrokenConnection(ex) && !reconnected)
            {
                // After a server restart or a network cut every idle pooled connection is broken. Step memos are safe to
                // repeat and are tried once more on a new connection; the other writes fail (their commit is unknown).
                db.DataSource.Clear();
                reconnected = true;
                var failure = ex;
                pending.RemoveAll(w =>
                {
                    if (w.Repeatable)
                    {
                        return false;
                    }
                    w.Fail(db.Failure($"could not {w.What}", failure));
                    return true;
                });
                continue;
            }
            catch (Exception ex)
            {
                foreach (var write in pending)
                {
                    write.Fail(ex as FanOutStoreException ?? db.Failure($"could not {write.What}", ex));
                }
                return;
            }
            int steps = 0;
            foreach (var write in pending)
            {
                steps += write.SavedStep ? 1 : 0;
            }
            Interlocked.Increment(ref commits);
            Interlocked.Add(ref writes, pending.Count);
            Interlocked.Add(ref stepsSaved, steps);
            foreach (var write in pending)
            {
                write.Complete();
            }
            return;
        }
    }

    // One transaction: the batch (one round trip), the rare follow-ups, the commit. Reports the write whose statement failed.
    private async Task ExecuteAsync(List<GroupedWrite> pending, bool setSaves, FailedStatement failed)
    {
        // The memos of runs with no other write in the group go into one statement; the rest have one statement each.
        var (set, singles) = setSaves ? SplitSaves(pending) : (null, pending);
        // The group's own lifetime: no caller's token cancels the writes of the others.
        var none = CancellationToken.None;
        await using var connection = await db.DataSource.OpenConnectionAsync(none).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(none).ConfigureAwait(false);
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            if (set is not null)
            {
                batch.BatchCommands.Add(SaveStepWrite.SetCommand(sql, set));
            }
            foreach (var write in singles)
            {
                batch.BatchCommands.Add(write.Command(sql));
            }
            // Server-side prepared statements, kept by the pooled connection: the server parses and plans each kind of
            // write once per connection instead of once per write (a round trip only the first time on a connection).
            await batch.PrepareAsync(none).ConfigureAwait(false);
            // The statements answer in order, and the error of a failing one arrives where its answer would: the write
            // whose answer is being reached when the reader throws is the one that failed. (PostgresException.BatchCommand
            // named the statement before it in a test: the reader had not yet moved on.)
            // The set statement, when there is one, answers first; its failure names no single write (reaching -1).
            int reaching = set is null ? 0 : -1;
            try
            {
                await using var reader = await batch.ExecuteReaderAsync(none).ConfigureAwait(false);
                if (set is not null)
                {
                    await SaveStepWrite.ReadSetAsync(reader, set, none).ConfigureAwait(false);
                    reaching = 0;
                    if (singles.Count > 0)
                    {
                        await reader.NextResultAsync(none).ConfigureAwait(false);
                    }
                }
                for (; reaching < singles.Count; reaching++)
                {
                    if (reaching > 0)
                    {
                        await reader.NextResultAsync(none).ConfigureAwait(false);
                    }
                    await singles[reaching].ReadAsync(reader, none).ConfigureAwait(false);
                }
            }
            catch (PostgresException) when (reaching < singles.Count)
            {
                (failed.Culprit, failed.InSet) = (reaching >= 0 ? singles[reaching] : null, reaching < 0);
                throw;
            }
        }
        foreach (var write in pending)
        {
            if (write.NeedsFollowUp)
            {
                failed.Culprit = write;
                await write.FollowUpAsync(db, connection, transaction, none).ConfigureAwait(false);
            }
        }
        failed.Culprit = null;
        await transaction.CommitAsync(none).ConfigureAwait(false);
    }

    // Splits out the memos of runs that have no other write in the group (so their order against the run's other writes
    // cannot matter); null when fewer than two, for which one statement each is as good.
    private static (List<SaveStepWrite>? Set, List<GroupedWrite> Singles) SplitSaves(List<GroupedWrite> pending)
    {
        List<SaveStepWrite>? set = null;
        List<GroupedWrite> singles = new(pending.Count);
        for (int i = 0; i < pending.Count; i++)
        {
            // Sorted by run id: a run's other writes are next to it.
            var alone = (i == 0 || pending[i - 1].RunId != pending[i].RunId) && (i == pending.Count - 1 || pending[i + 1].RunId != pending[i].RunId);
            if (alone && pending[i] is SaveStepWrite save)
            {
                (set ??= []).Add(save);
            }
            else
            {
                singles.Add(pending[i]);
            }
        }
        return set is { Count: >= 2 } ? (set, singles) : (null, pending);
    }

    /// <summary>Where a group's transaction failed: the write whose statement (or follow-up) failed, or the statement of many memos.</summary>
    private sealed class FailedStatement
    {
        public GroupedWrite? Culprit { get; set; }

        public bool InSet { get; set; }
    }

    private sealed record QueuedWaiter(int Count)
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Release(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
