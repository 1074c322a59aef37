using FanOut.PostgreSql.Leases;
using FanOut.PostgreSql.Reading;
using FanOut.PostgreSql.Schema;
using FanOut.PostgreSql.Signals;
using FanOut.PostgreSql.Writing;
using FanOut.Stores;
using Npgsql;

namespace FanOut.PostgreSql;

/// <summary>
/// A store in a PostgreSQL database that many nodes share: any node accepts events, and the worker of every node claims
/// due runs, so runs spread over the nodes; a node that dies or stalls loses its runs to the others when their leases
/// expire, and its late writes are refused.
/// </summary>
/// <remarks>
/// <para>The schema (<see cref="PostgresStoreOptions.Schema"/>) is created and migrated on first use, under an advisory
/// lock, so nodes starting at once do not trip over each other.</para>
/// <para>A claim takes due runs with <c>FOR UPDATE SKIP LOCKED</c> and gives each a lease on the database's clock and a
/// new lease epoch. This store remembers the epoch of each run it holds and renews their leases in the background; every
/// write of a run's attempt (a step's memo, a retry, a release, the end) is applied only if the run still has that epoch.
/// A refused write throws <see cref="RunLeaseLostException"/>, and the engine ends the attempt without recording
/// anything.</para>
/// <para>Idle workers are woken by <c>NOTIFY</c> (a dedicated listening connection), with polling as the fallback.</para>
/// </remarks>
public sealed class PostgresStore : IFanOutStore, IAsyncDisposable
{
    private readonly PostgresDatabase db;
    private readonly LeaseKeeper leases;
    private readonly GroupCommit commits;
    private readonly string[]? functions;
    private readonly CancellationTokenSource closing = new();
    private readonly Lock readyGate = new();
    private Task? ready;
    private WorkListener? listener;
    private Task pruning = Task.CompletedTask;
    private int disposed;

    /// <summary>Creates the store. Nothing is opened until first use, when the schema is brought up to date.</summary>
    /// <param name="options">The database and settings.</param>
    /// <param name="timeProvider">The engine's clock: due times it computes are relative to it. Default: the system clock.</param>
    public PostgresStore(PostgresStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        db = new PostgresDatabase(options, timeProvider ?? TimeProvider.System);
        leases = new LeaseKeeper(db);
        commits = new GroupCommit(db);
        functions = options.FunctionIds is { } ids ? [.. ids] : null;
    }

    /// <summary>Called when NOTIFY says runs may be due (set by <c>UsePostgres</c> to wake the local worker).</summary>
    internal Action? WakeWorker { get; set; }

    /// <summary>Called for a held run asked to cancel on another node, when its lease is renewed (set by <c>UsePostgres</c> to stop the attempt).</summary>
    internal Action<string, string>? CancelRequested
    {
        get => leases.CancelRequested;
        set => leases.CancelRequested = value;
    }

    /// <summary>Called with a run's id when NOTIFY says it finished (on any node), or null after a reconnect (set by <c>UsePostgres</c> for local waiters).</summary>
    internal Action<string?>? RunFinished { get; set; }

    /// <summary>The store's settings.</summary>
    public PostgresStoreOptions Options => db.Options;

    /// <summary>How many claimed runs this store holds now (their leases are being renewed).</summary>
    public int HeldRuns => leases.Count;

    /// <summary>Whether the NOTIFY listener is connected (false before the first claim, or while it reconnects).</summary>
    public bool ListenerConnected => listener?.Connected ?? false;

    /// <summary>How many leases the renewal loop found taken over by another node since the store opened.</summary>
    public long LostLeases => leases.LostLeases;

    /// <summary>
    /// How the group commit has done since the store opened: an attempt's hot writes (step memos, retries, releases,
    /// ends) from all the runs in flight are committed together, one transaction and one WAL flush for many writes.
    /// </summary>
    public PostgresStoreStatistics Statistics => commits.Statistics;

