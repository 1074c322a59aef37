using System.Text.Json;

namespace FanOut;

/// <summary>
/// An event as a function receives it: Inngest's envelope (<c>name</c>, <c>data</c>, <c>id</c>, <c>ts</c>,
/// <c>v</c>, <c>user</c>) around a typed payload.
/// </summary>
/// <typeparam name="TData">The payload type, declared with <see cref="EventAttribute"/>.</typeparam>
public sealed class Event<TData>
{
    /// <summary>Creates an envelope. FanOut creates these; tests may too.</summary>
    public Event(string id, string name, TData data, long ts)
    {
        Id = id;
        Name = name;
        Data = data;
        Ts = ts;
    }

    /// <summary>FanOut's own id for this event: unique, sortable by time (ULID), assigned when the event was accepted.</summary>
    public string Id { get; }

    /// <summary>The event name, for example <c>app/user.signup</c>.</summary>
    public string Name { get; }

    /// <summary>The payload.</summary>
    public TData Data { get; }

    /// <summary>When the event happened, in milliseconds since the Unix epoch (filled in with the send time when the sender gave none).</summary>
    public long Ts { get; }

    /// <summary>The sender's deduplication key: the <c>id</c> field of Inngest's wire format, or null when the sender gave none.</summary>
    public string? DeduplicationKey { get; init; }

    /// <summary>The payload's schema version (<c>v</c>), when the sender gave one.</summary>
    public string? V { get; init; }

    /// <summary>The user the event is about (<c>user</c>), as the sender gave it.</summary>
    public JsonElement? User { get; init; }

    /// <summary><see cref="Ts"/> as a <see cref="DateTimeOffset"/>.</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeMilliseconds(Ts);
}
