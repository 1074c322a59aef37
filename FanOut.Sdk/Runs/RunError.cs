namespace FanOut;

/// <summary>An error as a store keeps it: what was thrown, its message and where. Survives restarts, unlike the exception.</summary>
/// <param name="Type">The exception's full type name, such as <c>System.InvalidOperationException</c>.</param>
/// <param name="Message">The message.</param>
/// <param name="StackTrace">The stack trace, when there was one.</param>
public sealed record RunError(string Type, string Message, string? StackTrace)
{
    /// <summary>Describes an exception.</summary>
    public static RunError From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case Worker.StepRetryException retry:
                return retry.Error;
            case StepFailedException stepFailed:
                // A step's failure surfaces wrapped; the store keeps what the step threw.
                return stepFailed.Error;
            default:
                return new RunError(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.StackTrace);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Type}: {Message}";
}
