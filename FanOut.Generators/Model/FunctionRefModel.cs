namespace FanOut.Generators.Model
{
    /// <summary>A function of this compilation as <c>FanOut.Generated.Functions</c> names it for <c>step.Invoke</c>.</summary>
    /// <param name="Id">The function id.</param>
    /// <param name="EventName">The triggering event's name.</param>
    /// <param name="PayloadTypeName">The event's payload type, fully qualified.</param>
    /// <param name="OutputTypeName">The function's output type (T of Task&lt;T&gt;), fully qualified with its nullable annotations
    /// (<c>string?</c>), or null when it returns none.</param>
    internal sealed record FunctionRefModel(string Id, string EventName, string PayloadTypeName, string? OutputTypeName);

    /// <summary>What <c>FanOut.Functions.g.cs</c> is written from.</summary>
    /// <param name="ReferencesSdk">False when FanOut.Sdk is not referenced; then nothing is emitted.</param>
    /// <param name="Functions">The valid functions whose payload type is known, sorted by id.</param>
    internal sealed record FunctionRefsModel(bool ReferencesSdk, EquatableArray<FunctionRefModel> Functions);
}
