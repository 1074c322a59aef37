using FanOut.PostgreSql.Rows;
using FanOut.Runs;
using FanOut.Stores;
using Npgsql;

namespace FanOut.PostgreSql.Writing;

/// <summary>
/// Suspends a claimed run on its waits, in one transaction fenced by the run's lease epoch: each <see cref="EventWait"/>
/// first looks back over the events of its name accepted since the run's trigger (a match resolves it at once); the
/// others are registered, an invoke's child event and run stored with it; the run is queued, due when the earliest wait
/// expires (or now, when one resolved). A run asked to cancel while it ran ends cancelled instead.
/// </summary>
internal static class Suspending
{
    private const string LoadRun = """
        SELECT runs.status, runs.lease_epoch, runs.cancel_reason, events.id, events.accepted_at
        FROM {s}.runs JOIN {s}.events ON events.id = runs.event_id
        WHERE runs.id = @id
        FOR UPDATE OF runs;
        """;

    private const string ExistingWait = "SELECT expires_at FROM {s}.waits WHERE run_id = @run AND step_id = @step;";

    // Oldest first; EventMatch decides on the data, so every store matches alike.
    private const string LookBack = """
        SELECT id, name, data, ts, dedup_key, v, user_json FROM {s}.events
        WHERE name = @name AND accepted_at >= @since AND id <> @trigger
        ORDER BY accepted_at, id;
        """;

    private const string Queue = """
        UPDATE {s}.runs SET status = 0, failures = @failures, due_at = @due_at, error_type = @error_type, error_message = @error_message,
            lease_owner = NULL, lease_expires_at = NULL
        WHERE id = @id AND status = 1 AND lease_epoch = @epoch;
        """;

    /// <summary>Null when the run is not this epoch's (lost, or not running); else the suspension's result.</summary>
    public static async Task<SuspendResult?> SuspendAsync(
        PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, string runId, long epoch,
        int failures, DateTimeOffset dueAt, RunError? error, IReadOnlyList<RunWait> waits, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        foreach (var wait in waits)
        {
            if (wait is EventWait eventWait)
            {
                names.Add(eventWait.EventName);
            }
        }
        // Exclusive: every accept of these names in flight commits first (the look-back sees its event), and every later
        // one waits for this transaction (its match sees the new wait).
        await Flow.LockNamesAsync(db, connection, transaction, names, exclusive: true, cancellationToken).ConfigureAwait(false);
        string triggerId;
        long since;
        string? cancelReason;
        await using (var command = db.Command(connection, transaction, LoadRun).With("id", runId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                || (RunStatus)reader.GetInt16(0) != RunStatus.Running || reader.GetInt64(1) != epoch)
            {
                return null;
            }
            cancelReason = RowCodec.Text(reader, 2);
            triggerId = reader.GetString(3);
            since = reader.GetInt64(4);
        }
        if (cancelReason is not null)
        {
            return new SuspendResult(await RunEnds.EndCancelledAsync(db, connection, transaction, runId, cancelReason, cancellationToken).ConfigureAwait(false), false);
        }
        var storeNow = await db.StoreNowAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        long due = db.ToStoreMs(dueAt, storeNow);
        bool resolved = false, childStarted = false;
        foreach (var wait in waits)
        {
            await using (var existing = db.Command(connection, transaction, ExistingWait).With("run", runId).With("step", wait.StepId))
            {
                if (await existing.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long expiresAt)
                {
                    // Registered by an earlier attempt and still pending (another wait of the run resolved first): kept,
                    // and an invoke keeps its child, started once.
                    due = Math.Min(due, expiresAt);
                    continue;
                }
            }
            var expires = db.ToStoreMs(wait.ExpiresAt, storeNow);
            switch (wait)
            {
                case EventWait eventWait:
                    if (await EarlierAsync(db, connection, transaction, eventWait, triggerId, since, cancellationToken).ConfigureAwait(false) is { } earlier)
                    {
                        var now = db.Time.GetUtcNow();
                        await Flow.UpsertStepAsync(db, connection, transaction, runId,
                            new StepState(wait.StepId, StepStatus.Succeeded, 1, StoredEventJson.Serialize(earlier), null, now, now), cancellationToken).ConfigureAwait(false);
                        resolved = true;
                    }
                    else
                    {
                        await Flow.InsertWaitAsync(db, connection, transaction, runId, wait.StepId, Flow.WaitKind, eventWait.EventName, eventWait.MatchPath,
                            eventWait.MatchValue, null, expires, cancellationToken).ConfigureAwait(false);
                        due = Math.Min(due, expires);
                    }
                    break;
                case InvokeWait invoke:
                    await Flow.InsertEventAsync(db, connection, transaction, invoke.Child.Event, cancellationToken).ConfigureAwait(false);
                    await Flow.InsertRunAsync(db, connection, transaction, invoke.Child.Runs[0], cancellationToken).ConfigureAwait(false);
                    await Flow.InsertWaitAsync(db, connection, transaction, runId, wait.StepId, Flow.InvokeKind, null, null, null,
                        invoke.Child.Runs[0].Id, expires, cancellationToken).ConfigureAwait(false);
                    due = Math.Min(due, expires);
                    childStarted = true;
                    break;
            }
        }
        await using (var queue = db.Command(connection, transaction, Queue)
            .With("id", runId)
            .With("epoch", epoch)
            .With("failures", failures)
            .With("due_at", resolved ? storeNow : due)
            .With("error_type", error?.Type)
            .With("error_message", error?.Message))
        {
            await queue.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        if (resolved || childStarted)
        {
            await Flow.NotifyAsync(db, connection, transaction, cancellationToken).ConfigureAwait(false);
        }
        return new SuspendResult(null, resolved);
    }

    private static async Task<StoredEvent?> EarlierAsync(
        PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, EventWait wait, string triggerId, long since, CancellationToken cancellationToken)
    {
        if (wait.MatchPath is not null && wait.MatchValue is null)
        {
            return null; // the trigger has no value there: nothing can match
        }
        await using var command = db.Command(connection, transaction, LookBack).With("name", wait.EventName).With("since", since).With("trigger", triggerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var evt = new StoredEvent(reader.GetString(0), reader.GetString(1), RowCodec.Bytes(reader, 2) ?? [], reader.GetInt64(3))
            {
                DeduplicationKey = RowCodec.Text(reader, 4),
                V = RowCodec.Text(reader, 5),
                User = RowCodec.Bytes(reader, 6) is { } user ? RowCodec.Json(user) : null,
            };
            if (wait.MatchPath is null || string.Equals(EventMatch.ValueOf(evt.Data, wait.MatchPath), wait.MatchValue, StringComparison.Ordinal))
            {
                return evt;
            }
        }
        return null;
    }
}

/// <summary>Starts finished runs again as new runs of the same function and event: from scratch, or keeping their succeeded steps.</summary>
internal static class Replaying
{
    private const string LoadRun = "SELECT event_id, function_id, status, trace_parent, cancel_on FROM {s}.runs WHERE id = @id;";

