namespace FanOut;

/// <summary>
/// Makes a method a FanOut function: it runs once for every event named by <see cref="Event"/>,
/// independently of every other function of that event.
/// </summary>
/// <remarks>
/// The method returns <see cref="Task"/>, <see cref="Task{TResult}"/>, <see cref="ValueTask"/> or
/// <see cref="ValueTask{TResult}"/>; its parameters are taken from: the payload type (or
/// <see cref="Event{TData}"/> of it), <see cref="Step"/>, and <see cref="CancellationToken"/>.
/// An instance method's class is created in a fresh dependency-injection scope for every attempt.
/// Mistakes in any of this are compile errors (FANOUT001 and on, see docs/diagnostics.md).
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class FunctionAttribute : Attribute
{
    /// <summary>Declares a function with the stable id <paramref name="id"/>.</summary>
    /// <param name="id">The function id, for example <c>send-welcome-email</c>; it names the function's runs and must not change between deploys.</param>
    public FunctionAttribute(string id) => Id = id;

    /// <summary>The function id.</summary>
    public string Id { get; }

    /// <summary>The name of the event that triggers this function. Required.</summary>
    public string? Event { get; set; }

    /// <summary>
    /// How many times a failed step, or the function failing outside its steps, is retried; each step counts its own.
    /// -1 (the default) takes <see cref="FanOutOptions.DefaultRetries"/> (4, so 5 attempts). 0 means no retries.
    /// </summary>
    public int Retries { get; set; } = -1;

    /// <summary>
    /// The name of a method of the same class (use <c>nameof</c>) that runs once when a run of this function has failed
    /// for good (retries used up, a non-retriable error, or a timeout), as Inngest's <c>onFailure</c>. It returns Task or
    /// ValueTask and takes parameters from: the payload (or <see cref="Event{TData}"/> of it), <see cref="FunctionFailure"/>,
    /// <see cref="CancellationToken"/>. Its own failure is logged, never retried.
    /// </summary>
    public string? OnFailure { get; set; }

    /// <summary>
    /// How long one attempt may run, in seconds, before it is cancelled and marked timed out.
    /// Zero (the default) takes <see cref="FanOutOptions.DefaultTimeout"/>.
    /// </summary>
    public double TimeoutSeconds { get; set; }
}
