using System.Diagnostics;
using System.Text.Json;
using FanOut.Functions;
using FanOut.Ids;
using FanOut.Registration;
using FanOut.Runs;
using FanOut.Serialization;
using FanOut.Stores;

namespace FanOut;

/// <summary>
/// The step tool of one run. A step is a unit of work with a stable id whose outcome is memoized: a run is executed from
/// the top on every attempt, and a step that already succeeded (in an earlier attempt, or before a crash) returns its
/// stored result without running again. Only the steps that did not finish run.
/// </summary>
/// <remarks>
/// <para>Code outside steps runs again on every attempt, so it must be deterministic: read the clock, make ids or call
/// services inside steps.</para>
/// <para>Step ids must be stable across attempts (use constants). An id used again within one run, as in a loop, becomes
/// <c>id:1</c>, <c>id:2</c>, … in order of use, as in Inngest. Steps may run in parallel: start several and await them
/// with <see cref="Task.WhenAll(Task[])"/>.</para>
/// <para>A failing step is retried on a later attempt of the run (its own retries count, with backoff); while retries
/// remain, <c>Run</c> ends the attempt by throwing <see cref="AttemptInterruptedException"/>, which must not be caught.
/// When they run out, <c>Run</c> throws <see cref="StepFailedException"/>, which may be caught.</para>
/// <para>There is deliberately no <c>Run&lt;T&gt;(id, Func&lt;T&gt;)</c>: with it, <c>() =&gt; SendAsync()</c> would bind
/// <c>T = Task</c> and memoize a task instead of its result.</para>
/// </remarks>
public sealed class Step
{
    private readonly StepJournal journal;
    private readonly TimeProvider time;
    private readonly IServiceProvider services;
    private readonly StoredEvent trigger;

    internal Step(StepJournal journal, TimeProvider time, IServiceProvider services, StoredEvent trigger)
    {
        this.journal = journal;
        this.time = time;
        this.services = services;
        this.trigger = trigger;
    }

    /// <summary>
    /// The id of the run these steps belong to: the same on every attempt, so it may name the run in logs or serve as an
    /// idempotency key towards other systems.
    /// </summary>
    public string RunId => journal.RunId;

    /// <summary>Runs a step that produces a value and returns it, or returns its memoized value.</summary>
    /// <typeparam name="T">The result type; its serializer is generated.</typeparam>
    /// <param name="id">The step id, a constant.</param>
    /// <param name="body">The work.</param>
    /// <returns>The step's result.</returns>
    public Task<T> Run<T>(string id, Func<Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return RunUnique(journal.Reserve(id), body);
    }

    /// <summary>
    /// Sends an event from the function, as a step: memoized, so a retry does not send it again, and deduplicated by a
    /// key made from the run and step ids (unless <paramref name="options"/> gives one), so even a crash between the send
    /// and its memo starts the event's runs once. The event fans out like any other.
    /// </summary>
    /// <typeparam name="TData">The payload type, declared with <see cref="EventAttribute"/>.</typeparam>
    /// <param name="id">The step id, a constant.</param>
    /// <param name="data">The payload.</param>
    /// <param name="options">The envelope's optional parts.</param>
    /// <returns>The sent event's id.</returns>
    public Task<string> SendEvent<TData>(string id, TData data, SendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var uniqueId = journal.Reserve(id);
        return RunUnique(uniqueId, async () =>
        {
            var client = (IFanOutClient?)services.GetService(typeof(IFanOutClient))
                ?? throw new InvalidOperationException("step.SendEvent needs IFanOutClient; call services.AddFanOut().");
            var keyed = new SendOptions
            {
                DeduplicationKey = options?.DeduplicationKey ?? journal.RunId + "/" + uniqueId,
                Timestamp = options?.Timestamp,
                V = options?.V,
                User = options?.User,
            };
            var sent = await client.SendAsync(data, keyed, journal.AttemptToken).ConfigureAwait(false);
            return sent.EventId;
        });
    }

