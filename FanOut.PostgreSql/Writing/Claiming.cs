using FanOut.PostgreSql.Rows;
using FanOut.Runs;
using FanOut.Stores;
using Npgsql;

namespace FanOut.PostgreSql.Writing;

/// <summary>
/// Claims due queued runs in one transaction: first puts back the runs whose lease expired (their node died or
/// stalled), then takes up to n due runs with <c>FOR UPDATE SKIP LOCKED</c> — so nodes claiming at once never wait for
/// each other nor take the same run — giving each a lease on the database's clock and the next lease epoch.
/// </summary>
internal static class Claiming
{
    // Runs whose lease expired go back to the queue, due now; the next claim (on any node) takes them, with a new epoch
    // that fences off the old holder's writes. Runs asked to cancel are returned so that they can be ended instead.
    private const string TakeBackExpired = """
        WITH expired AS (
            SELECT id FROM {s}.runs
            WHERE status = 1 AND lease_expires_at < {s}.now_ms()
            ORDER BY lease_expires_at
            LIMIT @limit
            FOR UPDATE SKIP LOCKED)
        UPDATE {s}.runs r SET status = 0, due_at = {now}, lease_owner = NULL, lease_expires_at = NULL
        FROM expired WHERE r.id = expired.id
        RETURNING r.id, r.cancel_reason;
        """;

    private const string Take = """
        WITH picked AS (
            SELECT id FROM {s}.runs
            WHERE status = 0 AND due_at <= {now} AND (@functions::text[] IS NULL OR function_id = ANY(@functions))
            ORDER BY due_at, seq
            LIMIT @max
            FOR UPDATE SKIP LOCKED)
        UPDATE {s}.runs r SET status = 1, attempt = r.attempt + 1, claimed_at = {now},
            lease_epoch = r.lease_epoch + 1, lease_owner = @owner, lease_expires_at = {s}.now_ms() + @lease
        FROM picked WHERE r.id = picked.id
        RETURNING r.id, r.event_id, r.function_id, r.attempt, r.failures, r.trace_parent, r.due_at, r.seq, r.lease_epoch;
        """;

    private const string LoadEvents = "SELECT id, name, data, ts, dedup_key, v, user_json FROM {s}.events WHERE id = ANY(@ids);";

    private const string LoadSteps = """
        SELECT run_id, step_id, status, attempts, output, error_type, error_message, error_stack, started_at, finished_at
        FROM {s}.steps WHERE run_id = ANY(@ids) ORDER BY seq;
        """;

    // How long until the earliest queued run of these functions is due, on the store's clock.
    private const string NextDue = """
        SELECT min(due_at) - {now} FROM {s}.runs
        WHERE status = 0 AND (@functions::text[] IS NULL OR function_id = ANY(@functions));
        """;

