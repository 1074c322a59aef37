using Npgsql;

namespace FanOut.PostgreSql.Writing;

/// <summary>
/// One pass of pruning, in one transaction: deduplication keys past the window, and up to <see cref="BatchSize"/>
/// finished runs past their retention (oldest first; rows another node is pruning are skipped) with their steps,
/// results and the events no remaining run needs.
/// </summary>
internal static class Pruning
{
    public const int BatchSize = 5000;

    private const string DeleteKeys = "DELETE FROM {s}.dedup_keys WHERE accepted_at <= {now} - @window;";

    private const string PickRuns = """
        SELECT id, event_id FROM {s}.runs
        WHERE finished_at IS NOT NULL AND finished_at <= {now} - @retention
        ORDER BY finished_at LIMIT @limit FOR UPDATE SKIP LOCKED;
        """;

    private const string DeleteRuns = """
        DELETE FROM {s}.waits WHERE run_id = ANY(@ids);
        DELETE FROM {s}.steps WHERE run_id = ANY(@ids);
        DELETE FROM {s}.results WHERE run_id = ANY(@ids);
        DELETE FROM {s}.runs WHERE id = ANY(@ids);
        """;

    // A separate statement, after the runs are gone: an event goes once none of its runs is left.
    private const string DeleteEvents = """
        DELETE FROM {s}.events e
        WHERE e.id = ANY(@events) AND NOT EXISTS (SELECT 1 FROM {s}.runs WHERE runs.event_id = e.id);
        """;

    // Events no run was started for (kept for the look-back of waits) go once they are older than the retention and
    // than every unfinished run: no wait can look back that far.
    private const string DeleteUnusedEvents = """
        DELETE FROM {s}.events WHERE id IN (
            SELECT id FROM {s}.events e
            WHERE accepted_at <= {now} - @retention
              AND accepted_at < coalesce((SELECT min(accepted_at) FROM {s}.runs WHERE status IN (0, 1)), {now} - @retention + 1)
              AND NOT EXISTS (SELECT 1 FROM {s}.runs WHERE runs.event_id = e.id)
            ORDER BY accepted_at LIMIT @limit);
        """;

    public static async Task<int> PassAsync(PostgresDatabase db, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var keys = db.Command(connection, transaction, DeleteKeys).With("window", (long)db.Options.DeduplicationWindow.TotalMilliseconds))
        {
            await keys.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        var ids = new List<string>();
        var events = new List<string>();
        await using (var pick = db.Command(connection, transaction, PickRuns)
            .With("retention", (long)db.Options.FinishedRunRetention.TotalMilliseconds).With("limit", BatchSize))
        await using (var reader = await pick.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids.Add(reader.GetString(0));
                events.Add(reader.GetString(1));
            }
        }
        if (ids.Count > 0)
        {
            await using (var delete = db.Command(connection, transaction, DeleteRuns).With("ids", ids.ToArray()))
            {
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await using var deleteEvents = db.Command(connection, transaction, DeleteEvents).With("events", events.ToArray());
            await deleteEvents.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var unused = db.Command(connection, transaction, DeleteUnusedEvents)
            .With("retention", (long)db.Options.FinishedRunRetention.TotalMilliseconds).With("limit", BatchSize))
        {
            await unused.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ids.Count;
    }
}
