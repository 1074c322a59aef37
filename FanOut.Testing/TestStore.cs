using System.Collections.Concurrent;
using FanOut.Stores;

namespace FanOut.Testing;

/// <summary>
/// The harness's store: the in-memory store, plus mocked step results handed to runs as if earlier attempts had stored
/// them, plus knowing when nothing is running and the next work is only due later (so the harness can move the clock).
/// </summary>
internal sealed class TestStore(IFanOutStore inner) : DelegatingStore(inner)
{
    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, StepState>> mocks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HashSet<string>> mockedByRun = new(StringComparer.Ordinal);
    private int running;
    private DateTimeOffset? idleUntil;
    private TaskCompletionSource<DateTimeOffset>? idle;

    // Bumped by every accept and replay: a due time read from the store before one of them may be stale after it.
    private long changes;

    // Every run goes through a claim here: the claim is where mocked steps are handed over and running runs are counted.
    public override bool ClaimsOnAccept => false;

    public void Mock(string functionId, StepState state) =>
        mocks.GetOrAdd(functionId, static _ => new(StringComparer.Ordinal))[state.Id] = state;

    public IReadOnlyCollection<string> MockedSteps(string runId) =>
        mockedByRun.TryGetValue(runId, out var ids) ? ids : [];

    /// <summary>
    /// Completes, with the due time of the next queued run, once a claim finds nothing to do while nothing runs — at once
    /// if that is the state now and the due time is still ahead of <paramref name="now"/>.
    /// </summary>
    public Task<DateTimeOffset> WhenIdleAsync(DateTimeOffset now)
    {
        lock (gate)
        {
            if (idleUntil is { } due && due > now)
            {
                return Task.FromResult(due);
            }
            idle ??= new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
            return idle.Task;
        }
    }

    public override async ValueTask<IReadOnlyList<AcceptOutcome>> AcceptAsync(IReadOnlyList<EventSubmission> batch, CancellationToken cancellationToken)
    {
        var outcomes = await Inner.AcceptAsync(batch, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i].Resumed > 0 || (!outcomes[i].Duplicate && batch[i].Runs.Count > 0))
            {
                // Runs started or waiting ones resumed: work is due now, whatever was due before. The worker is woken
                // and its next claim says when the host is idle again.
                NotIdle();
                break;
            }
        }
        return outcomes;
    }

    public override async ValueTask<IReadOnlyList<ReplayOutcome>> ReplayAsync(IReadOnlyList<ReplayRequest> replays, CancellationToken cancellationToken)
    {
        var outcomes = await Inner.ReplayAsync(replays, cancellationToken).ConfigureAwait(false);
        NotIdle();
        return outcomes;
    }

    private void NotIdle()
    {
        lock (gate)
        {
            idleUntil = null;
            changes++;
        }
    }

    public override async ValueTask<ClaimResult> ClaimAsync(int max, CancellationToken cancellationToken)
    {
        long before;
        lock (gate)
        {
            before = changes;
        }
        var claim = await Inner.ClaimAsync(max, cancellationToken).ConfigureAwait(false);
        lock (gate)
        {
            running += claim.Runs.Count;
            idleUntil = null;
            if (claim.Runs.Count == 0 && running == 0 && claim.NextDueAt is { } due && changes == before)
            {
                idleUntil = due;
                if (idle is { } waiter)
                {
                    idle = null;
                    waiter.TrySetResult(due);
                }
            }
        }
        if (claim.Runs.Count == 0 || mocks.IsEmpty)
        {
            return claim;
        }
        var runs = new ClaimedRun[claim.Runs.Count];
        for (int i = 0; i < runs.Length; i++)
        {
            runs[i] = WithMocks(claim.Runs[i]);
        }
        return claim with { Runs = runs };
    }

    public override async ValueTask<RunResult?> RetryAsync(string runId, int failures, DateTimeOffset dueAt, RunError? error, CancellationToken cancellationToken)
    {
        var ended = await Inner.RetryAsync(runId, failures, dueAt, error, cancellationToken).ConfigureAwait(false);
        await EndedAsync(cancellationToken).ConfigureAwait(false);
        return ended;
    }

    public override async ValueTask<RunResult?> ReleaseAsync(string runId, string reason, CancellationToken cancellationToken)
    {
        var ended = await Inner.ReleaseAsync(runId, reason, cancellationToken).ConfigureAwait(false);
        await EndedAsync(cancellationToken).ConfigureAwait(false);
        return ended;
    }

    public override async ValueTask<bool> FinishAsync(RunResult result, CancellationToken cancellationToken)
    {
        var resumed = await Inner.FinishAsync(result, cancellationToken).ConfigureAwait(false);
        await EndedAsync(cancellationToken).ConfigureAwait(false);
        return resumed;
    }

    public override async ValueTask<bool> FinishAsync(RunResult result, IReadOnlyList<StepState> unsavedSteps, CancellationToken cancellationToken)
    {
        var resumed = await Inner.FinishAsync(result, unsavedSteps, cancellationToken).ConfigureAwait(false);
        await EndedAsync(cancellationToken).ConfigureAwait(false);
        return resumed;
    }

    public override async ValueTask<SuspendResult> SuspendAsync(string runId, int failures, DateTimeOffset dueAt, RunError? error, IReadOnlyList<RunWait> waits, CancellationToken cancellationToken)
    {
        var suspended = await Inner.SuspendAsync(runId, failures, dueAt, error, waits, cancellationToken).ConfigureAwait(false);
        await EndedAsync(cancellationToken).ConfigureAwait(false);
        return suspended;
    }

    private async ValueTask EndedAsync(CancellationToken cancellationToken)
    {
        bool last;
        long before;
        lock (gate)
        {
            last = --running == 0;
            before = changes;
        }
        if (!last)
        {
            return;
        }
        // The last running attempt ended: the host may be idle now, whether or not the worker claims again. A claim of
        // nothing only asks the store when the next queued run is due.
        var peek = await Inner.ClaimAsync(0, cancellationToken).ConfigureAwait(false);
        lock (gate)
        {
            if (running == 0 && peek.NextDueAt is { } due && changes == before)
            {
                idleUntil = due;
                if (idle is { } waiter)
                {
                    idle = null;
                    waiter.TrySetResult(due);
                }
            }
        }
    }

    private ClaimedRun WithMocks(ClaimedRun claimed)
    {
        if (!mocks.TryGetValue(claimed.Run.FunctionId, out var forFunction))
        {
            return claimed;
        }
        var steps = new List<StepState>(claimed.Steps);
        var ids = mockedByRun.GetOrAdd(claimed.Run.Id, static _ => []);
        foreach (var mock in forFunction.Values)
        {
            if (!steps.Exists(s => s.Id == mock.Id))
            {
                steps.Add(mock);
                lock (ids)
                {
                    ids.Add(mock.Id);
                }
            }
        }
        return claimed with { Steps = steps };
    }
}
