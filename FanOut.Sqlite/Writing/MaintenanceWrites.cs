namespace FanOut.Sqlite.Writing;

/// <summary>
/// Queues again every run left running — except those asked to cancel while they ran, which end cancelled instead.
/// Safe because the store holds the file's lock: no live process can be running them, so every running row was left by
/// a process that died. Returns how many runs were queued again.
/// </summary>
internal sealed class RecoverWrite(CancellationToken cancellationToken) : StoreWrite<int>(cancellationToken)
{
    private const string CancelRequested = "SELECT id, cancel_reason FROM runs WHERE status = 1 AND cancel_reason IS NOT NULL;";

    private const string Recover = "UPDATE runs SET status = 0 WHERE status = 1;";

    protected override int Run(WriteContext context)
    {
        List<(string Id, string Reason)>? cancelled = null;
        using (var reader = context.Command(CancelRequested).ExecuteReader())
        {
            while (reader.Read())
            {
                (cancelled ??= []).Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        if (cancelled is not null)
        {
            foreach (var (id, reason) in cancelled)
            {
                RunEndWrites.EndCancelled(context, id, reason);
            }
        }
        return context.Execute(Recover);
    }
}

/// <summary>
/// One pass of pruning: removes deduplication keys past the window, and up to <see cref="BatchSize"/> finished runs past
/// their retention (oldest first) with their steps, results and the events no remaining run needs. Passes are bounded
/// so that a large backlog never holds the writer (and every caller behind it) for long; the store runs passes until
/// one removes fewer than a batch.
/// </summary>
internal sealed class PruneWrite(CancellationToken cancellationToken) : StoreWrite<int>(cancellationToken)
{
    /// <summary>The most runs one pass removes.</summary>
    public const int BatchSize = 5000;

    private const string PrepareBatch = "CREATE TEMP TABLE IF NOT EXISTS prune_batch (id TEXT NOT NULL PRIMARY KEY, event_id TEXT NOT NULL);";

    private const string ClearBatch = "DELETE FROM temp.prune_batch;";

    private const string FillBatch = """
        INSERT INTO temp.prune_batch (id, event_id)
        SELECT id, event_id FROM runs WHERE finished_at IS NOT NULL AND finished_at <= $cutoff ORDER BY finished_at LIMIT $limit;
        """;

    private const string DeleteKeys = "DELETE FROM dedup_keys WHERE accepted_at <= $cutoff;";

    private const string DeleteWaits = "DELETE FROM waits WHERE run_id IN (SELECT id FROM temp.prune_batch);";

    // Events no run was started for (kept for the look-back of waits) go once they are older than the retention and
    // than every unfinished run: no wait can look back that far.
    private const string DeleteUnusedEvents = """
        DELETE FROM events WHERE id IN (
            SELECT id FROM events
            WHERE accepted_at <= $cutoff
              AND accepted_at < coalesce((SELECT min(accepted_at) FROM runs WHERE status IN (0, 1)), $cutoff + 1)
              AND NOT EXISTS (SELECT 1 FROM runs WHERE runs.event_id = events.id)
            ORDER BY accepted_at LIMIT $limit);
        """;

    private const string DeleteSteps = "DELETE FROM steps WHERE run_id IN (SELECT id FROM temp.prune_batch);";

    private const string DeleteResults = "DELETE FROM results WHERE run_id IN (SELECT id FROM temp.prune_batch);";

    private const string DeleteRuns = "DELETE FROM runs WHERE id IN (SELECT id FROM temp.prune_batch);";

    // After the runs: an event goes once none of its runs is left.
    private const string DeleteEvents = """
        DELETE FROM events
        WHERE id IN (SELECT event_id FROM temp.prune_batch)
          AND NOT EXISTS (SELECT 1 FROM runs WHERE runs.event_id = events.id);
        """;

    public override bool IsPrune => true;

    protected override int Run(WriteContext context)
    {
        var keyCutoff = context.NowMs - (long)context.Options.DeduplicationWindow.TotalMilliseconds;
        var runCutoff = context.NowMs - (long)context.Options.FinishedRunRetention.TotalMilliseconds;
        context.Execute(PrepareBatch);
        context.Execute(ClearBatch);
        context.Command(DeleteKeys).With("$cutoff", keyCutoff).ExecuteNonQuery();
        var removed = context.Command(FillBatch).With("$cutoff", runCutoff).With("$limit", BatchSize).ExecuteNonQuery();
        if (removed > 0)
        {
            context.Execute(DeleteWaits);
            context.Execute(DeleteSteps);
            context.Execute(DeleteResults);
            context.Execute(DeleteRuns);
            context.Execute(DeleteEvents);
            context.Execute(ClearBatch);
        }
        context.Command(DeleteUnusedEvents).With("$cutoff", runCutoff).With("$limit", BatchSize).ExecuteNonQuery();
        context.RefreshWaitsExist();
        return removed;
    }
}

/// <summary>Test hook: runs a function on the writer's connection, in turn with the other writes.</summary>
internal sealed class InspectWrite<T>(Func<WriteContext, T> inspect) : StoreWrite<T>(CancellationToken.None)
{
    protected override T Run(WriteContext context) => inspect(context);
}
