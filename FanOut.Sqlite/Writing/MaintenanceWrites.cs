namespace FanOut.Sqlite.Writing;

/// <summary>
/// Queues again every run left running. Safe because the store holds the file's lock: no live process can be running
/// them, so every running row was left by a process that died.
/// </summary>
internal sealed class RecoverWrite(CancellationToken cancellationToken) : StoreWrite<int>(cancellationToken)
{
    private const string Recover = "UPDATE runs SET status = 0 WHERE status = 1;";

    protected override int Run(WriteContext context) => context.Execute(Recover);
}

/// <summary>
/// Removes finished runs past their retention with their steps, results and the events no remaining run needs, and
/// deduplication keys past the window.
/// </summary>
internal sealed class PruneWrite(bool automatic, CancellationToken cancellationToken) : StoreWrite<int>(cancellationToken)
{
    private const string Expired = "SELECT id FROM runs WHERE finished_at IS NOT NULL AND finished_at <= $cutoff";

    private const string DeleteKeys = "DELETE FROM dedup_keys WHERE accepted_at <= $cutoff;";

    private const string DeleteSteps = $"DELETE FROM steps WHERE run_id IN ({Expired});";

    private const string DeleteResults = $"DELETE FROM results WHERE run_id IN ({Expired});";

    private const string DeleteEvents = """
        DELETE FROM events
        WHERE id IN (SELECT event_id FROM runs WHERE finished_at IS NOT NULL AND finished_at <= $cutoff)
          AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.event_id = events.id AND (r.finished_at IS NULL OR r.finished_at > $cutoff));
        """;

    private const string DeleteRuns = "DELETE FROM runs WHERE finished_at IS NOT NULL AND finished_at <= $cutoff;";

    /// <summary>True when the store's timer asked for it.</summary>
    public bool Automatic { get; } = automatic;

    public override bool IsPrune => true;

    protected override int Run(WriteContext context)
    {
        var keyCutoff = context.NowMs - (long)context.Options.DeduplicationWindow.TotalMilliseconds;
        var runCutoff = context.NowMs - (long)context.Options.FinishedRunRetention.TotalMilliseconds;
        context.Command(DeleteKeys).With("$cutoff", keyCutoff).ExecuteNonQuery();
        context.Command(DeleteSteps).With("$cutoff", runCutoff).ExecuteNonQuery();
        context.Command(DeleteResults).With("$cutoff", runCutoff).ExecuteNonQuery();
        context.Command(DeleteEvents).With("$cutoff", runCutoff).ExecuteNonQuery();
        return context.Command(DeleteRuns).With("$cutoff", runCutoff).ExecuteNonQuery();
    }
}

/// <summary>Test hook: runs a function on the writer's connection, in turn with the other writes.</summary>
internal sealed class InspectWrite<T>(Func<WriteContext, T> inspect) : StoreWrite<T>(CancellationToken.None)
{
    protected override T Run(WriteContext context) => inspect(context);
}
