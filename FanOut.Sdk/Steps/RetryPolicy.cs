using FanOut.Serialization;

namespace FanOut;

/// <summary>When the next attempt of a failed step or run may start: exponential backoff with jitter, or what the error asked for.</summary>
internal sealed class RetryPolicy(FanOutOptions options)
{
    /// <summary>The due time of the retry after <paramref name="failures"/> failures (1 for the first), given what was thrown.</summary>
    public DateTimeOffset NextAttempt(DateTimeOffset now, int failures, Exception error)
    {
        if (error is RetryAfterException retryAfter)
        {
            return retryAfter.RetryAt ?? now + (retryAfter.Delay ?? TimeSpan.Zero);
        }
        // base · 2^(n-1), capped, then "equal jitter": a random point in its upper half, so retries of many runs that
        // failed together spread out instead of arriving together.
        var exponent = Math.Min(failures - 1, 30);
        var ms = Math.Min(options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, exponent), options.RetryMaxDelay.TotalMilliseconds);
        var jittered = ms / 2 + Random.Shared.NextDouble() * ms / 2;
        return now + TimeSpan.FromMilliseconds(jittered);
    }

    /// <summary>Errors that no retry can fix.</summary>
    public static bool IsFinal(Exception error) =>
        error is NonRetriableException or EventDataException or StepFailedException or MissingSerializerException;
}
