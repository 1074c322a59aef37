using FanOut.PostgreSql.Rows;
using FanOut.Stores;
using Npgsql;

namespace FanOut.PostgreSql.Writing;

/// <summary>
/// One caller's write in a <see cref="GroupCommit"/>: one statement of the group's batch, fenced by the run's lease epoch,
/// that answers with one row (so a fence that refuses the write affects no row and raises no error), and, rarely, a
/// follow-up run after the batch in the same transaction. Its task completes only after the group committed.
/// </summary>
internal abstract class GroupedWrite(string runId, string what, CancellationToken cancellationToken)
{
    public string RunId { get; } = runId;

    /// <summary>What the write does, for error messages ("save step 's1' of run …").</summary>
    public string What { get; } = what;

    /// <summary>The caller's token: looked at only before the group is executed; a group in flight is never cancelled for one caller.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Whether running the write twice changes nothing more than running it once, so it can be tried again on a new connection.</summary>
    public virtual bool Repeatable => false;

    /// <summary>Whether the write saved a step (for the statistics), once read.</summary>
    public virtual bool SavedStep => false;

    /// <summary>Whether <see cref="FollowUpAsync"/> has work after the batch (read from this write's row).</summary>
    public virtual bool NeedsFollowUp => false;

    /// <summary>The write's statement, for the group's batch.</summary>
    public abstract NpgsqlBatchCommand Command(WriteStatements sql);

    /// <summary>Reads this write's row; the reader is on the write's result set.</summary>
    public abstract ValueTask ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken);

    /// <summary>Rare work after the batch, in the group's transaction (a resumed invoker, a cancel that ends the run).</summary>
    public virtual Task FollowUpAsync(PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>Completes the caller's task with what was read: the group committed.</summary>
    public abstract void Complete();

    public abstract void Fail(Exception error);

    public abstract void Cancel();
}

/// <inheritdoc />
internal abstract class GroupedWrite<T>(string runId, string what, CancellationToken cancellationToken) : GroupedWrite(runId, what, cancellationToken)
{
    // Continuations run on the thread pool, never inline on the flusher, which has the next group to run.
    private readonly TaskCompletionSource<T> done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => done.Task;

    /// <summary>What the caller gets once the group committed; set by <see cref="GroupedWrite.ReadAsync"/> (and the follow-up) of the last execution.</summary>
    protected T Outcome { get; set; } = default!;

    public override void Complete() => done.TrySetResult(Outcome);

    public override void Fail(Exception error) => done.TrySetException(error);

    public override void Cancel() => done.TrySetCanceled(CancellationToken);
}

/// <summary>The statements of the grouped writes, rendered for the store's schema once.</summary>
internal sealed class WriteStatements(PostgresDatabase db)
{
    // As RunEnds.SaveStep: the run's row is read FOR SHARE, so a takeover's claim and a late memo are ordered, and a
    // final memo is never replaced. Answers 1 when the run is this epoch's (saved, or already final), 0 when refused.
    public string SaveStep { get; } = db.Sql(RunEnds.SaveStep);

    // The end, its result, the run's own waits dropped, the wait of a run that invoked this one taken, and the NOTIFY
    // for waiters on other nodes — all only when the fence let the end through. One row: recorded (0 or 1), and the
    // invoker's run and step when there is one (its memo is the follow-up).
    public string Finish { get; } = db.Sql("""
        WITH ended AS (
            UPDATE {s}.runs SET status = @status, finished_at = {now}, lease_owner = NULL, lease_expires_at = NULL
            WHERE id = @id AND status = 1 AND lease_epoch = @epoch
            RETURNING id),
        saved AS (
            INSERT INTO {s}.results (run_id, function_id, event_id, event_name, status, output, error_type, error_message, error_stack,
                                     attempts, started_at, finished_at, steps)
            SELECT @id, @function, @event, @event_name, @status, @output, @error_type, @error_message, @error_stack,
                   @attempts, @started_at, @finished_at, @steps FROM ended
            ON CONFLICT (run_id) DO UPDATE SET
                status = excluded.status, output = excluded.output, error_type = excluded.error_type,
                error_message = excluded.error_message, error_stack = excluded.error_stack, attempts = excluded.attempts,
                started_at = excluded.started_at, finished_at = excluded.finished_at, steps = excluded.steps),
        dropped AS (
            DELETE FROM {s}.waits WHERE run_id = @id AND EXISTS (SELECT FROM ended)),
        invoker AS (
            DELETE FROM {s}.waits WHERE child_run_id = @id AND EXISTS (SELECT FROM ended) RETURNING run_id, step_id),
        notified AS (
            SELECT pg_notify(@channel, @id) FROM ended)
        SELECT (SELECT count(*) FROM ended), (SELECT count(*) FROM notified),
               (SELECT run_id FROM invoker LIMIT 1), (SELECT step_id FROM invoker LIMIT 1);
        """);

