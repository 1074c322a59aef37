using FanOut.Registration;
using FanOut.Runs;

namespace FanOut.Stores;

// Durable flow in memory: waits for events (with their look-back over the event history), invoked runs, cancel
// triggers and replays. Everything here runs under the store's one lock, so registering a wait and accepting an event
// cannot miss each other.
public sealed partial class InMemoryStore
{
    // Every accepted event by name, oldest first, for the look-back of waits; trimmed to what unfinished runs can need.
    private readonly Dictionary<string, List<HistoryEvent>> history = new(StringComparer.Ordinal);

    // Pending event waits and cancel triggers by event name; invoke waits by child run id.
    private readonly Dictionary<string, List<Listener>> listeners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Listener> invokedBy = new(StringComparer.Ordinal);
    private long eventSequence;

    // How many events the history holds, and the size at which it is trimmed next: amortized, so memory follows what
    // unfinished runs need even when events arrive faster than the prune interval.
    private int historyCount;
    private int historyTrimAt = MinHistoryTrim;
    private const int MinHistoryTrim = 4096;

    /// <inheritdoc />
    public ValueTask<SuspendResult> SuspendAsync(string runId, int failures, DateTimeOffset dueAt, RunError? error, IReadOnlyList<RunWait> waits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(waits);
        var now = NowMs();
        lock (gate)
        {
            var entry = Running(runId);
            if (entry.CancelReason is { } reason)
            {
                return ValueTask.FromResult(new SuspendResult(CancelLocked(entry, reason), false));
            }
            long dueMs = Ms(dueAt);
            bool resolved = false;
            foreach (var wait in waits)
            {
                if (entry.Waits?.ContainsKey(wait.StepId) == true)
                {
                    // Registered by an earlier attempt and still pending (another wait of the run resolved first):
                    // keep it, and for an invoke keep its child, started once.
                    dueMs = Math.Min(dueMs, entry.Waits[wait.StepId].ExpiresMs);
                    continue;
                }
                switch (wait)
                {
                    case EventWait eventWait when LookBackLocked(entry, eventWait) is { } earlier:
                        entry.Steps[wait.StepId] = EventMemo(wait.StepId, earlier, now);
                        resolved = true;
                        break;
                    case EventWait eventWait:
                        RegisterLocked(entry, new Listener(entry, ListenerKind.Wait, wait.StepId, eventWait.EventName, eventWait.MatchPath, eventWait.MatchValue, Ms(wait.ExpiresAt), null));
                        dueMs = Math.Min(dueMs, Ms(wait.ExpiresAt));
                        break;
                    case InvokeWait invoke:
                        var child = invoke.Child.Runs[0];
                        if (active.ContainsKey(child.Id) || finished.ContainsKey(child.Id))
                        {
                            throw new InvalidOperationException($"Run id {child.Id} is used twice; run {runId} was not suspended.");
                        }
                        var childSeq = RememberLocked(invoke.Child.Event, now);
                        AddRunLocked(child, now, childSeq);
                        RegisterLocked(entry, new Listener(entry, ListenerKind.Invoke, wait.StepId, null, null, null, Ms(wait.ExpiresAt), child.Id));
                        dueMs = Math.Min(dueMs, Ms(wait.ExpiresAt));
                        break;
                }
            }
            entry.Status = RunStatus.Queued;
            entry.LastError = error;
            entry.Failures = failures;
            entry.DueMs = resolved ? now : dueMs;
            due.Enqueue(entry, (entry.DueMs, sequence++));
            return ValueTask.FromResult(new SuspendResult(null, resolved));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ReplayOutcome>> ReplayAsync(IReadOnlyList<ReplayRequest> replays, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replays);
        var now = NowMs();
        var outcomes = new ReplayOutcome[replays.Count];
        lock (gate)
        {
            for (int i = 0; i < replays.Count; i++)
            {
                var replay = replays[i];
                if (active.ContainsKey(replay.RunId))
                {
                    outcomes[i] = new ReplayOutcome(replay.RunId, null, $"run {replay.RunId} has not finished; only finished runs are replayed");
                    continue;
                }
                if (!finished.ContainsKey(replay.RunId) || !finishedRuns.TryGetValue(replay.RunId, out var original))
                {
                    outcomes[i] = new ReplayOutcome(replay.RunId, null, $"run {replay.RunId} is unknown, or was pruned after its retention");
                    continue;
                }
                if (active.ContainsKey(replay.NewRunId) || finished.ContainsKey(replay.NewRunId))
                {
                    throw new InvalidOperationException($"Run id {replay.NewRunId} is used twice; no run was replayed.");
                }
                var record = new RunRecord(replay.NewRunId, original.Record.FunctionId, original.Record.Event)
                {
                    Origin = original.Record.Origin,
                    CancelOn = replay.CancelOn ?? original.Record.CancelOn,
                };
                var entry = AddRunLocked(record, now, triggerSeq: 0);
                if (replay.KeepSucceededSteps)
                {
                    foreach (var step in original.Steps)
                    {
                        if (step.Status == StepStatus.Succeeded)
                        {
                            entry.Steps[step.Id] = step;
                        }
                    }
                }
                outcomes[i] = new ReplayOutcome(replay.RunId, replay.NewRunId, null);
            }
        }
        return ValueTask.FromResult<IReadOnlyList<ReplayOutcome>>(outcomes);
    }

    /// <inheritdoc />
    /// <remarks>In memory an event is kept while an unfinished run may look back at it, and with its runs until they are pruned.</remarks>
    public ValueTask<IReadOnlyList<EventSummary>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var events = new Dictionary<string, (StoredEvent Event, DateTimeOffset AcceptedAt, int Runs)>(StringComparer.Ordinal);
        void Add(StoredEvent evt, DateTimeOffset acceptedAt, int runs)
        {
            if (query.Name is not null && evt.Name != query.Name)
            {
                return;
            }
            events[evt.Id] = events.TryGetValue(evt.Id, out var known)
                ? (known.Event, known.AcceptedAt < acceptedAt ? known.AcceptedAt : acceptedAt, known.Runs + runs)
                : (evt, acceptedAt, runs);
        }
        lock (gate)
        {
            foreach (var list in history.Values)
            {
                foreach (var past in list)
                {
                    Add(past.Event, DateTimeOffset.FromUnixTimeMilliseconds(past.AcceptedMs), 0);
                }
            }
            foreach (var entry in active.Values)
            {
                Add(entry.Run.Event, entry.AcceptedAt, 1);
            }
            foreach (var (acceptedAt, record, _) in finishedRuns.Values)
            {
                Add(record.Event, acceptedAt, 1);
            }
        }
        var matches = events.Values
            .Where(e => (query.Since is null || e.AcceptedAt >= query.Since) && (query.Until is null || e.AcceptedAt < query.Until))
            .OrderByDescending(e => e.AcceptedAt).ThenByDescending(e => e.Event.Id, StringComparer.Ordinal)
            .Take(query.Limit)
            .Select(e => new EventSummary(e.Event, e.AcceptedAt, e.Runs))
            .ToArray();
        return ValueTask.FromResult<IReadOnlyList<EventSummary>>(matches);
    }

