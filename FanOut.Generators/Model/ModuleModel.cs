using FanOut.Generators.Serialization;

namespace FanOut.Generators.Model
{
    /// <summary>What referenced FanOut assemblies declare, read from their assembly attributes.</summary>
    /// <param name="Events">Their <c>[DeclaresEvent]</c>s.</param>
    /// <param name="Functions">Their <c>[DeclaresFunction]</c>s.</param>
    /// <param name="ModuleTypes">Their generated module types (from <c>[FanOutModule]</c>), fully qualified, sorted.</param>
    internal sealed record ReferencesModel(
        EquatableArray<EventKey> Events,
        EquatableArray<FunctionKey> Functions,
        EquatableArray<string> ModuleTypes);

    /// <summary>The compilation itself: its assembly name, the namespace of its module, and its references.</summary>
    internal sealed record AssemblyModel(string AssemblyName, string Namespace, ReferencesModel References);

    /// <summary>Everything the emitters write: only valid events and functions, sorted.</summary>
    internal sealed record ModuleModel(
        string AssemblyName,
        string Namespace,
        EquatableArray<string> ReferencedModules,
        EquatableArray<EventKey> Events,
        EquatableArray<FunctionModel> Functions,
        EquatableArray<TypeSpec> SerializerTypes);
}
