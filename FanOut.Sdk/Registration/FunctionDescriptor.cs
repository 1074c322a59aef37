using System.ComponentModel;

namespace FanOut.Registration;

/// <summary>Calls one function's method for one attempt of a run. Emitted by the generator, one per function.</summary>
/// <param name="context">The attempt: its event, step tool, scoped services and cancellation.</param>
/// <returns>The function's output, or null for a function that returns none.</returns>
public delegate ValueTask<object?> FunctionInvoker(RunContext context);

/// <summary>
/// A function as the generator describes it: its id, its event, and a typed invoker. Emitted by the generator;
/// not meant to be written by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class FunctionDescriptor
{
    /// <summary>Describes a function.</summary>
    /// <param name="id">The function id.</param>
    /// <param name="eventName">The name of the event that triggers it.</param>
    /// <param name="declaringType">The class that declares the method (for subsets such as <c>OnlyFunctionsOf&lt;T&gt;()</c>).</param>
    /// <param name="invoker">Calls the method for one attempt.</param>
    public FunctionDescriptor(string id, string eventName, Type declaringType, FunctionInvoker invoker)
    {
        Id = id;
        EventName = eventName;
        DeclaringType = declaringType;
        Invoker = invoker;
    }

    /// <summary>The function id.</summary>
    public string Id { get; }

    /// <summary>The name of the event that triggers the function.</summary>
    public string EventName { get; }

    /// <summary>The class that declares the method.</summary>
    public Type DeclaringType { get; }

    /// <summary>Calls the method for one attempt.</summary>
    public FunctionInvoker Invoker { get; }

    /// <summary>The type of the function's output (the T of <c>Task&lt;T&gt;</c>), or null when it returns none. Its serializer is generated.</summary>
    public Type? OutputType { get; init; }

    /// <summary>The per-attempt timeout set on the attribute, or null for the configured default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The retries set on the attribute, or null for the configured default.</summary>
    public int? Retries { get; init; }

    /// <summary>Calls the function's failure handler (<see cref="FunctionAttribute.OnFailure"/>), with <see cref="RunContext.Failure"/> set; null when it has none.</summary>
    public FunctionInvoker? FailureHandler { get; init; }

    /// <summary>The events that cancel this function's runs (<see cref="CancelOnAttribute"/>).</summary>
    public IReadOnlyList<CancelTrigger> CancelOn { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() => $"{Id} (on {EventName})";
}