    // As RunEnds.Retry and RunEnds.Release, with the NOTIFY that wakes idle workers when the run is due now. One row:
    // changed (0 or 1). Unchanged means a cancel request is pending or the run is not this epoch's (the follow-up tells).
    public string Retry { get; } = db.Sql("""
        WITH changed AS (
            UPDATE {s}.runs SET status = 0, failures = @failures, due_at = {now} + @delay, error_type = @error_type, error_message = @error_message,
                lease_owner = NULL, lease_expires_at = NULL
            WHERE id = @id AND status = 1 AND lease_epoch = @epoch AND cancel_reason IS NULL
            RETURNING 1),
        notified AS (
            SELECT pg_notify(@channel, '') FROM changed WHERE @delay <= 0)
        SELECT (SELECT count(*) FROM changed), (SELECT count(*) FROM notified);
        """);

    public string Release { get; } = db.Sql("""
        WITH changed AS (
            UPDATE {s}.runs SET status = 0, due_at = {now}, error_type = 'System.OperationCanceledException', error_message = @reason,
                lease_owner = NULL, lease_expires_at = NULL
            WHERE id = @id AND status = 1 AND lease_epoch = @epoch AND cancel_reason IS NULL
            RETURNING 1),
        notified AS (
            SELECT pg_notify(@channel, '') FROM changed)
        SELECT (SELECT count(*) FROM changed), (SELECT count(*) FROM notified);
        """);

    // Many runs' memos in one statement (each run once): the server plans and starts one statement for all of them. The
    // runs are read FOR SHARE in id order, as one memo's statement reads its run; answers the ordinal of every memo whose
    // run is this epoch's (saved, or already final); the others were refused by the fence.
    public string SaveSteps { get; } = db.Sql("""
        WITH input AS (
            SELECT * FROM unnest(@runs, @epochs, @steps, @statuses, @attempts, @outputs, @error_types, @error_messages, @error_stacks, @started, @finished)
                WITH ORDINALITY AS i(run_id, epoch, step_id, status, attempts, output, error_type, error_message, error_stack, started_at, finished_at, n)),
        owned AS (
            SELECT i.* FROM input i JOIN {s}.runs r ON r.id = i.run_id
            WHERE r.status = 1 AND r.lease_epoch = i.epoch
            ORDER BY r.id FOR SHARE OF r),
        saved AS (
            INSERT INTO {s}.steps AS st (run_id, step_id, status, attempts, output, error_type, error_message, error_stack, started_at, finished_at)
            SELECT run_id, step_id, status, attempts, output, error_type, error_message, error_stack, started_at, finished_at FROM owned
            ON CONFLICT (run_id, step_id) DO UPDATE SET
                status = excluded.status, attempts = excluded.attempts, output = excluded.output,
                error_type = excluded.error_type, error_message = excluded.error_message, error_stack = excluded.error_stack,
                started_at = excluded.started_at, finished_at = excluded.finished_at
            WHERE st.status NOT IN (1, 3))
        SELECT n FROM owned;
        """);

    public PostgresDatabase Db { get; } = db;
}

