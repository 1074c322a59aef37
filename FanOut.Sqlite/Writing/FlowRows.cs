using FanOut.Registration;
using FanOut.Runs;
using FanOut.Sqlite.Rows;
using FanOut.Stores;
using Microsoft.Data.Sqlite;

namespace FanOut.Sqlite.Writing;

/// <summary>
/// Rows shared by the writes of durable flow: events, runs with their cancel triggers, step memos written for a run that
/// is not running (a wait resolved by an event, an invoked run's end), waits, and what an accepted event does to the
/// runs that wait for it or are cancelled by it. All of it runs on the writer, one write at a time, so registering a
/// wait and accepting an event cannot miss each other.
/// </summary>
internal static class FlowRows
{
    private const int WaitKind = 0, InvokeKind = 1, CancelKind = 2;

    private const string InsertEvent = """
        INSERT INTO events (id, name, data, ts, dedup_key, v, user_json, accepted_at)
        VALUES ($id, $name, $data, $ts, $key, $v, $user, $now);
        """;

    private const string InsertRun = """
        INSERT INTO runs (id, event_id, function_id, status, attempt, claimed_at, due_at, trace_parent, accepted_at, cancel_on, replay_of)
        VALUES ($id, $event, $function, $status, $attempt, $claimed_at, $now, $trace, $now, $cancel_on, $replay_of);
        """;

    private const string InsertWait = """
        INSERT INTO waits (run_id, step_id, kind, event_name, match_path, match_value, child_run_id, expires_at)
        VALUES ($run, $step, $kind, $event_name, $match_path, $match_value, $child, $expires_at);
        """;

    private const string UpsertStep = """
        INSERT INTO steps (run_id, step_id, status, attempts, output, error_type, error_message, error_stack, started_at, finished_at)
        VALUES ($run, $step, $status, $attempts, $output, $error_type, $error_message, $error_stack, $started_at, $finished_at)
        ON CONFLICT (run_id, step_id) DO UPDATE SET
            status = excluded.status, attempts = excluded.attempts, output = excluded.output,
            error_type = excluded.error_type, error_message = excluded.error_message, error_stack = excluded.error_stack,
            started_at = excluded.started_at, finished_at = excluded.finished_at;
        """;

    private const string MakeDue = "UPDATE runs SET due_at = $now WHERE id = $id AND status = 0 AND due_at > $now;";

    private const string ListenedPaths = "SELECT DISTINCT match_path FROM waits WHERE event_name = $name;";

    private const string Listeners = """
        SELECT run_id, step_id, kind FROM waits
        WHERE event_name = $name AND match_path IS $path AND match_value IS $value;
        """;

    private const string DeleteWait = "DELETE FROM waits WHERE run_id = $run AND step_id = $step;";

    private const string DeleteWaits = "DELETE FROM waits WHERE run_id = $run;";

    private const string RunStatusOf = "SELECT status FROM runs WHERE id = $id;";

    private const string RequestCancel = "UPDATE runs SET cancel_reason = coalesce(cancel_reason, $reason) WHERE id = $id AND status = 1;";

    private const string Invoker = "SELECT run_id, step_id FROM waits WHERE child_run_id = $child;";

    private const string LoadEvent = "SELECT name, data, ts, dedup_key, v, user_json FROM events WHERE id = $id;";

    public static void InsertEventRow(WriteContext context, StoredEvent evt, int batchCount) =>
        Insert(context, "Event", evt.Id, batchCount, context.Command(InsertEvent)
            .With("$id", evt.Id)
            .With("$name", evt.Name)
            .With("$data", (ReadOnlyMemory<byte>?)evt.Data)
            .With("$ts", evt.Ts)
            .With("$key", evt.DeduplicationKey)
            .With("$v", evt.V)
            .With("$user", evt.User is { } user ? (ReadOnlyMemory<byte>?)RowCodec.Json(user) : null)
            .With("$now", context.NowMs));

    /// <summary>Inserts a queued run, due now, and registers its cancel triggers.</summary>
    public static void InsertRunRow(WriteContext context, RunRecord run, int batchCount, string? replayOf = null)
    {
        Insert(context, "Run", run.Id, batchCount, context.Command(InsertRun)
            .With("$id", run.Id)
            .With("$event", run.Event.Id)
            .With("$function", run.FunctionId)
            // A run the sending process's worker takes at once is stored as its claim would leave it: running, attempt 1.
            .With("$status", run.ClaimedOnAccept ? 1 : 0)
            .With("$attempt", run.ClaimedOnAccept ? 1 : 0)
            .With("$claimed_at", run.ClaimedOnAccept ? context.NowMs : null)
            .With("$now", context.NowMs)
            .With("$trace", RowCodec.TraceParent(run.Origin))
            .With("$cancel_on", RowCodec.CancelTriggers(run.CancelOn))
            .With("$replay_of", replayOf));
        for (int i = 0; i < run.CancelOn.Count; i++)
        {
            var trigger = run.CancelOn[i];
            var value = trigger.Match is null ? null : EventMatch.ValueOf(run.Event.Data, trigger.Match);
            if (trigger.Match is not null && value is null)
            {
                continue; // the trigger has no value there: no event can match it
            }
            InsertWaitRow(context, run.Id, "cancel-on:" + i, CancelKind, trigger.EventName, trigger.Match, value, null, Ms(DateTimeOffset.MaxValue));
        }
    }

    public static void InsertWaitRow(WriteContext context, string runId, string stepId, int kind, string? eventName, string? path, string? value, string? child, long expiresAt)
    {
        context.WaitsExist = true;
        context.Command(InsertWait)
            .With("$run", runId)
            .With("$step", stepId)
            .With("$kind", kind)
            .With("$event_name", eventName)
            .With("$match_path", path)
            .With("$match_value", value)
            .With("$child", child)
            .With("$expires_at", expiresAt)
            .ExecuteNonQuery();
    }