    /// <summary>
    /// Sends several events from the function as one step, all or nothing (<see cref="IFanOutClient.SendManyAsync"/>):
    /// memoized, and each event deduplicated by a key made from the run id, the step id and its position (unless it has
    /// its own), so a retry or a crash sends none of them twice. Each fans out like any other event.
    /// </summary>
    /// <param name="id">The step id, a constant.</param>
    /// <param name="events">The events (<see cref="OutgoingEvent.Create{TData}"/>).</param>
    /// <returns>The sent events' ids, in order.</returns>
    public async Task<IReadOnlyList<string>> SendEvents(string id, IReadOnlyList<OutgoingEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var uniqueId = journal.Reserve(id);
        return await RunUnique(uniqueId, async () =>
        {
            var client = (IFanOutClient?)services.GetService(typeof(IFanOutClient))
                ?? throw new InvalidOperationException("step.SendEvents needs IFanOutClient; call services.AddFanOut().");
            var keyed = new OutgoingEvent[events.Count];
            for (int i = 0; i < keyed.Length; i++)
            {
                var evt = events[i] ?? throw new ArgumentException($"Event {i} of step '{uniqueId}' is null; nothing was sent.", nameof(events));
                keyed[i] = evt.WithDefaultKey(journal.RunId + "/" + uniqueId + "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            var sent = await client.SendManyAsync(keyed, journal.AttemptToken).ConfigureAwait(false);
            var ids = new string[sent.Count];
            for (int i = 0; i < ids.Length; i++)
            {
                ids[i] = sent[i].EventId;
            }
            return ids;
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Suspends the run for <paramref name="duration"/>: no thread or task is held while it waits; the run is queued again,
    /// due at its wake time, and resumes from its memo — also after a restart. Memoized: the wake time is fixed the first
    /// time the step runs.
    /// </summary>
    /// <param name="id">The step id, a constant.</param>
    /// <param name="duration">How long to sleep.</param>
    /// <returns>A task that completes when the sleep is over (in a later attempt of the run).</returns>
    public Task Sleep(string id, TimeSpan duration) => SleepUntil(id, time.GetUtcNow() + duration);

    /// <summary>Suspends the run until <paramref name="until"/>; see <see cref="Sleep"/>.</summary>
    /// <param name="id">The step id, a constant.</param>
    /// <param name="until">When to wake.</param>
    /// <returns>A task that completes when the sleep is over (in a later attempt of the run).</returns>
    public Task SleepUntil(string id, DateTimeOffset until)
    {
        var uniqueId = journal.Reserve(id);
        var memo = journal.Memo(uniqueId);
        if (memo?.Status == StepStatus.Succeeded)
        {
            DateTimeOffset wakeAt;
            try
            {
                wakeAt = journal.Read<DateTimeOffset>(memo);
            }
            catch (NonRetriableException e)
            {
                return Task.FromException(e);
            }
            return wakeAt <= time.GetUtcNow() ? Task.CompletedTask : Task.FromException(journal.Suspend(uniqueId, wakeAt));
        }
        if (Unavailable(uniqueId, memo) is { } error)
        {
            return Task.FromException(error);
        }
        return FirstSleep(uniqueId, until);
    }

    /// <summary>
    /// Suspends the run until an event of type <typeparamref name="TData"/> arrives, and returns it; or returns null
    /// when <paramref name="timeout"/> passes first. No thread or task is held while it waits. With
    /// <paramref name="match"/> (Inngest's <c>match</c>, such as <c>data.userId</c>), only an event whose field there
    /// equals the same field of this run's triggering event counts. An event accepted after this run's trigger but
    /// before the wait began is found too (the wait looks back), so a fast sender cannot slip past it. Memoized: the
    /// event (or the timeout) is the step's result.
    /// </summary>
    /// <typeparam name="TData">The awaited event's payload type, declared with <see cref="EventAttribute"/>: it names the event.</typeparam>
    /// <param name="id">The step id, a constant.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="match">A field path both events must share (<c>data.</c> then property names), or null for any event of that name.</param>
    /// <returns>The event, or null at the timeout.</returns>
    /// <exception cref="ArgumentException">The timeout is not positive, or <paramref name="match"/> is not a valid path.</exception>
    public Task<Event<TData>?> WaitForEvent<TData>(string id, TimeSpan timeout, string? match = null)
    {
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, $"Step '{id}' of run {RunId}: a wait's timeout must be positive.");
        }
        if (match is not null && !EventMatch.IsValidPath(match, out var pathError))
        {
            throw new ArgumentException($"Step '{id}' of run {RunId}: {pathError}.", nameof(match));
        }
        var uniqueId = journal.Reserve(id);
        var memo = journal.Memo(uniqueId);
        if (memo?.Status == StepStatus.Succeeded)
        {
            try
            {
                return Task.FromResult(memo.Output is { } json ? ReadEvent<TData>(uniqueId, json) : null);
            }
            catch (NonRetriableException e)
            {
                return Task.FromException<Event<TData>?>(e);
            }
        }
        if (Unavailable(uniqueId, memo) is { } error)
        {
            return Task.FromException<Event<TData>?>(error);
        }
        var name = EventMetadata<TData>.Name;
        var value = match is null ? null : EventMatch.ValueOf(trigger.Data, match);
        var wait = new EventWait(uniqueId, journal.Now + timeout, name, match, value);
        return Task.FromException<Event<TData>?>(journal.Await(wait,
            $"Run {RunId}: step '{uniqueId}' waits for '{name}' until {wait.ExpiresAt:O}; this attempt of the run ends here and the run resumes when it arrives. Do not catch this exception."));
    }

    /// <summary>
    /// Runs another function with <paramref name="payload"/> and returns its output: a new run of that function alone
    /// (not a fan-out), whose result becomes this step's. This run is suspended meanwhile, holding no thread. The child
    /// uses its own retries; if it fails, is cancelled or times out, or <paramref name="timeout"/> passes first, this
    /// step throws <see cref="InvokeFailedException"/>. Memoized, and the child is started once even across a crash.
    /// </summary>
    /// <typeparam name="TPayload">The function's payload type.</typeparam>
    /// <typeparam name="TOutput">The function's output type.</typeparam>
    /// <param name="id">The step id, a constant.</param>
    /// <param name="function">The function, from the generated <c>FanOut.Generated.Functions</c>.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="timeout">How long to wait for the child; null waits as long as it runs.</param>
    /// <returns>The child's output.</returns>
    public Task<TOutput> Invoke<TPayload, TOutput>(string id, FunctionRef<TPayload, TOutput> function, TPayload payload, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        return InvokeUnique<TPayload, TOutput>(id, function.Id, payload, timeout);
    }

    /// <summary>Runs another function that has no output, and waits until it has succeeded; see <see cref="Invoke{TPayload, TOutput}"/>.</summary>
    /// <typeparam name="TPayload">The function's payload type.</typeparam>
    /// <param name="id">The step id, a constant.</param>
    /// <param name="function">The function, from the generated <c>FanOut.Generated.Functions</c>.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="timeout">How long to wait for the child; null waits as long as it runs.</param>
    /// <returns>A task that completes when the child has succeeded.</returns>
    public Task Invoke<TPayload>(string id, FunctionRef<TPayload> function, TPayload payload, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        return InvokeUnique<TPayload, object?>(id, function.Id, payload, timeout);
    }

    private Task<TOutput> InvokeUnique<TPayload, TOutput>(string id, string functionId, TPayload payload, TimeSpan? timeout)
    {
        if (payload is null)
        {
            throw new ArgumentNullException(nameof(payload));
        }
        if (timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, $"Step '{id}' of run {RunId}: an invoke's timeout must be positive.");
        }
        var uniqueId = journal.Reserve(id);
        var memo = journal.Memo(uniqueId);
        if (memo?.Status == StepStatus.Succeeded)
        {
            try
            {
                return Task.FromResult(typeof(TOutput) == typeof(object) ? default! : journal.Read<TOutput>(memo));
            }
            catch (NonRetriableException e)
            {
                return Task.FromException<TOutput>(e);
            }
        }
        if (memo?.Status == StepStatus.Failed && memo.Error is { Type: InvokeWait.ChildFailedType or InvokeWait.TimedOutType } childError)
        {
            return Task.FromException<TOutput>(InvokeFailure(uniqueId, functionId, memo, childError));
        }
        if (Unavailable(uniqueId, memo) is { } error)
        {
            return Task.FromException<TOutput>(error);
        }
        var now = journal.Now;
        var nowMs = now.ToUnixTimeMilliseconds();
        var data = JsonSerializer.SerializeToUtf8Bytes(payload, EventMetadata<TPayload>.TypeInfo);
        var evt = new StoredEvent(Ulid.Shared.New(nowMs), InvokeWait.EventName, data, nowMs);
        var catalog = (FunctionCatalog?)services.GetService(typeof(FunctionCatalog));
        var child = new RunRecord(Ulid.Shared.New(nowMs), functionId, evt)
        {
            Origin = Activity.Current?.Context ?? default,
            CancelOn = catalog?.Find(functionId)?.CancelOn ?? [],
        };
        var wait = new InvokeWait(uniqueId, timeout is { } limit ? now + limit : DateTimeOffset.MaxValue, new EventSubmission(evt, [child]));
        return Task.FromException<TOutput>(journal.Await(wait,
            $"Run {RunId}: step '{uniqueId}' invoked '{functionId}' (run {child.Id}); this attempt of the run ends here and the run resumes when that run ends. Do not catch this exception."));
    }

    private static InvokeFailedException InvokeFailure(string uniqueId, string functionId, StepState memo, RunError error)
    {
        // The memo's output says which run and how it ended; the exception carries the child's own error.
        string childRunId = "";
        RunStatus? status = null;
        if (memo.Output is { } json)
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            childRunId = root.GetProperty("runId").GetString() ?? "";
            if (root.TryGetProperty("status", out var s) && Enum.TryParse<RunStatus>(s.GetString(), out var parsed))
            {
                status = parsed;
            }
            if (root.TryGetProperty("errorType", out var type) && root.TryGetProperty("errorMessage", out var message))
            {
                error = new RunError(type.GetString() ?? "", message.GetString() ?? "", null);
            }
        }
        return new InvokeFailedException(uniqueId, functionId, childRunId, status, error);
    }

    private Event<TData> ReadEvent<TData>(string uniqueId, ReadOnlyMemory<byte> json)
    {
        try
        {
            var stored = StoredEventJson.Deserialize(json);
            var data = JsonSerializer.Deserialize(stored.Data.Span, EventMetadata<TData>.TypeInfo)
                ?? throw new JsonException("the data is null");
            return new Event<TData>(stored.Id, stored.Name, data, stored.Ts)
            {
                DeduplicationKey = stored.DeduplicationKey,
                V = stored.V,
                User = stored.User,
            };
        }
        catch (JsonException e)
        {
            throw new NonRetriableException(
                $"Step '{uniqueId}' of run {RunId} received an event whose data does not fit {typeof(TData).Name}: {e.Message} " +
                "Fix the sender or the type, then replay the run.", e);
        }
    }

    private async Task FirstSleep(string uniqueId, DateTimeOffset until)
    {
        await journal.SaveSleepAsync(uniqueId, until).ConfigureAwait(false);
        if (until > time.GetUtcNow())
        {
            throw journal.Suspend(uniqueId, until);
        }
    }

    private Task<T> RunUnique<T>(string uniqueId, Func<Task<T>> body)
    {
        var memo = journal.Memo(uniqueId);
        if (memo?.Status == StepStatus.Succeeded)
        {
            try
            {
                return Task.FromResult(journal.Read<T>(memo));
            }
            catch (NonRetriableException e)
            {
                return Task.FromException<T>(e);
            }
        }
        if (Unavailable(uniqueId, memo) is { } error)
        {
            return Task.FromException<T>(error);
        }
        return Execute(uniqueId, (memo?.Attempts ?? 0) + 1, body);
    }

    /// <summary>Runs a step that produces no value, unless it already succeeded.</summary>
    /// <param name="id">The step id, a constant.</param>
    /// <param name="body">The work.</param>
    /// <returns>A task that completes when the step has.</returns>
    public Task Run(string id, Func<Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var uniqueId = journal.Reserve(id);
        var memo = journal.Memo(uniqueId);
        if (memo?.Status == StepStatus.Succeeded)
        {
            return Task.CompletedTask;
        }
        if (Unavailable(uniqueId, memo) is { } error)
        {
            return Task.FromException(error);
        }
        return Execute(uniqueId, (memo?.Attempts ?? 0) + 1, body);
    }

    private Exception? Unavailable(string uniqueId, StepState? memo)
    {
        if (memo?.Status == StepStatus.Failed)
        {
            return new StepFailedException(uniqueId, memo.Error!);
        }
        // Once an attempt is interrupted, no further step may start in it, even if user code swallowed the signal.
        return journal.Interrupted;
    }

    private async Task<T> Execute<T>(string uniqueId, int attempt, Func<Task<T>> body)
    {
        using var activity = StepActivity(uniqueId, attempt);
        if (journal.HasUnsaved)
        {
            // StepSaving.WithNextWrite: the steps before this one are durable before it acts on their results.
            await journal.FlushAsync().ConfigureAwait(false);
        }
        var startedAt = time.GetUtcNow();
        journal.Started(uniqueId, attempt, startedAt);
        byte[] output;
        T result;
        try
        {
            result = await body().ConfigureAwait(false);
            output = journal.Write(uniqueId, result);
        }
        catch (Exception e) when (e is not AttemptInterruptedException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            RecordDuration(startedAt, "failed");
            throw await journal.FailAsync(uniqueId, attempt, startedAt, e).ConfigureAwait(false);
        }
        RecordDuration(startedAt, "succeeded");
        await journal.SucceedAsync(uniqueId, attempt, startedAt, output).ConfigureAwait(false);
        return result;
    }

    private async Task Execute(string uniqueId, int attempt, Func<Task> body)
    {
        using var activity = StepActivity(uniqueId, attempt);
        if (journal.HasUnsaved)
        {
            // StepSaving.WithNextWrite: the steps before this one are durable before it acts on their results.
            await journal.FlushAsync().ConfigureAwait(false);
        }
        var startedAt = time.GetUtcNow();
        journal.Started(uniqueId, attempt, startedAt);
        try
        {
            await body().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not AttemptInterruptedException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            RecordDuration(startedAt, "failed");
            throw await journal.FailAsync(uniqueId, attempt, startedAt, e).ConfigureAwait(false);
        }
        RecordDuration(startedAt, "succeeded");
        await journal.SucceedAsync(uniqueId, attempt, startedAt, null).ConfigureAwait(false);
    }

    private void RecordDuration(DateTimeOffset startedAt, string outcome)
    {
        if (Diagnostics.FanOutMetrics.StepDuration.Enabled)
        {
            Diagnostics.FanOutMetrics.StepDuration.Record(
                (time.GetUtcNow() - startedAt).TotalSeconds,
                new KeyValuePair<string, object?>("fanout.step.outcome", outcome));
        }
    }

    private Activity? StepActivity(string uniqueId, int attempt)
    {
        var activity = Diagnostics.FanOutTelemetry.Source.StartActivity("fanout.step");
        if (activity is not null)
        {
            activity.SetTag("fanout.run.id", journal.RunId);
            activity.SetTag("fanout.step.id", uniqueId);
            activity.SetTag("fanout.step.attempt", attempt);
        }
        return activity;
    }
}
