using System.Diagnostics.Metrics;
using FanOut.Diagnostics;

namespace FanOut.AspNetCore.EventApi;

/// <summary>The Event API's instruments, on FanOut's meter (<see cref="FanOutTelemetry.Meter"/>).</summary>
internal static class EventApiMetrics
{
    public static readonly Counter<long> EventsReceived =
        FanOutTelemetry.Meter.CreateCounter<long>("fanout.event_api.events.received", "{event}", "Events received and accepted through the HTTP Event API.");

    public static readonly Counter<long> RequestsRefused =
        FanOutTelemetry.Meter.CreateCounter<long>("fanout.event_api.requests.refused", "{request}", "Event API requests refused, by reason (error.type): key, seed, body_too_large, json, event, store.");
}
