using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace FanOut.AspNetCore.Tests;

/// <summary>
/// The trace context travels with the stored run: this process accepts an event over HTTP into a SQLite file with its
/// worker off and stops; a second process (tests/FanOut.TraceHost) runs the run and writes its spans to a file.
/// </summary>
public sealed class CrossProcessTraceTests
{
    [Fact]
    public async Task One_trace_runs_from_the_HTTP_request_to_the_steps_of_a_run_that_another_process_executes()
    {
        var directory = Directory.CreateTempSubdirectory("fanout-trace-");
        try
        {
            var database = Path.Combine(directory.FullName, "fanout.db");
            var spansFile = Path.Combine(directory.FullName, "spans.txt");
            var traceId = ActivityTraceId.CreateRandom();
            var callerSpan = ActivitySpanId.CreateRandom();

            // Process 1 (this one): the HTTP request and the send; the run is stored, not executed.
            var spans = new List<Activity>();
            using (var tracing = Sdk.CreateTracerProviderBuilder()
                .AddSource("Microsoft.AspNetCore", FanOut.Diagnostics.FanOutTelemetry.Name)
                .AddInMemoryExporter(spans)
                .Build())
            {
                await using var server = await EventApiServer.StartAsync(fanout: o => o.StartWorker = false, sqlitePath: database);
                using var request = new HttpRequestMessage(HttpMethod.Post, $"e/{EventApiServer.Key}")
                {
                    Content = new StringContent("""{"name":"test/order.placed","data":{"orderId":"o-1","quantity":1}}""", Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("traceparent", $"00-{traceId}-{callerSpan}-01");
                using var response = await server.Http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var queued = Assert.Single(await server.RunsAsync());
                Assert.Equal(RunStatus.Queued, queued.Status);
                await server.DisposeAsync(); // closes the SQLite file for the next process
                tracing.ForceFlush();
            }
            Activity[] here;
            lock (spans)
            {
                here = spans.Where(s => s.TraceId == traceId).ToArray();
            }
            var http = Assert.Single(here, s => s.Source.Name == "Microsoft.AspNetCore");
            Assert.Equal(callerSpan, http.ParentSpanId);
            var send = Assert.Single(here, s => s.OperationName == "fanout.send");
            Assert.Equal(http.SpanId, send.ParentSpanId);
            Assert.DoesNotContain(here, s => s.OperationName == "fanout.run");

            // Process 2: runs the stored run, exports its spans to a file.
            await RunTraceHostAsync(database, spansFile, runsExpected: 1);

            var there = File.ReadAllLines(spansFile).Select(line => line.Split(' ')).ToArray();
            var run = Assert.Single(there, s => s[3] == "fanout.run");
            Assert.Equal([traceId.ToHexString(), send.SpanId.ToHexString()], [run[0], run[2]]);
            Assert.Equal("record-order", run[4]);
            var steps = there.Where(s => s[3] == "fanout.step").ToArray();
            Assert.Equal(["check-stock", "record"], steps.Select(s => s[4]).Order());
            Assert.All(steps, s => Assert.Equal([traceId.ToHexString(), run[1]], [s[0], s[2]]));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task RunTraceHostAsync(string database, string spansFile, int runsExpected)
    {
        var hostPath = Path.GetFullPath(typeof(CrossProcessTraceTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "FanOut.TraceHost").Value!);
        Assert.True(File.Exists(hostPath), $"The trace host was not built: {hostPath} is missing.");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { hostPath, database, spansFile, runsExpected.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The trace host did not finish within 60 s. Output: {await output} Errors: {await errors}");
        }
        Assert.True(process.ExitCode == 0, $"The trace host exited with {process.ExitCode}. Output: {await output} Errors: {await errors}");
    }
}
