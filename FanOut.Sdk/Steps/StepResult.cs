namespace FanOut;

/// <summary>Where a step is.</summary>
public enum StepStatus
{
    /// <summary>Started in this attempt, not finished.</summary>
    Running,

    /// <summary>Finished with a result, which is memoized: later attempts and replays return it without running the step.</summary>
    Succeeded,

    /// <summary>An attempt of the step failed and it will be tried again.</summary>
    Retrying,

    /// <summary>Failed for good (retries exhausted, or not retriable); later attempts see the same failure without running it.</summary>
    Failed,
}

/// <summary>One step of a run, as recorded.</summary>
/// <param name="Id">The unique step id within the run (repeats carry <c>:n</c>).</param>
/// <param name="Status">Where it is.</param>
/// <param name="Attempts">How many times its body ran.</param>
/// <param name="StartedAt">When its last attempt started.</param>
/// <param name="FinishedAt">When its last attempt finished, if it did.</param>
/// <param name="Error">Why its last attempt failed, if it did.</param>
/// <param name="Output">Its result as JSON, for a succeeded step that returns a value.</param>
public sealed record StepResult(
    string Id,
    StepStatus Status,
    int Attempts,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    RunError? Error,
    ReadOnlyMemory<byte>? Output = null)
{
    /// <summary>Reads the step's result as <typeparamref name="T"/>, through the generated serializer.</summary>
    /// <exception cref="InvalidOperationException">The step has no stored result.</exception>
    public T GetOutput<T>() => Output is { } json
        ? System.Text.Json.JsonSerializer.Deserialize(json.Span, Serialization.FanOutJson.GetTypeInfo<T>())!
        : throw new InvalidOperationException($"Step '{Id}' has no stored result (status {Status}).");
}
