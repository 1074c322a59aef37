using System.Runtime.InteropServices;
using System.Text.Json;

namespace FanOut.AspNetCore.EventApi;

/// <summary>
/// Turns the body of <c>POST /e/{eventKey}</c> — one event object or an array of them, in Inngest's envelope — into the
/// events to send, or into the first reason to refuse the whole request, naming the event (its index) and the field.
/// </summary>
internal static class EventBatchReader
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    /// <summary>Reads every event of <paramref name="root"/>; on the first bad one, returns null and the reason.</summary>
    public static OutgoingEvent[]? Read(JsonElement root, FanOutEventApiOptions options, EventIdSeed? seed, out string? error)
    {
        switch (root.ValueKind)
        {
            case JsonValueKind.Object:
                var single = ReadEvent(root, 0, batch: false, options, seed, out error);
                return single is null ? null : [single];
            case JsonValueKind.Array:
                int count = root.GetArrayLength();
                if (count == 0)
                {
                    error = "the body is an empty array: there is no event to send";
                    return null;
                }
                if (count > options.MaxEventsPerRequest)
                {
                    error = $"the batch has {count} events; the limit is {options.MaxEventsPerRequest} a request";
                    return null;
                }
                var events = new OutgoingEvent[count];
                int index = 0;
                foreach (var element in root.EnumerateArray())
                {
                    var evt = ReadEvent(element, index, batch: true, options, seed, out error);
                    if (evt is null)
                    {
                        return null;
                    }
                    events[index++] = evt;
                }
                error = null;
                return events;
            default:
                error = $"the body must be an event object or an array of them, not {Describe(root.ValueKind)}";
                return null;
        }
    }

    private static OutgoingEvent? ReadEvent(JsonElement element, int index, bool batch, FanOutEventApiOptions options, EventIdSeed? seed, out string? error)
    {
        string where = batch ? $"event {index} of the batch (index from 0)" : "the event";
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"{where} must be a JSON object, not {Describe(element.ValueKind)}";
            return null;
        }
        int size = JsonMarshal.GetRawUtf8Value(element).Length;
        if (size > options.MaxEventBytes)
        {
            error = $"{where} is {size} bytes; the limit is {options.MaxEventBytes} bytes an event";
            return null;
        }

        string? name = null;
        JsonElement data = EmptyObject;
        string? id = null;
        long? ts = null;
        string? v = null;
        JsonElement? user = null;
        bool hasName = false;
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "name":
                    hasName = true;
                    if (value.ValueKind != JsonValueKind.String)
                    {
                        error = $"{where}, field 'name': must be a string, not {Describe(value.ValueKind)}";
                        return null;
                    }
                    name = value.GetString();
                    break;
                case "data":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        break; // as Inngest's clients send it when there is none: {}
                    }
                    if (value.ValueKind != JsonValueKind.Object)
                    {
                        error = $"{where}, field 'data': must be a JSON object, not {Describe(value.ValueKind)}";
                        return null;
                    }
                    data = value;
                    break;
                case "id":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        break;
                    }
                    if (value.ValueKind != JsonValueKind.String)
                    {
                        error = $"{where}, field 'id': must be a string (the deduplication key), not {Describe(value.ValueKind)}";
                        return null;
                    }
                    var key = value.GetString();
                    id = string.IsNullOrEmpty(key) ? null : key;
                    break;
                case "ts":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        break;
                    }
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var ms) || ms < 0 || ms > MaxTimestampMs)
                    {
                        error = $"{where}, field 'ts': must be a whole number of milliseconds since the Unix epoch, not {value.GetRawText()}";
                        return null;
                    }
                    ts = ms == 0 ? null : ms; // 0: not given, the time of the send
                    break;
                case "v":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        break;
                    }
                    if (value.ValueKind != JsonValueKind.String)
                    {
                        error = $"{where}, field 'v': must be a string, not {Describe(value.ValueKind)}";
                        return null;
                    }
                    v = value.GetString();
                    break;
                case "user":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        break;
                    }
                    if (value.ValueKind != JsonValueKind.Object)
                    {
                        error = $"{where}, field 'user': must be a JSON object, not {Describe(value.ValueKind)}";
                        return null;
                    }
                    user = value.Clone();
                    break;
                default:
                    break; // other fields (Inngest's clients send 'meta') are not part of FanOut's envelope
            }
        }
        if (!hasName)
        {
            error = $"{where}, field 'name': is missing; every event needs a name";
            return null;
        }
        if (!FanOutNames.IsValid(name, out var nameError))
        {
            error = $"{where}, field 'name': '{name}' is not a valid event name: {nameError}";
            return null;
        }
        var sendOptions = new SendOptions
        {
            // The sender's id wins; otherwise the id Inngest would give the event from the request's seed, so a
            // retried request (same seed) is a duplicate of the first.
            DeduplicationKey = id ?? seed?.IdFor(index),
            Timestamp = ts is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t) : null,
            V = v,
            User = user,
        };
        error = null;
        return OutgoingEvent.Raw(name!, data, sendOptions);
    }

    private static readonly long MaxTimestampMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
