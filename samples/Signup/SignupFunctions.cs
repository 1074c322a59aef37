using FanOut;
using Signup.Contracts;

namespace Signup;

/// <summary>Everything that happens when a user signs up: functions of one event, each independent of the others.</summary>
public sealed class SignupFunctions(IEmailSender email, IStripe stripe, ICrm crm, IMailingList mailingList)
{
    [Function("send-welcome-email", Event = "app/user.signup")]
    public async Task SendWelcomeEmail(UserSignup signup, Step step, CancellationToken ct)
    {
        ColdStart.FunctionStarted();
        await step.Run("send-email", () => email.SendAsync(signup.User.Email, "welcome", ct));
    }

    [Function("start-stripe-trial", Event = "app/user.signup")]
    public async Task<Trial> StartStripeTrial(UserSignup signup, Step step, CancellationToken ct)
    {
        ColdStart.FunctionStarted();
        var customerId = await step.Run("create-customer", () => stripe.CreateCustomerAsync(signup.User.Email, ct));
        var subscriptionId = await step.Run("create-subscription", () => stripe.CreateSubscriptionAsync(customerId, signup.Plan, 14, ct));
        return new Trial(customerId, subscriptionId, 14);
    }

    [Function("add-to-crm", Event = "app/user.signup")]
    public Task AddToCrm(Event<UserSignup> evt, CancellationToken ct)
    {
        ColdStart.FunctionStarted();
        return crm.AddAsync(evt.Data.User.Id, evt.Data.User.Name, ct);
    }

    [Function("add-to-mailing-list", Event = "app/user.signup")]
    public Task AddToMailingList(UserSignup signup, CancellationToken ct)
    {
        ColdStart.FunctionStarted();
        return mailingList.SubscribeAsync(signup.User.Email, ct);
    }

    /// <summary>
    /// Three days after signup, unless the user has activated meanwhile, sends a nudge. The run holds no thread while it
    /// waits: it is a stored row until app/user.activated arrives for the same user (data.user.id) or the days pass, and
    /// it survives restarts.
    /// </summary>
    [Function("nudge-inactive-user", Event = "app/user.signup")]
    public async Task<string> NudgeInactiveUser(UserSignup signup, Step step, CancellationToken ct)
    {
        ColdStart.FunctionStarted();
        var activated = await step.WaitForEvent<UserActivated>("wait-for-activation", TimeSpan.FromDays(3), match: "data.user.id");
        if (activated is not null)
        {
            return $"activated ({activated.Data.Feature}); no nudge";
        }
        await step.Run("send-nudge", () => email.SendAsync(signup.User.Email, "nudge", ct));
        return "nudged after 3 days";
    }
}

/// <summary>The Stripe trial that was started: the function's output, kept with its run.</summary>
public sealed record Trial(string CustomerId, string SubscriptionId, int TrialDays);

/// <summary>A static function works too; this one fails on purpose, and the four above are not disturbed.</summary>
public static class TeamNotifications
{
    [Function("notify-team", Event = "app/user.signup", OnFailure = nameof(NotifyTeamFailed))]
    public static async Task NotifyTeam(UserSignup signup, Step step, CancellationToken ct)
    {
        ColdStart.FunctionStarted();
        await step.Run("post-to-slack", () => SlackWebhook.PostAsync("#signups", $"{signup.User.Name} signed up", ct));
    }

    /// <summary>Runs once when notify-team has failed for good (Inngest's onFailure).</summary>
    public static Task NotifyTeamFailed(UserSignup signup, FunctionFailure failure)
    {
        Timeline.Say("on-failure", $"{failure.FunctionId} failed after {failure.Attempts} attempt(s): {failure.Error.Message}");
        return Task.CompletedTask;
    }
}
