namespace FanOut.Tests.Generator;

/// <summary>Source text the generator tests compile.</summary>
internal static class Samples
{
    /// <summary>
    /// The example: two functions of app/user.signup — an instance method whose class takes services through
    /// its constructor, and a static method returning Task&lt;T&gt; with a timeout.
    /// </summary>
    public const string Signup = """
        using System.Threading;
        using System.Threading.Tasks;
        using FanOut;

        namespace App;

        [Event("app/user.signup")]
        public sealed record UserSignup(string UserId, string Email);

        public sealed record TrialStarted(string CustomerId);

        public interface IEmailSender
        {
            Task SendAsync(string to, string subject, CancellationToken cancellationToken);
        }

        public sealed class WelcomeEmail(IEmailSender email)
        {
            [Function("send-welcome-email", Event = "app/user.signup")]
            public async Task SendAsync(UserSignup signup, Step step, CancellationToken cancellationToken) =>
                await step.Run("send", () => email.SendAsync(signup.Email, "Welcome!", cancellationToken));
        }

        public static class StripeTrial
        {
            [Function("start-stripe-trial", Event = "app/user.signup", TimeoutSeconds = 30)]
            public static async Task<TrialStarted> StartAsync(Event<UserSignup> signup, Step step) =>
                await step.Run("create-customer", () => Task.FromResult(new TrialStarted("cus_" + signup.Data.UserId)));
        }
        """;

    /// <summary>Declares app/user.signup and nothing else; the start of most diagnostic tests.</summary>
    public const string SignupEvent = """
        using System.Threading;
        using System.Threading.Tasks;
        using FanOut;

        namespace App;

        [Event("app/user.signup")]
        public sealed record UserSignup(string UserId, string Email);
        """;

    /// <summary><see cref="SignupEvent"/> plus a class holding <paramref name="members"/>.</summary>
    public static string WithFunctions(string members, string classHeader = "public static class Functions") =>
        SignupEvent + "\n\n" + classHeader + "\n{\n" + members + "\n}\n";
}
