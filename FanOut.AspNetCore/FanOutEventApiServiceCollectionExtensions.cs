using FanOut.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures FanOut's HTTP Event API.</summary>
public static class FanOutEventApiServiceCollectionExtensions
{
    /// <summary>Configures the Event API's keys and limits (<see cref="FanOutEventApiOptions"/>).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; add at least one event key.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddFanOutEventApi(this IServiceCollection services, Action<FanOutEventApiOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<FanOutEventApiOptions>().Configure(configure);
        return services;
    }
}
