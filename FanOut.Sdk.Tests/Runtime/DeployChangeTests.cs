using FanOut.Stores;
using FanOut.Testing;

namespace FanOut.Tests.Runtime;

/// <summary>
/// A deploy can change a function while its runs are in flight. Steps are memoized by id, so a stored step that the new
/// code no longer calls is ignored, and a new step — wherever it is added — simply runs. The stored steps are put in
/// place with FanOut.Testing's mocks, which the engine sees exactly as steps stored by an earlier attempt.
/// </summary>
public sealed class DeployChangeTests
{
    [Fact]
    public async Task A_new_step_before_old_ones_runs_and_the_old_stored_steps_are_used_or_ignored()
    {
        await using var test = await FanOutTestHost.StartAsync(t => t.FunctionsOf(typeof(DeployChangeFunctions)));
        test.MockStep("changed-function", "create-customer", "cus_stored");
        test.MockStep("changed-function", "removed-step", 42);
        var key = Signals.NewKey();

        var run = await test.RunAsync("changed-function", new DeployChanged(key));

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("audited cus_stored", run.Output<string>());
        Assert.Equal(["exec audit"], Signals.Notes(key));
        Assert.Equal(["audit"], run.Steps.Select(s => s.Id));
    }
}

public sealed class HarnessTests
{
    [Fact]
    public async Task The_harness_runs_retries_with_production_backoff_and_the_failure_handler_without_waiting()
    {
        await using var test = await FanOutTestHost.StartAsync(t => t.Functions("charge-card"));
        var start = test.Time.GetUtcNow();
        var key = Signals.NewKey();

        var run = await test.RunAsync("charge-card", new DurableTrial(key, 0));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(2, run.Attempts);
        Assert.Equal(["exec charge", "exec charge", "on-failure charge-card Failed 2 card network down"], Signals.Notes(key));
        // The retry waited its real backoff (base 1 s, jittered into its upper half) on the fake clock.
        Assert.InRange(test.Time.GetUtcNow() - start, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1));
    }
}

public sealed class StoreUnavailableTests
{
    private sealed class BrokenStore(IFanOutStore inner) : DelegatingStore(inner)
    {
        public override ValueTask<IReadOnlyList<AcceptOutcome>> AcceptAsync(IReadOnlyList<EventSubmission> batch, CancellationToken cancellationToken) =>
            throw new IOException("disk I/O error: /var/lib/app/fanout.db");
    }

    [Fact]
    public async Task Sending_while_the_store_is_unavailable_fails_at_once_with_a_clear_exception()
    {
        await using var app = await TestApp.StartAsync(
            o => o.OnlyFunctions("record-order"),
            services =>
            {
                ServiceRegistration.AddTestServices(services);
                Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IFanOutStore>(
                    services, new BrokenStore(new InMemoryStore(TimeProvider.System)));
            });

        var error = await Assert.ThrowsAsync<FanOutStoreException>(async () =>
            await app.Client.SendAsync(new OrderPlaced(Signals.NewKey(), "o-1", 1m)).AsTask().WaitAsync(TestApp.Patience));

        Assert.Equal("The store did not accept event 'test/order.placed'; nothing was sent. disk I/O error: /var/lib/app/fanout.db", error.Message);
        Assert.IsType<IOException>(error.InnerException);
    }
}

public sealed class StoreHiccupTests
{
    private sealed class FirstClaimFails(IFanOutStore inner) : DelegatingStore(inner)
    {
        private int claims;

        public override ValueTask<ClaimResult> ClaimAsync(int max, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref claims) == 1
                ? throw new OperationCanceledException("the database timed out")
                : base.ClaimAsync(max, cancellationToken);
    }

    [Fact]
    public async Task A_claim_that_fails_does_not_stop_the_worker()
    {
        await using var app = await TestApp.StartAsync(
            o => o.OnlyFunctions("record-order"),
            services =>
            {
                ServiceRegistration.AddTestServices(services);
                Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IFanOutStore>(
                    services, new FirstClaimFails(new InMemoryStore(TimeProvider.System)));
            });

        var result = (await app.SendAndWaitAsync(new OrderPlaced(Signals.NewKey(), "o-1", 1m))).Single();

        Assert.Equal(RunStatus.Succeeded, result.Status);
    }
}
