using BenchmarkDotNet.Attributes;
using FanOut.Runs;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FanOut.Benchmarks;

/// <summary>How the handlers finish: at once, or after one <c>await Task.Yield()</c> (a hop through the thread pool).</summary>
public enum Completion
{
    Sync,
    Yield,
}

/// <summary>
/// One event to N handlers, timed until every handler has finished. FanOut: <c>SendAsync</c> then <c>WaitForRunAsync</c>
/// for every run, on the default in-memory store with the hosted worker running. Mediator 3.0.2: <c>Publish</c> with
/// <see cref="TaskWhenAllPublisher"/>. Plain: call the N delegates and <c>Task.WhenAll</c> their tasks.
/// </summary>
[MemoryDiagnoser]
public class FanOutBenchmarks
{
    private ServiceProvider fanOutServices = null!;
    private ServiceProvider mediatorServices = null!;
    private Func<Task> fanOut = null!;
    private Func<ValueTask> mediator = null!;
    private Func<Task> plain = null!;

    [Params(1, 4, 16)]
    public int Handlers { get; set; }

    [Params(Completion.Sync, Completion.Yield)]
    public Completion Completion { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        var services = new ServiceCollection();
        // Finished runs are kept only briefly, so that millions of iterations do not grow the store without bound.
        services.AddFanOut().UseInMemoryStore(o =>
        {
            o.FinishedRunRetention = TimeSpan.FromSeconds(2);
            o.PruneInterval = TimeSpan.FromSeconds(1);
        });
        fanOutServices = services.BuildServiceProvider();
        foreach (var hosted in fanOutServices.GetServices<IHostedService>())
        {
            await hosted.StartAsync(default);
        }

        mediatorServices = new ServiceCollection()
            .AddMediator(static (MediatorOptions o) =>
            {
                o.ServiceLifetime = ServiceLifetime.Singleton;
                o.NotificationPublisherType = typeof(TaskWhenAllPublisher);
            })
            .BuildServiceProvider();

        var client = fanOutServices.GetRequiredService<IFanOutClient>();
        var publisher = mediatorServices.GetRequiredService<global::Mediator.Mediator>();
        (fanOut, mediator, plain) = (Completion, Handlers) switch
        {
            (Completion.Sync, 1) => Contenders(client, publisher, new Sync1(1), Sync1Functions.Delegates),
            (Completion.Sync, 4) => Contenders(client, publisher, new Sync4(1), Sync4Functions.Delegates),
            (Completion.Sync, 16) => Contenders(client, publisher, new Sync16(1), Sync16Functions.Delegates),
            (Completion.Yield, 1) => Contenders(client, publisher, new Yield1(1), Yield1Functions.Delegates),
            (Completion.Yield, 4) => Contenders(client, publisher, new Yield4(1), Yield4Functions.Delegates),
            (Completion.Yield, 16) => Contenders(client, publisher, new Yield16(1), Yield16Functions.Delegates),
            _ => throw new InvalidOperationException($"No scenario for {Handlers} {Completion} handlers."),
        };

        // Each contender once, outside the measurements: FanOut must have started exactly N runs, all succeeded.
        await fanOut();
        await mediator();
        await plain();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        foreach (var hosted in fanOutServices.GetServices<IHostedService>())
        {
            await hosted.StopAsync(default);
        }
        await fanOutServices.DisposeAsync();
        await mediatorServices.DisposeAsync();
    }

    [Benchmark(Description = "FanOut: send, wait for all runs")]
    public Task FanOut() => fanOut();

    [Benchmark(Baseline = true, Description = "Mediator: TaskWhenAllPublisher")]
    public ValueTask Mediator() => mediator();

    [Benchmark(Description = "Plain: N delegates, Task.WhenAll")]
    public Task Plain() => plain();

    private (Func<Task>, Func<ValueTask>, Func<Task>) Contenders<T>(
        IFanOutClient client, global::Mediator.Mediator publisher, T payload, Func<T, CancellationToken, Task>[] delegates)
        where T : INotification
    {
        var expected = Handlers;
        return (SendAndWait, () => publisher.Publish(payload), CallAll);

        async Task SendAndWait()
        {
            var sent = await client.SendAsync(payload);
            var runs = sent.Runs;
            if (runs.Count != expected)
            {
                throw new InvalidOperationException($"Sending {typeof(T).Name} started {runs.Count} runs, not {expected}.");
            }
            for (int i = 0; i < runs.Count; i++)
            {
                var result = await client.WaitForRunAsync(runs[i].RunId);
                if (result.Status != RunStatus.Succeeded)
                {
                    throw new InvalidOperationException($"Run {result.RunId} of '{result.FunctionId}' ended {result.Status}.");
                }
            }
        }

        Task CallAll()
        {
            var tasks = new Task[delegates.Length];
            for (int i = 0; i < delegates.Length; i++)
            {
                tasks[i] = delegates[i](payload, CancellationToken.None);
            }
            return Task.WhenAll(tasks);
        }
    }
}
