using BenchmarkDotNet.Attributes;

namespace Peers.InProcess;

/// <summary>
/// One event to N handlers, timed until every handler has finished, for five contenders side by side: FanOut's in-memory
/// path, Mediator 3.0.2 (TaskWhenAllPublisher, the baseline), MassTransit 8.5.12's mediator, Wolverine 6.62.0 (separated
/// handlers, waited for with a countdown) and a plain Task.WhenAll. Each benchmark method has its own GlobalSetup, so a
/// benchmark process starts only the contender it measures (no Wolverine threads idling beside Mediator's figures).
/// </summary>
[MemoryDiagnoser]
public class InProcessFanOutBenchmarks
{
    private IContender? contender;
    private Func<ValueTask> operation = null!;

    [Params(1, 4, 16)]
    public int Handlers { get; set; }

    [Params(Completion.Sync, Completion.Yield)]
    public Completion Completion { get; set; }

    [GlobalSetup(Target = nameof(FanOut))]
    public Task SetupFanOut() => StartAsync(new FanOutContender());

    [GlobalSetup(Target = nameof(Mediator))]
    public Task SetupMediator() => StartAsync(new MediatorContender());

    [GlobalSetup(Target = nameof(MassTransit))]
    public Task SetupMassTransit() => StartAsync(new MassTransitContender());

    [GlobalSetup(Target = nameof(Wolverine))]
    public Task SetupWolverine() => StartAsync(new WolverineContender());

    [GlobalSetup(Target = nameof(Plain))]
    public Task SetupPlain() => StartAsync(new PlainContender());

    [GlobalCleanup]
    public async Task Cleanup()
    {
        if (contender is null)
        {
            return;
        }
        try
        {
            await CheckAsync();
            if (WolverineCountdown.ExtraSignals != 0)
            {
                throw new InvalidOperationException(
                    $"Wolverine: {WolverineCountdown.ExtraSignals} handler run(s) signalled when no operation waited for them: some message was handled more than once.");
            }
        }
        finally
        {
            await contender.DisposeAsync();
        }
    }

    [Benchmark(Description = "FanOut: send, wait for all runs")]
    public ValueTask FanOut() => operation();

    [Benchmark(Baseline = true, Description = "Mediator 3.0.2: TaskWhenAllPublisher")]
    public ValueTask Mediator() => operation();

    [Benchmark(Description = "MassTransit 8.5.12: mediator Publish")]
    public ValueTask MassTransit() => operation();

    [Benchmark(Description = "Wolverine 6.62.0: PublishAsync, separated, until all ran")]
    public ValueTask Wolverine() => operation();

    [Benchmark(Description = "Plain: N delegates, Task.WhenAll")]
    public ValueTask Plain() => operation();

    private async Task StartAsync(IContender started)
    {
        contender = started;
        operation = await ((Completion, Handlers) switch
        {
            (Completion.Sync, 1) => started.StartAsync(Sync1Scenario.Instance),
            (Completion.Sync, 4) => started.StartAsync(Sync4Scenario.Instance),
            (Completion.Sync, 16) => started.StartAsync(Sync16Scenario.Instance),
            (Completion.Yield, 1) => started.StartAsync(Yield1Scenario.Instance),
            (Completion.Yield, 4) => started.StartAsync(Yield4Scenario.Instance),
            (Completion.Yield, 16) => started.StartAsync(Yield16Scenario.Instance),
            _ => throw new InvalidOperationException($"No scenario for {Handlers} {Completion} handlers."),
        });
        await CheckAsync();
    }

    /// <summary>
    /// One operation outside the measurements. FanOut checks every operation itself (N runs, all succeeded) and Plain calls
    /// its N delegates by construction; Mediator's, MassTransit's and Wolverine's handlers are counted: each must have run
    /// exactly once by the time the operation completes, and none again 200 ms later.
    /// </summary>
    private Task CheckAsync() => contender switch
    {
        FanOutContender or PlainContender => operation().AsTask(),
        _ => Tally.CheckAsync(contender!.Name, Handlers, () => operation().AsTask()),
    };
}
