using System.Text.Json;
using System.Text.Json.Serialization;
using FanOut.Stores;

namespace FanOut.Cli.Output;

// The --json shapes. They are the tool's contract with scripts: add properties, never rename or remove one.

/// <summary><c>fanout runs list --json</c>.</summary>
internal sealed record RunListJson(IReadOnlyList<RunJson> Runs);

/// <summary>One run as listed.</summary>
internal sealed record RunJson(
    string RunId,
    string FunctionId,
    string EventId,
    string EventName,
    string Status,
    int Attempts,
    DateTimeOffset AcceptedAt,
    DateTimeOffset? FinishedAt,
    ErrorJson? Error)
{
    public static RunJson From(RunSummary run) => new(
        run.RunId, run.FunctionId, run.EventId, run.EventName, StatusWords.Of(run.Status), run.Attempts,
        run.AcceptedAt, run.FinishedAt, ErrorJson.From(run.Error));
}

/// <summary>
/// <c>fanout runs show --json</c>: the run; for a finished run its last start, its duration from acceptance to end and
/// its output (null otherwise); its steps (as recorded at its end, or saved so far).
/// </summary>
internal sealed record RunDetailJson(
    RunJson Run,
    DateTimeOffset? StartedAt,
    long? DurationMs,
    JsonElement? Output,
    IReadOnlyList<StepJson> Steps);

/// <summary>One step of a run.</summary>
internal sealed record StepJson(
    string Id,
    string Status,
    int Attempts,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    long? DurationMs,
    ErrorJson? Error,
    JsonElement? Output)
{
    public static StepJson From(StepResult step) => new(
        step.Id, StatusWords.Of(step.Status), step.Attempts, step.StartedAt, step.FinishedAt,
        step.FinishedAt is { } end ? (long)(end - step.StartedAt).TotalMilliseconds : null,
        ErrorJson.From(step.Error), Json.Element(step.Output));
}

/// <summary>An error as stored.</summary>
internal sealed record ErrorJson(string Type, string Message, string? StackTrace)
{
    public static ErrorJson? From(RunError? error) => error is null ? null : new(error.Type, error.Message, error.StackTrace);
}

/// <summary><c>fanout runs cancel --json</c>.</summary>
internal sealed record CancelJson(string RunId, string Outcome, string? Status);

/// <summary><c>fanout runs replay --json</c>: one entry per run matched; <c>newRunId</c> null when refused (or a dry run).</summary>
internal sealed record ReplayListJson(string Mode, bool DryRun, IReadOnlyList<ReplayJson> Replays);

/// <summary>One replay.</summary>
internal sealed record ReplayJson(string RunId, string FunctionId, string? NewRunId, string? Refused);

/// <summary><c>fanout events list --json</c>.</summary>
internal sealed record EventListJson(IReadOnlyList<EventJson> Events);

/// <summary>One event as listed: its envelope, when it was accepted and how many runs it started.</summary>
internal sealed record EventJson(string Id, string Name, JsonElement? Data, long Ts, string? DedupKey, string? V, JsonElement? User, DateTimeOffset AcceptedAt, int Runs)
{
    public static EventJson From(EventSummary e) => new(
        e.Event.Id, e.Event.Name, Json.Element(e.Event.Data), e.Event.Ts, e.Event.DeduplicationKey, e.Event.V, e.Event.User, e.AcceptedAt, e.Runs);
}

/// <summary>The source-generated serializers of the --json shapes: no reflection.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RunListJson))]
[JsonSerializable(typeof(RunDetailJson))]
[JsonSerializable(typeof(CancelJson))]
[JsonSerializable(typeof(ReplayListJson))]
[JsonSerializable(typeof(EventListJson))]
internal sealed partial class FanOutCliJson : JsonSerializerContext;

/// <summary>Writes the shapes, and reads stored JSON bytes back as elements.</summary>
internal static class Json
{
    public static JsonElement? Element(ReadOnlyMemory<byte>? bytes)
    {
        // A store may give back an empty value for "no output".
        if (bytes is not { IsEmpty: false } json)
        {
            return null;
        }
        var reader = new Utf8JsonReader(json.Span);
        return JsonElement.ParseValue(ref reader);
    }

    public static void Write<T>(TextWriter writer, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        writer.WriteLine(JsonSerializer.Serialize(value, type));
}
