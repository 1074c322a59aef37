using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FanOut.Diagnostics;

/// <summary>
/// FanOut's tracing and metrics, both named "FanOut", so OpenTelemetry picks them up with
/// <c>AddSource("FanOut")</c> and <c>AddMeter("FanOut")</c> and FanOut depends on nothing of OpenTelemetry's.
/// </summary>
public static class FanOutTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "FanOut";

    /// <summary>Activities: <c>fanout.send</c>, <c>fanout.run</c>, <c>fanout.step</c>.</summary>
    public static ActivitySource Source { get; } = new(Name);

    /// <summary>
    /// Instruments: <c>fanout.events.accepted</c>; <c>fanout.runs.started</c> (attempts); <c>fanout.runs.finished</c> by
    /// outcome (succeeded, failed, retried, timed_out, cancelled, …); <c>fanout.run.duration</c>; <c>fanout.step.duration</c>;
    /// <c>fanout.run.queue_latency</c>; and, with FanOut.AspNetCore, the Event API's counters.
    /// </summary>
    public static Meter Meter { get; } = new(Name);
}
