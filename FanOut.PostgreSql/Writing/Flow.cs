using FanOut.PostgreSql.Rows;
using FanOut.Registration;
using FanOut.Runs;
using FanOut.Stores;
using Npgsql;

namespace FanOut.PostgreSql.Writing;

/// <summary>
/// Durable flow on PostgreSQL: events and runs with their cancel triggers, waits (<c>step.WaitForEvent</c>,
/// <c>step.Invoke</c>), what an accepted event does to the runs that wait for it or are cancelled by it, and what a run's
/// end does to the run that invoked it.
/// </summary>
/// <remarks>
/// Registering a wait (with its look-back over stored events) and accepting an event of that name must not each miss
/// the other under READ COMMITTED. Both sides take a transaction-scoped advisory lock keyed on the event name: accepts
/// share it (they do not block each other), a suspension takes it exclusively. So a suspension waits for every accept of
/// that name in flight to commit, and its look-back then sees their events; an accept that starts later waits for the
/// suspension to commit, and its match then sees the new wait.
/// </remarks>
internal static class Flow
{
    public const int WaitKind = 0, InvokeKind = 1, CancelKind = 2;

    private const string InsertEvent = """
        INSERT INTO {s}.events (id, name, data, ts, dedup_key, v, user_json, accepted_at)
        VALUES (@id, @name, @data, @ts, @key, @v, @user, {now});
        """;

    private const string InsertRun = """
        INSERT INTO {s}.runs (id, event_id, function_id, status, attempt, claimed_at, lease_epoch, lease_owner, lease_expires_at,
                              due_at, trace_parent, accepted_at, cancel_on, replay_of)
        VALUES (@id, @event, @function,
                CASE WHEN @claimed THEN 1 ELSE 0 END, CASE WHEN @claimed THEN 1 ELSE 0 END, CASE WHEN @claimed THEN {now} END,
                CASE WHEN @claimed THEN 1 ELSE 0 END, CASE WHEN @claimed THEN @owner END, CASE WHEN @claimed THEN {s}.now_ms() + @lease END,
                {now}, @trace, {now}, @cancel_on, @replay_of);
        """;

    private const string InsertWait = """
        INSERT INTO {s}.waits (run_id, step_id, kind, event_name, match_path, match_value, child_run_id, expires_at)
        VALUES (@run, @step, @kind, @event_name, @match_path, @match_value, @child, @expires_at);
        """;

    private const string UpsertStep = """
        INSERT INTO {s}.steps AS st (run_id, step_id, status, attempts, output, error_type, error_message, error_stack, started_at, finished_at)
        VALUES (@run, @step, @status, @attempts, @output, @error_type, @error_message, @error_stack, @started_at, @finished_at)
        ON CONFLICT (run_id, step_id) DO UPDATE SET
            status = excluded.status, attempts = excluded.attempts, output = excluded.output,
            error_type = excluded.error_type, error_message = excluded.error_message, error_stack = excluded.error_stack,
            started_at = excluded.started_at, finished_at = excluded.finished_at;
        """;

    private const string MakeDue = "UPDATE {s}.runs SET due_at = {now} WHERE id = @id AND status = 0 AND due_at > {now};";

    private const string ListenedPaths = "SELECT DISTINCT match_path FROM {s}.waits WHERE event_name = @name;";

    private const string Listeners = """
        SELECT run_id, step_id, kind FROM {s}.waits
        WHERE event_name = @name AND match_path IS NOT DISTINCT FROM @path AND match_value IS NOT DISTINCT FROM @value;
        """;

    private const string TakeWait = "DELETE FROM {s}.waits WHERE run_id = @run AND step_id = @step RETURNING kind;";

    private const string DeleteWaits = "DELETE FROM {s}.waits WHERE run_id = @run;";

    private const string TakeInvoker = "DELETE FROM {s}.waits WHERE child_run_id = @child RETURNING run_id, step_id;";

    private const string ExpiredWaits = """
        DELETE FROM {s}.waits WHERE run_id = ANY(@runs) AND kind < 2 AND expires_at <= {now}
        RETURNING run_id, step_id, kind, child_run_id, expires_at;
        """;

    private const string RequestCancel = """
        UPDATE {s}.runs SET cancel_reason = coalesce(cancel_reason, @reason) WHERE id = @id AND status = 1
        RETURNING cancel_reason;
        """;

    private const string Lock = "SELECT pg_advisory_xact_lock(hashtext(@key));";

    private const string LockShared = "SELECT pg_advisory_xact_lock_shared(hashtext(@key));";

    private const string Notify = "SELECT pg_notify(@channel, '');";

