using FanOut.Sqlite;
using FanOut.Stores;

namespace FanOut.Cli.Stores;

/// <summary>
/// A SQLite store file: read beside the running app without taking its lock; written (cancel, replay) only while no app
/// holds the file, since a SQLite file is one process's.
/// </summary>
internal sealed class SqliteCliStore(string location) : ICliStore
{
    // Read first: fails clearly on a missing file or one that is not a FanOut store, and never creates one.
    private readonly SqliteRunReader reader = SqliteStore.OpenReadOnly(location);

    public string Name => reader.DatabasePath;

    public string WhenReplayedRunsRun => "they run when the app next starts";

    public string WhenCancelRequested => "was left running by an app that stopped; it ends cancelled when the app next starts (it will not resume)";

    public ValueTask<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken) => reader.ListRunsAsync(query, cancellationToken);

    public ValueTask<RunSummary?> GetRunAsync(string runId, CancellationToken cancellationToken) => reader.GetRunAsync(runId, cancellationToken);

    public ValueTask<RunResult?> GetResultAsync(string runId, CancellationToken cancellationToken) => reader.GetResultAsync(runId, cancellationToken);

    public ValueTask<IReadOnlyList<StepResult>> GetSavedStepsAsync(string runId, CancellationToken cancellationToken) => reader.GetSavedStepsAsync(runId, cancellationToken);

    public ValueTask<IReadOnlyList<EventSummary>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken) => reader.ListEventsAsync(query, cancellationToken);

    public async ValueTask<CancelResult> CancelAsync(string runId, string reason, CancellationToken cancellationToken)
    {
        var writer = OpenWriter("cancel through IFanOutAdmin in the app");
        await using (writer.ConfigureAwait(false))
        {
            return await writer.CancelAsync(runId, reason, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<IReadOnlyList<ReplayOutcome>> ReplayAsync(IReadOnlyList<ReplayRequest> replays, CancellationToken cancellationToken)
    {
        var writer = OpenWriter("replay through IFanOutAdmin.ReplayRunsAsync in the app");
        await using (writer.ConfigureAwait(false))
        {
            return await writer.ReplayAsync(replays, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        reader.Dispose();
        return ValueTask.CompletedTask;
    }

    private SqliteStore OpenWriter(string instead)
    {
        if (SqliteStore.FindHolder(location) is { } holder)
        {
            throw InUse(holder, instead);
        }
        try
        {
            // No automatic pruning: the tool changes what it was asked to and nothing else.
            return new SqliteStore(new SqliteStoreOptions { ConnectionString = location, PruneInterval = Timeout.InfiniteTimeSpan });
        }
        catch (FanOutStoreException) when (SqliteStore.FindHolder(location) is { } late)
        {
            throw InUse(late, instead); // the app started between the check and the open
        }
    }

    private CliException InUse(SqliteStoreHolder holder, string instead) =>
        new($"The store '{Name}' is in use by {holder}; stop it, or {instead}.");
}
