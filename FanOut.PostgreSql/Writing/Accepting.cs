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

    private const string Notify = "SELECT pg_notify(@channel, '');";

    public static async Task<IReadOnlyList<AcceptOutcome>> AcceptAsync(
        PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<EventSubmission> batch, CancellationToken cancellationToken)
    {
        var outcomes = new AcceptOutcome[batch.Count];
        var window = (long)db.Options.DeduplicationWindow.TotalMilliseconds;
        bool anyRuns = false;
        // Shared with other accepts of these names, exclusive of a suspension registering a wait for one of them.
        var names = new string[batch.Count];
        for (int i = 0; i < batch.Count; i++)
        {
            names[i] = batch[i].Event.Name;
        }
        await Flow.LockNamesAsync(db, connection, transaction, names, exclusive: false, cancellationToken).ConfigureAwait(false);
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
            try
            {
                // Every event is kept, also one no function handles: a run's wait may look back for it. Runs already
                // waiting or cancellable see it first; then its own runs are stored, with their cancel triggers.
                await Flow.InsertEventAsync(db, connection, transaction, evt, cancellationToken).ConfigureAwait(false);
                outcomes[i] = await Flow.MatchAsync(db, connection, transaction, evt, cancellationToken).ConfigureAwait(false) with { EventId = evt.Id, Duplicate = false };
                foreach (var run in submission.Runs)
                {
                    await Flow.InsertRunAsync(db, connection, transaction, run, cancellationToken).ConfigureAwait(false);
                    anyRuns |= !run.ClaimedOnAccept; // a run the sending node took at once needs no other worker woken
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new InvalidOperationException(
                    $"An event or run id of event {evt.Id} is used twice ({ex.ConstraintName}); the batch of {batch.Count} event(s) was not stored in the {db.Describe}.", ex);
            }
        }
        if (anyRuns)
        {
            await using var notify = db.Command(connection, transaction, Notify).With("channel", db.Channel);
            await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return outcomes;
    }
}
