using System.Diagnostics;
using System.Diagnostics.Tracing;
using FanOut.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FanOut.Benchmarks;

/// <summary>
/// <c>--allocations</c>: sends one event to 4 synchronous functions in a loop and breaks the bytes allocated per event down
/// by type, from the runtime's sampled GCAllocationTick events (one sample per ~100 KB, weighted by the amount it stands
/// for). A statistical breakdown, not an exact count; the total per event is exact (GC.GetTotalAllocatedBytes).
/// Also the loop to put under <c>dotnet-trace collect --profile cpu-sampling</c>.
/// </summary>
public static class AllocationProfile
{
    public static async Task<int> RunAsync(int events)
    {
        var services = new ServiceCollection();
        services.AddFanOut().UseInMemoryStore(o =>
        {
            o.FinishedRunRetention = TimeSpan.FromSeconds(2);
            o.PruneInterval = TimeSpan.FromSeconds(1);
        });
        await using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().ToArray();
        foreach (var service in hosted)
        {
            await service.StartAsync(default);
        }
        var client = provider.GetRequiredService<IFanOutClient>();
        var payload = new Sync4(1);
        for (int i = 0; i < 20_000; i++)
        {
            await SendAndWait(client, payload);
        }

        using var listener = new AllocationListener();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < events; i++)
        {
            await SendAndWait(client, payload);
        }
        clock.Stop();
        var total = GC.GetTotalAllocatedBytes(precise: true) - before;
        listener.Dispose();

        Console.WriteLine($"{events:N0} events to 4 sync functions: {clock.Elapsed.TotalMicroseconds / events:F1} us/event, {total / (double)events:F0} B/event (exact)");
        var sampled = listener.ByType.Values.Sum();
        Console.WriteLine($"| type | B/event (sampled) | share |");
        Console.WriteLine($"|---|---:|---:|");
        foreach (var (type, bytes) in listener.ByType.OrderByDescending(p => p.Value).Take(30))
        {
            Console.WriteLine($"| `{type}` | {bytes / (double)events:F0} | {100.0 * bytes / sampled:F1} % |");
        }
        foreach (var service in hosted)
        {
            await service.StopAsync(default);
        }
        return 0;
    }

    private static async Task SendAndWait(IFanOutClient client, Sync4 payload)
    {
        var sent = await client.SendAsync(payload);
        for (int i = 0; i < sent.Runs.Count; i++)
        {
            var result = await client.WaitForRunAsync(sent.Runs[i].RunId);
            if (result.Status != RunStatus.Succeeded)
            {
                throw new InvalidOperationException($"Run {result.RunId} ended {result.Status}.");
            }
        }
    }

    private sealed class AllocationListener : EventListener
    {
        private const EventKeywords GcKeyword = (EventKeywords)0x1;
        private readonly Lock gate = new();

        public Dictionary<string, long> ByType { get; } = new(StringComparer.Ordinal);

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, EventLevel.Verbose, GcKeyword);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null)
            {
                return;
            }
            var type = e.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? e.Payload[t] as string ?? "?" : "?";
            var amount = e.PayloadNames!.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload[a]) : 100_000;
            lock (gate)
            {
                ByType[type] = ByType.GetValueOrDefault(type) + amount;
            }
        }
    }
}
