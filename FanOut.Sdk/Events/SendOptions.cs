using System.Text.Json;

namespace FanOut;

/// <summary>The optional parts of Inngest's event envelope, given when an event is sent.</summary>
public sealed class SendOptions
{
    /// <summary>
    /// The sender's deduplication key (the wire format's <c>id</c>). It is kept on the event; a repeated key within the
    /// deduplication window starts no new runs.
    /// </summary>
    public string? DeduplicationKey { get; init; }

    /// <summary>When the event happened. Defaults to the time of the send. It never delays runs.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The payload's schema version (<c>v</c>).</summary>
    public string? V { get; init; }

    /// <summary>The user the event is about (<c>user</c>): a JSON object, or null.</summary>
    public JsonElement? User { get; init; }
}
