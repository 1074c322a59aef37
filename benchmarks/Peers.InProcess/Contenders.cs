using Mediator;

namespace Peers.InProcess;

/// <summary>One contender, started for one scenario: one operation publishes the payload once and completes when all N
/// handlers have run.</summary>
public interface IContender : IAsyncDisposable
{
    string Name { get; }

    Task<Func<ValueTask>> StartAsync<T>(Scenario<T> scenario) where T : class, INotification;
}

/// <summary>Plain: call the N delegates and <c>Task.WhenAll</c> their tasks.</summary>
public sealed class PlainContender : IContender
{
    public string Name => "Plain";

    public Task<Func<ValueTask>> StartAsync<T>(Scenario<T> scenario) where T : class, INotification
    {
        var payload = scenario.Payload;
        var delegates = scenario.Delegates;
        return Task.FromResult<Func<ValueTask>>(() =>
        {
            var tasks = new Task[delegates.Length];
            for (int i = 0; i < delegates.Length; i++)
            {
                tasks[i] = delegates[i](payload, CancellationToken.None);
            }
            return new ValueTask(Task.WhenAll(tasks));
        });
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
