using FanOut.Runs;

namespace FanOut.Stores;

/// <summary>
/// A store in this process's memory: fast, and gone when the process ends (a run the host stops is cancelled, not
/// resumed). Finished runs are kept for <see cref="InMemoryStoreOptions.FinishedRunRetention"/> and deduplication keys
/// for <see cref="InMemoryStoreOptions.DeduplicationWindow"/>, so memory does not grow without bound.
/// </summary>
public sealed partial class InMemoryStore : IFanOutStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, (string EventId, long AcceptedMs)> dedupKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ActiveRun> active = new(StringComparer.Ordinal);
    private readonly PriorityQueue<ActiveRun, (long DueMs, long Sequence)> due = new();
    private readonly Dictionary<string, (RunResult Result, long FinishedMs)> finished = new(StringComparer.Ordinal);
    // The accept time and record of each finished run kept in `finished` (listing, replay).
    private readonly Dictionary<string, (DateTimeOffset AcceptedAt, RunRecord Record, StepState[] Steps)> finishedRuns = new(StringComparer.Ordinal);
    private readonly TimeProvider time;
    private readonly InMemoryStoreOptions options;
    private long sequence;
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
        var now = NowMs();
        var windowMs = (long)options.DeduplicationWindow.TotalMilliseconds;
        lock (gate)
        {
            if (now >= nextPruneMs)
            {
                PruneLocked(now);
            }
            ValidateRunIds(batch);
            // Duplicates are decided first, so a batch repeating a key within itself starts runs once.
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
                // Runs already waiting or cancellable see the event first; the event's own runs come after it.
                outcomes[i] = MatchLocked(evt, now) with { EventId = evt.Id, Duplicate = false };
                var eventSeq = RememberLocked(evt, now);
                foreach (var run in batch[i].Runs)
                {
                    AddRunLocked(run, now, eventSeq);
                }
            }
        }
        return ValueTask.FromResult<IReadOnlyList<AcceptOutcome>>(outcomes);
    }

    /// <inheritdoc />
    /// <remarks>True: a run accepted claimed is running at once, with no claim.</remarks>
    public bool ClaimsOnAccept => true;

    /// <inheritdoc />
    public ValueTask<ClaimResult> ClaimAsync(int max, CancellationToken cancellationToken)
    {
        var now = NowMs();
        List<ClaimedRun>? claimed = null;
        DateTimeOffset? nextDue = null;
        lock (gate)
        {
            while (due.TryPeek(out var entry, out var priority))
            {
                if (entry.Status != RunStatus.Queued || entry.DueMs != priority.DueMs)
                {
                    due.Dequeue(); // stale: finished, or rescheduled with a newer entry
                    continue;
                }
                if (priority.DueMs > now)
                {
                    nextDue = DateTimeOffset.FromUnixTimeMilliseconds(priority.DueMs);
                    break;
                }
                if ((claimed?.Count ?? 0) == max)
                {
                    nextDue = DateTimeOffset.FromUnixTimeMilliseconds(priority.DueMs);
                    break;
                }
                due.Dequeue();
                entry.Status = RunStatus.Running;
                entry.Attempts++;
                ExpireWaitsLocked(entry, now);
                (claimed ??= []).Add(new ClaimedRun(entry.Run, entry.Attempts, entry.Failures, [.. entry.Steps.Values]));
            }
        }
        return ValueTask.FromResult(new ClaimResult(claimed is null ? [] : claimed, nextDue));
    }

    /// <inheritdoc />
    public ValueTask SaveStepAsync(string runId, StepState step, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            Running(runId).Steps[step.Id] = step;
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<RunResult?> RetryAsync(string runId, int failures, DateTimeOffset dueAt, RunError? error, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var entry = Running(runId);
            if (entry.CancelReason is { } reason)
            {
                return ValueTask.FromResult<RunResult?>(CancelLocked(entry, reason));
            }
            entry.Status = RunStatus.Queued;
            entry.LastError = error;
            entry.Failures = failures;
            entry.DueMs = dueAt.ToUnixTimeMilliseconds();
            due.Enqueue(entry, (entry.DueMs, sequence++));
        }
        return ValueTask.FromResult<RunResult?>(null);
    }

    /// <inheritdoc />
    public ValueTask<RunResult?> ReleaseAsync(string runId, string reason, CancellationToken cancellationToken)
    {
        // Nothing here outlives the process, so a released run could never resume: it ends, cancelled, saying why.
        RunResult result;
        lock (gate)
        {
            var entry = Running(runId);
            var now = time.GetUtcNow();
            result = new RunResult(runId, entry.Run.FunctionId, entry.Run.Event.Id, entry.Run.Event.Name, RunStatus.Cancelled)
            {
                Error = new RunError(typeof(OperationCanceledException).FullName!, reason, null),
                Attempts = entry.Attempts,
                StartedAt = now,
                FinishedAt = now,
                Steps = StepResults(entry),
            };
            FinishLocked(result);
        }
        return ValueTask.FromResult<RunResult?>(result);
    }

    /// <inheritdoc />
    public ValueTask<bool> FinishAsync(RunResult result, CancellationToken cancellationToken) => FinishAsync(result, [], cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> FinishAsync(RunResult result, IReadOnlyList<StepState> unsavedSteps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unsavedSteps);
        lock (gate)
        {
            if (unsavedSteps.Count > 0 && active.TryGetValue(result.RunId, out var entry) && entry.Status == RunStatus.Running)
            {
                for (int i = 0; i < unsavedSteps.Count; i++)
                {
                    entry.Steps[unsavedSteps[i].Id] = unsavedSteps[i];
                }
            }
            return ValueTask.FromResult(FinishLocked(result));
        }
    }

    /// <inheritdoc />
    public ValueTask<RunResult?> GetResultAsync(string runId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return ValueTask.FromResult(finished.TryGetValue(runId, out var entry) ? entry.Result : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<int> RecoverAsync(CancellationToken cancellationToken) => ValueTask.FromResult(0);

    /// <inheritdoc />
    public ValueTask<CancelResult> CancelAsync(string runId, string reason, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (active.TryGetValue(runId, out var entry))
            {
                if (entry.Status == RunStatus.Running)
                {
                    entry.CancelReason ??= reason;
                    return ValueTask.FromResult(new CancelResult(CancelOutcome.Requested, null));
                }
                return ValueTask.FromResult(new CancelResult(CancelOutcome.Cancelled, CancelLocked(entry, reason)));
            }
            return ValueTask.FromResult(new CancelResult(finished.ContainsKey(runId) ? CancelOutcome.AlreadyFinished : CancelOutcome.NotFound, null));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var matches = new List<RunSummary>();
        lock (gate)
        {
            foreach (var entry in active.Values)
            {
                var summary = new RunSummary(entry.Run.Id, entry.Run.FunctionId, entry.Run.Event.Id, entry.Run.Event.Name, entry.Status,
                    entry.Attempts, entry.AcceptedAt, null, entry.LastError);
                if (Matches(summary, query))
                {
                    matches.Add(summary);
                }
            }
            foreach (var (result, _) in finished.Values)
            {
                var summary = new RunSummary(result.RunId, result.FunctionId, result.EventId, result.EventName, result.Status,
                    result.Attempts, finishedRuns.GetValueOrDefault(result.RunId).AcceptedAt, result.FinishedAt, result.Error);
                if (Matches(summary, query))
                {
                    matches.Add(summary);
                }
            }
        }
        matches.Sort(static (a, b) => b.AcceptedAt != a.AcceptedAt ? b.AcceptedAt.CompareTo(a.AcceptedAt) : string.CompareOrdinal(b.RunId, a.RunId));
        return ValueTask.FromResult<IReadOnlyList<RunSummary>>(matches.Count > query.Limit ? matches.GetRange(0, query.Limit) : matches);
    }

    private static bool Matches(RunSummary run, RunQuery query) =>
        (query.FunctionId is null || run.FunctionId == query.FunctionId)
        && (query.EventName is null || run.EventName == query.EventName)
        && (query.Status is null || run.Status == query.Status)
        && (query.Since is null || run.AcceptedAt >= query.Since)
        && (query.Until is null || run.AcceptedAt < query.Until);

    private RunResult CancelLocked(ActiveRun entry, string reason)
    {
        var now = time.GetUtcNow();
        var result = new RunResult(entry.Run.Id, entry.Run.FunctionId, entry.Run.Event.Id, entry.Run.Event.Name, RunStatus.Cancelled)
        {
            Error = new RunError(typeof(OperationCanceledException).FullName!, reason, null),
            Attempts = entry.Attempts,
            StartedAt = now,
            FinishedAt = now,
            Steps = StepResults(entry),
        };
        FinishLocked(result);
        return result;
    }

    /// <inheritdoc />
    public ValueTask<int> PruneAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return ValueTask.FromResult(PruneLocked(NowMs()));
        }
    }

    // All or nothing: every check that can refuse the batch happens before anything is changed. This is on the send
    // path, so the usual small batch is checked without allocating; only a large one gets a set.
    private void ValidateRunIds(IReadOnlyList<EventSubmission> batch)
    {
        int total = 0;
        foreach (var submission in batch)
        {
            total += submission.Runs.Count;
        }
        HashSet<string>? seen = total > 16 ? new HashSet<string>(total, StringComparer.Ordinal) : null;
        for (int e = 0; e < batch.Count; e++)
        {
            var runs = batch[e].Runs;
            for (int r = 0; r < runs.Count; r++)
            {
                var id = runs[r].Id;
                bool repeated = seen is not null ? !seen.Add(id) : SeenBefore(batch, e, r, id);
                if (repeated || active.ContainsKey(id) || finished.ContainsKey(id))
                {
                    throw new InvalidOperationException($"Run id {id} is used twice; the batch of {batch.Count} event(s) was not stored.");
                }
            }
        }
    }

    private static bool SeenBefore(IReadOnlyList<EventSubmission> batch, int eventIndex, int runIndex, string id)
    {
        for (int e = 0; e <= eventIndex; e++)
        {
            var runs = batch[e].Runs;
            var end = e == eventIndex ? runIndex : runs.Count;
            for (int r = 0; r < end; r++)
            {
                if (string.Equals(runs[r].Id, id, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private ActiveRun Running(string runId) =>
        active.TryGetValue(runId, out var entry) && entry.Status == RunStatus.Running
            ? entry
            : throw new InvalidOperationException($"Run {runId} is not running in this store; it was never claimed, or it has finished.");

    /// <summary>Ends a run; returns true when that resumed a run that invoked it.</summary>
    private bool FinishLocked(RunResult result)
    {
        bool resumed = false;
        if (active.Remove(result.RunId, out var entry))
        {
            entry.Status = result.Status;
            finishedRuns[result.RunId] = (entry.AcceptedAt, entry.Run, [.. entry.Steps.Values]);
            DropListenersLocked(entry);
            resumed = ResumeInvokerLocked(result);
        }
        finished[result.RunId] = (result, NowMs());
        return resumed;
    }

    private static StepResult[] StepResults(ActiveRun entry)
    {
        var steps = new StepResult[entry.Steps.Count];
        int i = 0;
        foreach (var s in entry.Steps.Values)
        {
            steps[i++] = new StepResult(s.Id, s.Status, s.Attempts, s.StartedAt, s.FinishedAt, s.Error, s.Output);
        }
        return steps;
    }

    private int PruneLocked(long now)
    {
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
        int removed = 0;
        foreach (var (runId, entry) in finished)
        {
            if (now - entry.FinishedMs >= retentionMs)
            {
                finished.Remove(runId);
                finishedRuns.Remove(runId);
                removed++;
            }
        }
        TrimHistoryLocked(now);
        return removed;
    }

    private sealed class ActiveRun(RunRecord run)
    {
        public RunRecord Run { get; } = run;
        public RunStatus Status { get; set; } = RunStatus.Queued;
        public int Attempts { get; set; }
        public int Failures { get; set; }
        public DateTimeOffset AcceptedAt { get; init; }
        public string? CancelReason { get; set; }
        public RunError? LastError { get; set; }
        public long DueMs { get; set; }

        /// <summary>The sequence number of its triggering event in the history (the look-back starts after it).</summary>
        public long TriggerSeq { get; set; }

        /// <summary>Pending waits by step id, and cancel triggers: registered in <c>listeners</c> too.</summary>
        public Dictionary<string, Listener>? Waits { get; set; }

        public List<Listener>? CancelListeners { get; set; }

        // Insertion-ordered by first save, which is the order steps first finished.
        public Dictionary<string, StepState> Steps { get; } = new(StringComparer.Ordinal);
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
