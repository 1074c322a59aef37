using System.ComponentModel;

namespace FanOut;

/// <summary>
/// A typed reference to a function whose output is <typeparamref name="TOutput"/>, for <c>step.Invoke</c>. The
/// generator emits one for every function of a compilation, in the class <c>FanOut.Generated.Functions</c>, so that
/// invoking a function that does not exist, or with a payload of the wrong type, does not compile.
/// </summary>
/// <typeparam name="TPayload">The payload type of the function's triggering event.</typeparam>
/// <typeparam name="TOutput">The function's output type.</typeparam>
public sealed class FunctionRef<TPayload, TOutput>
{
    /// <summary>Creates a reference. The generator creates these; prefer <c>FanOut.Generated.Functions</c>.</summary>
    /// <param name="id">The function id.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public FunctionRef(string id) => Id = id;

    /// <summary>The function id.</summary>
    public string Id { get; }

    /// <inheritdoc />
    public override string ToString() => Id;
}

/// <summary>
/// A typed reference to a function without output, for <c>step.Invoke</c>; see <see cref="FunctionRef{TPayload, TOutput}"/>.
/// </summary>
/// <typeparam name="TPayload">The payload type of the function's triggering event.</typeparam>
public sealed class FunctionRef<TPayload>
{
    /// <summary>Creates a reference. The generator creates these; prefer <c>FanOut.Generated.Functions</c>.</summary>
    /// <param name="id">The function id.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public FunctionRef(string id) => Id = id;

    /// <summary>The function id.</summary>
    public string Id { get; }

    /// <inheritdoc />
    public override string ToString() => Id;
}
