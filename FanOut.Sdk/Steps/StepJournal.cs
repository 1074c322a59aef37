using System.Text.Json;
using FanOut.Serialization;
using FanOut.Stores;

namespace FanOut;

/// <summary>
/// One attempt's view of a run's steps: the memo handed over by the store (what earlier attempts finished), the unique
/// ids of this attempt's steps (<c>id</c>, <c>id:1</c>, … for repeats), and whether this attempt has been interrupted.
/// Thread-safe: parallel steps begin and end concurrently.
/// </summary>
/// <remarks>
/// A failed step's memo is saved at once. A succeeded step's memo is saved before the function sees the result
/// (<see cref="StepSaving.BeforeReturning"/>), or, with <see cref="StepSaving.WithNextWrite"/>, before the next step
/// starts or with the attempt's end, whichever comes first (see <see cref="TakeUnsaved"/>).
/// </remarks>
internal sealed class StepJournal
{
    private readonly Lock gate = new();
    // Made on first use: most runs of a fan-out have no steps, and an attempt should cost them nothing here.
    private Dictionary<string, int>? uses;

    // Insertion-ordered: memoized steps in stored order, then steps first seen in this attempt.
    private Dictionary<string, StepResult>? states;
    private Dictionary<string, StepState>? memo;
    private readonly IFanOutStore store;
    private readonly RetryPolicy retryPolicy;
    private readonly TimeProvider time;
    private readonly int retries;
    private readonly int maxOutputBytes;
    private AttemptInterruptedException? interruption;
    private List<RunWait>? waits;
    private List<StepState>? unsaved;
    private readonly StepSaving saving;

    public StepJournal(string runId, IReadOnlyList<StepState> memoized, IFanOutStore store, RetryPolicy retryPolicy, TimeProvider time, int retries, int maxOutputBytes, CancellationToken attemptToken, StepSaving saving = StepSaving.BeforeReturning)
    {
        this.saving = saving;
        RunId = runId;
        this.store = store;
        this.retryPolicy = retryPolicy;
        this.time = time;
        this.retries = retries;
        this.maxOutputBytes = maxOutputBytes;
        AttemptToken = attemptToken;
        foreach (var step in memoized)
        {
            RecordLocked(step);
        }
    }

    public string RunId { get; }

    public CancellationToken AttemptToken { get; }

    /// <summary>When this attempt was interrupted: when the run is due again, and why (null for a sleep, which is no failure).</summary>
    public (DateTimeOffset DueAt, RunError? Error)? Interruption { get; private set; }

