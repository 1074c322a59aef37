namespace FanOut;

/// <summary>
/// Declares a type as the payload (the <c>data</c>) of a named event, such as
/// <c>[Event("app/user.signup")] public sealed record UserSignup(User User);</c>.
/// The FanOut generator emits the serializer for the type and makes the name known to every
/// <see cref="FunctionAttribute"/> in this compilation and in the compilations that reference it.
/// </summary>
/// <remarks>The name follows FanOut's one grammar for names, described in <see cref="FanOutNames"/>.</remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class EventAttribute : Attribute
{
    /// <summary>Declares the payload type of the event called <paramref name="name"/>.</summary>
    /// <param name="name">The event name, for example <c>app/user.signup</c>.</param>
    public EventAttribute(string name) => Name = name;

    /// <summary>The event name, for example <c>app/user.signup</c>.</summary>
    public string Name { get; }
}
