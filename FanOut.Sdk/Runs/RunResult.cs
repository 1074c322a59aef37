using System.Text.Json;
using FanOut.Serialization;

namespace FanOut;

/// <summary>The outcome of a finished run.</summary>
public sealed class RunResult
{
    /// <summary>Creates a result. FanOut creates these.</summary>
    public RunResult(string runId, string functionId, string eventId, string eventName, RunStatus status)
    {
        RunId = runId;
        FunctionId = functionId;
        EventId = eventId;
        EventName = eventName;
        Status = status;
    }

    /// <summary>The run id.</summary>
    public string RunId { get; }

    /// <summary>The function id.</summary>
    public string FunctionId { get; }

    /// <summary>The triggering event's id.</summary>
    public string EventId { get; }

    /// <summary>The triggering event's name.</summary>
    public string EventName { get; }

    /// <summary>How the run ended.</summary>
    public RunStatus Status { get; }

    /// <summary>The function's output as JSON, for a succeeded function that returns a value.</summary>
    public ReadOnlyMemory<byte>? Output { get; init; }

    /// <summary>Why the run failed, was cancelled or timed out, as stored.</summary>
    public RunError? Error { get; init; }

    /// <summary>The exception itself, when the run ended in this process (null for a result read back from a store).</summary>
    public Exception? Exception { get; init; }

    /// <summary>How many attempts the run took (1 when nothing was retried).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>When the last attempt started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run finished.</summary>
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>The run's steps, in the order they first started.</summary>
    public IReadOnlyList<StepResult> Steps { get; init; } = [];

    /// <summary>Reads the output as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">The run has no output.</exception>
    public T GetOutput<T>()
    {
        if (Output is not { } output)
        {
            throw new InvalidOperationException($"Run {RunId} of '{FunctionId}' has no output (status {Status}).");
        }
        return JsonSerializer.Deserialize(output.Span, FanOutJson.GetTypeInfo<T>())!;
    }

    /// <inheritdoc />
    public override string ToString() => $"{FunctionId} {RunId}: {Status}" + (Error is null ? "" : $" ({Error})");
}
