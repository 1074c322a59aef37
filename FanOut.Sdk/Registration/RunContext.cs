using System.ComponentModel;
using System.Text.Json;
using FanOut.Runs;

namespace FanOut.Registration;

/// <summary>
/// One attempt of one run, as a generated invoker sees it: the event, the step tool, the attempt's DI scope and its
/// cancellation. Created by the worker for every attempt.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RunContext
{
    private readonly ReadOnlyMemory<byte> data;
    private object? typedEvent;

    internal RunContext(RunRecord run, FunctionDescriptor function, IServiceProvider services, Step step, CancellationToken cancellationToken)
    {
        Run = run;
        Function = function;
        Services = services;
        Step = step;
        CancellationToken = cancellationToken;
        data = run.Event.Data;
    }

    internal RunRecord Run { get; }

    /// <summary>The run's id.</summary>
    public string RunId => Run.Id;

    /// <summary>The function being run.</summary>
    public FunctionDescriptor Function { get; }

    /// <summary>The services of this attempt's own DI scope.</summary>
    public IServiceProvider Services { get; }

    /// <summary>The step tool of this run.</summary>
    public Step Step { get; }

    /// <summary>Cancelled when the attempt times out, the run is cancelled or the host stops.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>For a failure handler: the failure it handles. Null in a normal attempt.</summary>
    public FunctionFailure? Failure { get; init; }

    /// <summary>
    /// The triggering event with its data read as <typeparamref name="TData"/>. Each run reads its own copy, so one
    /// function cannot change what another sees.
    /// </summary>
    /// <exception cref="EventDataException">The data does not match <typeparamref name="TData"/>; the message names the event, the function and the member.</exception>
    public Event<TData> GetEvent<TData>()
    {
        if (typedEvent is Event<TData> cached)
        {
            return cached;
        }
        var stored = Run.Event;
        TData? value;
        try
        {
            value = JsonSerializer.Deserialize(data.Span, EventMetadata<TData>.TypeInfo);
        }
        catch (JsonException e)
        {
            throw EventDataException.For(stored, Function.Id, typeof(TData), e);
        }
        if (value is null)
        {
            throw EventDataException.For(stored, Function.Id, typeof(TData), null);
        }
        var evt = new Event<TData>(stored.Id, stored.Name, value, stored.Ts)
        {
            DeduplicationKey = stored.DeduplicationKey,
            V = stored.V,
            User = stored.User,
        };
        typedEvent = evt;
        return evt;
    }
}
