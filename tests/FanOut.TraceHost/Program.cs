// The two-process trace test's second process (FanOut.AspNetCore.Tests/CrossProcessTraceTests.cs). The test process
// accepted events over HTTP into a SQLite file with its worker off, and stopped; this process opens the file, runs
// the queued runs of 'test/order.placed', and writes every FanOut span it made to a file, one a line:
// "<trace id> <span id> <parent span id> <operation> <function or step id>".
//
// Usage: FanOut.TraceHost <db> <spans-file> <runs-expected>
using System.Diagnostics;
using System.Globalization;
using FanOut;
using FanOut.Sqlite;
using FanOut.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: FanOut.TraceHost <db> <spans-file> <runs-expected>");
    return 2;
}
var (databasePath, spansFile, expected) = (args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture));

var spans = new List<Activity>();
using (var tracing = Sdk.CreateTracerProviderBuilder().AddSource(FanOut.Diagnostics.FanOutTelemetry.Name).AddInMemoryExporter(spans).Build())
{
    // Not CreateApplicationBuilder(args): the arguments are this program's own.
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders();
    builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Services.AddFanOut().UseSqlite($"Data Source={databasePath}");
    using var host = builder.Build();
    await host.StartAsync();

    var admin = host.Services.GetRequiredService<IFanOutAdmin>();
    var client = host.Services.GetRequiredService<IFanOutClient>();
    var runs = await admin.ListRunsAsync(new RunQuery { EventName = "test/order.placed" });
    if (runs.Count != expected)
    {
        Console.Error.WriteLine($"Expected {expected} run(s) of 'test/order.placed' in {databasePath}, found {runs.Count}.");
        return 1;
    }
    using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    foreach (var run in runs)
    {
        var result = await client.WaitForRunAsync(run.RunId, patience.Token);
        Console.WriteLine($"run {result.RunId} {result.FunctionId} {result.Status}");
    }
    await host.StopAsync();
    tracing.ForceFlush();
}

await File.WriteAllLinesAsync(spansFile, spans.Select(s =>
    $"{s.TraceId} {s.SpanId} {s.ParentSpanId} {s.OperationName} {s.GetTagItem("fanout.step.id") ?? s.GetTagItem("fanout.function.id")}"));
return 0;

/// <summary>The test's event, declared again here: the stored JSON is all the two processes share.</summary>
[Event("test/order.placed")]
public sealed record OrderPlaced(string OrderId, int Quantity);

/// <summary>The test's function, with the same id and steps as FanOut.AspNetCore.Tests' HttpFunctions.</summary>
public static class TraceFunctions
{
    [Function("record-order", Event = "test/order.placed")]
    public static async Task RecordOrder(Event<OrderPlaced> evt, Step step)
    {
        await step.Run("check-stock", () => Task.FromResult(evt.Data.Quantity));
        await step.Run("record", () => Task.FromResult(true));
    }
}
