using System.Text.Json;

namespace FanOut;

/// <summary>Sends events, and lets a caller wait for the runs they started.</summary>
public interface IFanOutClient
{
    /// <summary>
    /// Sends one event whose name comes from the <see cref="EventAttribute"/> on <typeparamref name="TData"/>, and starts
    /// one run per function of that event. Returns once the event is accepted; the runs go on independently.
    /// </summary>
    /// <typeparam name="TData">The payload type.</typeparam>
    /// <param name="data">The payload.</param>
    /// <param name="options">The envelope's optional parts (deduplication key, timestamp, <c>v</c>, <c>user</c>).</param>
    /// <param name="cancellationToken">Cancels the send (not the runs).</param>
    /// <returns>The event's id and its runs.</returns>
    ValueTask<SendResult> SendAsync<TData>(TData data, SendOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Sends an event by name with raw JSON data, for events declared elsewhere.</summary>
    /// <param name="name">The event name.</param>
    /// <param name="data">The data: a JSON object.</param>
    /// <param name="options">The envelope's optional parts.</param>
    /// <param name="cancellationToken">Cancels the send (not the runs).</param>
    /// <returns>The event's id and its runs.</returns>
    ValueTask<SendResult> SendAsync(string name, JsonElement data, SendOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Sends many events in one call: all are accepted, or none is.</summary>
    /// <param name="events">The events, built with <see cref="OutgoingEvent.Create{TData}"/> or <see cref="OutgoingEvent.Raw"/>.</param>
    /// <param name="cancellationToken">Cancels the send (not the runs).</param>
    /// <returns>One result per event, in order.</returns>
    ValueTask<IReadOnlyList<SendResult>> SendManyAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Waits until a run has finished, and returns its outcome.</summary>
    /// <param name="runId">The run id, from <see cref="SendResult.Runs"/>.</param>
    /// <param name="cancellationToken">Stops waiting (the run goes on).</param>
    /// <returns>The outcome.</returns>
    Task<RunResult> WaitForRunAsync(string runId, CancellationToken cancellationToken = default);
}
