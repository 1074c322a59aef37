using FanOut.Runs;
using FanOut.Sqlite.Rows;
using FanOut.Stores;

namespace FanOut.Sqlite.Writing;

/// <summary>Claims due queued runs, oldest due first, with their events and memoized steps. A claim writes (status, attempt), so it is a write.</summary>
internal sealed class ClaimWrite(int max, CancellationToken cancellationToken) : StoreWrite<ClaimResult>(cancellationToken)
{
    private const string Take = """
        UPDATE runs SET status = 1, attempt = attempt + 1, claimed_at = $now
        WHERE rowid IN (SELECT rowid FROM runs WHERE status = 0 AND due_at <= $now ORDER BY due_at, rowid LIMIT $max)
        RETURNING rowid, id, event_id, function_id, attempt, failures, trace_parent, due_at;
        """;

    private const string NextDue = "SELECT min(due_at) FROM runs WHERE status = 0;";

    private const string LoadEvent = "SELECT name, data, ts, dedup_key, v, user_json FROM events WHERE id = $id;";

    private const string ExpiredWaits = "SELECT step_id, kind, child_run_id, expires_at FROM waits WHERE run_id = $run AND kind < 2 AND expires_at <= $now;";

    private const string LoadSteps = """
        SELECT step_id, status, attempts, output, error_type, error_message, error_stack, started_at, finished_at
        FROM steps WHERE run_id = $run ORDER BY rowid;
        """;

    protected override ClaimResult Run(WriteContext context)
    {
        var taken = new List<Taken>();
        if (max > 0)
        {
            using var reader = context.Command(Take).With("$now", context.NowMs).With("$max", max).ExecuteReader();
            while (reader.Read())
            {
                taken.Add(new Taken(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetInt32(4), reader.GetInt32(5), RowCodec.Text(reader, 6), reader.GetInt64(7)));
            }
        }
        // RETURNING gives rows in no promised order: put them back in claim order.
        taken.Sort(static (a, b) => a.DueAt != b.DueAt ? a.DueAt.CompareTo(b.DueAt) : a.RowId.CompareTo(b.RowId));
        var claimed = new ClaimedRun[taken.Count];
        Dictionary<string, StoredEvent>? events = null;
        for (int i = 0; i < taken.Count; i++)
        {
            var t = taken[i];
            events ??= new Dictionary<string, StoredEvent>(StringComparer.Ordinal);
            if (!events.TryGetValue(t.EventId, out var evt))
            {
                evt = Event(context, t.EventId);
                events.Add(t.EventId, evt);
            }
            var run = new RunRecord(t.Id, t.FunctionId, evt) { Origin = RowCodec.Origin(t.TraceParent) };
            ExpireWaits(context, t.Id);
            claimed[i] = new ClaimedRun(run, t.Attempt, t.Failures, Steps(context, t.Id));
        }
        var next = context.Command(NextDue).ExecuteScalar();
        return new ClaimResult(claimed, next is long ms ? RowCodec.Time(ms) : null);
    }

    // The run is due because a wait ran out: the waiting step's memo says so (no event; or the invoke failed).
    private static void ExpireWaits(WriteContext context, string runId)
    {
        if (!context.WaitsExist)
        {
            return;
        }
        List<(string StepId, int Kind, string? Child, long ExpiresAt)>? expired = null;
        using (var reader = context.Command(ExpiredWaits).With("$run", runId).With("$now", context.NowMs).ExecuteReader())
        {
            while (reader.Read())
            {
                (expired ??= []).Add((reader.GetString(0), reader.GetInt32(1), RowCodec.Text(reader, 2), reader.GetInt64(3)));
            }
        }
        if (expired is null)
        {
            return;
        }
        var now = RowCodec.Time(context.NowMs);
        foreach (var (stepId, kind, child, expiresAt) in expired)
        {
            FlowRows.DeleteWaitRow(context, runId, stepId);
            FlowRows.UpsertStepRow(context, runId, kind == 1
                ? InvokeWait.Expired(stepId, child!, RowCodec.Time(expiresAt), now)
                : new StepState(stepId, StepStatus.Succeeded, 1, null, null, now, now));
        }
    }

    private static StoredEvent Event(WriteContext context, string id)
    {
        using var reader = context.Command(LoadEvent).With("$id", id).ExecuteReader();
        if (!reader.Read())
        {
            throw new InvalidOperationException($"Event {id} of a queued run is missing from '{context.DatabasePath}'; the file was changed outside FanOut.");
        }
        return RowCodec.Event(reader, id, 0);
    }

    private static StepState[] Steps(WriteContext context, string runId)
    {
        using var reader = context.Command(LoadSteps).With("$run", runId).ExecuteReader();
        List<StepState>? steps = null;
        while (reader.Read())
        {
            (steps ??= []).Add(new StepState(
                reader.GetString(0),
                (StepStatus)reader.GetInt32(1),
                reader.GetInt32(2),
                RowCodec.Memory(reader, 3),
                RowCodec.Error(reader, 4),
                RowCodec.Time(reader.GetInt64(7)),
                RowCodec.Time(reader.GetInt64(8))));
        }
        return steps is null ? [] : [.. steps];
    }

    private readonly record struct Taken(long RowId, string Id, string EventId, string FunctionId, int Attempt, int Failures, string? TraceParent, long DueAt);
}