    /// <summary>Creates or migrates the schema now (it is otherwise done on first use). Safe on many nodes at once.</summary>
    public Task MigrateAsync(CancellationToken cancellationToken = default) => EnsureReadyAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AcceptOutcome>> AcceptAsync(IReadOnlyList<EventSubmission> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var outcomes = await Accepting.AcceptAsync(db, connection, transaction, batch, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            HoldClaimedOnAccept(batch, outcomes);
            return outcomes;
        }
        catch (NpgsqlException ex)
        {
            throw db.Failure($"could not accept {batch.Count} event(s)", ex);
        }
    }

    /// <inheritdoc />
    /// <remarks>True on a node that claims runs: a run accepted claimed is stored running under this node's lease.</remarks>
    public bool ClaimsOnAccept => db.Options.ClaimRuns;

    // The lease of a run accepted claimed is this node's from the commit on: renewed and fenced like a claimed run's.
    private void HoldClaimedOnAccept(IReadOnlyList<EventSubmission> batch, IReadOnlyList<AcceptOutcome> outcomes)
    {
        for (int i = 0; i < batch.Count; i++)
        {
            if (outcomes[i].Duplicate)
            {
                continue;
            }
            foreach (var run in batch[i].Runs)
            {
                if (run.ClaimedOnAccept)
                {
                    leases.Hold(run.Id, 1);
                }
            }
        }
    }

