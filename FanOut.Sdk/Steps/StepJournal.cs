namespace FanOut;

/// <summary>
/// The record of one run's steps: their unique ids (with <c>:n</c> suffixes for repeats), outcomes and timings.
/// Thread-safe, because parallel steps begin and end concurrently.
/// </summary>
internal sealed class StepJournal
{
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly Dictionary<string, int> uses = new(StringComparer.Ordinal);
    private readonly List<StepEntry> entries = [];

    public StepJournal(string runId, TimeProvider time)
    {
        RunId = runId;
        this.time = time;
    }

    public string RunId { get; }

    public StepEntry Begin(string id)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new ArgumentException($"Run {RunId}: a step id must not be empty; give every step a constant, descriptive id.", nameof(id));
        }
        lock (gate)
        {
            string unique;
            if (uses.TryGetValue(id, out var count))
            {
                unique = id + ":" + count;
                uses[id] = count + 1;
            }
            else
            {
                unique = id;
                uses[id] = 1;
            }
            var entry = new StepEntry(unique, time.GetUtcNow());
            entries.Add(entry);
            return entry;
        }
    }

    public void Succeed<T>(StepEntry entry, T result)
    {
        lock (gate)
        {
            entry.Status = StepStatus.Succeeded;
            entry.FinishedAt = time.GetUtcNow();
        }
    }

    public void Fail(StepEntry entry, Exception error)
    {
        lock (gate)
        {
            entry.Status = StepStatus.Failed;
            entry.Error = error;
            entry.FinishedAt = time.GetUtcNow();
        }
    }

    public IReadOnlyList<StepResult> Snapshot()
    {
        lock (gate)
        {
            var results = new StepResult[entries.Count];
            for (int i = 0; i < entries.Count; i++)
            {
                var e = entries[i];
                results[i] = new StepResult(e.Id, e.Status, e.StartedAt, e.FinishedAt, e.Error);
            }
            return results;
        }
    }
}

internal sealed class StepEntry(string id, DateTimeOffset startedAt)
{
    public string Id { get; } = id;
    public DateTimeOffset StartedAt { get; } = startedAt;
    public DateTimeOffset? FinishedAt { get; set; }
    public StepStatus Status { get; set; } = StepStatus.Running;
    public Exception? Error { get; set; }
}
