namespace FanOut.Tests.Runtime;

[Event("test/member.joined")]
public sealed record MemberJoined(string Key, string UserId);

[Event("test/member.activated")]
public sealed record MemberActivated(string Key, string UserId, string Plan);

[Event("test/score.wanted")]
public sealed record ScoreWanted(string Key, int Value, int TimeoutMinutes);

[Event("test/score.requested")]
public sealed record ScoreRequest(string Key, int Value);

public sealed record Score(int Value);

[Event("test/member.left")]
public sealed record MemberLeft(string UserId);

[Event("test/shipment.ordered")]
public sealed record ShipmentOrdered(string Key);

public static class WaitAndInvokeFunctions
{
    [Function("waits-for-activation", Event = "test/member.joined")]
    public static async Task<string> WaitsForActivation(MemberJoined joined, Step step)
    {
        // The gate lets a test send the awaited event while this run is still busy before its wait (inngest#1433).
        await step.Run("before", async () =>
        {
            Signals.Note(joined.Key, "exec before");
            Signals.Flag(joined.Key + "/before").TrySetResult();
            await Signals.Flag(joined.Key + "/gate").Task;
        });
        var activated = await step.WaitForEvent<MemberActivated>("wait-activated", TimeSpan.FromDays(3), match: "data.userId");
        return await step.Run("after", () =>
        {
            Signals.Note(joined.Key, "exec after");
            return Task.FromResult(activated is null ? "timed out" : $"activated {activated.Data.Plan} ({activated.Id})");
        });
    }

    [Function("invokes-scorer", Event = "test/score.wanted")]
    public static async Task<string> InvokesScorer(ScoreWanted wanted, Step step)
    {
        await step.Run("before", () =>
        {
            Signals.Note(wanted.Key, "exec before");
            return Task.CompletedTask;
        });
        try
        {
            var score = await step.Invoke("score", FanOut.Generated.Functions.Scores, new ScoreRequest(wanted.Key, wanted.Value), TimeSpan.FromMinutes(wanted.TimeoutMinutes));
            return "score " + score.Value;
        }
        catch (InvokeFailedException e)
        {
            return e.TimedOut ? $"invoke timed out ({e.ChildRunId})" : $"invoke {e.ChildStatus}: {e.Error.Message}";
        }
    }

    [Function("scores", Event = "test/score.requested", Retries = 0)]
    public static async Task<Score> Scores(ScoreRequest request, Step step)
    {
        Signals.Note(request.Key, "scoring " + step.RunId);
        if (request.Value < 0)
        {
            throw new InvalidOperationException("a score cannot be negative");
        }
        if (request.Value == 0)
        {
            Signals.Flag(request.Key + "/scoring").TrySetResult();
            await Signals.Flag(request.Key + "/score-gate").Task;
        }
        return new Score(request.Value * 2);
    }

    [Function("cancelled-when-member-leaves", Event = "test/member.joined")]
    [CancelOn("test/member.left", Match = "data.userId")]
    public static async Task CancelledWhenMemberLeaves(MemberJoined joined, Step step)
    {
        await step.Run("welcome", () =>
        {
            Signals.Note(joined.Key, "exec welcome");
            return Task.CompletedTask;
        });
        await step.Sleep("a-day-later", TimeSpan.FromDays(1));
        await step.Run("follow-up", () =>
        {
            Signals.Note(joined.Key, "exec follow-up");
            return Task.CompletedTask;
        });
    }

    [Function("charges-and-ships", Event = "test/shipment.ordered", Retries = 0)]
    public static async Task ChargesAndShips(ShipmentOrdered order, Step step)
    {
        await step.Run("charge", () =>
        {
            Signals.Note(order.Key, "charged");
            return Task.FromResult("ch_1");
        });
        await step.Run("ship", () =>
        {
            Signals.Note(order.Key, "ship");
            return Signals.Flag(order.Key + "/fixed").Task.IsCompleted
                ? Task.CompletedTask
                : Task.FromException(new InvalidOperationException("no carrier"));
        });
    }
}