    /// <summary>
    /// Accepts a batch inside the caller's open transaction: the events and runs exist if and only if that transaction
    /// commits (and NOTIFY wakes workers only then). Used by the transactional <c>SendAsync</c>.
    /// </summary>
    internal async Task<IReadOnlyList<AcceptOutcome>> AcceptAsync(IReadOnlyList<EventSubmission> batch, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var connection = transaction.Connection
            ?? throw new InvalidOperationException("The transaction has completed (its connection is gone); send inside an open transaction.");
        return await Accepting.AcceptAsync(db, connection, transaction, batch, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<ClaimResult> ClaimAsync(int max, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        if (!db.Options.ClaimRuns)
        {
            return new ClaimResult([], null);
        }
        ClaimResult result;
        List<(string RunId, long Epoch)> epochs;
        try
        {
            (result, epochs) = await OnceMoreIfTheConnectionBrokeAsync(async ct =>
            {
                await using var connection = await db.DataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                var claimed = await Claiming.ClaimAsync(db, connection, transaction, max, functions, ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return claimed;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw db.Failure("could not claim runs", ex);
        }
        foreach (var (runId, epoch) in epochs)
        {
            leases.Hold(runId, epoch);
        }
        // Polling, as the fallback for lost notifications and for other nodes' expired leases.
        if (db.Options.PollInterval != Timeout.InfiniteTimeSpan)
        {
            var poll = db.Time.GetUtcNow() + db.Options.PollInterval;
            if (result.NextDueAt is null || result.NextDueAt > poll)
            {
                result = result with { NextDueAt = poll };
            }
        }
        return result;
    }

    /// <inheritdoc />
    /// <exception cref="RunLeaseLostException">Another node has taken the run over since this store claimed it.</exception>
    public async ValueTask SaveStepAsync(string runId, StepState step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var epoch = Epoch(runId);
        // Grouped with other runs' writes into one commit; a broken connection is tried once more (the memo is idempotent).
        var saved = await commits.Enqueue(new SaveStepWrite(runId, epoch, step, cancellationToken)).ConfigureAwait(false);
        if (!saved)
        {
            leases.MarkLost(runId);
            throw Lost(runId, epoch, $"step '{step.Id}' was not saved");
        }
    }

    /// <inheritdoc />
    public async ValueTask<RunResult?> RetryAsync(string runId, int failures, DateTimeOffset dueAt, RunError? error, CancellationToken cancellationToken)
    {
        var epoch = Epoch(runId);
        var delay = (long)(dueAt - db.Time.GetUtcNow()).TotalMilliseconds;
        if (db.Options.Clock == PostgresClock.TimeProvider)
        {
            // Exact: the due time as given, not now plus a delay rounded to the millisecond.
            delay = dueAt.ToUnixTimeMilliseconds() - db.NowParameter!.Value;
        }
        return await RequeueAsync(RequeueWrite.Retry(runId, epoch, failures, delay, error, cancellationToken), epoch, "this node could not queue it again").ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>The run is queued again, due now, and any node may resume it; a run asked to cancel ends cancelled instead.</remarks>
    public async ValueTask<RunResult?> ReleaseAsync(string runId, string reason, CancellationToken cancellationToken)
    {
        var epoch = Epoch(runId);
        return await RequeueAsync(RequeueWrite.Release(runId, epoch, reason, cancellationToken), epoch, "this node could not release it").ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> FinishAsync(RunResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var epoch = Epoch(result.RunId);
        try
        {
            // Grouped with other runs' writes into one commit.
            var (recorded, resumed) = await commits.Enqueue(new FinishWrite(result, epoch, cancellationToken)).ConfigureAwait(false);
            if (!recorded)
            {
                throw Lost(result.RunId, epoch, $"its outcome ({result.Status}) was not recorded");
            }
            return resumed;
        }
        finally
        {
            leases.Drop(result.RunId);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The memos and the outcome are queued together, in order, so they usually share one commit of the group commit; a
    /// memo refused by the lease fence means the outcome is refused too (<see cref="RunLeaseLostException"/>). A memo that
    /// failed for another reason while the outcome was recorded is dropped: the run has finished, and such a memo only
    /// serves a replay that keeps succeeded steps.
    /// </remarks>
    public async ValueTask<bool> FinishAsync(RunResult result, IReadOnlyList<StepState> unsavedSteps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(unsavedSteps);
        if (unsavedSteps.Count == 0)
        {
            return await FinishAsync(result, cancellationToken).ConfigureAwait(false);
        }
        var epoch = Epoch(result.RunId);
        var saves = new Task<bool>[unsavedSteps.Count];
        for (int i = 0; i < saves.Length; i++)
        {
            saves[i] = commits.Enqueue(new SaveStepWrite(result.RunId, epoch, unsavedSteps[i], cancellationToken));
        }
        var finishing = FinishAsync(result, cancellationToken);
        foreach (var save in saves)
        {
            try
            {
                await save.ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Only the outcome decides; see the remarks.
            }
        }
        return await finishing.ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Fenced like every write of an attempt. Registering a wait and accepting an event of its name are serialized by an
    /// advisory lock on the name (accepts share it; a suspension takes it alone), so neither misses the other.
    /// </remarks>
    /// <exception cref="RunLeaseLostException">Another node has taken the run over since this store claimed it.</exception>
    public async ValueTask<SuspendResult> SuspendAsync(string runId, int failures, DateTimeOffset dueAt, RunError? error, IReadOnlyList<RunWait> waits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(waits);
        var epoch = Epoch(runId);
        try
        {
            await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var suspended = await Suspending.SuspendAsync(db, connection, transaction, runId, epoch, failures, dueAt, error, waits, cancellationToken).ConfigureAwait(false)
                ?? throw Lost(runId, epoch, "its waits were not registered");
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return suspended;
        }
        catch (NpgsqlException ex)
        {
            throw db.Failure($"could not suspend run {runId} on its waits", ex);
        }
        finally
        {
            leases.Drop(runId);
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ReplayOutcome>> ReplayAsync(IReadOnlyList<ReplayRequest> replays, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replays);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var outcomes = await Replaying.ReplayAsync(db, connection, transaction, replays, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return outcomes;
        }
        catch (NpgsqlException ex)
        {
            throw db.Failure($"could not replay {replays.Count} run(s)", ex);
        }
    }

    /// <inheritdoc />
    public ValueTask<RunResult?> GetResultAsync(string runId, CancellationToken cancellationToken) => GetResultCoreAsync(runId, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Only runs whose lease has expired are queued again — never those another live node holds and renews — except a run
    /// asked to cancel, which ends cancelled. Counts only the runs queued again.
    /// </remarks>
    public async ValueTask<int> RecoverAsync(CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        if (!db.Options.ClaimRuns)
        {
            return 0;
        }
        const int batch = 1000;
        int total = 0;
        try
        {
            while (true)
            {
                await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var requeued = await Claiming.TakeBackExpiredAsync(db, connection, transaction, batch, cancellationToken).ConfigureAwait(false);
                if (requeued > 0)
                {
                    await RunEnds.NotifyAsync(db, connection, transaction, cancellationToken).ConfigureAwait(false);
                }
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                total += requeued;
                if (requeued < batch)
                {
                    return total;
                }
            }
        }
        catch (NpgsqlException ex)
        {
            throw db.Failure("could not recover runs whose lease expired", ex);
        }
    }

    /// <inheritdoc />
    public async ValueTask<CancelResult> CancelAsync(string runId, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(reason);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            CancelResult outcome;
            switch (await RunEnds.StateAsync(db, connection, transaction, runId, cancellationToken).ConfigureAwait(false))
            {
                case null:
                    return new CancelResult(CancelOutcome.NotFound, null);
                case { Status: RunStatus.Queued }:
                    outcome = new CancelResult(CancelOutcome.Cancelled, await RunEnds.EndCancelledAsync(db, connection, transaction, runId, reason, cancellationToken).ConfigureAwait(false));
                    break;
                case { Status: RunStatus.Running }:
                    // The first request's reason stands.
                    await using (var request = db.Command(connection, transaction, "UPDATE {s}.runs SET cancel_reason = coalesce(cancel_reason, @reason) WHERE id = @id;")
                        .With("id", runId).With("reason", reason))
                    {
                        await request.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                    outcome = new CancelResult(CancelOutcome.Requested, null);
                    break;
                default:
                    return new CancelResult(CancelOutcome.AlreadyFinished, null);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return outcome;
        }
        catch (NpgsqlException ex)
        {
            throw db.Failure($"could not cancel run {runId}", ex);
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        return await Reads.ListAsync(db, query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One run as <see cref="ListRunsAsync"/> describes it (finished or not), or null when there is none (for tools such as <c>fanout runs show</c>).</summary>
    public async ValueTask<RunSummary?> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        return await Reads.RunAsync(db, runId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The steps a run has saved so far, each at its latest state, in the order first saved: what an unfinished run has done.</summary>
    public async ValueTask<IReadOnlyList<StepResult>> GetSavedStepsAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        return await Reads.SavedStepsAsync(db, runId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<EventSummary>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        return await Reads.EventsAsync(db, query, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Runs are removed in passes of a bounded size, each its own transaction, until one pass finds fewer.</remarks>
    public async ValueTask<int> PruneAsync(CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        int total = 0, removed;
        try
        {
            do
            {
                removed = await Pruning.PassAsync(db, cancellationToken).ConfigureAwait(false);
                total += removed;
            }
            while (removed == Pruning.BatchSize);
        }
        catch (NpgsqlException ex)
        {
            throw db.Failure("could not prune", ex);
        }
        return total;
    }

    /// <summary>Answers whether the database is reachable and the schema current, within <paramref name="cancellationToken"/>; throws otherwise.</summary>
    internal async Task PingAsync(CancellationToken cancellationToken)
    {
        var version = await PostgresSchema.VersionAsync(db, cancellationToken).ConfigureAwait(false);
        if (version != PostgresSchema.CurrentVersion)
        {
            throw new FanOutStoreException($"{db.Describe}: the schema is at version {version}, this node needs {PostgresSchema.CurrentVersion}.");
        }
    }

    /// <summary>The lease keeper's view, for the health check: the last renewal and its failure.</summary>
    internal (DateTimeOffset? LastRenewal, Exception? LastFailure) Renewals => (leases.LastRenewal, leases.LastFailure);

    /// <summary>Test hook: behaves as a stalled or killed node — stops renewing leases and listening — without touching the database.</summary>
    internal async Task AbandonAsync()
    {
        await leases.StopAsync().ConfigureAwait(false);
        if (listener is not null)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Test hook: the group commit (to hold it while a test queues a group).</summary>
    internal GroupCommit Commits => commits;

    /// <summary>Test hook: renews the held leases now.</summary>
    internal Task<int> RenewLeasesAsync(CancellationToken cancellationToken) => leases.RenewAsync(cancellationToken);

    /// <summary>Stops renewing leases and listening, and closes the connections. Held runs are taken over by other nodes when their leases expire.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }
        await closing.CancelAsync().ConfigureAwait(false);
        try
        {
            await pruning.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await commits.DisposeAsync().ConfigureAwait(false);
        await leases.DisposeAsync().ConfigureAwait(false);
        if (listener is not null)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
        await db.DisposeAsync().ConfigureAwait(false);
        closing.Dispose();
    }

    private async ValueTask<RunResult?> GetResultCoreAsync(string runId, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        return await OnceMoreIfTheConnectionBrokeAsync(ct => Reads.ResultAsync(db, runId, ct).AsTask(), cancellationToken).ConfigureAwait(false);
    }

    // After a server restart or a network cut, every idle pooled connection is broken, and the first use of each fails.
    // Operations that are safe to repeat (claims, step memos, reads) clear the pool and try once more on a new connection;
    // the others fail, and the engine's own handling applies (the claim loop retries, an unrecorded end lets the lease expire).
    private async Task<T> OnceMoreIfTheConnectionBrokeAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await operation(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (BrokenConnection(ex) && !cancellationToken.IsCancellationRequested)
        {
            db.DataSource.Clear();
            return await operation(cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool BrokenConnection(Exception ex) => PostgresDatabase.BrokenConnection(ex);

    private async Task<RunResult?> RequeueAsync(RequeueWrite write, long epoch, string what)
    {
        try
        {
            var outcome = await commits.Enqueue(write).ConfigureAwait(false);
            return outcome.Lost ? throw Lost(write.RunId, epoch, what) : outcome.Cancelled;
        }
        finally
        {
            leases.Drop(write.RunId);
        }
    }

    private long Epoch(string runId) =>
        leases.TryGetEpoch(runId, out var epoch)
            ? epoch
            : throw new InvalidOperationException($"Run {runId} is not running under this {db.Describe}; it was never claimed by this node, or its attempt has ended.");

    private RunLeaseLostException Lost(string runId, long epoch, string what) =>
        new(runId, $"Run {runId}: {what}: this node's lease (epoch {epoch}) is no longer the run's in the {db.Describe} — another node took it over after the lease expired, or the run ended.");

    private Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        var task = ready;
        if (task is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }
        lock (readyGate)
        {
            if (ready is null || ready.IsFaulted || ready.IsCanceled)
            {
                ready = OpenAsync();
            }
            task = ready;
        }
        return task.WaitAsync(cancellationToken);
    }

    private async Task OpenAsync()
    {
        try
        {
            await PostgresSchema.MigrateAsync(db, closing.Token).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw db.Failure("could not open (create or migrate the schema)", ex);
        }
        if (db.Options.PruneInterval > TimeSpan.Zero && db.Options.PruneInterval != Timeout.InfiniteTimeSpan)
        {
            pruning = PruneLoopAsync(closing.Token);
        }
        var wake = db.Options.ClaimRuns ? WakeWorker : null;
        if (db.Options.ListenForWork && (wake is not null || RunFinished is not null))
        {
            listener = new WorkListener(db, wake, RunFinished);
            listener.Start();
        }
    }

    private async Task PruneLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(db.Options.PruneInterval, db.Time, cancellationToken).ConfigureAwait(false);
            try
            {
                await PruneAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (FanOutStoreException)
            {
                // Unreachable for now: the next pass tries again.
            }
        }
    }
}
