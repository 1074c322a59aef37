using System.Diagnostics;

namespace Signup;

/// <summary>Prints what the fake services do and when, so the overlap of the functions is visible.</summary>
public static class Timeline
{
    private static readonly Lock Gate = new();
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static void Restart() => Clock.Restart();

    public static void Say(string who, string what)
    {
        lock (Gate)
        {
            Console.WriteLine($"  {Clock.Elapsed.TotalMilliseconds,6:F0} ms  [thread {Environment.CurrentManagedThreadId,2}]  {who,-13} {what}");
        }
    }
}

public interface IEmailSender
{
    Task SendAsync(string to, string template, CancellationToken ct);
}

public interface IStripe
{
    Task<string> CreateCustomerAsync(string email, CancellationToken ct);

    Task<string> CreateSubscriptionAsync(string customerId, string plan, int trialDays, CancellationToken ct);
}

public interface ICrm
{
    Task AddAsync(string userId, string name, CancellationToken ct);
}

public interface IMailingList
{
    Task SubscribeAsync(string email, CancellationToken ct);
}

// The fakes wait a little, as a network call would, so the four functions visibly overlap.
public sealed class FakeEmail : IEmailSender
{
    /// <summary>What was sent, as "template to address".</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Sent { get; } = new();

    public async Task SendAsync(string to, string template, CancellationToken ct)
    {
        Timeline.Say("email", $"sending '{template}' to {to} ...");
        await Task.Delay(120, ct);
        Sent.Enqueue($"{template} to {to}");
        Timeline.Say("email", $"sent '{template}' to {to}");
    }
}

public sealed class FakeStripe : IStripe
{
    private int subscriptionCalls;

    /// <summary>How many customers were created: the durable steps keep it at one per signup, whatever fails after.</summary>
    public int CustomersCreated { get; private set; }

    public async Task<string> CreateCustomerAsync(string email, CancellationToken ct)
    {
        Timeline.Say("stripe", $"creating customer for {email} ...");
        await Task.Delay(80, ct);
        CustomersCreated++;
        Timeline.Say("stripe", "created customer cus_1001");
        return "cus_1001";
    }

    public async Task<string> CreateSubscriptionAsync(string customerId, string plan, int trialDays, CancellationToken ct)
    {
        Timeline.Say("stripe", $"creating '{plan}' subscription for {customerId}, {trialDays}-day trial ...");
        await Task.Delay(80, ct);
        if (Interlocked.Increment(ref subscriptionCalls) == 1)
        {
            // The first call fails as a real API sometimes does. The step is retried after a backoff; the customer
            // created by the step before it is not created again.
            Timeline.Say("stripe", "503 Service Unavailable (transient)");
            throw new HttpRequestException("Stripe answered 503 Service Unavailable");
        }
        Timeline.Say("stripe", "created subscription sub_2001");
        return "sub_2001";
    }
}

public sealed class FakeCrm : ICrm
{
    public async Task AddAsync(string userId, string name, CancellationToken ct)
    {
        Timeline.Say("crm", $"adding {name} ({userId}) ...");
        await Task.Delay(100, ct);
        Timeline.Say("crm", $"added {userId}");
    }
}

public sealed class FakeMailingList : IMailingList
{
    public async Task SubscribeAsync(string email, CancellationToken ct)
    {
        Timeline.Say("mailing-list", $"subscribing {email} ...");
        await Task.Delay(60, ct);
        Timeline.Say("mailing-list", $"subscribed {email}");
    }
}

/// <summary>A Slack webhook whose URL was never configured: it fails, on purpose. No other function notices.</summary>
public static class SlackWebhook
{
    public static async Task PostAsync(string channel, string text, CancellationToken ct)
    {
        Timeline.Say("slack", $"posting to {channel} ...");
        await Task.Delay(40, ct);
        // A configuration error: no retry can fix it, so it fails at once instead of being retried with backoff.
        throw new FanOut.NonRetriableException("Slack webhook URL is not configured (this function fails on purpose).");
    }
}
