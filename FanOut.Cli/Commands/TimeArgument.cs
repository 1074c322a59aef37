using System.Globalization;

namespace FanOut.Cli.Commands;

/// <summary>Reads <c>--since</c> and <c>--until</c>: an age (<c>90s</c>, <c>15m</c>, <c>2h</c>, <c>7d</c>) or an ISO 8601 time (<c>2026-12-01T10:00Z</c>).</summary>
internal static class TimeArgument
{
    public static DateTimeOffset? Parse(string? text, string option, TimeProvider time)
    {
        if (text is null)
        {
            return null;
        }
        var trimmed = text.Trim();
        if (trimmed.Length >= 2 && long.TryParse(trimmed.AsSpan(0, trimmed.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? age = trimmed[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (age is { } ago)
            {
                return time.GetUtcNow() - ago;
            }
        }
        // A time without an offset is taken as UTC, not as this machine's local time.
        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }
        throw new CliException($"{option} '{text}' is neither an age (90s, 15m, 2h, 7d) nor a time (2026-12-01T10:00Z).");
    }
}
