using FanOut.Admin;
using FanOut.Client;
using FanOut.Functions;
using FanOut.Registration;
using FanOut.Runs;
using FanOut.Stores;
using FanOut.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FanOut;

/// <summary>Registers FanOut in a service collection.</summary>
public static class FanOutServiceCollectionExtensions
{
    /// <summary>
    /// Adds FanOut: every function of this compilation and of the FanOut libraries it references (their trigger tables
    /// were generated at compile time), the <see cref="IFanOutClient"/>, the hosted worker and the in-memory store.
    /// </summary>
    /// <remarks>
    /// There is one <c>AddFanOut</c>, here, rather than one generated per project: generated modules register themselves
    /// when their assembly loads, so two FanOut projects can never make this call ambiguous.
    /// </remarks>
    /// <param name="services">The services.</param>
    /// <param name="configure">Optional settings, such as a subset of functions to host.</param>
    /// <returns>A builder to choose the store.</returns>
    public static FanOutBuilder AddFanOut(this IServiceCollection services, Action<FanOutOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<FanOutOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }
        services.TryAddSingleton(static sp => new FunctionCatalog(FanOutModules.All, Options(sp)));
        services.TryAddSingleton<IFanOutStore>(static sp => new InMemoryStore(Options(sp).TimeProvider));
        services.TryAddSingleton<WorkSignal>();
        services.TryAddSingleton<LocalDispatch>();
        services.TryAddSingleton(static sp => new RunWaiters(sp.GetRequiredService<IFanOutStore>()));
        services.TryAddSingleton<IFanOutClient>(static sp => new FanOutClient(
            sp.GetRequiredService<FunctionCatalog>(),
            sp.GetRequiredService<IFanOutStore>(),
            sp.GetRequiredService<WorkSignal>(),
            sp.GetRequiredService<LocalDispatch>(),
            sp.GetRequiredService<RunWaiters>(),
            sp.GetRequiredService<RunCancellations>(),
            sp.GetRequiredService<IOptions<FanOutOptions>>(),
            LoggerFor<FanOutClient>(sp)));
        services.TryAddSingleton<RunCancellations>();
        services.TryAddSingleton<IFanOutAdmin>(static sp => new FanOutAdmin(
            sp.GetRequiredService<IFanOutStore>(),
            sp.GetRequiredService<RunWaiters>(),
            sp.GetRequiredService<RunCancellations>(),
            sp.GetRequiredService<FunctionCatalog>(),
            sp.GetRequiredService<WorkSignal>(),
            Options(sp).TimeProvider));
        services.TryAddSingleton(static sp => new RunExecutor(
            sp.GetRequiredService<FunctionCatalog>(),
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<IFanOutStore>(),
            sp.GetRequiredService<RunWaiters>(),
            sp.GetRequiredService<RunCancellations>(),
            Options(sp),
            LoggerFor<RunExecutor>(sp)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, FanOutWorker>(static sp => new FanOutWorker(
            sp.GetRequiredService<IFanOutStore>(),
            sp.GetRequiredService<RunExecutor>(),
            sp.GetRequiredService<FunctionCatalog>(),
            sp.GetRequiredService<WorkSignal>(),
            sp.GetRequiredService<LocalDispatch>(),
            Options(sp),
            LoggerFor<FanOutWorker>(sp))));
        return new FanOutBuilder(services);
    }

    private static FanOutOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<FanOutOptions>>().Value;

    // Logging is the host's to configure; without it FanOut stays silent rather than failing.
    private static ILogger<T> LoggerFor<T>(IServiceProvider sp) =>
        (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<T>();
}

/// <summary>Chooses FanOut's store and other parts after <see cref="FanOutServiceCollectionExtensions.AddFanOut"/>.</summary>
public sealed class FanOutBuilder
{
    internal FanOutBuilder(IServiceCollection services) => Services = services;

    /// <summary>The services FanOut was added to.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Uses the in-memory store (the default) with these settings.</summary>
    public FanOutBuilder UseInMemoryStore(Action<InMemoryStoreOptions>? configure = null)
    {
        var storeOptions = new InMemoryStoreOptions();
        configure?.Invoke(storeOptions);
        Services.Replace(ServiceDescriptor.Singleton<IFanOutStore>(sp =>
            new InMemoryStore(sp.GetRequiredService<IOptions<FanOutOptions>>().Value.TimeProvider, storeOptions)));
        return this;
    }
}
