using System.Text.Json;

namespace FanOut.Runs;

/// <summary>An accepted event as a store keeps it: the envelope with the data as UTF-8 JSON.</summary>
public sealed class StoredEvent
{
    /// <summary>Creates a stored event.</summary>
    public StoredEvent(string id, string name, ReadOnlyMemory<byte> data, long ts)
    {
        Id = id;
        Name = name;
        Data = data;
        Ts = ts;
    }

    /// <summary>FanOut's id (ULID).</summary>
    public string Id { get; }

    /// <summary>The event name.</summary>
    public string Name { get; }

    /// <summary>The data, UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>When the event happened, milliseconds since the Unix epoch.</summary>
    public long Ts { get; }

    /// <summary>The sender's deduplication key (the wire's <c>id</c>).</summary>
    public string? DeduplicationKey { get; init; }

    /// <summary>The payload version (<c>v</c>).</summary>
    public string? V { get; init; }

    /// <summary>The user (<c>user</c>).</summary>
    public JsonElement? User { get; init; }
}
