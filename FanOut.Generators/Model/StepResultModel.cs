using FanOut.Generators.Serialization;

namespace FanOut.Generators.Model
{
    /// <summary>
    /// The result type T of one <c>step.Run&lt;T&gt;(…)</c> call anywhere in the compilation: its serializer is generated
    /// with the payloads' and outputs'.
    /// </summary>
    /// <param name="TypeName">T, fully qualified.</param>
    /// <param name="Serialization">T's serialization closure, or null when T cannot have one (see <paramref name="Problems"/>).</param>
    /// <param name="Problems">Why T cannot be serialized: an open type parameter (FANOUT017), an unreachable type (FANOUT010) or a
    /// serialization problem (FANOUT012), all reported at the call.</param>
    internal sealed record StepResultModel(string TypeName, SerializationResult? Serialization, EquatableArray<Problem> Problems);
}
