using FanOut.Runs;
using FanOut.Sqlite.Rows;
using FanOut.Stores;
using Microsoft.Data.Sqlite;

namespace FanOut.Sqlite.Writing;

/// <summary>Stores a batch of events and their runs: all of it, or (rolled back to its savepoint) none of it.</summary>
internal sealed class AcceptWrite(IReadOnlyList<EventSubmission> batch, CancellationToken cancellationToken)
    : StoreWrite<IReadOnlyList<AcceptOutcome>>(cancellationToken)
{
    private const string FindKey = "SELECT event_id, accepted_at FROM dedup_keys WHERE key = $key;";

    private const string SaveKey = """
        INSERT INTO dedup_keys (key, event_id, accepted_at) VALUES ($key, $event, $now)
        ON CONFLICT (key) DO UPDATE SET event_id = excluded.event_id, accepted_at = excluded.accepted_at;
        """;

    private const string InsertEvent = """
        INSERT INTO events (id, name, data, ts, dedup_key, v, user_json, accepted_at)
        VALUES ($id, $name, $data, $ts, $key, $v, $user, $now);
        """;

    private const string InsertRun = """
        INSERT INTO runs (id, event_id, function_id, status, due_at, trace_parent, accepted_at)
        VALUES ($id, $event, $function, 0, $now, $trace, $now);
        """;

    protected override IReadOnlyList<AcceptOutcome> Run(WriteContext context)
    {
        var outcomes = new AcceptOutcome[batch.Count];
        var windowStart = context.NowMs - (long)context.Options.DeduplicationWindow.TotalMilliseconds;
        for (int i = 0; i < batch.Count; i++)
        {
            var submission = batch[i];
            var evt = submission.Event;
            if (evt.DeduplicationKey is { } key)
            {
                // Keys are decided in order, inside the transaction, so a key repeated within the batch starts runs once.
                if (FindRecentKey(context, key, windowStart) is { } firstEventId)
                {
                    outcomes[i] = new AcceptOutcome(firstEventId, Duplicate: true);
                    continue;
                }
                context.Command(SaveKey).With("$key", key).With("$event", evt.Id).With("$now", context.NowMs).ExecuteNonQuery();
            }
            outcomes[i] = new AcceptOutcome(evt.Id, Duplicate: false);
            if (submission.Runs.Count == 0)
            {
                continue; // an event no function handles is remembered by its key only: no run will need it
            }
            Insert(context, "Event", evt.Id, context.Command(InsertEvent)
                .With("$id", evt.Id)
                .With("$name", evt.Name)
                .With("$data", (ReadOnlyMemory<byte>?)evt.Data)
                .With("$ts", evt.Ts)
                .With("$key", evt.DeduplicationKey)
                .With("$v", evt.V)
                .With("$user", evt.User is { } user ? (ReadOnlyMemory<byte>?)RowCodec.Json(user) : null)
                .With("$now", context.NowMs));
            foreach (var run in submission.Runs)
            {
                Insert(context, "Run", run.Id, context.Command(InsertRun)
                    .With("$id", run.Id)
                    .With("$event", evt.Id)
                    .With("$function", run.FunctionId)
                    .With("$now", context.NowMs)
                    .With("$trace", RowCodec.TraceParent(run.Origin)));
            }
        }
        return outcomes;
    }

    private static string? FindRecentKey(WriteContext context, string key, long windowStart)
    {
        using var reader = context.Command(FindKey).With("$key", key).ExecuteReader();
        return reader.Read() && reader.GetInt64(1) > windowStart ? reader.GetString(0) : null;
    }

    private void Insert(WriteContext context, string kind, string id, SqliteCommand command)
    {
        try
        {
            command.ExecuteNonQuery();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19) // SQLITE_CONSTRAINT: the primary key is taken
        {
            throw new InvalidOperationException($"{kind} id {id} is used twice; the batch of {batch.Count} event(s) was not stored in '{context.DatabasePath}'.", ex);
        }
    }
}