    /// <summary>Gives the step its unique id in this attempt: the id itself, then <c>id:1</c>, <c>id:2</c>, … for repeats.</summary>
    public string Reserve(string id)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new ArgumentException($"Run {RunId}: a step id must not be empty; give every step a constant, descriptive id.", nameof(id));
        }
        lock (gate)
        {
            uses ??= new(StringComparer.Ordinal);
            if (uses.TryGetValue(id, out var count))
            {
                uses[id] = count + 1;
                return id + ":" + count;
            }
            uses[id] = 1;
            return id;
        }
    }

    public StepState? Memo(string uniqueId)
    {
        lock (gate)
        {
            return memo?.GetValueOrDefault(uniqueId);
        }
    }

    public AttemptInterruptedException? Interrupted
    {
        get
        {
            lock (gate)
            {
                return interruption;
            }
        }
    }

    public void Started(string uniqueId, int attempt, DateTimeOffset at)
    {
        lock (gate)
        {
            (states ??= new(StringComparer.Ordinal))[uniqueId] = new StepResult(uniqueId, StepStatus.Running, attempt, at, null, null);
        }
    }

    public T Read<T>(StepState state)
    {
        if (state.Output is not { } json)
        {
            return default!;
        }
        try
        {
            return JsonSerializer.Deserialize(json.Span, FanOutJson.GetTypeInfo<T>())!;
        }
        catch (JsonException e)
        {
            // The stored result was written for another type: the step's type changed in a deploy, or a test mocked it
            // with the wrong type. Retrying reads the same bytes, so this fails for good.
            throw new NonRetriableException(
                $"Step '{state.Id}' of run {RunId} has a stored result that does not fit {typeof(T).Name}: {e.Message} " +
                "Did the step's result type change while this run was in flight? Replay the run from the start.", e);
        }
    }

    /// <summary>Serializes a step's result, within the size limit.</summary>
    public byte[] Write<T>(string uniqueId, T value)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, FanOutJson.GetTypeInfo<T>());
        if (json.Length > maxOutputBytes)
        {
            throw new NonRetriableException(
                $"Step '{uniqueId}' of run {RunId} returned {json.Length:N0} bytes of JSON; the limit is {maxOutputBytes:N0} " +
                "(FanOutOptions.MaxStepOutputBytes). Return less (an id or a URL to the data, say) or raise the limit.");
        }
        return json;
    }

    /// <summary>
    /// Records a succeeded step: saved now (<see cref="StepSaving.BeforeReturning"/>), or by the next
    /// <see cref="FlushAsync"/> or with the attempt's end (<see cref="TakeUnsaved"/>).
    /// </summary>
    public async ValueTask SucceedAsync(string uniqueId, int attempt, DateTimeOffset startedAt, ReadOnlyMemory<byte>? output)
    {
        var state = new StepState(uniqueId, StepStatus.Succeeded, attempt, output, null, startedAt, time.GetUtcNow());
        if (saving == StepSaving.BeforeReturning)
        {
            await SaveAsync(state).ConfigureAwait(false);
            Record(state);
            return;
        }
        lock (gate)
        {
            RecordLocked(state);
            (unsaved ??= []).Add(state);
        }
    }

    /// <summary>True while succeeded steps wait for their memos to be saved.</summary>
    public bool HasUnsaved
    {
        get
        {
            lock (gate)
            {
                return unsaved is { Count: > 0 };
            }
        }
    }

    /// <summary>Hands over the memos not saved yet, for a write that saves them with the attempt's end; none are left.</summary>
    public IReadOnlyList<StepState> TakeUnsaved()
    {
        lock (gate)
        {
            var taken = unsaved is { Count: > 0 } ? unsaved.ToArray() : [];
            unsaved?.Clear();
            return taken;
        }
    }

    /// <summary>Saves the memos not saved yet, in order: before a step starts, so no step runs on a result that is not durable.</summary>
    public async ValueTask FlushAsync()
    {
        var pending = TakeUnsaved();
        for (int i = 0; i < pending.Count; i++)
        {
            await SaveAsync(pending[i]).ConfigureAwait(false);
        }
    }

    /// <summary>Why the store refused this attempt's writes (another worker holds the run now), or null.</summary>
    public RunLeaseLostException? LeaseLost { get; private set; }

    // A store shared by many workers refuses the writes of a worker whose lease on the run was taken over: the attempt
    // must end at once, recording nothing, and no further step may start in it.
    private async Task SaveAsync(StepState state)
    {
        try
        {
            await store.SaveStepAsync(RunId, state, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RunLeaseLostException lost)
        {
            lock (gate)
            {
                LeaseLost ??= lost;
                interruption ??= new AttemptInterruptedException(
                    $"Run {RunId}: another worker took this run over (this worker's lease expired); this attempt ends here. Do not catch this exception.");
                throw interruption;
            }
        }
    }

    /// <summary>
    /// Records a failed attempt of a step and returns what the function must see: a <see cref="StepFailedException"/>
    /// when the step failed for good, or the interruption that ends this attempt until its retry is due.
    /// </summary>
    public async Task<Exception> FailAsync(string uniqueId, int attempt, DateTimeOffset startedAt, Exception error)
    {
        if (AttemptToken.IsCancellationRequested && error is OperationCanceledException)
        {
            // The attempt itself is ending (timeout, shutdown): not the step's failure, nothing to record.
            return error;
        }
        await FlushAsync().ConfigureAwait(false);
        var now = time.GetUtcNow();
        var runError = RunError.From(error);
        bool final = RetryPolicy.IsFinal(error) || attempt > retries;
        var state = new StepState(uniqueId, final ? StepStatus.Failed : StepStatus.Retrying, attempt, null, runError, startedAt, now);
        await SaveAsync(state).ConfigureAwait(false);
        Record(state);
        if (final)
        {
            return new StepFailedException(uniqueId, runError, error);
        }
        return Interrupt(
            retryPolicy.NextAttempt(now, attempt, error),
            runError,
            $"Run {RunId}: step '{uniqueId}' failed (attempt {attempt} of {retries + 1}) and will be retried; this attempt of the run ends here. Do not catch this exception.");
    }

    /// <summary>Ends this attempt because a step sleeps until <paramref name="wakeAt"/>: the run is queued again, due then.</summary>
    public AttemptInterruptedException Suspend(string uniqueId, DateTimeOffset wakeAt) =>
        Interrupt(wakeAt, null, $"Run {RunId}: step '{uniqueId}' sleeps until {wakeAt:O}; this attempt of the run ends here and the run resumes then. Do not catch this exception.");

    public async Task SaveSleepAsync(string uniqueId, DateTimeOffset wakeAt)
    {
        await FlushAsync().ConfigureAwait(false);
        var now = time.GetUtcNow();
        var state = new StepState(uniqueId, StepStatus.Succeeded, 1, Write(uniqueId, wakeAt), null, now, now);
        await SaveAsync(state).ConfigureAwait(false);
        Record(state);
    }

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The waits this attempt's steps registered (<c>step.WaitForEvent</c>, <c>step.Invoke</c>): the run is suspended on them.</summary>
    public IReadOnlyList<RunWait> Waits
    {
        get
        {
            lock (gate)
            {
                return waits is null ? [] : [.. waits];
            }
        }
    }

    /// <summary>Ends this attempt because a step waits: the run is suspended until the wait resolves or expires.</summary>
    public AttemptInterruptedException Await(RunWait wait, string message)
    {
        lock (gate)
        {
            (waits ??= []).Add(wait);
        }
        return Interrupt(wait.ExpiresAt, null, message);
    }

    private AttemptInterruptedException Interrupt(DateTimeOffset dueAt, RunError? error, string message)
    {
        lock (gate)
        {
            // Several parallel steps may interrupt one attempt: the run comes back at the earliest due time, and a
            // failure is remembered over a sleep.
            var earliest = Interruption is { } known && known.DueAt <= dueAt ? known.DueAt : dueAt;
            Interruption = (earliest, error ?? Interruption?.Error);
            interruption ??= new AttemptInterruptedException(message);
            return interruption;
        }
    }

    public IReadOnlyList<StepResult> Snapshot()
    {
        lock (gate)
        {
            return states is null ? [] : [.. states.Values];
        }
    }

    private void Record(StepState state)
    {
        lock (gate)
        {
            RecordLocked(state);
        }
    }

    private void RecordLocked(StepState state)
    {
        (memo ??= new(StringComparer.Ordinal))[state.Id] = state;
        (states ??= new(StringComparer.Ordinal))[state.Id] = ToResult(state);
    }

    private static StepResult ToResult(StepState s) => new(s.Id, s.Status, s.Attempts, s.StartedAt, s.FinishedAt, s.Error, s.Output);
}
