using FanOut.Runs;
using FanOut.Stores;

namespace FanOut.Tests.Runtime;

public sealed class RunWaitersTests
{
    private const string RunId = "01RUNWAITED000000000000000";

    [Fact]
    public async Task A_cancelled_wait_for_a_run_that_never_finishes_leaves_nothing_behind()
    {
        var waiters = new RunWaiters(new InMemoryStore(TimeProvider.System));
        using var cts = new CancellationTokenSource();

        var wait = waiters.WaitAsync(RunId, cts.Token);
        Assert.Equal(1, waiters.Count);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.Equal(0, waiters.Count);
    }

    [Fact]
    public async Task One_caller_giving_up_does_not_end_another_callers_wait_for_the_same_run()
    {
        var waiters = new RunWaiters(new InMemoryStore(TimeProvider.System));
        using var cts = new CancellationTokenSource();
        var givesUp = waiters.WaitAsync(RunId, cts.Token);
        var stays = waiters.WaitAsync(RunId, CancellationToken.None);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => givesUp);
        Assert.Equal(1, waiters.Count);
        waiters.Complete(new RunResult(RunId, "f", "01EVENT", "test/a", RunStatus.Succeeded));

        Assert.Equal(RunStatus.Succeeded, (await stays.WaitAsync(TestApp.Patience)).Status);
        Assert.Equal(0, waiters.Count);
    }
}
