using Microsoft.Extensions.Time.Testing;

namespace FanOut.Tests.Runtime;

/// <summary>Memoized steps and retries, through the real worker and the in-memory store. Retries are due at once (zero base delay), so no clock has to move.</summary>
public sealed class DurableRunTests
{
    private static Task<TestApp> Start(string functionId, Action<FanOutOptions>? more = null) =>
        TestApp.StartAsync(o =>
        {
            o.OnlyFunctions(functionId);
            o.RetryBaseDelay = TimeSpan.Zero;
            more?.Invoke(o);
        });

    private static int Count(string key, string what) => Signals.Notes(key).Count(n => n == what);

    [Fact]
    public async Task A_retry_runs_only_the_step_that_failed_not_the_one_that_succeeded()
    {
        await using var app = await Start("stripe-trial");
        var key = Signals.NewKey();

        var result = (await app.SendAndWaitAsync(new DurableTrial(key, FailTimes: 1))).Single();

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(new Subscription("cus_" + key[..6], "sub_" + key[..6]), result.GetOutput<Subscription>());
        Assert.Equal(1, Count(key, "exec create-customer"));
        Assert.Equal(2, Count(key, "exec create-subscription"));
        Assert.Equal(2, Count(key, "attempt"));
        Assert.Equal(2, result.Attempts);
        var steps = result.Steps.ToDictionary(s => s.Id);
        Assert.Equal((StepStatus.Succeeded, 1), (steps["create-customer"].Status, steps["create-customer"].Attempts));
        Assert.Equal((StepStatus.Succeeded, 2), (steps["create-subscription"].Status, steps["create-subscription"].Attempts));
    }

    [Fact]
    public async Task The_step_tool_names_its_run_the_same_on_every_attempt()
    {
        await using var app = await Start("knows-its-run");
        var key = Signals.NewKey();

        var result = (await app.SendAndWaitAsync(new DurableTrial(key, FailTimes: 1))).Single();

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(2, result.Attempts);
        Assert.Equal($"{result.RunId} {result.RunId}", result.GetOutput<string>());
    }

    [Fact]
    public async Task A_step_is_retried_four_times_by_default_then_the_run_fails_with_its_error()
    {
        await using var app = await Start("stripe-trial");
        var key = Signals.NewKey();

        var result = (await app.SendAndWaitAsync(new DurableTrial(key, FailTimes: 100))).Single();

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(5, Count(key, "exec create-subscription"));
        Assert.Equal(1, Count(key, "exec create-customer"));
        Assert.Equal("System.Net.Http.HttpRequestException", result.Error!.Type);
        Assert.Equal("Stripe answered 503", result.Error.Message);
        Assert.Equal(StepStatus.Failed, result.Steps.Single(s => s.Id == "create-subscription").Status);
    }

    [Fact]
    public async Task The_retry_count_is_configurable()
    {
        await using var app = await Start("stripe-trial", o => o.DefaultRetries = 1);
        var key = Signals.NewKey();

        var result = (await app.SendAndWaitAsync(new DurableTrial(key, FailTimes: 100))).Single();

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(2, Count(key, "exec create-subscription"));
    }

    [Fact]
    public async Task Code_outside_steps_that_throws_retries_the_function_without_rerunning_finished_steps()
    {
        await using var app = await Start("flaky-outside-steps");
        var key = Signals.NewKey();

        var result = (await app.SendAndWaitAsync(new DurableTrial(key, FailTimes: 2))).Single();

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(3, Count(key, "outside"));
        Assert.Equal(1, Count(key, "exec once"));
        Assert.Equal(3, result.Attempts);
    }

    [Fact]
    public async Task Code_outside_steps_that_keeps_throwing_fails_after_the_last_retry()
    {
        await using var app = await Start("flaky-outside-steps");
        var key = Signals.NewKey();

        var result = (await app.SendAndWaitAsync(new DurableTrial(key, FailTimes: 100))).Single();

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(5, Count(key, "outside"));
        Assert.Equal(5, result.Attempts);
        Assert.Equal("outside steps", result.Error!.Message);
    }

    [Fact]
    public async Task Swallowing_the_retry_signal_changes_nothing_and_finally_blocks_still_run()
    {
        await using var app = await Start("swallows-everything");
        var key = Signals.NewKey();

        var result = (await app.SendAndWaitAsync(new DurableTrial(key, FailTimes: 1))).Single();

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(2, Count(key, "exec fails-once"));
        // The first attempt swallowed the signal and reached the next step, which refused to start: it ran only once, in the retry.
        Assert.Equal(1, Count(key, "exec after"));
        Assert.Equal(2, Count(key, "finally"));
        Assert.Equal(2, result.Attempts);
    }