    /// <summary>Takes the advisory locks of these event names, in one order (so two transactions never deadlock on them).</summary>
    public static async Task LockNamesAsync(PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction? transaction, IEnumerable<string> names, bool exclusive, CancellationToken cancellationToken)
    {
        foreach (var name in names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            await using var command = db.Command(connection, transaction, exclusive ? Lock : LockShared).With("key", $"fanout-events:{db.Schema}:{name}");
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task InsertEventAsync(PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction? transaction, StoredEvent evt, CancellationToken cancellationToken)
    {
        await using var insert = db.Command(connection, transaction, InsertEvent)
            .With("id", evt.Id)
            .With("name", evt.Name)
            .With("data", (ReadOnlyMemory<byte>?)evt.Data)
            .With("ts", evt.Ts)
            .With("key", evt.DeduplicationKey)
            .With("v", evt.V)
            .With("user", evt.User is { } user ? (ReadOnlyMemory<byte>?)RowCodec.Json(user) : null);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts a queued run, due now, and registers its cancel triggers.</summary>
    public static async Task InsertRunAsync(
        PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction? transaction, RunRecord run, CancellationToken cancellationToken, string? replayOf = null)
    {
        await using (var insert = db.Command(connection, transaction, InsertRun)
            .With("id", run.Id)
            .With("event", run.Event.Id)
            .With("function", run.FunctionId)
            .With("trace", RowCodec.TraceParent(run.Origin))
            .With("cancel_on", RowCodec.CancelTriggers(run.CancelOn))
            .With("replay_of", replayOf)
            // A run the sending node's worker takes at once is stored as its claim would leave it: running, attempt 1,
            // under this node's lease (epoch 1).
            .With("claimed", run.ClaimedOnAccept)
            .With("owner", db.Options.NodeName)
            .With("lease", (long)db.Options.LeaseDuration.TotalMilliseconds))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        for (int i = 0; i < run.CancelOn.Count; i++)
        {
            var trigger = run.CancelOn[i];
            var value = trigger.Match is null ? null : EventMatch.ValueOf(run.Event.Data, trigger.Match);
            if (trigger.Match is not null && value is null)
            {
                continue; // the trigger has no value there: no event can match it
            }
            await InsertWaitAsync(db, connection, transaction, run.Id, "cancel-on:" + i, CancelKind, trigger.EventName, trigger.Match, value, null,
                DateTimeOffset.MaxValue.ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task InsertWaitAsync(
        PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction? transaction, string runId, string stepId, int kind,
        string? eventName, string? path, string? value, string? child, long expiresAt, CancellationToken cancellationToken)
    {
        await using var command = db.Command(connection, transaction, InsertWait)
            .With("run", runId)
            .With("step", stepId)
            .With("kind", kind)
            .With("event_name", eventName)
            .With("match_path", path)
            .With("match_value", value)
            .With("child", child)
            .With("expires_at", expiresAt);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Saves a step's memo whatever the run's state (a wait resolved for a queued run). Store-internal: not fenced.</summary>
    public static async Task UpsertStepAsync(PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction? transaction, string runId, StepState step, CancellationToken cancellationToken)
    {
        await using var command = db.Command(connection, transaction, UpsertStep)
            .With("run", runId)
            .With("step", step.Id)
            .With("status", (int)step.Status)
            .With("attempts", step.Attempts)
            .With("output", step.Output)
            .With("error_type", step.Error?.Type)
            .With("error_message", step.Error?.Message)
            .With("error_stack", step.Error?.StackTrace)
            .With("started_at", RowCodec.Ms(step.StartedAt))
            .With("finished_at", RowCodec.Ms(step.FinishedAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes a queued run due now (and wakes idle workers); true when it was waiting for later.</summary>
    public static async Task<bool> MakeDueNowAsync(PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction? transaction, string runId, CancellationToken cancellationToken)
    {
        await using var command = db.Command(connection, transaction, MakeDue).With("id", runId);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
        {
            return false;
        }
        await NotifyAsync(db, connection, transaction, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public static async Task NotifyAsync(PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = db.Command(connection, transaction, Notify).With("channel", db.Channel);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What a newly accepted event does to the runs that wait for it (the wait resolves: the memo is the event, the run
    /// is due now) or are cancelled by it (ended at once when queued; asked to stop when running). The caller holds the
    /// name's advisory lock (shared).
    /// </summary>
    public static async Task<AcceptOutcome> MatchAsync(PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction? transaction, StoredEvent evt, CancellationToken cancellationToken)
    {
        List<string?>? paths = null;
        await using (var command = db.Command(connection, transaction, ListenedPaths).With("name", evt.Name))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                (paths ??= []).Add(RowCodec.Text(reader, 0));
            }
        }
        if (paths is null)
        {
            return default; // the usual case: nobody listens for this name
        }
        var found = new List<(string RunId, string StepId, int Kind)>();
        foreach (var path in paths)
        {
            var value = path is null ? null : EventMatch.ValueOf(evt.Data, path);
            if (path is not null && value is null)
            {
                continue;
            }
            await using var command = db.Command(connection, transaction, Listeners).With("name", evt.Name).With("path", path).With("value", value);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found.Add((reader.GetString(0), reader.GetString(1), reader.GetInt16(2)));
            }
        }
        int resumed = 0;
        List<string>? requested = null;
        List<RunResult>? cancelled = null;
        var reason = CancelTrigger.ReasonFor(evt);
        var at = db.Time.GetUtcNow();
        var memo = new StepState("", StepStatus.Succeeded, 1, StoredEventJson.Serialize(evt), null, at, at);
        foreach (var (runId, stepId, kind) in found)
        {
            if (kind == WaitKind)
            {
                // Taken by deleting it: of two events accepted at once, the first to delete the row resolves the wait.
                await using (var take = db.Command(connection, transaction, TakeWait).With("run", runId).With("step", stepId))
                {
                    if (await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                    {
                        continue;
                    }
                }
                await UpsertStepAsync(db, connection, transaction, runId, memo with { Id = stepId }, cancellationToken).ConfigureAwait(false);
                if (await MakeDueNowAsync(db, connection, transaction, runId, cancellationToken).ConfigureAwait(false))
                {
                    resumed++;
                }
                continue;
            }
            if (kind != CancelKind)
            {
                continue;
            }
            switch (await RunEnds.StateAsync(db, connection, transaction!, runId, cancellationToken).ConfigureAwait(false))
            {
                case { Status: RunStatus.Running }:
                    await using (var request = db.Command(connection, transaction, RequestCancel).With("id", runId).With("reason", reason))
                    {
                        if (await request.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string == reason)
                        {
                            (requested ??= []).Add(runId);
                        }
                    }
                    break;
                case { Status: RunStatus.Queued }:
                    var (ended, resumedInvoker) = await RunEnds.EndCancelledAndResumeAsync(db, connection, transaction!, runId, reason, cancellationToken).ConfigureAwait(false);
                    (cancelled ??= []).Add(ended);
                    resumed += resumedInvoker ? 1 : 0;
                    break;
            }
        }
        return new AcceptOutcome("", false) { Resumed = resumed, CancelRequested = requested, Cancelled = cancelled };
    }

    /// <summary>
    /// When a run ends: its waits and cancel triggers go; and when a run invoked it and still waits, the invoker's step
    /// memo is saved (succeeded with the output, or failed) and the invoker is due now. True when that happened.
    /// </summary>
    public static async Task<bool> EndedAsync(PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, RunResult result, CancellationToken cancellationToken)
    {
        await using (var delete = db.Command(connection, transaction, DeleteWaits).With("run", result.RunId))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        string? parent = null, stepId = null;
        await using (var take = db.Command(connection, transaction, TakeInvoker).With("child", result.RunId))
        await using (var reader = await take.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                parent = reader.GetString(0);
                stepId = reader.GetString(1);
            }
        }
        if (parent is null)
        {
            return false;
        }
        await UpsertStepAsync(db, connection, transaction, parent, InvokeWait.Resolved(stepId!, result, db.Time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return await MakeDueNowAsync(db, connection, transaction, parent, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The claimed runs are due because a wait ran out: the waiting step's memo says so (no event; or the invoke failed).</summary>
    public static async Task ExpireWaitsAsync(PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, string[] runIds, CancellationToken cancellationToken)
    {
        var expired = new List<(string RunId, string StepId, int Kind, string? Child, long ExpiresAt)>();
        await using (var command = db.Command(connection, transaction, ExpiredWaits).With("runs", runIds))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                expired.Add((reader.GetString(0), reader.GetString(1), reader.GetInt16(2), RowCodec.Text(reader, 3), reader.GetInt64(4)));
            }
        }
        var now = db.Time.GetUtcNow();
        foreach (var (runId, stepId, kind, child, expiresAt) in expired)
        {
            var memo = kind == InvokeKind
                ? InvokeWait.Expired(stepId, child!, RowCodec.Time(expiresAt), now)
                : new StepState(stepId, StepStatus.Succeeded, 1, null, null, now, now);
            await UpsertStepAsync(db, connection, transaction, runId, memo, cancellationToken).ConfigureAwait(false);
        }
    }
}