    private ActiveRun AddRunLocked(RunRecord run, long now, long triggerSeq)
    {
        var entry = new ActiveRun(run) { DueMs = now, AcceptedAt = DateTimeOffset.FromUnixTimeMilliseconds(now), TriggerSeq = triggerSeq };
        active.Add(run.Id, entry);
        if (run.ClaimedOnAccept)
        {
            // The sending process's worker starts it now: running, first attempt, as a claim would leave it.
            entry.Status = RunStatus.Running;
            entry.Attempts = 1;
        }
        else
        {
            due.Enqueue(entry, (now, sequence++));
        }
        foreach (var trigger in run.CancelOn)
        {
            var value = trigger.Match is null ? null : EventMatch.ValueOf(run.Event.Data, trigger.Match);
            if (trigger.Match is not null && value is null)
            {
                continue; // the trigger has no value there: no event can match it
            }
            RegisterLocked(entry, new Listener(entry, ListenerKind.Cancel, null, trigger.EventName, trigger.Match, value, long.MaxValue, null));
        }
        return entry;
    }

    private long RememberLocked(StoredEvent evt, long now)
    {
        var seq = ++eventSequence;
        if (!history.TryGetValue(evt.Name, out var list))
        {
            history[evt.Name] = list = [];
        }
        list.Add(new HistoryEvent(seq, now, evt));
        if (++historyCount >= historyTrimAt)
        {
            TrimHistoryLocked(now);
        }
        return seq;
    }

