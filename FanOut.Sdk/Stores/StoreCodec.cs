using System.Diagnostics;
using System.Text.Json;
using FanOut.Registration;

namespace FanOut.Stores;

/// <summary>
/// How a store keeps the values that have no column type of their own, the same in every store: a send's trace
/// context, JSON elements, a finished run's steps, a run's cancel triggers. For store implementations.
/// </summary>
public static class StoreCodec
{
    /// <summary>The W3C <c>traceparent</c> of a send's trace context, or null when there was none.</summary>
    public static string? TraceParent(ActivityContext origin) =>
        origin == default ? null : $"00-{origin.TraceId.ToHexString()}-{origin.SpanId.ToHexString()}-{(byte)origin.TraceFlags:x2}";

    /// <summary>The trace context of a <c>traceparent</c> written by <see cref="TraceParent"/>, or none.</summary>
    public static ActivityContext Origin(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;

    /// <summary>A JSON element (the envelope's <c>user</c>) as UTF-8 bytes.</summary>
    public static byte[] Json(JsonElement element)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            element.WriteTo(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>UTF-8 JSON bytes as an element that outlives its document.</summary>
    public static JsonElement Json(byte[] utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        return document.RootElement.Clone();
    }

    /// <summary>A finished run's steps as one JSON array (they are read back whole, never queried).</summary>
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
                writer.WriteNumber("startedAt", step.StartedAt.ToUnixTimeMilliseconds());
                if (step.FinishedAt is { } finishedAt)
                {
                    writer.WriteNumber("finishedAt", finishedAt.ToUnixTimeMilliseconds());
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

    /// <summary>Reads the steps written by <see cref="ResultSteps(IReadOnlyList{StepResult})"/>.</summary>
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
                DateTimeOffset.FromUnixTimeMilliseconds(s.GetProperty("startedAt").GetInt64()),
                s.TryGetProperty("finishedAt", out var finishedAt) ? DateTimeOffset.FromUnixTimeMilliseconds(finishedAt.GetInt64()) : null,
                error,
                s.TryGetProperty("output", out var output) ? System.Text.Encoding.UTF8.GetBytes(output.GetRawText()) : null);
        }
        return steps;
    }

    /// <summary>A run's cancel triggers as a JSON array of <c>[name, match]</c> pairs, or null when it has none.</summary>
    public static string? CancelTriggers(IReadOnlyList<CancelTrigger> triggers)
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

    /// <summary>Reads the triggers written by <see cref="CancelTriggers(IReadOnlyList{CancelTrigger})"/>.</summary>
    public static CancelTrigger[] CancelTriggers(string? json)
    {
        if (json is null)
        {
            return [];
        }
        using var document = JsonDocument.Parse(json);
        var triggers = new List<CancelTrigger>();
        foreach (var pair in document.RootElement.EnumerateArray())
        {
            triggers.Add(new CancelTrigger(pair[0].GetString()!, pair[1].GetString()));
        }
        return [.. triggers];
    }
}