/// <summary>A step's memo. Outcome: false when the fence refused it (the lease was lost).</summary>
internal sealed class SaveStepWrite(string runId, long epoch, StepState step, CancellationToken cancellationToken)
    : GroupedWrite<bool>(runId, $"save step '{step.Id}' of run {runId}", cancellationToken)
{
    // Idempotent: a save whose commit was lost with the connection is a no-op the second time.
    public override bool Repeatable => true;

    private long Epoch => epoch;

    private StepState Step => step;

    public override bool SavedStep => Outcome;

    public override NpgsqlBatchCommand Command(WriteStatements sql) => sql.Db.BatchCommand(sql.SaveStep)
        .With("run", RunId)
        .With("epoch", epoch)
        .With("step", step.Id)
        .With("status", (int)step.Status)
        .With("attempts", step.Attempts)
        .With("output", step.Output)
        .With("error_type", step.Error?.Type)
        .With("error_message", step.Error?.Message)
        .With("error_stack", step.Error?.StackTrace)
        .With("started_at", RowCodec.Ms(step.StartedAt))
        .With("finished_at", RowCodec.Ms(step.FinishedAt));

    public override async ValueTask ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        Outcome = reader.GetInt64(0) == 1;
    }

    /// <summary>One statement for many memos, each of a run with no other write in the group (<see cref="WriteStatements.SaveSteps"/>).</summary>
    public static NpgsqlBatchCommand SetCommand(WriteStatements sql, List<SaveStepWrite> saves)
    {
        int count = saves.Count;
        var runs = new string[count];
        var epochs = new long[count];
        var steps = new string[count];
        var statuses = new int[count];
        var attempts = new int[count];
        var outputs = new byte[]?[count];
        var errorTypes = new string?[count];
        var errorMessages = new string?[count];
        var errorStacks = new string?[count];
        var started = new long[count];
        var finished = new long[count];
        for (int i = 0; i < count; i++)
        {
            var save = saves[i];
            var step = save.Step;
            runs[i] = save.RunId;
            epochs[i] = save.Epoch;
            steps[i] = step.Id;
            statuses[i] = (int)step.Status;
            attempts[i] = step.Attempts;
            outputs[i] = step.Output is { } output ? output.ToArray() : null;
            errorTypes[i] = step.Error?.Type;
            errorMessages[i] = step.Error?.Message;
            errorStacks[i] = step.Error?.StackTrace;
            started[i] = RowCodec.Ms(step.StartedAt);
            finished[i] = RowCodec.Ms(step.FinishedAt);
        }
        return sql.Db.BatchCommand(sql.SaveSteps)
            .WithArray("runs", NpgsqlTypes.NpgsqlDbType.Text, runs)
            .WithArray("epochs", NpgsqlTypes.NpgsqlDbType.Bigint, epochs)
            .WithArray("steps", NpgsqlTypes.NpgsqlDbType.Text, steps)
            .WithArray("statuses", NpgsqlTypes.NpgsqlDbType.Integer, statuses)
            .WithArray("attempts", NpgsqlTypes.NpgsqlDbType.Integer, attempts)
            .WithArray("outputs", NpgsqlTypes.NpgsqlDbType.Bytea, outputs)
            .WithArray("error_types", NpgsqlTypes.NpgsqlDbType.Text, errorTypes)
            .WithArray("error_messages", NpgsqlTypes.NpgsqlDbType.Text, errorMessages)
            .WithArray("error_stacks", NpgsqlTypes.NpgsqlDbType.Text, errorStacks)
            .WithArray("started", NpgsqlTypes.NpgsqlDbType.Bigint, started)
            .WithArray("finished", NpgsqlTypes.NpgsqlDbType.Bigint, finished);
    }

    /// <summary>Reads the set statement's rows: the ordinals (from 1) of the memos whose run was this epoch's.</summary>
    public static async ValueTask ReadSetAsync(NpgsqlDataReader reader, List<SaveStepWrite> saves, CancellationToken cancellationToken)
    {
        foreach (var save in saves)
        {
            save.Outcome = false;
        }
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            saves[(int)reader.GetInt64(0) - 1].Outcome = true;
        }
    }
}