    [Fact]
    public async Task A_non_retriable_step_failure_can_be_caught_and_compensated()
    {
        await using var app = await Start("compensates");
        var key = Signals.NewKey();

        var result = (await app.SendAndWaitAsync(new DurableTrial(key, 0))).Single();

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("compensated: card declined", result.GetOutput<string>());
        Assert.Equal(1, Count(key, "exec charge"));
        Assert.Equal(1, Count(key, "exec refund"));
        Assert.Equal(StepStatus.Failed, result.Steps.Single(s => s.Id == "charge").Status);
    }

    [Fact]
    public async Task Parallel_steps_are_memoized_each_so_a_retry_runs_only_the_one_that_failed()
    {
        await using var app = await Start("parallel-steps");
        var key = Signals.NewKey();

        var result = (await app.SendAndWaitAsync(new DurableTrial(key, FailTimes: 1))).Single();

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(6, result.GetOutput<int>());
        Assert.Equal((1, 2, 1), (Count(key, "exec a"), Count(key, "exec b"), Count(key, "exec c")));
    }

    [Fact]
    public async Task A_retry_after_time_is_honoured()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2029, 12, 31, 0, 0, 0, TimeSpan.Zero));
        await using var app = await Start("rate-limited", o =>
        {
            o.TimeProvider = clock;
            // The clock jumps while the first attempt may still be finishing: its deadline must not be among the jumps.
            o.DefaultTimeout = TimeSpan.FromDays(2);
        });
        var key = Signals.NewKey();

        var sent = await app.Client.SendAsync(new DurableTrial(key, FailTimes: 1));
        var done = app.WaitForRunsAsync(sent);
        await TestApp.Within(Signals.Flag(key + "/called").Task, "the first call");
        clock.Advance(TimeSpan.FromHours(23));
        Assert.False(done.IsCompleted);
        Assert.Equal(1, Count(key, "exec call-api"));
        clock.Advance(TimeSpan.FromHours(1));
        var result = (await done).Single();

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(2, Count(key, "exec call-api"));
    }

    [Fact]
    public async Task A_step_result_over_the_size_limit_fails_without_retries_and_says_how_to_fix_it()
    {
        await using var app = await Start("too-big", o => o.MaxStepOutputBytes = 1024);
        var key = Signals.NewKey();

        var result = (await app.SendAndWaitAsync(new DurableTrial(key, 0))).Single();

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(1, Count(key, "exec big"));
        Assert.Contains("returned 2,050 bytes of JSON; the limit is 1,024 (FanOutOptions.MaxStepOutputBytes)", result.Error!.Message);
    }
}

public sealed class FailureHandlerTests
{
    [Fact]
    public async Task The_attribute_retry_count_applies_and_the_failure_handler_runs_once_before_the_failure_is_reported()
    {
        await using var app = await TestApp.StartAsync(o =>
        {
            o.OnlyFunctions("charge-card");
            o.RetryBaseDelay = TimeSpan.Zero;
        });
        var key = Signals.NewKey();

        var result = (await app.SendAndWaitAsync(new DurableTrial(key, 0))).Single();

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(2, Signals.Notes(key).Count(n => n == "exec charge"));
        Assert.Equal([$"on-failure charge-card Failed 2 card network down"], Signals.Notes(key).Where(n => n.StartsWith("on-failure")));
    }
}

public sealed class RetryPolicyTests
{
    [Fact]
    public void Backoff_doubles_with_jitter_in_the_upper_half_and_is_capped()
    {
        var policy = new RetryPolicy(new FanOutOptions { RetryBaseDelay = TimeSpan.FromSeconds(1), RetryMaxDelay = TimeSpan.FromSeconds(10) });
        var now = DateTimeOffset.UnixEpoch;
        var error = new InvalidOperationException();

        for (int i = 0; i < 200; i++)
        {
            Assert.InRange((policy.NextAttempt(now, 1, error) - now).TotalMilliseconds, 500, 1000);
            Assert.InRange((policy.NextAttempt(now, 3, error) - now).TotalMilliseconds, 2000, 4000);
            Assert.InRange((policy.NextAttempt(now, 30, error) - now).TotalMilliseconds, 5000, 10000);
        }
    }

    [Fact]
    public void Retry_after_sets_the_next_attempt()
    {
        var policy = new RetryPolicy(new FanOutOptions());
        var now = DateTimeOffset.UnixEpoch;

        Assert.Equal(now.AddSeconds(42), policy.NextAttempt(now, 1, new RetryAfterException("429", TimeSpan.FromSeconds(42))));
        Assert.Equal(now.AddDays(1), policy.NextAttempt(now, 9, new RetryAfterException("429", now.AddDays(1))));
    }
}