    private const string CopySteps = """
        INSERT INTO {s}.steps (run_id, step_id, status, attempts, output, error_type, error_message, error_stack, started_at, finished_at)
        SELECT @new, step_id, status, attempts, output, NULL, NULL, NULL, started_at, finished_at
        FROM {s}.steps WHERE run_id = @old AND status = 1 ORDER BY seq;
        """;

    public static async Task<IReadOnlyList<ReplayOutcome>> ReplayAsync(
        PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<ReplayRequest> replays, CancellationToken cancellationToken)
    {
        var outcomes = new ReplayOutcome[replays.Count];
        for (int i = 0; i < replays.Count; i++)
        {
            var replay = replays[i];
            string eventId, functionId;
            RunStatus status;
            string? trace, cancelOn;
            await using (var command = db.Command(connection, transaction, LoadRun).With("id", replay.RunId))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    outcomes[i] = new ReplayOutcome(replay.RunId, null, $"run {replay.RunId} is unknown, or was pruned after its retention");
                    continue;
                }
                eventId = reader.GetString(0);
                functionId = reader.GetString(1);
                status = (RunStatus)reader.GetInt16(2);
                trace = RowCodec.Text(reader, 3);
                cancelOn = RowCodec.Text(reader, 4);
            }
            if (status is RunStatus.Queued or RunStatus.Running)
            {
                outcomes[i] = new ReplayOutcome(replay.RunId, null, $"run {replay.RunId} has not finished; only finished runs are replayed");
                continue;
            }
            var events = await Claiming.EventsAsync(db, connection, transaction, [eventId], cancellationToken).ConfigureAwait(false);
            if (!events.TryGetValue(eventId, out var evt))
            {
                throw new InvalidOperationException($"Event {eventId} of run {replay.RunId} is missing from the {db.Describe}; the tables were changed outside FanOut.");
            }
            var run = new RunRecord(replay.NewRunId, functionId, evt)
            {
                Origin = RowCodec.Origin(trace),
                CancelOn = replay.CancelOn ?? RowCodec.CancelTriggers(cancelOn),
            };
            await Flow.InsertRunAsync(db, connection, transaction, run, cancellationToken, replayOf: replay.RunId).ConfigureAwait(false);
            if (replay.KeepSucceededSteps)
            {
                await using var copy = db.Command(connection, transaction, CopySteps).With("new", replay.NewRunId).With("old", replay.RunId);
                await copy.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            outcomes[i] = new ReplayOutcome(replay.RunId, replay.NewRunId, null);
        }
        await Flow.NotifyAsync(db, connection, transaction, cancellationToken).ConfigureAwait(false);
        return outcomes;
    }
}
