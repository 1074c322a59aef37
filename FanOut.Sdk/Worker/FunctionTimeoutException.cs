namespace FanOut;

/// <summary>An attempt of a run did not finish within its function's timeout.</summary>
public sealed class FunctionTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public FunctionTimeoutException(string message) : base(message)
    {
    }
}
