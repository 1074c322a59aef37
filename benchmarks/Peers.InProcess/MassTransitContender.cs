using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using IMassTransitMediator = MassTransit.Mediator.IMediator;
using INotification = Mediator.INotification;

namespace Peers.InProcess;

/// <summary>MassTransit 8.5.12's mediator: <c>AddMediator</c> with the scenario's N consumers, then
/// <c>IMediator.Publish</c>, which completes when every consumer has (checked in GlobalSetup). No logging registered,
/// no bus.</summary>
public sealed class MassTransitContender : IContender
{
    private ServiceProvider? services;

    public string Name => "MassTransit";

    public Task<Func<ValueTask>> StartAsync<T>(Scenario<T> scenario) where T : class, INotification
    {
        var collection = new ServiceCollection();
        collection.AddMediator((IMediatorRegistrationConfigurator cfg) => cfg.AddConsumers(scenario.Consumers));
        services = collection.BuildServiceProvider();
        var mediator = services.GetRequiredService<IMassTransitMediator>();
        var payload = scenario.Payload;
        return Task.FromResult<Func<ValueTask>>(() => new ValueTask(mediator.Publish(payload)));
    }

    public ValueTask DisposeAsync() => services?.DisposeAsync() ?? ValueTask.CompletedTask;
}
