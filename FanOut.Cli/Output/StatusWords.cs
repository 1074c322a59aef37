namespace FanOut.Cli.Output;

/// <summary>The words the tool prints (and accepts) for run and step states, and the colour each gets in a terminal.</summary>
internal static class StatusWords
{
    public static readonly string[] RunWords = ["queued", "running", "succeeded", "failed", "cancelled", "timed-out"];

    public static string Of(RunStatus status) => status switch
    {
        RunStatus.Queued => "queued",
        RunStatus.Running => "running",
        RunStatus.Succeeded => "succeeded",
        RunStatus.Failed => "failed",
        RunStatus.Cancelled => "cancelled",
        RunStatus.TimedOut => "timed-out",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static string Of(StepStatus status) => status switch
    {
        StepStatus.Running => "running",
        StepStatus.Succeeded => "succeeded",
        StepStatus.Retrying => "retrying",
        StepStatus.Failed => "failed",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static RunStatus? ParseRun(string? word) => word switch
    {
        null => null,
        "queued" => RunStatus.Queued,
        "running" => RunStatus.Running,
        "succeeded" => RunStatus.Succeeded,
        "failed" => RunStatus.Failed,
        "cancelled" => RunStatus.Cancelled,
        "timed-out" => RunStatus.TimedOut,
        _ => throw new CliException($"Unknown status '{word}': use one of {string.Join(", ", RunWords)}."),
    };

    /// <summary>The ANSI colour of a status word: green for done, red for failures, yellow for stopped or retrying.</summary>
    public static Colour ColourOf(string word) => word switch
    {
        "succeeded" => Colour.Green,
        "failed" or "timed-out" => Colour.Red,
        "cancelled" or "retrying" => Colour.Yellow,
        "running" => Colour.Cyan,
        _ => Colour.None,
    };
}
