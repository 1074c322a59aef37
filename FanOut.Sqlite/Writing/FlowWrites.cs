using FanOut.Runs;
using FanOut.Sqlite.Rows;
using FanOut.Stores;

namespace FanOut.Sqlite.Writing;

/// <summary>
/// Suspends a claimed run on its waits, in one transaction: each <see cref="EventWait"/> first looks back over the
/// events of its name accepted since the run's trigger (a match resolves it at once); the others are registered, an
/// invoke's child event and run stored with it; the run is queued, due when the earliest wait expires (or now, when one
/// resolved). A run asked to cancel while it ran ends cancelled instead.
/// </summary>
internal sealed class SuspendWrite(string runId, int failures, DateTimeOffset dueAt, RunError? error, IReadOnlyList<RunWait> waits, CancellationToken cancellationToken)
    : StoreWrite<SuspendResult>(cancellationToken)
{
    private const string LoadTrigger = """
        SELECT events.id, events.accepted_at FROM runs JOIN events ON events.id = runs.event_id
        WHERE runs.id = $id AND runs.status = 1;
        """;

    private const string ExistingWait = "SELECT expires_at FROM waits WHERE run_id = $run AND step_id = $step;";

    // Oldest first, with the data; the data is a BLOB of JSON text, so json_extract reads it as text. SQL narrows by the
    // raw value where it can (a string key compares as text); EventMatch decides, so every store matches alike.
    private const string LookBack = """
        SELECT id, name, data, ts, dedup_key, v, user_json FROM events
        WHERE name = $name AND accepted_at >= $since AND id <> $trigger
          AND ($path IS NULL OR json_extract(CAST(data AS TEXT), $path) IS NOT NULL)
          AND ($text IS NULL OR json_extract(CAST(data AS TEXT), $path) = $text)
        ORDER BY accepted_at, rowid;
        """;

    private const string Queue = """
        UPDATE runs SET status = 0, failures = $failures, due_at = $due_at, error_type = $error_type, error_message = $error_message
        WHERE id = $id AND status = 1;
        """;

    protected override SuspendResult Run(WriteContext context)
    {
        if (CancelRequest.Of(context, runId) is { } reason)
        {
            return new SuspendResult(RunEndWrites.EndCancelled(context, runId, reason).Result, false);
        }
        string triggerId;
        long since;
        using (var reader = context.Command(LoadTrigger).With("$id", runId).ExecuteReader())
        {
            if (!reader.Read())
            {
                throw RunEndWrites.NotRunning(runId, context);
            }
            triggerId = reader.GetString(0);
            since = reader.GetInt64(1);
        }
        long due = FlowRows.Ms(dueAt);
        bool resolved = false;
        foreach (var wait in waits)
        {
            if (context.Command(ExistingWait).With("$run", runId).With("$step", wait.StepId).ExecuteScalar() is long expiresAt)
            {
                // Registered by an earlier attempt and still pending (another wait of the run resolved first): kept, and
                // an invoke keeps its child, started once.
                due = Math.Min(due, expiresAt);
                continue;
            }
            switch (wait)
            {
                case EventWait eventWait when Earlier(context, eventWait, triggerId, since) is { } earlier:
                    var now = RowCodec.Time(context.NowMs);
                    FlowRows.UpsertStepRow(context, runId, new StepState(wait.StepId, StepStatus.Succeeded, 1, StoredEventJson.Serialize(earlier), null, now, now));
                    resolved = true;
                    break;
                case EventWait eventWait:
                    FlowRows.InsertEventWait(context, runId, eventWait);
                    due = Math.Min(due, FlowRows.Ms(wait.ExpiresAt));
                    break;
                case InvokeWait invoke:
                    FlowRows.InsertEventRow(context, invoke.Child.Event, 1);
                    FlowRows.InsertRunRow(context, invoke.Child.Runs[0], 1);
                    FlowRows.InsertInvokeWait(context, runId, invoke);
                    due = Math.Min(due, FlowRows.Ms(wait.ExpiresAt));
                    break;
            }
        }
        context.Command(Queue)
            .With("$id", runId)
            .With("$failures", failures)
            .With("$due_at", resolved ? context.NowMs : due)
            .With("$error_type", error?.Type)
            .With("$error_message", error?.Message)
            .ExecuteNonQuery();
        return new SuspendResult(null, resolved);
    }

    private static StoredEvent? Earlier(WriteContext context, EventWait wait, string triggerId, long since)
    {
        if (wait.MatchPath is not null && wait.MatchValue is null)
        {
            return null; // the trigger has no value there: nothing can match
        }
        var text = wait.MatchValue is { } key && key.StartsWith("s:", StringComparison.Ordinal) ? key[2..] : null;
        using var reader = context.Command(LookBack)
            .With("$name", wait.EventName)
            .With("$since", since)
            .With("$trigger", triggerId)
            .With("$path", wait.MatchPath is null ? null : "$." + wait.MatchPath[5..])
            .With("$text", text)
            .ExecuteReader();
        while (reader.Read())
        {
            var evt = RowCodec.Event(reader, reader.GetString(0), 1);
            if (wait.MatchPath is null || string.Equals(EventMatch.ValueOf(evt.Data, wait.MatchPath), wait.MatchValue, StringComparison.Ordinal))
            {
                return evt;
            }
        }
        return null;
    }
}

