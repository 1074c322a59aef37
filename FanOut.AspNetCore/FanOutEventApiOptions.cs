namespace FanOut.AspNetCore;

/// <summary>
/// The HTTP Event API's settings (<see cref="Microsoft.AspNetCore.Builder.FanOutEndpointRouteBuilderExtensions.MapFanOutEvents"/>): the accepted
/// event keys and the limits of a request. The defaults follow Inngest's limits.
/// </summary>
public sealed class FanOutEventApiOptions
{
    /// <summary>The default of <see cref="MaxEventsPerRequest"/>: 5,000, as Inngest.</summary>
    public const int DefaultMaxEventsPerRequest = 5_000;

    /// <summary>The default of <see cref="MaxEventBytes"/>: 3 MB, as Inngest.</summary>
    public const int DefaultMaxEventBytes = 3 * 1024 * 1024;

    /// <summary>The default of <see cref="MaxRequestBytes"/>: 10 MB.</summary>
    public const long DefaultMaxRequestBytes = 10 * 1024 * 1024;

    /// <summary>
    /// The event keys senders may use (<c>POST /e/{eventKey}</c>). A request with any other key is answered 401 and
    /// stores nothing. With no key configured, every request is refused.
    /// </summary>
    public IList<string> EventKeys { get; } = new List<string>();

    /// <summary>The most events one request may carry; more is answered 400 and stores nothing.</summary>
    public int MaxEventsPerRequest { get; set; } = DefaultMaxEventsPerRequest;

    /// <summary>The largest event, in bytes of its JSON as sent; a larger one is answered 400 and stores nothing.</summary>
    public int MaxEventBytes { get; set; } = DefaultMaxEventBytes;

    /// <summary>
    /// The largest request body, in bytes. A body over it is answered 413 as soon as it is known to be over: from its
    /// <c>Content-Length</c>, or while it is read, never after buffering more than this.
    /// </summary>
    public long MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;
}