/// <summary>A run's end. Outcome: whether it was recorded (false: the lease was lost), and whether an invoker was resumed.</summary>
internal sealed class FinishWrite(RunResult result, long epoch, CancellationToken cancellationToken)
    : GroupedWrite<(bool Recorded, bool ResumedInvoker)>(result.RunId, $"record the outcome of run {result.RunId}", cancellationToken)
{
    private string? invoker, invokerStep;

    public override bool NeedsFollowUp => invoker is not null;

    public override NpgsqlBatchCommand Command(WriteStatements sql) => sql.Db.BatchCommand(sql.Finish)
        .With("id", RunId)
        .With("epoch", epoch)
        .With("function", result.FunctionId)
        .With("event", result.EventId)
        .With("event_name", result.EventName)
        .With("status", (int)result.Status)
        .With("output", result.Output)
        .With("error_type", result.Error?.Type)
        .With("error_message", result.Error?.Message)
        .With("error_stack", result.Error?.StackTrace)
        .With("attempts", result.Attempts)
        .With("started_at", RowCodec.Ms(result.StartedAt))
        .With("finished_at", RowCodec.Ms(result.FinishedAt))
        .With("steps", (ReadOnlyMemory<byte>?)RowCodec.ResultSteps(result.Steps))
        .With("channel", sql.Db.FinishedChannel);

    public override async ValueTask ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var recorded = reader.GetInt64(0) == 1;
        (invoker, invokerStep) = (RowCodec.Text(reader, 2), RowCodec.Text(reader, 3));
        Outcome = (recorded, false);
    }

    // The run that invoked this one still waited for it: its step's memo is this run's outcome, and it is due now.
    public override async Task FollowUpAsync(PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await Flow.UpsertStepAsync(db, connection, transaction, invoker!, InvokeWait.Resolved(invokerStep!, result, db.Time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        Outcome = (true, await Flow.MakeDueNowAsync(db, connection, transaction, invoker!, cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>
/// The end of an attempt that queues the run again: a retry (due after a delay) or a release (due now). Outcome: null
/// when queued again; the cancelled result when a pending cancel request ended the run instead; lost when
/// the run is not this epoch's.
/// </summary>
internal sealed class RequeueWrite : GroupedWrite<RequeueOutcome>
{
    private readonly long epoch;
    private readonly Func<WriteStatements, NpgsqlBatchCommand> command;
    private bool changed;

    private RequeueWrite(string runId, long epoch, string what, Func<WriteStatements, NpgsqlBatchCommand> command, CancellationToken cancellationToken)
        : base(runId, what, cancellationToken)
    {
        this.epoch = epoch;
        this.command = command;
    }

    public override bool NeedsFollowUp => !changed;

    public static RequeueWrite Retry(string runId, long epoch, int failures, long delay, RunError? error, CancellationToken cancellationToken) =>
        new(runId, epoch, $"queue it again (run {runId})", sql => sql.Db.BatchCommand(sql.Retry)
            .With("id", runId).With("epoch", epoch).With("failures", failures).With("delay", delay)
            .With("error_type", error?.Type).With("error_message", error?.Message).With("channel", sql.Db.Channel), cancellationToken);

    public static RequeueWrite Release(string runId, long epoch, string reason, CancellationToken cancellationToken) =>
        new(runId, epoch, $"release it (run {runId})", sql => sql.Db.BatchCommand(sql.Release)
            .With("id", runId).With("epoch", epoch).With("reason", reason).With("channel", sql.Db.Channel), cancellationToken);

    public override NpgsqlBatchCommand Command(WriteStatements sql) => command(sql);

    public override async ValueTask ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        changed = reader.GetInt64(0) == 1;
        Outcome = default;
    }

    // Not changed: a cancel request is pending (the run ends cancelled instead), or the run is not this epoch's.
    public override async Task FollowUpAsync(PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var state = await RunEnds.StateAsync(db, connection, transaction, RunId, cancellationToken).ConfigureAwait(false);
        Outcome = state is { Status: RunStatus.Running, CancelReason: { } reason } && state.Value.Epoch == epoch
            ? new RequeueOutcome(false, await RunEnds.EndCancelledAsync(db, connection, transaction, RunId, reason, cancellationToken).ConfigureAwait(false))
            : new RequeueOutcome(true, null);
    }
}

/// <summary>What became of a retry or release: the lease was lost, or the run was queued again (<see cref="Cancelled"/> null) or ended cancelled.</summary>
internal readonly record struct RequeueOutcome(bool Lost, RunResult? Cancelled);
