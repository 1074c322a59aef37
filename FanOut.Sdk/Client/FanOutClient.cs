using System.Diagnostics;
using System.Text.Json;
using FanOut.Diagnostics;
using FanOut.Functions;
using FanOut.Ids;
using FanOut.Registration;
using FanOut.Runs;
using FanOut.Serialization;
using FanOut.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FanOut.Client;

/// <summary>
/// Accepts events: validates, assigns ids and timestamps, creates one run per function of the event, stores the event
/// with its runs in one call to the store, and only then hands the runs to the worker: straight to this process's worker
/// where it has free slots and the store claims on accept, otherwise through the queue.
/// </summary>
internal sealed class FanOutClient(
    FunctionCatalog catalog,
    IFanOutStore store,
    WorkSignal signal,
    Worker.LocalDispatch dispatch,
    RunWaiters waiters,
    Worker.RunCancellations running,
    IOptions<FanOutOptions> options,
    ILogger<FanOutClient> logger) : IFanOutClient
{
    private readonly TimeProvider time = options.Value.TimeProvider;

    public ValueTask<SendResult> SendAsync<TData>(TData data, SendOptions? sendOptions = null, CancellationToken cancellationToken = default)
    {
        if (data is null)
        {
            // Not ArgumentNullException.ThrowIfNull: it would box a struct payload on every send.
            throw new ArgumentNullException(nameof(data));
        }
        var name = EventMetadata<TData>.Name;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(data, EventMetadata<TData>.TypeInfo);
        return SendOneAsync(name, bytes, sendOptions, cancellationToken);
    }

    public ValueTask<SendResult> SendAsync(string name, JsonElement data, SendOptions? sendOptions = null, CancellationToken cancellationToken = default)
    {
        var evt = OutgoingEvent.Raw(name, data, sendOptions);
        return SendOneAsync(evt.Name, evt.Data, sendOptions, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<SendResult>> SendManyAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        using var activity = FanOutTelemetry.Source.StartActivity("fanout.send", ActivityKind.Producer);
        activity?.SetTag("fanout.event.count", events.Count);
        var batch = new EventSubmission[events.Count];
        for (int i = 0; i < events.Count; i++)
        {
            var evt = events[i] ?? throw new ArgumentException($"Event {i} of the batch is null; nothing was sent.", nameof(events));
            batch[i] = Prepare(evt.Name, evt.Data, evt.Options, activity);
        }
        return await AcceptAsync(batch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The store this client accepts events into (for a store's own send path, such as a send inside a database transaction).</summary>
    internal IFanOutStore Store => store;

    /// <summary>
    /// Builds what <see cref="SendAsync{TData}"/> would hand the store — the event with one run per hosted function —
    /// without accepting it: a store that accepts it another way (inside the caller's transaction) then reports with
    /// <see cref="Accepted(IReadOnlyList{EventSubmission}, IReadOnlyList{AcceptOutcome})"/>.
    /// </summary>
    internal EventSubmission Prepare<TData>(TData data, SendOptions? sendOptions)
    {
        ArgumentNullException.ThrowIfNull(data);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(data, EventMetadata<TData>.TypeInfo);
        return Prepare(EventMetadata<TData>.Name, bytes, sendOptions, Activity.Current);
    }

    public Task<RunResult> WaitForRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return waiters.WaitAsync(runId, cancellationToken);
    }

    private async ValueTask<SendResult> SendOneAsync(string name, ReadOnlyMemory<byte> data, SendOptions? sendOptions, CancellationToken cancellationToken)
    {
        using var activity = FanOutTelemetry.Source.StartActivity("fanout.send", ActivityKind.Producer);
        activity?.SetTag("fanout.event.name", name);
        var submission = Prepare(name, data, sendOptions, activity);
        var results = await AcceptAsync([submission], cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    private EventSubmission Prepare(string name, ReadOnlyMemory<byte> data, SendOptions? sendOptions, Activity? activity)
    {
        var now = time.GetUtcNow();
        var stored = new StoredEvent(Ulid.Shared.New(now.ToUnixTimeMilliseconds()), name, data, (sendOptions?.Timestamp ?? now).ToUnixTimeMilliseconds())
        {
            DeduplicationKey = sendOptions?.DeduplicationKey,
            V = sendOptions?.V,
            User = sendOptions?.User,
        };
        var functions = catalog.ForEvent(name);
        var runs = new RunRecord[functions.Length];
        var origin = activity?.Context ?? Activity.Current?.Context ?? default;
        for (int i = 0; i < functions.Length; i++)
        {
            runs[i] = new RunRecord(Ulid.Shared.New(now.ToUnixTimeMilliseconds()), functions[i].Id, stored) { Origin = origin, CancelOn = functions[i].CancelOn };
        }
        return new EventSubmission(stored, runs);
    }

    private async ValueTask<IReadOnlyList<SendResult>> AcceptAsync(EventSubmission[] batch, CancellationToken cancellationToken)
    {
        var worker = store.ClaimsOnAccept ? dispatch.Worker : null;
        var reserved = worker is null ? 0 : Reserve(worker, batch);
        IReadOnlyList<AcceptOutcome> outcomes;
        try
        {
            outcomes = await store.AcceptAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            worker?.Unreserve(reserved);
            if (e is OperationCanceledException)
            {
                throw;
            }
            throw new FanOutStoreException($"The store did not accept {Describe(batch)}; nothing was sent. {e.Message}", e);
        }
        return Accepted(batch, outcomes, reserved == 0 ? null : worker);
    }

    // Takes the worker's free slots for the batch's first runs and marks those runs claimed on accept.
    private static int Reserve(Worker.FanOutWorker worker, EventSubmission[] batch)
    {
        int wanted = 0;
        for (int i = 0; i < batch.Length; i++)
        {
            wanted += batch[i].Runs.Count;
        }
        var reserved = wanted == 0 ? 0 : worker.Reserve(wanted);
        for (int i = 0, marked = 0; i < batch.Length && marked < reserved; i++)
        {
            var runs = batch[i].Runs;
            for (int r = 0; r < runs.Count && marked < reserved; r++, marked++)
            {
                runs[r].ClaimedOnAccept = true;
            }
        }
        return reserved;
    }

    /// <summary>What the sender sees once the store accepted <paramref name="batch"/>: counts, logs and wakes the worker.</summary>
    internal SendResult[] Accepted(IReadOnlyList<EventSubmission> batch, IReadOnlyList<AcceptOutcome> outcomes) => Accepted(batch, outcomes, null);

    /// <summary>As <see cref="Accepted(IReadOnlyList{EventSubmission}, IReadOnlyList{AcceptOutcome})"/>; runs accepted claimed are started on <paramref name="worker"/>.</summary>
    private SendResult[] Accepted(IReadOnlyList<EventSubmission> batch, IReadOnlyList<AcceptOutcome> outcomes, Worker.FanOutWorker? worker)
    {
        var queued = false;
        var results = new SendResult[batch.Count];
        for (int i = 0; i < batch.Count; i++)
        {
            var submission = batch[i];
            var outcome = outcomes[i];
            var evt = submission.Event;
            Resolve(outcome, evt);
            FanOutMetrics.EventsAccepted.Add(1, new KeyValuePair<string, object?>("fanout.event.name", evt.Name));
            if (outcome.Duplicate)
            {
                // Its runs were never stored: the slots taken for them go back.
                worker?.Unreserve(ClaimedCount(submission.Runs));
                Log.DuplicateEvent(logger, evt.Name, evt.DeduplicationKey, outcome.EventId);
                results[i] = new SendResult(outcome.EventId, evt.Name, [], duplicate: true);
                continue;
            }
            var runs = submission.Runs;
            if (runs.Count == 0)
            {
                Log.NoFunctions(logger, evt.Name, evt.Id);
                results[i] = new SendResult(evt.Id, evt.Name, []);
                continue;
            }
            var refs = new RunRef[runs.Count];
            for (int r = 0; r < runs.Count; r++)
            {
                var run = runs[r];
                refs[r] = new RunRef(run.Id, run.FunctionId);
                if (worker is not null && run.ClaimedOnAccept)
                {
                    worker.StartAccepted(run);
                }
                else
                {
                    queued = true;
                }
            }
            Log.EventAccepted(logger, evt.Name, evt.Id, runs.Count);
            results[i] = new SendResult(evt.Id, evt.Name, refs);
        }
        if (queued)
        {
            signal.Set();
        }
        return results;
    }

    private static int ClaimedCount(IReadOnlyList<RunRecord> runs)
    {
        int count = 0;
        for (int r = 0; r < runs.Count; r++)
        {
            count += runs[r].ClaimedOnAccept ? 1 : 0;
        }
        return count;
    }

    // What the event did to runs already in the store: resumed waits, cancelled runs (cancelOn).
    private void Resolve(in AcceptOutcome outcome, StoredEvent evt)
    {
        if (outcome.Resumed > 0)
        {
            signal.Set();
        }
        if (outcome.Cancelled is { } cancelled)
        {
            foreach (var result in cancelled)
            {
                waiters.Complete(result);
            }
        }
        if (outcome.CancelRequested is { } requested)
        {
            foreach (var runId in requested)
            {
                running.Cancel(runId, CancelTrigger.ReasonFor(evt));
            }
        }
    }

    private static string Describe(EventSubmission[] batch) =>
        batch.Length == 1 ? $"event '{batch[0].Event.Name}'" : $"the batch of {batch.Length} events";
}
