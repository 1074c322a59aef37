namespace FanOut;

/// <summary>
/// Cancels a function's runs when an event arrives, as Inngest's <c>cancelOn</c>: a run of this function that has not
/// finished is cancelled by an event named <see cref="Event"/> whose field at <see cref="Match"/> equals the same field
/// of the run's own triggering event. A cancelled run runs no further steps; its error says which event cancelled it.
/// </summary>
/// <remarks>
/// Only events accepted after the run's trigger cancel it. The attribute may be repeated, one per cancelling event.
/// Without <see cref="Match"/> every event of that name cancels every unfinished run of the function.
/// </remarks>
/// <example>
/// <code>
/// [Function("send-nudge", Event = "app/user.signup")]
/// [CancelOn("app/user.deleted", Match = "data.user.id")]
/// public async Task Nudge(UserSignup signup, Step step) { ... }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class CancelOnAttribute : Attribute
{
    /// <summary>Cancels the function's runs on events named <paramref name="eventName"/>.</summary>
    /// <param name="eventName">The cancelling event's name, in FanOut's name grammar.</param>
    public CancelOnAttribute(string eventName) => Event = eventName;

    /// <summary>The cancelling event's name.</summary>
    public string Event { get; }

    /// <summary>
    /// A field path, <c>data.</c> followed by JSON property names separated by dots (<c>data.userId</c>,
    /// <c>data.user.id</c>): the cancelling event must carry the same value there as the run's triggering event.
    /// </summary>
    public new string? Match { get; set; }
}
