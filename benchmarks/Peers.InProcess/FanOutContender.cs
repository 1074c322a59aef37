using FanOut;
using FanOut.Runs;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Peers.InProcess;

/// <summary>
/// FanOut's in-memory path, set up as benchmarks/FanOut.Benchmarks sets it up: <c>SendAsync</c>, then <c>WaitForRunAsync</c>
/// on every run id, checking on every operation that N runs started and all succeeded. Default <c>AddFanOut()</c>, the
/// in-memory store and the hosted worker; no logger factory, no listeners. Finished runs are kept 2 s instead of 1 h so
/// the store does not grow over millions of iterations.
/// </summary>
public sealed class FanOutContender : IContender
{
    private ServiceProvider? services;

    public string Name => "FanOut";

    public async Task<Func<ValueTask>> StartAsync<T>(Scenario<T> scenario) where T : class, INotification
    {
        var collection = new ServiceCollection();
        collection.AddFanOut().UseInMemoryStore(o =>
        {
            o.FinishedRunRetention = TimeSpan.FromSeconds(2);
            o.PruneInterval = TimeSpan.FromSeconds(1);
        });
        services = collection.BuildServiceProvider();
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(default);
        }
        var client = services.GetRequiredService<IFanOutClient>();
        var payload = scenario.Payload;
        var expected = scenario.Handlers;
        return () => new ValueTask(SendAndWaitAsync());

        async Task SendAndWaitAsync()
        {
            var sent = await client.SendAsync(payload);
            var runs = sent.Runs;
            if (runs.Count != expected)
            {
                throw new InvalidOperationException($"FanOut: sending {typeof(T).Name} started {runs.Count} runs, not {expected}.");
            }
            for (int i = 0; i < runs.Count; i++)
            {
                var result = await client.WaitForRunAsync(runs[i].RunId);
                if (result.Status != RunStatus.Succeeded)
                {
                    throw new InvalidOperationException($"FanOut: run {result.RunId} of '{result.FunctionId}' ended {result.Status}.");
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (services is null)
        {
            return;
        }
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StopAsync(default);
        }
        await services.DisposeAsync();
    }
}
