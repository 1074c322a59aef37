using System.Collections.Concurrent;
using FanOut;
using Signup.Contracts;

namespace SignupApi;

/// <summary>Every signup this process recorded, by user id: what <c>GET /signups/{userId}</c> shows.</summary>
public sealed class SignupLedger
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<RecordedSignup>> byUser = new(StringComparer.Ordinal);

    public void Add(string eventId, UserSignup signup) =>
        byUser.GetOrAdd(signup.User.Id, _ => new()).Enqueue(new RecordedSignup(eventId, signup.User.Email, signup.User.Name, signup.Plan));

    public IReadOnlyList<RecordedSignup> For(string userId) =>
        byUser.TryGetValue(userId, out var signups) ? signups.ToArray() : [];
}

/// <summary>One recorded signup: the event it came from and the data the function received.</summary>
public sealed record RecordedSignup(string EventId, string Email, string Name, string Plan);

/// <summary>A sixth function of the signup event, kept beside the API: it records what it received.</summary>
public sealed class SignupRecorder(SignupLedger ledger)
{
    [Function("record-signup", Event = "app/user.signup")]
    public async Task Record(Event<UserSignup> evt, Step step)
    {
        await step.Run("record", () =>
        {
            ledger.Add(evt.Id, evt.Data);
            return Task.FromResult(true);
        });
    }
}
