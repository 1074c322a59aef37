using JasperFx.CodeGeneration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wolverine;
using INotification = Mediator.INotification;

namespace Peers.InProcess;

/// <summary>
/// Wolverine 6.62.0 with <see cref="MultipleHandlerBehavior.Separated"/>: each of the N handlers has its own local queue,
/// and <c>IMessageBus.PublishAsync</c> puts one copy on each. PublishAsync returns before the handlers run, so one
/// operation is: start <see cref="WolverineCountdown"/>, publish, wait until all N handlers have signalled it.
/// Discovery is restricted to the scenario's N handler types (no conventional scan: it would find the MassTransit
/// consumers and Mediator handlers too). Runtime compilation is on (Wolverine 6 needs WolverineFx.RuntimeCompilation);
/// its Roslyn build of the handler chains happens at start, in GlobalSetup. Solo durability (one node, no persistence
/// configured), no logging providers.
/// </summary>
public sealed class WolverineContender : IContender
{
    private IHost? host;

    public string Name => "Wolverine";

    public async Task<Func<ValueTask>> StartAsync<T>(Scenario<T> scenario) where T : class, INotification
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseWolverine(opts =>
        {
            opts.UseRuntimeCompilation();
            opts.ApplicationAssembly = typeof(WolverineContender).Assembly;
            opts.Durability.Mode = DurabilityMode.Solo;
            opts.MultipleHandlerBehavior = MultipleHandlerBehavior.Separated;
            opts.Discovery.DisableConventionalDiscovery();
            foreach (var handler in scenario.WolverineHandlers)
            {
                opts.Discovery.IncludeType(handler);
            }
        });
        host = builder.Build();
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<IMessageBus>();
        var payload = scenario.Payload;
        var handlers = scenario.Handlers;
        return () => new ValueTask(PublishAndWaitAsync());

        async Task PublishAndWaitAsync()
        {
            var all = WolverineCountdown.Start(handlers);
            await bus.PublishAsync(payload);
            await all;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (host is null)
        {
            return;
        }
        // Wolverine's StopAsync waits its drain timeout otherwise (PEER-BASELINES.md).
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try { await host.StopAsync(stop.Token); } catch (OperationCanceledException) { }
        }
        host.Dispose();
    }
}
