using FanOut.Runs;

namespace FanOut.Stores;

/// <summary>
/// Where events, runs and their outcomes are kept. The engine knows no database: a store implements this contract,
/// and one contract test suite runs against every store.
/// </summary>
public interface IFanOutStore
{
    /// <summary>
    /// Stores a batch of events with the runs they start, all or nothing. An event whose deduplication key was already
    /// accepted within the deduplication window is not stored again and starts no runs.
    /// </summary>
    /// <param name="batch">The events, each with its runs.</param>
    /// <param name="cancellationToken">Cancels before anything is stored.</param>
    /// <returns>One outcome per event, in order.</returns>
    ValueTask<IReadOnlyList<AcceptOutcome>> AcceptAsync(IReadOnlyList<EventSubmission> batch, CancellationToken cancellationToken);

    /// <summary>Records the outcome of a finished run.</summary>
    ValueTask RecordResultAsync(RunResult result, CancellationToken cancellationToken);

    /// <summary>The outcome of a finished run, or null while it has not finished (or is unknown).</summary>
    ValueTask<RunResult?> GetResultAsync(string runId, CancellationToken cancellationToken);
}

/// <summary>An event to accept and the runs it starts.</summary>
/// <param name="Event">The event.</param>
/// <param name="Runs">Its runs, one per function of the event.</param>
public sealed record EventSubmission(StoredEvent Event, IReadOnlyList<RunRecord> Runs);

/// <summary>What became of one submitted event.</summary>
/// <param name="EventId">The id of the stored event: the submitted one, or for a duplicate the id of the event first accepted with that key.</param>
/// <param name="Duplicate">True when the deduplication key had been seen: nothing was stored and no run started.</param>
public readonly record struct AcceptOutcome(string EventId, bool Duplicate);