    public static void InsertEventWait(WriteContext context, string runId, EventWait wait) =>
        InsertWaitRow(context, runId, wait.StepId, WaitKind, wait.EventName, wait.MatchPath, wait.MatchValue, null, Ms(wait.ExpiresAt));

    public static void InsertInvokeWait(WriteContext context, string runId, InvokeWait wait) =>
        InsertWaitRow(context, runId, wait.StepId, InvokeKind, null, null, null, wait.Child.Runs[0].Id, Ms(wait.ExpiresAt));

    /// <summary>Saves a step's memo whatever the run's state (a wait resolved for a queued run).</summary>
    public static void UpsertStepRow(WriteContext context, string runId, StepState step) =>
        context.Command(UpsertStep).WithStep(runId, step).ExecuteNonQuery();

    /// <summary>Sets the parameters of a statement that writes a step's row (<c>$run</c>, <c>$step</c>, …).</summary>
    public static SqliteCommand WithStep(this SqliteCommand command, string runId, StepState step) => command
        .With("$run", runId)
        .With("$step", step.Id)
        .With("$status", (int)step.Status)
        .With("$attempts", step.Attempts)
        .With("$output", step.Output)
        .With("$error_type", step.Error?.Type)
        .With("$error_message", step.Error?.Message)
        .With("$error_stack", step.Error?.StackTrace)
        .With("$started_at", RowCodec.Ms(step.StartedAt))
        .With("$finished_at", RowCodec.Ms(step.FinishedAt));

    /// <summary>Makes a queued run due now; true when it was waiting for later.</summary>
    public static bool MakeDueNow(WriteContext context, string runId) =>
        context.Command(MakeDue).With("$id", runId).With("$now", context.NowMs).ExecuteNonQuery() == 1;

    public static void DeleteWaitRow(WriteContext context, string runId, string stepId) =>
        context.Command(DeleteWait).With("$run", runId).With("$step", stepId).ExecuteNonQuery();

    /// <summary>
    /// What a newly accepted event does to the runs that wait for it (the wait resolves: the memo is the event, the
    /// run is due now) or are cancelled by it (ended at once when queued; asked to stop when running).
    /// </summary>
    public static AcceptOutcome Match(WriteContext context, StoredEvent evt)
    {
        if (!context.WaitsExist)
        {
            return default;
        }
        List<string?>? paths = null;
        using (var reader = context.Command(ListenedPaths).With("$name", evt.Name).ExecuteReader())
        {
            while (reader.Read())
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
            using var reader = context.Command(Listeners).With("$name", evt.Name).With("$path", path).With("$value", value).ExecuteReader();
            while (reader.Read())
            {
                found.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
            }
        }
        int resumed = 0;
        List<string>? requested = null;
        List<RunResult>? cancelled = null;
        var reason = CancelTrigger.ReasonFor(evt);
        StepState? memo = null;
        foreach (var (runId, stepId, kind) in found)
        {
            if (kind == WaitKind)
            {
                DeleteWaitRow(context, runId, stepId);
                var at = RowCodec.Time(context.NowMs);
                memo = (memo ?? new StepState(stepId, StepStatus.Succeeded, 1, StoredEventJson.Serialize(evt), null, at, at)) with { Id = stepId };
                UpsertStepRow(context, runId, memo);
                if (MakeDueNow(context, runId))
                {
                    resumed++;
                }
                continue;
            }
            switch (context.Command(RunStatusOf).With("$id", runId).ExecuteScalar() is long status ? (RunStatus)status : (RunStatus?)null)
            {
                case RunStatus.Running:
                    if (context.Command(RequestCancel).With("$id", runId).With("$reason", reason).ExecuteNonQuery() == 1 && CancelRequest.Of(context, runId) == reason)
                    {
                        (requested ??= []).Add(runId);
                    }
                    break;
                case RunStatus.Queued:
                    var (ended, resumedInvoker) = RunEndWrites.EndCancelled(context, runId, reason);
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
    public static bool Ended(WriteContext context, RunResult result)
    {
        if (!context.WaitsExist)
        {
            return false;
        }
        context.Command(DeleteWaits).With("$run", result.RunId).ExecuteNonQuery();
        string? parent = null, stepId = null;
        using (var reader = context.Command(Invoker).With("$child", result.RunId).ExecuteReader())
        {
            if (reader.Read())
            {
                parent = reader.GetString(0);
                stepId = reader.GetString(1);
            }
        }
        if (parent is null)
        {
            return false;
        }
        DeleteWaitRow(context, parent, stepId!);
        UpsertStepRow(context, parent, InvokeWait.Resolved(stepId!, result, RowCodec.Time(context.NowMs)));
        return MakeDueNow(context, parent);
    }

    public static StoredEvent? LoadEventRow(WriteContext context, string id)
    {
        using var reader = context.Command(LoadEvent).With("$id", id).ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }
        return RowCodec.Event(reader, id, 0);
    }

    public static long Ms(DateTimeOffset time) => RowCodec.Ms(time);

    private static void Insert(WriteContext context, string kind, string id, int batchCount, SqliteCommand command)
    {
        try
        {
            command.ExecuteNonQuery();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19) // SQLITE_CONSTRAINT: the primary key is taken
        {
            throw new InvalidOperationException($"{kind} id {id} is used twice; the batch of {batchCount} event(s) was not stored in '{context.DatabasePath}'.", ex);
        }
    }
}
