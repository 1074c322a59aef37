using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace FanOut.Serialization;

/// <summary>
/// What the generated payload readers share. A generated reader reads an object straight from the
/// <see cref="Utf8JsonReader"/> and gives up at the first thing it does not expect: a missing required member, null
/// where the type forbids it, a value of another type, a name that matches only when case is ignored, a duplicate,
/// malformed JSON. It then re-reads the same value with the generated System.Text.Json metadata, which either reads it
/// (the reader was only cautious) or throws System.Text.Json's own exception, with its message and path. So a payload
/// that does not match fails exactly as it did before the readers existed, and one that matches costs no metadata walk.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PayloadReader
{
    // Options made by MetadataOptions: generated resolvers give them metadata, never a direct reader.
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> MetadataOnly = new();
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> MetadataOptionsOf = new();

    /// <summary>
    /// Whether <paramref name="options"/> read and write as the options the generated code was written for
    /// (<paramref name="generatedFor"/>, FanOut's), so that the generated reader and writer may stand in for the
    /// metadata. Other options get the metadata, which honours any setting.
    /// </summary>
    /// <param name="options">The options a resolver is asked for metadata with.</param>
    /// <param name="generatedFor">The options the generated code assumes.</param>
    public static bool Fits(JsonSerializerOptions options, JsonSerializerOptions generatedFor)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generatedFor);
        // Settings the reader gives up on by itself (case-insensitive names, numbers in strings, duplicates, comments,
        // trailing commas, depth) need no check here: the metadata decides those cases.
        return !MetadataOnly.TryGetValue(options, out _)
            && options.Encoder is null
            && options.Converters.Count == 0
            && options.ReferenceHandler is null
            && options.PropertyNamingPolicy == generatedFor.PropertyNamingPolicy
            && options.DictionaryKeyPolicy == generatedFor.DictionaryKeyPolicy
            && options.DefaultIgnoreCondition == generatedFor.DefaultIgnoreCondition
            && options.IgnoreReadOnlyProperties == generatedFor.IgnoreReadOnlyProperties
            && options.IgnoreReadOnlyFields == generatedFor.IgnoreReadOnlyFields
            && options.IncludeFields == generatedFor.IncludeFields
            && options.NumberHandling == generatedFor.NumberHandling
            && options.RespectNullableAnnotations == generatedFor.RespectNullableAnnotations
            && options.RespectRequiredConstructorParameters == generatedFor.RespectRequiredConstructorParameters
            && options.UnmappedMemberHandling == JsonUnmappedMemberHandling.Skip
            && options.PreferredObjectCreationHandling == JsonObjectCreationHandling.Replace;
    }

    /// <summary>The UTF-8 name a member is read by: its <c>[JsonPropertyName]</c>, else its name under the naming policy.</summary>
    /// <param name="options">The options the generated code was written for.</param>
    /// <param name="name">The member's CLR name.</param>
    /// <param name="jsonName">The name from <c>[JsonPropertyName]</c>, or null.</param>
    public static byte[] Utf8Name(JsonSerializerOptions options, string name, string? jsonName) =>
        Encoding.UTF8.GetBytes(Name(options, name, jsonName));

    /// <summary>The name a member is read by, as a string: what System.Text.Json compares ignoring case.</summary>
    /// <param name="options">The options the generated code was written for.</param>
    /// <param name="name">The member's CLR name.</param>
    /// <param name="jsonName">The name from <c>[JsonPropertyName]</c>, or null.</param>
    public static string Name(JsonSerializerOptions options, string name, string? jsonName)
    {
        ArgumentNullException.ThrowIfNull(options);
        return jsonName ?? options.PropertyNamingPolicy?.ConvertName(name) ?? name;
    }

    /// <summary>
    /// Whether the property name under the reader equals one of <paramref name="names"/> when case is ignored. Asked
    /// only for a name that matched none exactly: such a name is either unknown (skipped) or one System.Text.Json
    /// may bind case-insensitively, which the generated reader leaves to the metadata.
    /// </summary>
    /// <param name="reader">A reader on a property name.</param>
    /// <param name="names">The names the type reads.</param>
    public static bool MatchesIgnoringCase(ref Utf8JsonReader reader, string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        string name = reader.GetString()!;
        foreach (string candidate in names)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Reads the value under <paramref name="reader"/> with the generated metadata instead of the generated reader: for
    /// a value the reader gave up on. Returns what the metadata reads, or throws System.Text.Json's exception for it.
    /// </summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="reader">A reader on the first token of the value, as the generated reader found it.</param>
    /// <param name="options">The options the value is being read with.</param>
    public static T? Reread<T>(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        var info = (JsonTypeInfo<T>)MetadataOptions(options).GetTypeInfo(typeof(T));
        if (reader.CurrentDepth == 0)
        {
            // The value is the whole document: the exception's path and position are already right.
            return JsonSerializer.Deserialize(ref reader, info);
        }
        try
        {
            return JsonSerializer.Deserialize(ref reader, info);
        }
        catch (JsonException e)
        {
            // Nested in metadata that System.Text.Json is reading (a list of payloads, say): its path so far is not
            // known here. An exception without a path gets the outer reader's path, up to this value; the message keeps
            // what went wrong inside it.
            throw new JsonException(WithoutPosition(e.Message), e);
        }
    }

    /// <summary>
    /// Adds the name of the member whose value was being read when the JSON turned out malformed: the generated reader of
    /// each enclosing object adds its own, so the path ends up as System.Text.Json would give it.
    /// </summary>
    /// <param name="e">The reader's exception, or the one a nested generated reader returned from here.</param>
    /// <param name="name">The member's name as it appears in the JSON.</param>
    public static JsonException Within(JsonException e, string name)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(name);
        return e is MalformedJson trail ? new MalformedJson(trail.Reader, Segment(name) + trail.Trail) : new MalformedJson(e, Segment(name));
    }

    /// <summary>
    /// The exception for malformed JSON met by a generated reader, as System.Text.Json words it: the reader's message with
    /// the path inserted before the position.
    /// </summary>
    /// <param name="e">The reader's exception, possibly wrapped by <see cref="Within"/>.</param>
    /// <param name="depth">The reader's depth at the start of the value the generated reader was reading.</param>
    public static JsonException Malformed(JsonException e, int depth)
    {
        ArgumentNullException.ThrowIfNull(e);
        var (reader, trail) = e is MalformedJson malformed ? (malformed.Reader, malformed.Trail) : (e, "");
        if (depth > 0)
        {
            // Nested in metadata that System.Text.Json is reading: it adds its path, up to this value, to an exception
            // that has none.
            return new JsonException(reader.Message, reader);
        }
        string path = "$" + trail;
        string message = reader.Message;
        int at = message.LastIndexOf(" LineNumber: ", StringComparison.Ordinal);
        message = at < 0 ? message + " Path: " + path + "." : message[..at] + " Path: " + path + " |" + message[at..];
        return new JsonException(message, path, reader.LineNumber, reader.BytePositionInLine, reader);
    }

    // How System.Text.Json writes a member name in a path: .name, or ['name'] when it holds characters that would confuse.
    private static string Segment(string name) =>
        name.AsSpan().IndexOfAny(".'[]() \t\n\r\f\b\\\"/") >= 0 ? "['" + name.Replace("'", "\\'", StringComparison.Ordinal) + "']" : "." + name;

    /// <summary>A copy of <paramref name="options"/> for which generated resolvers give metadata only.</summary>
    private static JsonSerializerOptions MetadataOptions(JsonSerializerOptions options) =>
        MetadataOptionsOf.GetValue(options, static original =>
        {
            // System.Text.Json shares its metadata cache between options with equal settings, so the copy must differ
            // in one: an explicit encoder, which writes what the default writes. (It is only read with, anyway.)
            var copy = new JsonSerializerOptions(original) { Encoder = JavaScriptEncoder.Default };
            MetadataOnly.AddOrUpdate(copy, copy);
            return copy;
        });

    /// <summary>Malformed JSON met inside members: the reader's exception and the path below the value being read.</summary>
    private sealed class MalformedJson(JsonException reader, string trail) : JsonException(reader.Message, reader)
    {
        public JsonException Reader { get; } = reader;

        public string Trail { get; } = trail;
    }

    private static string WithoutPosition(string message)
    {
        int at = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return at < 0 ? message : message[..at];
    }
}
