using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace FanOut.AspNetCore.Tests;

/// <summary>OpenTelemetry, as an app would set it up: FanOut's and ASP.NET Core's sources, an in-memory exporter.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task One_trace_runs_from_the_HTTP_request_through_the_send_to_the_run_and_each_of_its_steps()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource("Microsoft.AspNetCore", FanOut.Diagnostics.FanOutTelemetry.Name)
            .AddInMemoryExporter(spans)
            .Build();
        await using var server = await EventApiServer.StartAsync();
        // The sender's trace, as a traced client would pass it: every span of this request's work must continue it.
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"e/{EventApiServer.Key}")
        {
            Content = new StringContent("""{"name":"test/order.placed","data":{"orderId":"o-1","quantity":1}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpan}-01");

        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(RunStatus.Succeeded, Assert.Single(await server.WaitForAllRunsAsync()).Status);
        await server.DisposeAsync(); // ends the request's and the run's spans for certain before they are read
        tracing.ForceFlush();

        Activity[] trace;
        lock (spans)
        {
            trace = spans.Where(s => s.TraceId == traceId).ToArray();
        }
        var http = Assert.Single(trace, s => s.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal(ActivityKind.Server, http.Kind);
        Assert.Equal(callerSpan, http.ParentSpanId);
        var send = Assert.Single(trace, s => s.OperationName == "fanout.send");
        Assert.Equal(http.SpanId, send.ParentSpanId);
        var run = Assert.Single(trace, s => s.OperationName == "fanout.run");
        Assert.Equal(send.SpanId, run.ParentSpanId);
        Assert.Equal("record-order", run.GetTagItem("fanout.function.id"));
        var steps = trace.Where(s => s.OperationName == "fanout.step").ToArray();
        Assert.Equal(["check-stock", "record"], steps.Select(s => (string)s.GetTagItem("fanout.step.id")!).Order());
        Assert.All(steps, s => Assert.Equal(run.SpanId, s.ParentSpanId));
    }

    [Fact]
    public async Task Events_received_step_durations_and_queue_latency_are_measured()
    {
        var measured = new ConcurrentQueue<string>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == FanOut.Diagnostics.FanOutTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, _, _) => measured.Enqueue($"{instrument.Name}={value}"));
        meters.SetMeasurementEventCallback<double>((instrument, value, _, _) => measured.Enqueue(instrument.Name));
        meters.Start();
        await using var server = await EventApiServer.StartAsync();

        using var response = await server.PostAsync("""[{"name":"test/order.placed","data":{"orderId":"o-1","quantity":1}},{"name":"test/order.placed","data":{"orderId":"o-2","quantity":2}}]""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await server.WaitForAllRunsAsync();

        // Other tests may run at the same time and be measured too; these are this test's at least.
        Assert.Contains("fanout.event_api.events.received=2", measured);
        Assert.Contains("fanout.step.duration", measured);
        Assert.Contains("fanout.run.queue_latency", measured);
        Assert.Contains("fanout.runs.started=1", measured);
    }
}
