using FanOut.Generators.Serialization;

namespace FanOut.Generators.Model
{
    /// <summary>
    /// An event as other checks see it: its name and payload type, and where it is declared
    /// (<paramref name="AssemblyName"/> is null for this compilation).
    /// </summary>
    /// <param name="Name">The event name.</param>
    /// <param name="TypeName">The payload type, fully qualified with <c>global::</c>.</param>
    /// <param name="TypeDisplay">The payload type as messages show it.</param>
    /// <param name="AssemblyName">The referenced assembly that declares it, or null.</param>
    internal sealed record EventKey(string Name, string TypeName, string TypeDisplay, string? AssemblyName);

    /// <summary>An <c>[Event]</c> type of this compilation.</summary>
    internal sealed record EventModel(EventKey Key, SerializationResult Serialization, EquatableArray<Problem> Problems);
}
