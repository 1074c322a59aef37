namespace FanOut.Registration;

/// <summary>
/// One <see cref="CancelOnAttribute"/> of a function: runs are cancelled by events named <paramref name="EventName"/>
/// that share the run's trigger's value at <paramref name="Match"/> (every such event when it is null).
/// </summary>
/// <param name="EventName">The cancelling event's name.</param>
/// <param name="Match">The shared field path (<c>FanOut.Stores.EventMatch</c>), or null.</param>
public sealed record CancelTrigger(string EventName, string? Match);