/// <summary>Starts finished runs again as new runs of the same function and event: from scratch, or keeping their succeeded steps.</summary>
internal sealed class ReplayWrite(IReadOnlyList<ReplayRequest> replays, CancellationToken cancellationToken)
    : StoreWrite<IReadOnlyList<ReplayOutcome>>(cancellationToken)
{
    private const string LoadRun = "SELECT event_id, function_id, status, trace_parent, cancel_on FROM runs WHERE id = $id;";

    private const string CopySteps = """
        INSERT INTO steps (run_id, step_id, status, attempts, output, error_type, error_message, error_stack, started_at, finished_at)
        SELECT $new, step_id, status, attempts, output, NULL, NULL, NULL, started_at, finished_at
        FROM steps WHERE run_id = $old AND status = 1 ORDER BY rowid;
        """;

    protected override IReadOnlyList<ReplayOutcome> Run(WriteContext context)
    {
        var outcomes = new ReplayOutcome[replays.Count];
        for (int i = 0; i < replays.Count; i++)
        {
            var replay = replays[i];
            string eventId, functionId;
            RunStatus status;
            string? trace, cancelOn;
            using (var reader = context.Command(LoadRun).With("$id", replay.RunId).ExecuteReader())
            {
                if (!reader.Read())
                {
                    outcomes[i] = new ReplayOutcome(replay.RunId, null, $"run {replay.RunId} is unknown, or was pruned after its retention");
                    continue;
                }
                eventId = reader.GetString(0);
                functionId = reader.GetString(1);
                status = (RunStatus)reader.GetInt32(2);
                trace = RowCodec.Text(reader, 3);
                cancelOn = RowCodec.Text(reader, 4);
            }
            if (status is RunStatus.Queued or RunStatus.Running)
            {
                outcomes[i] = new ReplayOutcome(replay.RunId, null, $"run {replay.RunId} has not finished; only finished runs are replayed");
                continue;
            }
            var evt = FlowRows.LoadEventRow(context, eventId)
                ?? throw new InvalidOperationException($"Event {eventId} of run {replay.RunId} is missing from '{context.DatabasePath}'; the file was changed outside FanOut.");
            var run = new RunRecord(replay.NewRunId, functionId, evt)
            {
                Origin = RowCodec.Origin(trace),
                CancelOn = replay.CancelOn ?? RowCodec.CancelTriggers(cancelOn),
            };
            FlowRows.InsertRunRow(context, run, replays.Count, replayOf: replay.RunId);
            if (replay.KeepSucceededSteps)
            {
                context.Command(CopySteps).With("$new", replay.NewRunId).With("$old", replay.RunId).ExecuteNonQuery();
            }
            outcomes[i] = new ReplayOutcome(replay.RunId, replay.NewRunId, null);
        }
        return outcomes;
    }
}
