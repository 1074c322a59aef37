using System.Globalization;

namespace FanOut.Cli.Output;

/// <summary>How times and durations read in a table: UTC to the second, durations in the largest sensible unit.</summary>
internal static class Formats
{
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    public static string Duration(DateTimeOffset? from, DateTimeOffset? to) =>
        from is { } f && to is { } t ? Duration(t - f) : "";

    public static string Duration(TimeSpan span) => span switch
    {
        { TotalMilliseconds: < 0 } => "",
        { TotalSeconds: < 1 } => $"{(long)span.TotalMilliseconds}ms",
        { TotalMinutes: < 1 } => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s",
        { TotalHours: < 1 } => $"{(int)span.TotalMinutes}m{span.Seconds:00}s",
        _ => $"{(long)span.TotalHours}h{span.Minutes:00}m",
    };

    public static string Error(RunError? error) => error is null ? "" : $"{error.Type}: {error.Message}";
}
