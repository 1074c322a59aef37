namespace FanOut.Tests.Runtime;

[Event("test/durable.trial")]
public sealed record DurableTrial(string Key, int FailTimes);

public sealed record Subscription(string CustomerId, string SubscriptionId);

/// <summary>Functions that fail in controlled ways; every execution of a step body is noted, so tests count them.</summary>
public static class DurableFunctions
{
    private static int Failures(string key, string what) => Signals.Notes(key).Count(n => n == what);

    /// <summary>The Stripe pattern: the second step fails transiently; the first must not run again.</summary>
    [Function("stripe-trial", Event = "test/durable.trial")]
    public static async Task<Subscription> StripeTrial(DurableTrial trial, Step step)
    {
        Signals.Note(trial.Key, "attempt");
        var customer = await step.Run("create-customer", () =>
        {
            Signals.Note(trial.Key, "exec create-customer");
            return Task.FromResult("cus_" + trial.Key[..6]);
        });
        var subscription = await step.Run("create-subscription", () =>
        {
            Signals.Note(trial.Key, "exec create-subscription");
            if (Failures(trial.Key, "exec create-subscription") <= trial.FailTimes)
            {
                throw new HttpRequestException("Stripe answered 503");
            }
            return Task.FromResult("sub_" + trial.Key[..6]);
        });
        return new Subscription(customer, subscription);
    }

    /// <summary>Reads its run id inside a step (stored by the first attempt) and outside (on the last), across a retry.</summary>
    [Function("knows-its-run", Event = "test/durable.trial")]
    public static async Task<string> KnowsItsRun(DurableTrial trial, Step step)
    {
        var seenInStep = await step.Run("read-run-id", () => Task.FromResult(step.RunId));
        await step.Run("flaky", () =>
        {
            Signals.Note(trial.Key, "exec flaky");
            return Failures(trial.Key, "exec flaky") <= trial.FailTimes
                ? Task.FromException(new InvalidOperationException("flaky"))
                : Task.CompletedTask;
        });
        return seenInStep + " " + step.RunId;
    }

    /// <summary>Fails outside any step until it has failed FailTimes times.</summary>
    [Function("flaky-outside-steps", Event = "test/durable.trial")]
    public static async Task FlakyOutsideSteps(DurableTrial trial, Step step)
    {
        await step.Run("once", () =>
        {
            Signals.Note(trial.Key, "exec once");
            return Task.CompletedTask;
        });
        Signals.Note(trial.Key, "outside");
        if (Failures(trial.Key, "outside") <= trial.FailTimes)
        {
            throw new InvalidOperationException("outside steps");
        }
    }

    /// <summary>Catches everything, including FanOut's signal, and tries to go on.</summary>
    [Function("swallows-everything", Event = "test/durable.trial")]
    public static async Task SwallowsEverything(DurableTrial trial, Step step)
    {
        try
        {
            await step.Run("fails-once", () =>
            {
                Signals.Note(trial.Key, "exec fails-once");
                return Failures(trial.Key, "exec fails-once") <= trial.FailTimes
                    ? throw new InvalidOperationException("transient")
                    : Task.CompletedTask;
            });
        }
        catch (Exception)
        {
            Signals.Note(trial.Key, "swallowed");
        }
        finally
        {
            Signals.Note(trial.Key, "finally");
        }
        await step.Run("after", () =>
        {
            Signals.Note(trial.Key, "exec after");
            return Task.CompletedTask;
        });
    }

    /// <summary>Compensates when a step fails for good.</summary>
    [Function("compensates", Event = "test/durable.trial")]
    public static async Task<string> Compensates(DurableTrial trial, Step step)
    {
        try
        {
            await step.Run("charge", () =>
            {
                Signals.Note(trial.Key, "exec charge");
                return Task.FromException(new NonRetriableException("card declined"));
            });
            return "charged";
        }
        catch (StepFailedException e)
        {
            await step.Run("refund", () =>
            {
                Signals.Note(trial.Key, "exec refund");
                return Task.CompletedTask;
            });
            return "compensated: " + e.Error.Message;
        }
    }

    /// <summary>Three steps in parallel; the middle one fails the first time.</summary>
    [Function("parallel-steps", Event = "test/durable.trial")]
    public static async Task<int> ParallelSteps(DurableTrial trial, Step step)
    {
        Task<int> Part(string id, int value) => step.Run(id, () =>
        {
            Signals.Note(trial.Key, "exec " + id);
            return id == "b" && Failures(trial.Key, "exec b") <= trial.FailTimes
                ? Task.FromException<int>(new InvalidOperationException("b is flaky"))
                : Task.FromResult(value);
        });
        var parts = await Task.WhenAll(Part("a", 1), Part("b", 2), Part("c", 3));
        return parts.Sum();
    }

    /// <summary>Asks to be retried at a given time.</summary>
    [Function("rate-limited", Event = "test/durable.trial")]
    public static async Task RateLimited(DurableTrial trial, Step step)
    {
        await step.Run("call-api", () =>
        {
            Signals.Note(trial.Key, "exec call-api");
            Signals.Flag(trial.Key + "/called").TrySetResult();
            return Failures(trial.Key, "exec call-api") <= trial.FailTimes
                ? Task.FromException(new RetryAfterException("429", new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)))
                : Task.CompletedTask;
        });
    }

    /// <summary>Returns more than a step may store.</summary>
    [Function("too-big", Event = "test/durable.trial")]
    public static async Task TooBig(DurableTrial trial, Step step)
    {
        await step.Run("big", () =>
        {
            Signals.Note(trial.Key, "exec big");
            return Task.FromResult(new string('x', 2048));
        });
    }
}

/// <summary>A function with its own retry count and a failure handler.</summary>
public sealed class ChargeFunctions
{
    [Function("charge-card", Event = "test/durable.trial", Retries = 1, OnFailure = nameof(Refund))]
    public async Task Charge(DurableTrial trial, Step step)
    {
        await step.Run("charge", () =>
        {
            Signals.Note(trial.Key, "exec charge");
            return Task.FromException(new InvalidOperationException("card network down"));
        });
    }

    public Task Refund(Event<DurableTrial> trial, FunctionFailure failure, CancellationToken ct)
    {
        Signals.Note(trial.Data.Key, $"on-failure {failure.FunctionId} {failure.Status} {failure.Attempts} {failure.Error.Message}");
        return Task.CompletedTask;
    }
}
