using FanOut.PostgreSql.Rows;
using FanOut.Stores;
using Npgsql;

namespace FanOut.PostgreSql.Writing;

/// <summary>
/// Stores a batch of events with their runs inside a transaction it is given (the store's own, or the caller's for a
/// transactional send): all of it, or — the transaction rolled back — none of it. Announces new runs with NOTIFY, which
/// PostgreSQL delivers only if the transaction commits.
/// </summary>
internal static class Accepting
{
    // The key is taken, or re-taken once it is older than the window, in one statement: two nodes accepting the same key
    // at once are serialized by the key's row, and exactly one of them gets a row back.
    private const string TakeKey = """
        INSERT INTO {s}.dedup_keys AS k (key, event_id, accepted_at) VALUES (@key, @event, {now})
        ON CONFLICT (key) DO UPDATE SET event_id = excluded.event_id, accepted_at = excluded.accepted_at
            WHERE k.accepted_at <= excluded.accepted_at - @window
        RETURNING event_id;
        """;

    private const string FindKey = "SELECT event_id FROM {s}.dedup_keys WHERE key = @key;";

    private const string InsertEvent = """
        INSERT INTO {s}.events (id, name, data, ts, dedup_key, v, user_json, accepted_at)
        VALUES (@id, @name, @data, @ts, @key, @v, @user, {now});
        """;

    private const string InsertRuns = """
        INSERT INTO {s}.runs (id, event_id, function_id, status, due_at, trace_parent, accepted_at)
        SELECT r.id, @event, r.function_id, 0, {now}, r.trace_parent, {now}
        FROM unnest(@ids, @functions, @traces) WITH ORDINALITY AS r(id, function_id, trace_parent, n)
        ORDER BY r.n;
        """;

    private const string Notify = "SELECT pg_notify(@channel, '');";

    public static async Task<IReadOnlyList<AcceptOutcome>> AcceptAsync(
        PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<EventSubmission> batch, CancellationToken cancellationToken)
    {
        var outcomes = new AcceptOutcome[batch.Count];
        var window = (long)db.Options.DeduplicationWindow.TotalMilliseconds;
        bool anyRuns = false;
        for (int i = 0; i < batch.Count; i++)
        {
            var submission = batch[i];
            var evt = submission.Event;
            if (evt.DeduplicationKey is { } key)
            {
                await using var take = db.Command(connection, transaction, TakeKey).With("key", key).With("event", evt.Id).With("window", window);
                if (await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                {
                    await using var find = db.Command(connection, transaction, FindKey).With("key", key);
                    var first = (string)(await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                    outcomes[i] = new AcceptOutcome(first, Duplicate: true);
                    continue;
                }
            }
            outcomes[i] = new AcceptOutcome(evt.Id, Duplicate: false);
            if (submission.Runs.Count == 0)
            {
                continue; // an event no function handles is remembered by its key only: no run will need it
            }
            try
            {
                await using (var insert = db.Command(connection, transaction, InsertEvent)
                    .With("id", evt.Id)
                    .With("name", evt.Name)
                    .With("data", (ReadOnlyMemory<byte>?)evt.Data)
                    .With("ts", evt.Ts)
                    .With("key", evt.DeduplicationKey)
                    .With("v", evt.V)
                    .With("user", evt.User is { } user ? (ReadOnlyMemory<byte>?)RowCodec.Json(user) : null))
                {
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                var runs = submission.Runs;
                var ids = new string[runs.Count];
                var functions = new string[runs.Count];
                var traces = new string?[runs.Count];
                for (int r = 0; r < runs.Count; r++)
                {
                    ids[r] = runs[r].Id;
                    functions[r] = runs[r].FunctionId;
                    traces[r] = RowCodec.TraceParent(runs[r].Origin);
                }
                await using var insertRuns = db.Command(connection, transaction, InsertRuns)
                    .With("event", evt.Id).With("ids", ids).With("functions", functions).With("traces", traces!);
                await insertRuns.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new InvalidOperationException(
                    $"An event or run id of event {evt.Id} is used twice ({ex.ConstraintName}); the batch of {batch.Count} event(s) was not stored in the {db.Describe}.", ex);
            }
            anyRuns = true;
        }
        if (anyRuns)
        {
            await using var notify = db.Command(connection, transaction, Notify).With("channel", db.Channel);
            await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return outcomes;
    }
}
