using System.Text.Json;
using FanOut.Registration;
using FanOut.Serialization;

namespace FanOut;

/// <summary>One event of a batch for <see cref="IFanOutClient.SendManyAsync"/>: a name and its data as JSON, plus the envelope's options.</summary>
public sealed class OutgoingEvent
{
    private OutgoingEvent(string name, ReadOnlyMemory<byte> data, SendOptions? options)
    {
        Name = name;
        Data = data;
        Options = options;
    }

    /// <summary>The event name.</summary>
    public string Name { get; }

    /// <summary>The payload as UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The envelope's optional parts.</summary>
    public SendOptions? Options { get; }

    /// <summary>This event, with <paramref name="key"/> as its deduplication key unless it has one.</summary>
    internal OutgoingEvent WithDefaultKey(string key) => Options?.DeduplicationKey is not null
        ? this
        : new OutgoingEvent(Name, Data, new SendOptions
        {
            DeduplicationKey = key,
            Timestamp = Options?.Timestamp,
            V = Options?.V,
            User = Options?.User,
        });

    /// <summary>An event whose name comes from the <see cref="EventAttribute"/> on <typeparamref name="TData"/>.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="TData"/> is not a FanOut event type.</exception>
    public static OutgoingEvent Create<TData>(TData data, SendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var name = EventMetadata<TData>.Name;
        return new OutgoingEvent(name, JsonSerializer.SerializeToUtf8Bytes(data, EventMetadata<TData>.TypeInfo), options);
    }

    /// <summary>An event declared elsewhere (another service, another language): a name and its data as a JSON object.</summary>
    /// <exception cref="ArgumentException">The name breaks the grammar of <see cref="FanOutNames"/>, or the data is not a JSON object.</exception>
    public static OutgoingEvent Raw(string name, JsonElement data, SendOptions? options = null)
    {
        if (!FanOutNames.IsValid(name, out var error))
        {
            throw new ArgumentException($"'{name}' is not a valid event name: {error}.", nameof(name));
        }
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"The data of event '{name}' must be a JSON object, not {data.ValueKind}.", nameof(data));
        }
        return new OutgoingEvent(name, JsonSerializer.SerializeToUtf8Bytes(data, FanOutJson.JsonElementInfo), options);
    }
}
