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
    /// <param name="ReferencesSdk">False when FanOut.Sdk is not referenced; then nothing is emitted.</param>
    internal sealed record AssemblyModel(string AssemblyName, string Namespace, bool ReferencesSdk, ReferencesModel References);

    /// <summary>Everything the emitters write: only valid events and functions, sorted.</summary>
    /// <param name="FunctionRefs">The valid functions whose payload type is known, for <c>FanOut.Generated.Functions</c>; sorted by id.</param>
    internal sealed record ModuleModel(
        bool ReferencesSdk,
        string AssemblyName,
        string Namespace,
        EquatableArray<string> ReferencedModules,
        EquatableArray<EventKey> Events,
        EquatableArray<FunctionModel> Functions,
        EquatableArray<TypeSpec> SerializerTypes,
        EquatableArray<FunctionRefModel> FunctionRefs);
}
