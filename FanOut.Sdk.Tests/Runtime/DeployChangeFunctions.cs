namespace FanOut.Tests.Runtime;

[Event("test/deploy.changed")]
public sealed record DeployChanged(string Key);

/// <summary>The "new" version of a function whose runs were in flight when it was deployed.</summary>
public static class DeployChangeFunctions
{
    [Function("changed-function", Event = "test/deploy.changed")]
    public static async Task<string> Changed(DeployChanged e, Step step)
    {
        // New in this deploy, before the old steps.
        var audit = await step.Run("audit", () =>
        {
            Signals.Note(e.Key, "exec audit");
            return Task.FromResult("audited");
        });
        // Kept from the old version: its stored result is used.
        var customer = await step.Run("create-customer", () =>
        {
            Signals.Note(e.Key, "exec create-customer");
            return Task.FromResult("cus_new");
        });
        return audit + " " + customer;
    }
}
