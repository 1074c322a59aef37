using FanOut.Stores;

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
            // Every event is kept, also one no function handles: a run's wait may look back for it. Runs already waiting
            // or cancellable see it first; then its own runs are stored, with their cancel triggers.
            FlowRows.InsertEventRow(context, evt, batch.Count);
            outcomes[i] = FlowRows.Match(context, evt) with { EventId = evt.Id, Duplicate = false };
            foreach (var run in submission.Runs)
            {
                FlowRows.InsertRunRow(context, run, batch.Count);
            }
        }
        return outcomes;
    }

    private static string? FindRecentKey(WriteContext context, string key, long windowStart)
    {
        using var reader = context.Command(FindKey).With("$key", key).ExecuteReader();
        return reader.Read() && reader.GetInt64(1) > windowStart ? reader.GetString(0) : null;
    }
}
