using System.ComponentModel;
using System.Text.Json.Serialization.Metadata;

namespace FanOut.Registration;

/// <summary>
/// What one compilation contributes to FanOut: its events, its functions and their serializers.
/// The generator emits exactly one module per compilation and registers it from a module initializer;
/// a module registers the modules of the FanOut assemblies it references first.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class FanOutModule
{
    /// <summary>The name of the assembly this module describes.</summary>
    public abstract string AssemblyName { get; }

    /// <summary>The events declared in this assembly.</summary>
    public abstract IReadOnlyList<EventDescriptor> Events { get; }

    /// <summary>The functions declared in this assembly, grouped by event (the trigger table).</summary>
    public abstract IReadOnlyList<FunctionDescriptor> Functions { get; }

    /// <summary>Metadata for every payload, output and step type this assembly serializes.</summary>
    public abstract IJsonTypeInfoResolver Serializers { get; }
}

/// <summary>An event declared with <see cref="EventAttribute"/>: its name and payload type.</summary>
/// <param name="Name">The event name.</param>
/// <param name="DataType">The payload type.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record EventDescriptor(string Name, Type DataType);

/// <summary>
/// Names the generated module of an assembly, so that compilations referencing it find and register it
/// without scanning at run time.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class FanOutModuleAttribute : Attribute
{
    /// <summary>Names the module type, which has a public static <c>Register()</c> method.</summary>
    public FanOutModuleAttribute(Type moduleType) => ModuleType = moduleType;

    /// <summary>The module type.</summary>
    public Type ModuleType { get; }
}

/// <summary>Records, in an assembly's metadata, an event it declares, so referencing compilations check names and types against it.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class DeclaresEventAttribute : Attribute
{
    /// <summary>Records event <paramref name="name"/> with payload type <paramref name="dataType"/>.</summary>
    public DeclaresEventAttribute(string name, Type dataType)
    {
        Name = name;
        DataType = dataType;
    }

    /// <summary>The event name.</summary>
    public string Name { get; }

    /// <summary>The payload type.</summary>
    public Type DataType { get; }
}

/// <summary>Records, in an assembly's metadata, a function it declares, so a duplicate id across assemblies is a compile error.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class DeclaresFunctionAttribute : Attribute
{
    /// <summary>Records function <paramref name="id"/>.</summary>
    public DeclaresFunctionAttribute(string id) => Id = id;

    /// <summary>The function id.</summary>
    public string Id { get; }
}
