using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FanOut.Stores;

/// <summary>
/// The <c>match</c> of <c>step.WaitForEvent</c> and <see cref="CancelOnAttribute"/>: a field path such as
/// <c>data.userId</c> whose value must be equal in two events. Stores compare the <see cref="ValueOf"/> keys of both
/// events, so every store matches exactly alike.
/// </summary>
public static class EventMatch
{
    /// <summary>Checks a path: <c>data</c>, then one or more JSON property names, separated by dots.</summary>
    /// <param name="path">The path.</param>
    /// <param name="error">What is wrong with it.</param>
    /// <returns>True when the path is valid.</returns>
    public static bool IsValidPath(string? path, out string error)
    {
        if (string.IsNullOrEmpty(path))
        {
            error = "a match path must not be empty";
            return false;
        }
        if (!path.StartsWith("data.", StringComparison.Ordinal))
        {
            error = $"a match path starts with 'data.' (as in 'data.userId'), and '{path}' does not";
            return false;
        }
        foreach (var part in path.AsSpan(5).ToString().Split('.'))
        {
            if (part.Length == 0)
            {
                error = $"the match path '{path}' has an empty property name";
                return false;
            }
        }
        error = "";
        return true;
    }

    /// <summary>
    /// The value at <paramref name="path"/> in an event's data, as a key to compare: equal keys mean equal JSON values
    /// (strings by their text, numbers by their value, <c>true</c>, <c>false</c>; objects and arrays by their JSON text).
    /// Null when the field is missing or JSON <c>null</c>: a missing field matches nothing.
    /// </summary>
    /// <param name="data">The event's data, UTF-8 JSON.</param>
    /// <param name="path">A valid path (<see cref="IsValidPath"/>).</param>
    public static string? ValueOf(ReadOnlyMemory<byte> data, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(data);
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            var element = document.RootElement;
            int start = 5; // after "data."
            while (start <= path.Length)
            {
                int dot = path.IndexOf('.', start);
                var name = dot < 0 ? path[start..] : path[start..dot];
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                {
                    return null;
                }
                if (dot < 0)
                {
                    break;
                }
                start = dot + 1;
            }
            return element.ValueKind switch
            {
                JsonValueKind.String => "s:" + element.GetString(),
                JsonValueKind.Number => "n:" + (element.TryGetDecimal(out var number)
                    ? number.ToString("G29", CultureInfo.InvariantCulture)
                    : element.GetRawText()),
                JsonValueKind.True => "b:true",
                JsonValueKind.False => "b:false",
                JsonValueKind.Object or JsonValueKind.Array => "j:" + element.GetRawText(),
                _ => null,
            };
        }
    }
}

/// <summary>
/// A stored event as one JSON object in Inngest's envelope (<c>id</c>, <c>name</c>, <c>data</c>, <c>ts</c>, <c>v</c>,
/// <c>user</c>, plus FanOut's <c>dedupKey</c>): how a store saves the event that resolved a <c>step.WaitForEvent</c>
/// as the step's memo.
/// </summary>
public static class StoredEventJson
{
    /// <summary>Writes <paramref name="evt"/> as UTF-8 JSON.</summary>
    public static byte[] Serialize(Runs.StoredEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", evt.Id);
            writer.WriteString("name", evt.Name);
            writer.WritePropertyName("data");
            writer.WriteRawValue(evt.Data.Span, skipInputValidation: true);
            writer.WriteNumber("ts", evt.Ts);
            if (evt.V is { } v)
            {
                writer.WriteString("v", v);
            }
            if (evt.User is { } user)
            {
                writer.WritePropertyName("user");
                user.WriteTo(writer);
            }
            if (evt.DeduplicationKey is { } key)
            {
                writer.WriteString("dedupKey", key);
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Reads an event written by <see cref="Serialize"/>.</summary>
    /// <exception cref="JsonException">The JSON is not such an event.</exception>
    public static Runs.StoredEvent Deserialize(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var data = Encoding.UTF8.GetBytes(root.GetProperty("data").GetRawText());
        return new Runs.StoredEvent(root.GetProperty("id").GetString()!, root.GetProperty("name").GetString()!, data, root.GetProperty("ts").GetInt64())
        {
            V = root.TryGetProperty("v", out var v) ? v.GetString() : null,
            User = root.TryGetProperty("user", out var user) ? user.Clone() : null,
            DeduplicationKey = root.TryGetProperty("dedupKey", out var key) ? key.GetString() : null,
        };
    }
}
