using FanOut.PostgreSql;
using FanOut.Stores;

namespace FanOut.Cli.Stores;

/// <summary>
/// A PostgreSQL store: many processes share it, so the tool reads and writes beside the running nodes. The tool is a
/// node that never claims, listens or prunes.
/// </summary>
internal sealed class PostgresCliStore(string connectionString, string schema) : ICliStore
{
    private readonly PostgresStore store = new(new PostgresStoreOptions
    {
        ConnectionString = connectionString,
        Schema = schema,
        ClaimRuns = false,
        ListenForWork = false,
        PruneInterval = Timeout.InfiniteTimeSpan,
    });

    public string Name => $"PostgreSQL schema '{schema}'";

    public string WhenReplayedRunsRun => "any node hosting their functions runs them now";

    public string WhenCancelRequested => "is executing on a node; it stops there at its next lease renewal and ends cancelled";

    public ValueTask<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken) => store.ListRunsAsync(query, cancellationToken);

    public ValueTask<RunSummary?> GetRunAsync(string runId, CancellationToken cancellationToken) => store.GetRunAsync(runId, cancellationToken);

    public ValueTask<RunResult?> GetResultAsync(string runId, CancellationToken cancellationToken) => store.GetResultAsync(runId, cancellationToken);

    public ValueTask<IReadOnlyList<StepResult>> GetSavedStepsAsync(string runId, CancellationToken cancellationToken) => store.GetSavedStepsAsync(runId, cancellationToken);

    public ValueTask<IReadOnlyList<EventSummary>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken) => store.ListEventsAsync(query, cancellationToken);

    public ValueTask<CancelResult> CancelAsync(string runId, string reason, CancellationToken cancellationToken) => store.CancelAsync(runId, reason, cancellationToken);

    public ValueTask<IReadOnlyList<ReplayOutcome>> ReplayAsync(IReadOnlyList<ReplayRequest> replays, CancellationToken cancellationToken) => store.ReplayAsync(replays, cancellationToken);

    public ValueTask DisposeAsync() => store.DisposeAsync();
}
