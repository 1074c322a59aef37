using FanOut;
using FanOut.Testing;
using Microsoft.Extensions.DependencyInjection;
using Signup.Contracts;

namespace Signup.Tests;

/// <summary>The sample's own functions, tested with FanOut.Testing: the real engine on a fake clock.</summary>
public sealed class SignupFunctionTests
{
    private static readonly UserSignup Ada = new(new User("u-1", "ada@example.com", "Ada Lovelace"), "pro");

    private static Task<FanOutTestHost> Start(FakeStripe stripe, params string[] functions) => Start(stripe, new FakeEmail(), functions);

    private static Task<FanOutTestHost> Start(FakeStripe stripe, FakeEmail email, params string[] functions) =>
        FanOutTestHost.StartAsync(t => t
            .Functions(functions)
            .Services(s => s
                .AddSingleton<IStripe>(stripe)
                .AddSingleton<IEmailSender>(email)
                .AddSingleton<ICrm, FakeCrm>()
                .AddSingleton<IMailingList, FakeMailingList>()));

    [Fact]
    public async Task A_transient_stripe_failure_is_retried_without_creating_the_customer_again()
    {
        var stripe = new FakeStripe();
        await using var test = await Start(stripe, "start-stripe-trial");

        var run = await test.RunAsync("start-stripe-trial", Ada);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(new Trial("cus_1001", "sub_2001", 14), run.Output<Trial>());
        Assert.Equal(2, run.Attempts);
        Assert.Equal(1, stripe.CustomersCreated);
        Assert.Equal(["create-customer", "create-subscription"], run.Steps.Select(s => s.Id));
        Assert.Equal(2, run.Steps.Single(s => s.Id == "create-subscription").Attempts);
        Assert.Equal("cus_1001", run.StepOutput<string>("create-customer"));
    }

    [Fact]
    public async Task A_mocked_step_does_not_run_and_its_result_goes_through_the_serializer()
    {
        var stripe = new FakeStripe();
        await using var test = await Start(stripe, "start-stripe-trial");
        test.MockStep("start-stripe-trial", "create-customer", "cus_mocked");

        var run = await test.RunAsync("start-stripe-trial", Ada);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("cus_mocked", run.Output<Trial>().CustomerId);
        Assert.Equal(0, stripe.CustomersCreated);
        Assert.Equal(["create-customer"], run.MockedSteps);
        Assert.Equal(["create-subscription"], run.Steps.Select(s => s.Id).Distinct());
    }

    [Fact]
    public async Task A_mock_of_the_wrong_type_fails_the_run_as_a_stored_result_of_the_wrong_type_would()
    {
        await using var test = await Start(new FakeStripe(), "start-stripe-trial");
        test.MockStep("start-stripe-trial", "create-customer", 42);

        var run = await test.RunAsync("start-stripe-trial", Ada);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(1, run.Attempts);
        Assert.Contains("Step 'create-customer'", run.Error!.Message);
        Assert.Contains("does not fit String", run.Error.Message);
    }

    [Fact]
    public async Task The_whole_fan_out_of_a_signup_runs_and_only_the_broken_webhook_fails()
    {
        await using var test = await Start(new FakeStripe(),
            "send-welcome-email", "start-stripe-trial", "add-to-crm", "add-to-mailing-list", "notify-team", "nudge-inactive-user");

        var runs = (await test.SendAsync(Ada)).ToDictionary(r => r.FunctionId);

        Assert.Equal(6, runs.Count);
        Assert.Equal(RunStatus.Failed, runs["notify-team"].Status);
        Assert.Equal("FanOut.NonRetriableException", runs["notify-team"].Error!.Type);
        Assert.All(runs.Values.Where(r => r.FunctionId != "notify-team"), r => Assert.Equal(RunStatus.Succeeded, r.Status));
    }

    [Fact]
    public async Task A_user_who_has_not_activated_in_three_days_gets_a_nudge_and_the_test_clock_gets_there_at_once()
    {
        var email = new FakeEmail();
        await using var test = await Start(new FakeStripe(), email, "nudge-inactive-user");
        var start = test.Time.GetUtcNow();

        var run = await test.RunAsync("nudge-inactive-user", Ada);

        Assert.Equal("nudged after 3 days", run.Output<string>());
        Assert.Equal(["nudge to ada@example.com"], email.Sent);
        Assert.True(test.Time.GetUtcNow() - start >= TimeSpan.FromDays(3), "the clock was not moved to the end of the wait");
    }

    [Fact]
    public async Task A_user_who_activates_gets_no_nudge_and_another_user_activating_does_not_count()
    {
        var email = new FakeEmail();
        await using var test = await Start(new FakeStripe(), email, "nudge-inactive-user");
        var start = test.Time.GetUtcNow();

        var sent = await test.Client.SendAsync(Ada);
        await test.Client.SendAsync(new UserActivated(new UserRef("u-2"), "reports"));
        await test.Client.SendAsync(new UserActivated(new UserRef("u-1"), "dashboard"));
        var run = Assert.Single(await test.WaitAsync(sent));

        Assert.Equal("activated (dashboard); no nudge", run.Output<string>());
        Assert.Empty(email.Sent);
        Assert.True(test.Time.GetUtcNow() - start < TimeSpan.FromDays(3), "the wait should have ended with the activation, not the timeout");
    }

    [Fact]
    public async Task A_mocked_step_failure_reaches_the_function_as_a_step_failure()
    {
        await using var test = await Start(new FakeStripe(), "start-stripe-trial");
        test.MockStepFailure("start-stripe-trial", "create-customer", new InvalidOperationException("card declined"));

        var run = await test.RunAsync("start-stripe-trial", Ada);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(("System.InvalidOperationException", "card declined"), (run.Error!.Type, run.Error.Message));
        Assert.Empty(run.Steps);
    }
}
