using System.Diagnostics.Metrics;

namespace FanOut.Diagnostics;

/// <summary>The instruments of the "FanOut" meter.</summary>
internal static class FanOutMetrics
{
    public static readonly Counter<long> EventsAccepted =
        FanOutTelemetry.Meter.CreateCounter<long>("fanout.events.accepted", "{event}", "Events accepted by the store.");

    public static readonly Counter<long> RunsStarted =
        FanOutTelemetry.Meter.CreateCounter<long>("fanout.runs.started", "{run}", "Run attempts started, by function.");

    public static readonly Counter<long> RunsFinished =
        FanOutTelemetry.Meter.CreateCounter<long>("fanout.runs.finished", "{run}", "Runs finished, by function and outcome.");

    public static readonly Histogram<double> RunDuration =
        FanOutTelemetry.Meter.CreateHistogram<double>("fanout.run.duration", "s", "How long a run's last attempt took, by function and outcome.");

    public static readonly Histogram<double> StepDuration =
        FanOutTelemetry.Meter.CreateHistogram<double>("fanout.step.duration", "s", "How long a step's body took, by outcome (succeeded, failed); memoized steps are not counted.");

    public static readonly Histogram<double> QueueLatency =
        FanOutTelemetry.Meter.CreateHistogram<double>("fanout.run.queue_latency", "s", "From the send to the start of a run's first attempt, by function.");
}
