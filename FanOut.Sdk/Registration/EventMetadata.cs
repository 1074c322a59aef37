using System.ComponentModel;
using System.Text.Json.Serialization.Metadata;
using FanOut.Serialization;

namespace FanOut.Registration;

/// <summary>
/// The event name and serializer of payload type <typeparamref name="TData"/>, filled by the generated module of the
/// assembly that declares it. A generic static cache: no dictionary look-up on the send path, no reflection.
/// </summary>
/// <typeparam name="TData">The payload type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class EventMetadata<TData>
{
    private static string? name;
    private static JsonTypeInfo<TData>? typeInfo;

    /// <summary>Records the event name of <typeparamref name="TData"/>. Called by generated code.</summary>
    public static void Register(string eventName) => name = eventName;

    /// <summary>The event name.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="TData"/> has no <see cref="EventAttribute"/>.</exception>
    public static string Name => name ?? throw NotAnEvent();

    /// <summary>The payload's serializer.</summary>
    public static JsonTypeInfo<TData> TypeInfo => typeInfo ??= FanOutJson.GetTypeInfo<TData>();

    private static InvalidOperationException NotAnEvent() => new(
        $"'{typeof(TData).FullName}' is not a FanOut event type: add [Event(\"your/event.name\")] to it, in a project that " +
        "references FanOut.Sdk (which runs the FanOut generator), or send it by name with raw JSON data.");
}