    /// <summary>What a newly accepted event does to the runs waiting for it or cancelled by it.</summary>
    private AcceptOutcome MatchLocked(StoredEvent evt, long now)
    {
        if (!listeners.TryGetValue(evt.Name, out var candidates) || candidates.Count == 0)
        {
            return default;
        }
        int resumed = 0;
        List<string>? requested = null;
        List<RunResult>? cancelled = null;
        Dictionary<string, string?>? values = null;
        var reason = CancelTrigger.ReasonFor(evt);
        foreach (var listener in candidates.ToArray())
        {
            if (!listener.Active)
            {
                continue;
            }
            if (listener.MatchPath is { } path)
            {
                values ??= new Dictionary<string, string?>(StringComparer.Ordinal);
                if (!values.TryGetValue(path, out var value))
                {
                    values[path] = value = EventMatch.ValueOf(evt.Data, path);
                }
                if (value is null || !string.Equals(value, listener.MatchValue, StringComparison.Ordinal))
                {
                    continue;
                }
            }
            var entry = listener.Run;
            if (listener.Kind == ListenerKind.Wait)
            {
                UnregisterLocked(listener);
                entry.Steps[listener.StepId!] = EventMemo(listener.StepId!, evt, now);
                MakeDueLocked(entry, now);
                resumed++;
            }
            else if (entry.Status == RunStatus.Running)
            {
                if (entry.CancelReason is null)
                {
                    entry.CancelReason = reason;
                    (requested ??= []).Add(entry.Run.Id);
                }
            }
            else if (active.ContainsKey(entry.Run.Id))
            {
                (cancelled ??= []).Add(CancelLocked(entry, reason));
                resumed++;
            }
        }
        return new AcceptOutcome("", false) { Resumed = resumed, CancelRequested = requested, Cancelled = cancelled };
    }

    private HistoryEvent? LookBackLocked(ActiveRun entry, EventWait wait)
    {
        if (!history.TryGetValue(wait.EventName, out var list))
        {
            return null;
        }
        if (wait.MatchPath is not null && wait.MatchValue is null)
        {
            return null;
        }
        foreach (var past in list)
        {
            if (past.Seq <= entry.TriggerSeq)
            {
                continue;
            }
            if (wait.MatchPath is null || string.Equals(EventMatch.ValueOf(past.Event.Data, wait.MatchPath), wait.MatchValue, StringComparison.Ordinal))
            {
                return past;
            }
        }
        return null;
    }

    /// <summary>At a claim: waits whose time ran out are memoized as timed out (the run was due because of them).</summary>
    private void ExpireWaitsLocked(ActiveRun entry, long now)
    {
        if (entry.Waits is not { Count: > 0 } waits)
        {
            return;
        }
        foreach (var listener in waits.Values.ToArray())
        {
            if (listener.ExpiresMs > now)
            {
                continue;
            }
            UnregisterLocked(listener);
            var at = DateTimeOffset.FromUnixTimeMilliseconds(now);
            entry.Steps[listener.StepId!] = listener.Kind == ListenerKind.Invoke
                ? InvokeWait.Expired(listener.StepId!, listener.ChildRunId!, DateTimeOffset.FromUnixTimeMilliseconds(listener.ExpiresMs), at)
                : new StepState(listener.StepId!, StepStatus.Succeeded, 1, null, null, at, at);
        }
    }

    private bool ResumeInvokerLocked(RunResult child)
    {
        if (!invokedBy.TryGetValue(child.RunId, out var listener) || !listener.Active)
        {
            return false;
        }
        UnregisterLocked(listener);
        var parent = listener.Run;
        parent.Steps[listener.StepId!] = InvokeWait.Resolved(listener.StepId!, child, time.GetUtcNow());
        MakeDueLocked(parent, NowMs());
        return true;
    }

