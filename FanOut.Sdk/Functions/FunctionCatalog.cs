using System.Collections.Frozen;
using FanOut.Registration;

namespace FanOut.Functions;

/// <summary>
/// The trigger table of this process: event name → the functions it hosts for that event, merged from every
/// registered generated module and narrowed to the configured subset. Built once; read on every send.
/// </summary>
internal sealed class FunctionCatalog
{
    private readonly FrozenDictionary<string, FunctionDescriptor[]> byEvent;
    private readonly FrozenDictionary<string, FunctionDescriptor> byId;

    public FunctionCatalog(IReadOnlyList<FanOutModule> modules, FanOutOptions options)
    {
        var ids = new Dictionary<string, FunctionDescriptor>(StringComparer.Ordinal);
        var events = new Dictionary<string, List<FunctionDescriptor>>(StringComparer.Ordinal);
        var declared = new Dictionary<string, FunctionDescriptor>(StringComparer.Ordinal);
        foreach (var module in modules)
        {
            foreach (var function in module.Functions)
            {
                // The generator rejects duplicates within and across referenced assemblies at compile time; two
                // assemblies that do not reference each other can still collide, and that must not go unnoticed.
                if (!declared.TryAdd(function.Id, function))
                {
                    throw new InvalidOperationException(
                        $"Two functions have the id '{function.Id}': {declared[function.Id].DeclaringType.FullName} and " +
                        $"{function.DeclaringType.FullName} (assembly {module.AssemblyName}). Function ids must be unique; rename one.");
                }
                if (!options.Hosts(function.Id, function.DeclaringType))
                {
                    continue;
                }
                ids.Add(function.Id, function);
                if (!events.TryGetValue(function.EventName, out var list))
                {
                    events[function.EventName] = list = [];
                }
                list.Add(function);
            }
        }
        foreach (var requested in options.RequestedIds)
        {
            if (!declared.ContainsKey(requested))
            {
                throw new InvalidOperationException(
                    $"OnlyFunctions names '{requested}', but no function has that id. Known ids: {string.Join(", ", declared.Keys.Order())}.");
            }
        }
        byEvent = events.ToFrozenDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
        byId = ids.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The functions of an event, or an empty array.</summary>
    public FunctionDescriptor[] ForEvent(string eventName) =>
        byEvent.TryGetValue(eventName, out var functions) ? functions : [];

    public FunctionDescriptor? Find(string functionId) => byId.GetValueOrDefault(functionId);

    public IEnumerable<FunctionDescriptor> All => byId.Values;
}
