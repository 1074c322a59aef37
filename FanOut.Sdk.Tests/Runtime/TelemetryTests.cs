using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FanOut.Tests.Runtime;

public sealed class TelemetryTests
{
    [Fact]
    public async Task A_send_and_its_runs_and_steps_share_one_trace()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "FanOut",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var app = await TestApp.StartAsync(o => o.OnlyFunctions("issue-receipt", "record-order"), ServiceRegistration.AddTestServices);
        var key = Signals.NewKey();

        using var parent = new Activity("test-request").Start();
        var sent = await app.Client.SendAsync(new OrderPlaced(key, "o-1", 1m));
        parent.Stop();
        await app.WaitForRunsAsync(sent);

        var send = Assert.Single(activities, a => a.OperationName == "fanout.send" && a.TraceId == parent.TraceId);
        Assert.Equal(parent.SpanId, send.ParentSpanId);
        var runs = activities.Where(a => a.OperationName == "fanout.run" && Equals(a.GetTagItem("fanout.event.id"), sent.EventId)).ToArray();
        Assert.Equal(2, runs.Length);
        Assert.All(runs, r => Assert.Equal(parent.TraceId, r.TraceId));
        Assert.All(runs, r => Assert.Equal(send.SpanId, r.ParentSpanId));
        Assert.All(runs, r => Assert.Equal("succeeded", r.GetTagItem("fanout.run.outcome")));
        var receiptRun = runs.Single(r => Equals(r.GetTagItem("fanout.function.id"), "issue-receipt"));
        var steps = activities.Where(a => a.OperationName == "fanout.step" && a.ParentSpanId == receiptRun.SpanId).ToArray();
        Assert.Equal(["count-line", "count-line:1", "count-line:2"], steps.Select(s => (string)s.GetTagItem("fanout.step.id")!).Order());
    }

    [Fact]
    public async Task Finished_runs_are_counted_by_function_and_outcome()
    {
        var finished = new ConcurrentQueue<(long Value, string? Function, string? Outcome)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "FanOut" && instrument.Name == "fanout.runs.finished")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? function = null, outcome = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "fanout.function.id") function = tag.Value as string;
                if (tag.Key == "fanout.run.outcome") outcome = tag.Value as string;
            }
            finished.Enqueue((value, function, outcome));
        });
        meters.Start();
        await using var app = await TestApp.StartAsync(o =>
        {
            o.OnlyFunctions("throws-synchronously", "does-its-job");
            o.DefaultRetries = 0;
        });

        await app.SendAndWaitAsync(new IsolationTrial(Signals.NewKey()));

        Assert.Contains(finished, m => m is (1, "does-its-job", "succeeded"));
        Assert.Contains(finished, m => m is (1, "throws-synchronously", "failed"));
    }
}
