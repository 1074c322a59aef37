using System.ComponentModel;
using FanOut.Serialization;

namespace FanOut.Registration;

/// <summary>
/// The modules registered in this process. Generated module initializers fill it before any user code runs;
/// <c>AddFanOut()</c> reads it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class FanOutModules
{
    private static readonly Lock Gate = new();
    private static FanOutModule[] modules = [];

    /// <summary>The registered modules, in registration order (referenced assemblies before those that reference them).</summary>
    public static IReadOnlyList<FanOutModule> All => Volatile.Read(ref modules);

    /// <summary>Registers a module once; a second call with the same module does nothing.</summary>
    public static void Register(FanOutModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        lock (Gate)
        {
            foreach (var known in modules)
            {
                if (ReferenceEquals(known, module) || known.GetType() == module.GetType())
                {
                    return;
                }
            }
            FanOutJson.AddResolver(module.Serializers);
            Volatile.Write(ref modules, [.. modules, module]);
        }
    }
}
