using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Peers.InProcess;

/// <summary>Mediator 3.0.2: <c>Publish</c> on the generated <c>Mediator</c> class, singleton lifetime,
/// <see cref="TaskWhenAllPublisher"/>. Its generator registers the handlers of every scenario; Publish runs the N of
/// this payload.</summary>
public sealed class MediatorContender : IContender
{
    private ServiceProvider? services;

    public string Name => "Mediator";

    public Task<Func<ValueTask>> StartAsync<T>(Scenario<T> scenario) where T : class, INotification
    {
        services = new ServiceCollection()
            .AddMediator(static (MediatorOptions o) =>
            {
                o.ServiceLifetime = ServiceLifetime.Singleton;
                o.NotificationPublisherType = typeof(TaskWhenAllPublisher);
            })
            .BuildServiceProvider();
        var mediator = services.GetRequiredService<global::Mediator.Mediator>();
        var payload = scenario.Payload;
        return Task.FromResult<Func<ValueTask>>(() => mediator.Publish(payload));
    }

    public ValueTask DisposeAsync() => services?.DisposeAsync() ?? ValueTask.CompletedTask;
}
