namespace FanOut;

/// <summary>The outcome of a step.</summary>
public enum StepStatus
{
    /// <summary>Started, not finished.</summary>
    Running,

    /// <summary>Finished with a result.</summary>
    Succeeded,

    /// <summary>Threw.</summary>
    Failed,
}

/// <summary>One step of a run, as recorded.</summary>
/// <param name="Id">The unique step id within the run (repeats carry <c>:n</c>).</param>
/// <param name="Status">Its outcome.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="FinishedAt">When it finished, if it did.</param>
/// <param name="Error">What it threw, if it failed.</param>
public sealed record StepResult(string Id, StepStatus Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, Exception? Error);
