namespace FanOut.Tests.Runtime;

[Event("test/flow.started")]
public sealed record FlowStarted(string Key);

[Event("test/flow.followed")]
public sealed record FlowFollowed(string Key, string From);

public static class FlowFunctions
{
    [Function("sleeps-three-days", Event = "test/flow.started")]
    public static async Task<string> SleepsThreeDays(FlowStarted e, Step step)
    {
        await step.Run("before", () =>
        {
            Signals.Note(e.Key, "exec before");
            Signals.Flag(e.Key + "/before").TrySetResult();
            return Task.CompletedTask;
        });
        await step.Sleep("wait-three-days", TimeSpan.FromDays(3));
        return await step.Run("after", () =>
        {
            Signals.Note(e.Key, "exec after");
            return Task.FromResult("woke");
        });
    }

    [Function("sends-follow-up", Event = "test/flow.started")]
    public static async Task SendsFollowUp(FlowStarted e, Step step)
    {
        var eventId = await step.SendEvent("send-follow-up", new FlowFollowed(e.Key, "sends-follow-up"));
        Signals.Note(e.Key, "sent " + eventId);
        await step.Run("flaky-after-send", () =>
        {
            Signals.Note(e.Key, "exec flaky");
            return Signals.Notes(e.Key).Count(n => n == "exec flaky") == 1
                ? Task.FromException(new InvalidOperationException("transient"))
                : Task.CompletedTask;
        });
    }

    [Function("sends-two-follow-ups", Event = "test/flow.started")]
    public static async Task SendsTwoFollowUps(FlowStarted e, Step step)
    {
        var ids = await step.SendEvents("send-both",
        [
            OutgoingEvent.Create(new FlowFollowed(e.Key, "first")),
            OutgoingEvent.Create(new FlowFollowed(e.Key, "second")),
        ]);
        Signals.Note(e.Key, "sent " + string.Join(",", ids));
        await step.Run("flaky-after-send", () =>
        {
            Signals.Note(e.Key, "exec flaky");
            return Signals.Notes(e.Key).Count(n => n == "exec flaky") == 1
                ? Task.FromException(new InvalidOperationException("transient"))
                : Task.CompletedTask;
        });
    }

    [Function("receives-follow-up", Event = "test/flow.followed")]
    public static Task ReceivesFollowUp(Event<FlowFollowed> followed)
    {
        Signals.Note(followed.Data.Key, "received " + followed.Id);
        Signals.Flag(followed.Data.Key + "/received").TrySetResult();
        if (followed.Data.From == "second")
        {
            Signals.Flag(followed.Data.Key + "/received-second").TrySetResult();
        }
        return Task.CompletedTask;
    }
}
