using FanOut.Stores;

namespace FanOut.Cli.Stores;

/// <summary>What the commands need of a store, whatever the store: reads, and the two writes (cancel, replay).</summary>
internal interface ICliStore : IAsyncDisposable
{
    /// <summary>How to name the store in messages (a file path, a database).</summary>
    string Name { get; }

    ValueTask<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken);

    ValueTask<RunSummary?> GetRunAsync(string runId, CancellationToken cancellationToken);

    ValueTask<RunResult?> GetResultAsync(string runId, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<StepResult>> GetSavedStepsAsync(string runId, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<EventSummary>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken);

    /// <summary>Cancels a run, or fails saying why the store cannot be written now.</summary>
    ValueTask<CancelResult> CancelAsync(string runId, string reason, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<ReplayOutcome>> ReplayAsync(IReadOnlyList<ReplayRequest> replays, CancellationToken cancellationToken);

    /// <summary>Said of a run asked to cancel while it was marked running (after "Run X").</summary>
    string WhenCancelRequested { get; }

    /// <summary>Said after a replay: when the new runs will run.</summary>
    string WhenReplayedRunsRun { get; }
}

/// <summary>Opens the store a <c>--store</c> value names: a PostgreSQL connection string (<c>Host=…</c>), else a SQLite file.</summary>
internal static class CliStores
{
    public static ICliStore Open(string location, string schema) =>
        IsPostgres(location) ? new PostgresCliStore(location, schema) : new SqliteCliStore(location);

    private static bool IsPostgres(string location) =>
        location.Contains("Host=", StringComparison.OrdinalIgnoreCase)
        || location.Contains("Server=", StringComparison.OrdinalIgnoreCase);
}
