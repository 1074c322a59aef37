using FanOut;
using FanOut.AspNetCore;
using FanOut.AspNetCore.EventApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps FanOut's HTTP Event API.</summary>
public static class FanOutEndpointRouteBuilderExtensions
{
    /// <summary>The default route: Inngest's, <c>/e/{eventKey}</c>.</summary>
    public const string DefaultPattern = "/e/{eventKey}";

    /// <summary>
    /// Serves Inngest's Event API, <c>POST /e/{eventKey}</c>, so Inngest's clients (TypeScript, Python, Go, …) can send
    /// events to this app's FanOut functions unchanged. Keys and limits come from <see cref="FanOutEventApiOptions"/>
    /// (<see cref="FanOutEventApiServiceCollectionExtensions.AddFanOutEventApi"/>). See docs/http-event-api.md.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="pattern">The route; it must contain the <c>{eventKey}</c> parameter. Inngest's clients post to
    /// <c>e/{key}</c> under their base URL, so a prefix here means a base URL ending in that prefix and a <c>/</c>.</param>
    /// <returns>The endpoint's builder, for authorization, rate limiting and the like.</returns>
    public static IEndpointConventionBuilder MapFanOutEvents(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        if (!pattern.Contains("{eventKey}", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The Event API's route '{pattern}' must contain the '{{eventKey}}' parameter.", nameof(pattern));
        }
        if (endpoints.ServiceProvider.GetService<IFanOutClient>() is null)
        {
            throw new InvalidOperationException("MapFanOutEvents needs FanOut's services: call builder.Services.AddFanOut() first.");
        }
        var endpoint = ActivatorUtilities.CreateInstance<EventApiEndpoint>(endpoints.ServiceProvider);
        return endpoints.MapPost(pattern, endpoint.HandleAsync).WithDisplayName("FanOut Event API");
    }
}
