using System.Diagnostics;
using System.Text.Json;
using Npgsql;

namespace FanOut.PostgreSql.Rows;

/// <summary>How values without a column type of their own are kept: times (ms since the Unix epoch), trace context, JSON, errors, result steps.</summary>
internal static class RowCodec
{
    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>The W3C <c>traceparent</c> of a send's trace context, or null when there was none.</summary>
    public static string? TraceParent(ActivityContext origin) =>
        origin == default ? null : $"00-{origin.TraceId.ToHexString()}-{origin.SpanId.ToHexString()}-{(byte)origin.TraceFlags:x2}";

    public static ActivityContext Origin(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;

    public static byte[] Json(JsonElement element)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            element.WriteTo(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static JsonElement Json(byte[] utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        return document.RootElement.Clone();
    }

    public static byte[]? Bytes(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<byte[]>(ordinal);

    /// <summary>A nullable bytea as nullable memory (a null array must not become empty memory).</summary>
    public static ReadOnlyMemory<byte>? Memory(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? default(ReadOnlyMemory<byte>?) : reader.GetFieldValue<byte[]>(ordinal);

    public static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? Long(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    /// <summary>An error kept in three columns (type, message, stack) starting at <paramref name="ordinal"/>.</summary>
    public static RunError? Error(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new RunError(reader.GetString(ordinal), reader.GetString(ordinal + 1), Text(reader, ordinal + 2));

    /// <summary>A finished run's steps as one JSON array (read back whole, never queried).</summary>
    public static byte[] ResultSteps(IReadOnlyList<StepResult> steps)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var step in steps)
            {
                writer.WriteStartObject();
                writer.WriteString("id", step.Id);
                writer.WriteNumber("status", (int)step.Status);
                writer.WriteNumber("attempts", step.Attempts);
                writer.WriteNumber("startedAt", Ms(step.StartedAt));
                if (step.FinishedAt is { } finishedAt)
                {
                    writer.WriteNumber("finishedAt", Ms(finishedAt));
                }
                if (step.Output is { } output)
                {
                    writer.WritePropertyName("output");
                    writer.WriteRawValue(output.Span, skipInputValidation: true);
                }
                if (step.Error is { } error)
                {
                    writer.WriteString("errorType", error.Type);
                    writer.WriteString("errorMessage", error.Message);
                    writer.WriteString("errorStack", error.StackTrace);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static StepResult[] ResultSteps(byte[] utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        var steps = new StepResult[document.RootElement.GetArrayLength()];
        int i = 0;
        foreach (var s in document.RootElement.EnumerateArray())
        {
            RunError? error = s.TryGetProperty("errorType", out var type)
                ? new RunError(type.GetString()!, s.GetProperty("errorMessage").GetString()!, s.GetProperty("errorStack").GetString())
                : null;
            steps[i++] = new StepResult(
                s.GetProperty("id").GetString()!,
                (StepStatus)s.GetProperty("status").GetInt32(),
                s.GetProperty("attempts").GetInt32(),
                Time(s.GetProperty("startedAt").GetInt64()),
                s.TryGetProperty("finishedAt", out var finishedAt) ? Time(finishedAt.GetInt64()) : null,
                error,
                s.TryGetProperty("output", out var output) ? System.Text.Encoding.UTF8.GetBytes(output.GetRawText()) : null);
        }
        return steps;
    }

    /// <summary>A run's cancel triggers as a JSON array of <c>[name, match]</c> pairs, or null when it has none.</summary>
    public static string? CancelTriggers(IReadOnlyList<FanOut.Registration.CancelTrigger> triggers)
    {
        if (triggers.Count == 0)
        {
            return null;
        }
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var trigger in triggers)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(trigger.EventName);
                writer.WriteStringValue(trigger.Match);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static FanOut.Registration.CancelTrigger[] CancelTriggers(string? json)
    {
        if (json is null)
        {
            return [];
        }
        using var document = JsonDocument.Parse(json);
        var triggers = new List<FanOut.Registration.CancelTrigger>();
        foreach (var pair in document.RootElement.EnumerateArray())
        {
            triggers.Add(new FanOut.Registration.CancelTrigger(pair[0].GetString()!, pair[1].GetString()));
        }
        return [.. triggers];
    }
}