    /// <summary>Puts back up to <paramref name="limit"/> runs whose lease expired; ends those asked to cancel. Returns how many were queued again.</summary>
    public static async Task<int> TakeBackExpiredAsync(PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, int limit, CancellationToken cancellationToken)
    {
        List<(string Id, string Reason)>? cancelled = null;
        int requeued = 0;
        await using (var command = db.Command(connection, transaction, TakeBackExpired).With("limit", limit))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.IsDBNull(1))
                {
                    requeued++;
                }
                else
                {
                    (cancelled ??= []).Add((reader.GetString(0), reader.GetString(1)));
                }
            }
        }
        if (cancelled is not null)
        {
            foreach (var (id, reason) in cancelled)
            {
                await RunEnds.EndCancelledAsync(db, connection, transaction, id, reason, cancellationToken).ConfigureAwait(false);
            }
        }
        return requeued;
    }

    public static async Task<(ClaimResult Result, List<(string RunId, long Epoch)> Epochs)> ClaimAsync(
        PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, int max, string[]? functions, CancellationToken cancellationToken)
    {
        await TakeBackExpiredAsync(db, connection, transaction, 100, cancellationToken).ConfigureAwait(false);
        var taken = new List<Taken>();
        if (max > 0)
        {
            await using var command = db.Command(connection, transaction, Take)
                .With("max", max).With("functions", functions).With("owner", db.Options.NodeName)
                .With("lease", (long)db.Options.LeaseDuration.TotalMilliseconds);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                taken.Add(new Taken(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4),
                    RowCodec.Text(reader, 5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8)));
            }
        }
        // RETURNING gives rows in no promised order: put them back in claim order.
        taken.Sort(static (a, b) => a.DueAt != b.DueAt ? a.DueAt.CompareTo(b.DueAt) : a.Seq.CompareTo(b.Seq));
        var claimed = new ClaimedRun[taken.Count];
        var epochs = new List<(string, long)>(taken.Count);
        if (taken.Count > 0)
        {
            var runIds = new string[taken.Count];
            var eventIds = new string[taken.Count];
            for (int i = 0; i < taken.Count; i++)
            {
                runIds[i] = taken[i].Id;
                eventIds[i] = taken[i].EventId;
            }
            var events = await EventsAsync(db, connection, transaction, eventIds, cancellationToken).ConfigureAwait(false);
            await Flow.ExpireWaitsAsync(db, connection, transaction, runIds, cancellationToken).ConfigureAwait(false);
            var steps = await StepsAsync(db, connection, transaction, runIds, cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < taken.Count; i++)
            {
                var t = taken[i];
                if (!events.TryGetValue(t.EventId, out var evt))
                {
                    throw new InvalidOperationException($"Event {t.EventId} of run {t.Id} is missing from the {db.Describe}; the tables were changed outside FanOut.");
                }
                var run = new RunRecord(t.Id, t.FunctionId, evt) { Origin = RowCodec.Origin(t.TraceParent) };
                claimed[i] = new ClaimedRun(run, t.Attempt, t.Failures, steps.TryGetValue(t.Id, out var memo) ? [.. memo] : []);
                epochs.Add((t.Id, t.Epoch));
            }
        }
        long? nextDelay;
        await using (var command = db.Command(connection, transaction, NextDue).With("functions", functions))
        {
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            nextDelay = value is long ms ? ms : null;
        }
        DateTimeOffset? nextDue = nextDelay is { } delay ? db.FromStoreDelay(delay) : null;
        return (new ClaimResult(claimed, nextDue), epochs);
    }

    internal static async Task<Dictionary<string, StoredEvent>> EventsAsync(
        PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, string[] ids, CancellationToken cancellationToken)
    {
        var events = new Dictionary<string, StoredEvent>(StringComparer.Ordinal);
        await using var command = db.Command(connection, transaction, LoadEvents).With("ids", ids);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            events[id] = new StoredEvent(id, reader.GetString(1), RowCodec.Bytes(reader, 2) ?? [], reader.GetInt64(3))
            {
                DeduplicationKey = RowCodec.Text(reader, 4),
                V = RowCodec.Text(reader, 5),
                User = RowCodec.Bytes(reader, 6) is { } user ? RowCodec.Json(user) : null,
            };
        }
        return events;
    }

    private static async Task<Dictionary<string, List<StepState>>> StepsAsync(
        PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, string[] runIds, CancellationToken cancellationToken)
    {
        var steps = new Dictionary<string, List<StepState>>(StringComparer.Ordinal);
        await using var command = db.Command(connection, transaction, LoadSteps).With("ids", runIds);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var runId = reader.GetString(0);
            if (!steps.TryGetValue(runId, out var list))
            {
                steps[runId] = list = [];
            }
            list.Add(new StepState(
                reader.GetString(1),
                (StepStatus)reader.GetInt16(2),
                reader.GetInt32(3),
                RowCodec.Memory(reader, 4),
                RowCodec.Error(reader, 5),
                RowCodec.Time(reader.GetInt64(8)),
                RowCodec.Time(reader.GetInt64(9))));
        }
        return steps;
    }

    private readonly record struct Taken(string Id, string EventId, string FunctionId, int Attempt, int Failures, string? TraceParent, long DueAt, long Seq, long Epoch);
}
