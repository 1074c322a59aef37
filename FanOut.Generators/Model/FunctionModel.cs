using FanOut.Generators.Serialization;

namespace FanOut.Generators.Model
{
    /// <summary>A function as other checks see it: its id and the method (or referenced assembly) that declares it.</summary>
    /// <param name="Id">The function id.</param>
    /// <param name="Display">The method as messages show it, or null for a referenced function.</param>
    /// <param name="AssemblyName">The referenced assembly that declares it, or null for this compilation.</param>
    internal sealed record FunctionKey(string Id, string? Display, string? AssemblyName);

    internal enum ParameterKind
    {
        Payload,
        Event,
        Step,
        CancellationToken,
        Failure,
        Unsupported,
    }

    /// <summary>One parameter of a function method, by what the invoker passes to it.</summary>
    /// <param name="Kind">What the invoker passes.</param>
    /// <param name="DataTypeName">The parameter's type, fully qualified; for <c>Event&lt;T&gt;</c>, T's.</param>
    /// <param name="TypeDisplay">The parameter's type as messages show it.</param>
    internal sealed record ParameterModel(ParameterKind Kind, string DataTypeName, string TypeDisplay);

    internal enum DisposeKind
    {
        None,
        Dispose,
        DisposeAsync,
    }

    /// <summary>A constructor parameter, resolved from the attempt's services.</summary>
    /// <param name="TypeName">The service type, fully qualified.</param>
    /// <param name="DefaultValue">A C# expression for the parameter's default, or null when the service is required.</param>
    internal sealed record ServiceModel(string TypeName, string? DefaultValue);

    /// <summary>How generated code creates (and disposes of) the class of an instance function.</summary>
    internal sealed record ActivationModel(EquatableArray<ServiceModel> Services, DisposeKind Dispose);

    /// <summary>
    /// The method named by <c>OnFailure</c>: a method of the function's class, called once when a run has failed for good.
    /// </summary>
    /// <param name="MethodName">The method name.</param>
    /// <param name="IsStatic">True for a static method.</param>
    /// <param name="Parameters">The parameters in declaration order (payload, event, failure or cancellation token).</param>
    /// <param name="Activation">How to create the class when the handler is an instance method, or null for a static one.</param>
    internal sealed record FailureHandlerModel(string MethodName, bool IsStatic, EquatableArray<ParameterModel> Parameters, ActivationModel? Activation);

    /// <summary>One <c>[CancelOn]</c> of a function: the cancelling event's name and the shared field path, or null.</summary>
    internal sealed record CancelOnModel(string EventName, string? Match);

    /// <summary>A <c>[Function]</c> method of this compilation, with every local mistake found in it.</summary>
    /// <param name="Key">Its id and display.</param>
    /// <param name="EventName">The triggering event's name, or null when missing.</param>
    /// <param name="ContainingTypeName">The declaring class, fully qualified.</param>
    /// <param name="MethodName">The method name.</param>
    /// <param name="IsStatic">True for a static method.</param>
    /// <param name="Parameters">The parameters in declaration order.</param>
    /// <param name="ReturnsValue">True for Task&lt;T&gt; and ValueTask&lt;T&gt;.</param>
    /// <param name="OutputTypeName">T, fully qualified, when the function returns a value (for typeof).</param>
    /// <param name="AnnotatedOutputTypeName">T with its nullable reference annotations (for type arguments), when the function returns a value.</param>
    /// <param name="TimeoutSeconds">The attribute's TimeoutSeconds (0 = default).</param>
    /// <param name="Retries">The attribute's Retries (-1 = the configured default).</param>
    /// <param name="CancelOn">Its <c>[CancelOn]</c> attributes, in declaration order.</param>
    /// <param name="FailureHandler">The method named by OnFailure, or null.</param>
    /// <param name="Activation">How to create the class, or null for a static method.</param>
    /// <param name="Output">The serialization closure of the output type, or null.</param>
    /// <param name="HasErrorTypes">True when the signature uses a type the compiler could not resolve; the compiler reports that.</param>
    /// <param name="Problems">Mistakes found in the method alone (cross checks are in <see cref="FanOut.Generators.Parsing.Catalog"/>).</param>
    internal sealed record FunctionModel(
        FunctionKey Key,
        string? EventName,
        string ContainingTypeName,
        string MethodName,
        bool IsStatic,
        EquatableArray<ParameterModel> Parameters,
        bool ReturnsValue,
        string? OutputTypeName,
        string? AnnotatedOutputTypeName,
        double TimeoutSeconds,
        int Retries,
        EquatableArray<CancelOnModel> CancelOn,
        FailureHandlerModel? FailureHandler,
        ActivationModel? Activation,
        SerializationResult? Output,
        bool HasErrorTypes,
        EquatableArray<Problem> Problems);
}
