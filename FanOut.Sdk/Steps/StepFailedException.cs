namespace FanOut;

/// <summary>
/// A step failed for good: its retries ran out, or it threw <see cref="NonRetriableException"/>. Thrown by
/// <c>step.Run</c> to the function, which may catch it (to compensate, say); uncaught, it fails the run.
/// The original exception is the <see cref="Exception.InnerException"/> when the failure happened in this attempt.
/// </summary>
public sealed class StepFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StepFailedException(string stepId, RunError error, Exception? innerException = null)
        : base($"Step '{stepId}' failed: {error.Type}: {error.Message}", innerException)
    {
        StepId = stepId;
        Error = error;
    }

    /// <summary>The step's id.</summary>
    public string StepId { get; }

    /// <summary>The step's error, as stored.</summary>
    public RunError Error { get; }
}

/// <summary>An error that retrying cannot fix: thrown from a step or a function, it fails the step or run at once.</summary>
public class NonRetriableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NonRetriableException(string message, Exception? innerException = null) : base(message, innerException)
    {
    }
}

/// <summary>A transient error with a known time to try again (a rate limit's Retry-After, say): the next attempt is not before it.</summary>
public sealed class RetryAfterException : Exception
{
    /// <summary>Try again after <paramref name="delay"/>.</summary>
    public RetryAfterException(string message, TimeSpan delay, Exception? innerException = null) : base(message, innerException) => Delay = delay;

    /// <summary>Try again at <paramref name="retryAt"/>.</summary>
    public RetryAfterException(string message, DateTimeOffset retryAt, Exception? innerException = null) : base(message, innerException) => RetryAt = retryAt;

    /// <summary>The delay before the next attempt, when given as a delay.</summary>
    public TimeSpan? Delay { get; }

    /// <summary>The time of the next attempt, when given as a time.</summary>
    public DateTimeOffset? RetryAt { get; }
}

/// <summary>
/// FanOut's own signal that this attempt of the run is over (a step failed and will be retried later). It unwinds the
/// function, running its <c>finally</c> blocks. A <c>catch (Exception)</c> that swallows it changes nothing: the run
/// remembers, every later <c>step.Run</c> in this attempt throws it again, and the attempt ends as interrupted whatever
/// the function returns. Do not catch it.
/// </summary>
public sealed class AttemptInterruptedException : OperationCanceledException
{
    internal AttemptInterruptedException(string message) : base(message)
    {
    }
}