    private void MakeDueLocked(ActiveRun entry, long now)
    {
        if (entry.Status == RunStatus.Queued && entry.DueMs > now)
        {
            entry.DueMs = now;
            due.Enqueue(entry, (now, sequence++));
        }
    }

    private void RegisterLocked(ActiveRun entry, Listener listener)
    {
        if (listener.Kind == ListenerKind.Cancel)
        {
            (entry.CancelListeners ??= []).Add(listener);
        }
        else
        {
            (entry.Waits ??= new Dictionary<string, Listener>(StringComparer.Ordinal))[listener.StepId!] = listener;
        }
        if (listener.ChildRunId is { } child)
        {
            invokedBy[child] = listener;
        }
        else
        {
            if (!listeners.TryGetValue(listener.EventName!, out var list))
            {
                listeners[listener.EventName!] = list = [];
            }
            list.Add(listener);
        }
    }

    private void UnregisterLocked(Listener listener)
    {
        if (!listener.Active)
        {
            return;
        }
        listener.Active = false;
        if (listener.Kind == ListenerKind.Cancel)
        {
            listener.Run.CancelListeners?.Remove(listener);
        }
        else
        {
            listener.Run.Waits?.Remove(listener.StepId!);
        }
        if (listener.ChildRunId is { } child)
        {
            invokedBy.Remove(child);
        }
        else if (listeners.TryGetValue(listener.EventName!, out var list))
        {
            list.Remove(listener);
            if (list.Count == 0)
            {
                listeners.Remove(listener.EventName!);
            }
        }
    }

    private void DropListenersLocked(ActiveRun entry)
    {
        if (entry.Waits is { } waits)
        {
            foreach (var listener in waits.Values.ToArray())
            {
                UnregisterLocked(listener);
            }
        }
        if (entry.CancelListeners is { } cancels)
        {
            foreach (var listener in cancels.ToArray())
            {
                UnregisterLocked(listener);
            }
        }
    }

    // The look-back reaches only events after an unfinished run's trigger: older events can go.
    private void TrimHistoryLocked(long now)
    {
        long oldest = long.MaxValue;
        foreach (var entry in active.Values)
        {
            oldest = Math.Min(oldest, entry.TriggerSeq);
        }
        foreach (var (name, list) in history)
        {
            int keepFrom = 0;
            while (keepFrom < list.Count && list[keepFrom].Seq < oldest)
            {
                keepFrom++;
            }
            historyCount -= keepFrom;
            if (keepFrom == list.Count)
            {
                history.Remove(name);
            }
            else if (keepFrom > 0)
            {
                list.RemoveRange(0, keepFrom);
            }
        }
        historyTrimAt = Math.Max(MinHistoryTrim, historyCount * 2);
    }

    private static StepState EventMemo(string stepId, HistoryEvent past, long now) => EventMemo(stepId, past.Event, now);

    private static StepState EventMemo(string stepId, StoredEvent evt, long now)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(now);
        return new StepState(stepId, StepStatus.Succeeded, 1, StoredEventJson.Serialize(evt), null, at, at);
    }

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private sealed record HistoryEvent(long Seq, long AcceptedMs, StoredEvent Event);

    private enum ListenerKind
    {
        Wait,
        Invoke,
        Cancel,
    }

    private sealed class Listener(ActiveRun run, ListenerKind kind, string? stepId, string? eventName, string? matchPath, string? matchValue, long expiresMs, string? childRunId)
    {
        public ActiveRun Run { get; } = run;
        public ListenerKind Kind { get; } = kind;
        public string? StepId { get; } = stepId;
        public string? EventName { get; } = eventName;
        public string? MatchPath { get; } = matchPath;
        public string? MatchValue { get; } = matchValue;
        public long ExpiresMs { get; } = expiresMs;
        public string? ChildRunId { get; } = childRunId;
        public bool Active { get; set; } = true;
    }
}
