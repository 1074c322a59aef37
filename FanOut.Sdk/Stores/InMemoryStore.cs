using System.Collections.Concurrent;
using FanOut.Runs;

namespace FanOut.Stores;

/// <summary>
/// The default store: everything in this process's memory. Fast, and gone when the process ends. Finished runs are
/// kept for <see cref="InMemoryStoreOptions.FinishedRunRetention"/> and deduplication keys for
/// <see cref="InMemoryStoreOptions.DeduplicationWindow"/>, so memory does not grow without bound.
/// </summary>
public sealed class InMemoryStore : IFanOutStore
{
    private readonly Lock acceptGate = new();
    private readonly Dictionary<string, (string EventId, long AcceptedMs)> dedupKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (RunResult Result, long FinishedMs)> results = new(StringComparer.Ordinal);
    private readonly TimeProvider time;
    private readonly InMemoryStoreOptions options;
    private long nextPruneMs;

    /// <summary>Creates an empty store.</summary>
    public InMemoryStore(TimeProvider time, InMemoryStoreOptions? options = null)
    {
        this.time = time;
        this.options = options ?? new InMemoryStoreOptions();
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AcceptOutcome>> AcceptAsync(IReadOnlyList<EventSubmission> batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var outcomes = new AcceptOutcome[batch.Count];
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var windowMs = (long)options.DeduplicationWindow.TotalMilliseconds;
        lock (acceptGate)
        {
            PruneIfDue(now);
            for (int i = 0; i < batch.Count; i++)
            {
                var evt = batch[i].Event;
                if (evt.DeduplicationKey is { } key)
                {
                    if (dedupKeys.TryGetValue(key, out var seen) && now - seen.AcceptedMs < windowMs)
                    {
                        outcomes[i] = new AcceptOutcome(seen.EventId, Duplicate: true);
                        continue;
                    }
                    dedupKeys[key] = (evt.Id, now);
                }
                outcomes[i] = new AcceptOutcome(evt.Id, Duplicate: false);
            }
        }
        return ValueTask.FromResult<IReadOnlyList<AcceptOutcome>>(outcomes);
    }

    /// <inheritdoc />
    public ValueTask RecordResultAsync(RunResult result, CancellationToken cancellationToken)
    {
        results[result.RunId] = (result, time.GetUtcNow().ToUnixTimeMilliseconds());
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<RunResult?> GetResultAsync(string runId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(results.TryGetValue(runId, out var entry) ? entry.Result : null);

    /// <summary>How many finished runs are kept now (for tests and diagnostics).</summary>
    public int FinishedRunCount => results.Count;

    private void PruneIfDue(long now)
    {
        if (now < nextPruneMs)
        {
            return;
        }
        nextPruneMs = now + (long)options.PruneInterval.TotalMilliseconds;
        var windowMs = (long)options.DeduplicationWindow.TotalMilliseconds;
        foreach (var (key, seen) in dedupKeys)
        {
            if (now - seen.AcceptedMs >= windowMs)
            {
                dedupKeys.Remove(key);
            }
        }
        var retentionMs = (long)options.FinishedRunRetention.TotalMilliseconds;
        foreach (var (runId, entry) in results)
        {
            if (now - entry.FinishedMs >= retentionMs)
            {
                results.TryRemove(runId, out _);
            }
        }
    }
}

/// <summary>Settings of <see cref="InMemoryStore"/>.</summary>
public sealed class InMemoryStoreOptions
{
    /// <summary>How long a deduplication key is remembered. Default: 24 hours, as Inngest.</summary>
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a finished run's outcome is kept for <see cref="IFanOutClient.WaitForRunAsync"/>. Default: 1 hour.</summary>
    public TimeSpan FinishedRunRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often expired entries are removed (checked on accept). Default: 1 minute.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(1);
}
