namespace FanOut;

/// <summary>The store could not do what was asked (it is unreachable, full, or refused the write). Nothing was half done.</summary>
public sealed class FanOutStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FanOutStoreException(string message, Exception? innerException = null) : base(message, innerException)
    {
    }
}
