using System.Collections.Concurrent;
using FanOut.Stores;
using FanOut.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace FanOut.Tests.Runtime;

/// <summary>
/// A send hands its runs straight to this process's worker while it has free slots (the store stores them claimed), and
/// with <see cref="StepSaving.WithNextWrite"/> a run's last step is saved with its outcome.
/// </summary>
public sealed class LocalDispatchTests
{
    [Fact]
    public async Task A_send_to_an_idle_worker_starts_its_runs_without_a_claim()
    {
        var counting = (CountingStore?)null;
        await using var app = await TestApp.StartAsync(
            o => o.OnlyFunctionsOf(typeof(SixteenFunctions)),
            services => services.AddSingleton<IFanOutStore>(sp => counting = new CountingStore(new InMemoryStore(TimeProvider.System))));
        await WorkerIdleAsync(app, 64);

        var results = await app.SendAndWaitAsync(new SixteenStarted(Signals.NewKey()));

        Assert.All(results, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        Assert.Equal((16, 0), (counting!.AcceptedClaimed, counting.ClaimedByClaim));
    }

    [Fact]
    public async Task A_send_hands_over_no_more_runs_than_free_slots_and_the_rest_are_claimed()
    {
        var counting = (CountingStore?)null;
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.OnlyFunctions("stripe-trial", "knows-its-run", "flaky-outside-steps");
                o.MaxConcurrentRuns = 2;
                o.RetryBaseDelay = TimeSpan.Zero;
            },
            services => services.AddSingleton<IFanOutStore>(sp => counting = new CountingStore(new InMemoryStore(TimeProvider.System))));
        await WorkerIdleAsync(app, 2);

        // Three runs for two free slots.
        var results = await app.SendAndWaitAsync(new DurableTrial(Signals.NewKey(), FailTimes: 0));

        Assert.All(results, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        Assert.Equal((3, 2, 1), (results.Count, counting!.AcceptedClaimed, counting.ClaimedByClaim));
    }

    [Fact]
    public async Task With_saving_at_the_next_write_a_run_saves_its_last_step_with_its_outcome()
    {
        var counting = (CountingStore?)null;
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.OnlyFunctions("stripe-trial");
                o.StepSaving = StepSaving.WithNextWrite;
            },
            services => services.AddSingleton<IFanOutStore>(sp => counting = new CountingStore(new InMemoryStore(TimeProvider.System))));
        var key = Signals.NewKey();

        var result = (await app.SendAndWaitAsync(new DurableTrial(key, FailTimes: 0))).Single();

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(["create-customer", "create-subscription"], result.Steps.Select(s => s.Id));
        // The first step is saved before the second starts; the second goes with the outcome.
        Assert.Equal(["create-customer"], counting!.SavedSteps);
        Assert.Equal(["create-subscription"], counting.SavedWithFinish);
    }

    [Fact]
    public async Task With_saving_at_the_next_write_a_retry_outside_steps_still_finds_the_succeeded_step()
    {
        var counting = (CountingStore?)null;
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.OnlyFunctions("flaky-outside-steps");
                o.RetryBaseDelay = TimeSpan.Zero;
                o.StepSaving = StepSaving.WithNextWrite;
            },
            services => services.AddSingleton<IFanOutStore>(sp => counting = new CountingStore(new InMemoryStore(TimeProvider.System))));
        var key = Signals.NewKey();

        var result = (await app.SendAndWaitAsync(new DurableTrial(key, FailTimes: 2))).Single();

        Assert.Equal((RunStatus.Succeeded, 3), (result.Status, result.Attempts));
        Assert.Single(Signals.Notes(key), n => n == "exec once");
        // Saved once, before the first attempt went back to the queue; never with the outcome.
        Assert.Equal(["once"], counting!.SavedSteps);
        Assert.Empty(counting.SavedWithFinish);
    }

    [Fact]
    public async Task A_decorator_that_overrides_only_step_saves_still_sees_the_steps_saved_with_the_outcome()
    {
        var saves = (SaveLog?)null;
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.OnlyFunctions("stripe-trial");
                o.StepSaving = StepSaving.WithNextWrite;
            },
            services => services.AddSingleton<IFanOutStore>(sp => saves = new SaveLog(new InMemoryStore(TimeProvider.System))));

        var result = (await app.SendAndWaitAsync(new DurableTrial(Signals.NewKey(), FailTimes: 0))).Single();

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(["create-customer", "create-subscription"], saves!.Saved);
    }

    private sealed class SaveLog(IFanOutStore inner) : DelegatingStore(inner)
    {
        public ConcurrentQueue<string> Saved { get; } = new();

        public override ValueTask SaveStepAsync(string runId, StepState step, CancellationToken cancellationToken)
        {
            Saved.Enqueue(step.Id);
            return base.SaveStepAsync(runId, step, cancellationToken);
        }
    }

    // Waits (bounded) until the worker has all its slots free, then gives them back: the next send finds them free,
    // since nothing is queued that would wake the claim loop in between.
    private static async Task WorkerIdleAsync(TestApp app, int slots)
    {
        var dispatch = app.Services.GetRequiredService<LocalDispatch>();
        var deadline = DateTime.UtcNow + TestApp.Patience;
        while (true)
        {
            if (dispatch.Worker is { } worker)
            {
                var taken = worker.Reserve(slots);
                worker.Unreserve(taken);
                if (taken == slots)
                {
                    return;
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The worker did not have {slots} free slots within {TestApp.Patience}.");
            }
            await Task.Yield();
        }
    }

    private sealed class CountingStore(IFanOutStore inner) : DelegatingStore(inner)
    {
        private int acceptedClaimed;
        private int claimedByClaim;

        public int AcceptedClaimed => Volatile.Read(ref acceptedClaimed);

        public int ClaimedByClaim => Volatile.Read(ref claimedByClaim);

        public ConcurrentQueue<string> SavedSteps { get; } = new();

        public ConcurrentQueue<string> SavedWithFinish { get; } = new();

        public override ValueTask<IReadOnlyList<AcceptOutcome>> AcceptAsync(IReadOnlyList<EventSubmission> batch, CancellationToken cancellationToken)
        {
            foreach (var submission in batch)
            {
                Interlocked.Add(ref acceptedClaimed, submission.Runs.Count(r => r.ClaimedOnAccept));
            }
            return base.AcceptAsync(batch, cancellationToken);
        }

        public override async ValueTask<ClaimResult> ClaimAsync(int max, CancellationToken cancellationToken)
        {
            var claim = await base.ClaimAsync(max, cancellationToken);
            Interlocked.Add(ref claimedByClaim, claim.Runs.Count);
            return claim;
        }

        public override ValueTask SaveStepAsync(string runId, StepState step, CancellationToken cancellationToken)
        {
            SavedSteps.Enqueue(step.Id);
            return base.SaveStepAsync(runId, step, cancellationToken);
        }

        public override ValueTask<bool> FinishAsync(RunResult result, IReadOnlyList<StepState> unsavedSteps, CancellationToken cancellationToken)
        {
            foreach (var step in unsavedSteps)
            {
                SavedWithFinish.Enqueue(step.Id);
            }
            return Inner.FinishAsync(result, unsavedSteps, cancellationToken);
        }
    }
}
