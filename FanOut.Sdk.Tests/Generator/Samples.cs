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

    /// <summary>
    /// A durable function: an instance method with Retries and an instance failure handler, step results from the body,
    /// a lambda and a helper method; and a static function with no retries and a static failure handler.
    /// </summary>
    public const string Durable = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using FanOut;

        namespace App;

        [Event("app/order.placed")]
        public sealed record OrderPlaced(string OrderId, decimal Amount);

        public sealed record Receipt(string ChargeId);

        public sealed record Refund(string RefundId, DateTimeOffset At);

        public interface IPayments
        {
            Task<Receipt> ChargeAsync(string orderId, decimal amount, CancellationToken cancellationToken);
            Task<string> RefundAsync(string orderId, CancellationToken cancellationToken);
        }

        public sealed class Checkout(IPayments payments) : IDisposable
        {
            [Function("charge-order", Event = "app/order.placed", Retries = 3, OnFailure = nameof(RefundAsync))]
            public async Task<Receipt> ChargeAsync(OrderPlaced order, Step step, CancellationToken cancellationToken)
            {
                var receipt = await step.Run("charge", () => payments.ChargeAsync(order.OrderId, order.Amount, cancellationToken));
                await step.Run("notify", () => Task.CompletedTask);
                return receipt;
            }

            public async Task RefundAsync(Event<OrderPlaced> order, FunctionFailure failure, CancellationToken cancellationToken) =>
                await payments.RefundAsync(order.Data.OrderId, cancellationToken);

            public void Dispose() { }
        }

        public static class Audit
        {
            [Function("audit-order", Event = "app/order.placed", Retries = 0, OnFailure = nameof(Alert))]
            public static async Task AuditAsync(Step step)
            {
                var refund = await Steps.RecordRefund(step);
                Func<Task<int>> count = () => step.Run("count", () => Task.FromResult(refund.RefundId.Length));
                await count();
            }

            public static ValueTask Alert(FunctionFailure failure) => ValueTask.CompletedTask;
        }

        public static class Steps
        {
            public static Task<Refund> RecordRefund(Step step) =>
                step.Run("record-refund", () => Task.FromResult(new Refund("re_1", DateTimeOffset.UnixEpoch)));
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
