using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using FanOut.Generators.Model;
using FanOut.Generators.Serialization;

namespace FanOut.Generators.Parsing
{
    /// <summary>
    /// Joins the compilation's events, functions, step results and references into what is emitted: only valid
    /// declarations (the analyzer reports the rest, so generated code never adds errors of its own), in a deterministic
    /// order.
    /// </summary>
    internal static class ModuleBuilder
    {
        public static ModuleModel Build(
            ImmutableArray<EventModel> events, ImmutableArray<FunctionModel> functions, ImmutableArray<StepResultModel?> stepResults, AssemblyModel assembly)
        {
            var catalog = new Catalog(events.Select(e => e.Key), functions.Select(f => f.Key), assembly.References, name => JsonNamesOf(events, name));

            var validEvents = events
                .Where(e => e.Problems.Count == 0)
                .OrderBy(e => e.Key.Name, System.StringComparer.Ordinal)
                .ThenBy(e => e.Key.TypeName, System.StringComparer.Ordinal)
                .ToList();
            var validFunctions = functions
                .Where(f => f.Problems.Count == 0 && !f.HasErrorTypes && !catalog.CheckFunction(f).Any())
                .OrderBy(f => f.EventName, System.StringComparer.Ordinal)
                .ThenBy(f => f.Key.Id, System.StringComparer.Ordinal)
                .ToList();

            var types = new List<TypeSpec>();
            foreach (var e in validEvents)
            {
                types.AddRange(e.Serialization.Types);
            }
            foreach (var f in validFunctions)
            {
                if (f.Output is not null)
                {
                    types.AddRange(f.Output.Types);
                }
            }
            foreach (var step in stepResults)
            {
                // A T with problems is reported at its call (FANOUT010, 012, 017); emitting part of it would add errors.
                if (step is { Serialization: not null, Problems.Count: 0 })
                {
                    types.AddRange(step.Serialization.Types);
                }
            }

            return new ModuleModel(
                assembly.ReferencesSdk,
                assembly.AssemblyName,
                assembly.Namespace,
                assembly.References.ModuleTypes,
                validEvents.Select(e => e.Key).ToEquatableArray(),
                validFunctions.ToEquatableArray(),
                types.Distinct().OrderBy(t => t.FullyQualifiedName, System.StringComparer.Ordinal).ToEquatableArray(),
                FunctionRefs(validFunctions, validEvents.Select(e => e.Key).Concat(assembly.References.Events)));
        }

        /// <summary>The JSON property names of the first local event named <paramref name="name"/>, from its parsed closure.</summary>
        private static IReadOnlyList<string>? JsonNamesOf(ImmutableArray<EventModel> events, string name)
        {
            foreach (var e in events)
            {
                if (e.Key.Name == name)
                {
                    return SerializationParser.JsonPropertyNames(e.Serialization.Types, e.Key.TypeName);
                }
            }
            return null;
        }

        /// <summary>
        /// A reference for every valid function whose event has exactly one payload type that generated code can name:
        /// declared by a valid local event (one with FANOUT010 or 012 is left out) or by a referenced assembly. With two
        /// declarations of one name (FANOUT004) there is no single type.
        /// </summary>
        private static EquatableArray<FunctionRefModel> FunctionRefs(List<FunctionModel> functions, IEnumerable<EventKey> events)
        {
            var payloadTypes = new Dictionary<string, string?>(System.StringComparer.Ordinal);
            foreach (var e in events)
            {
                payloadTypes[e.Name] = payloadTypes.TryGetValue(e.Name, out var other) && other != e.TypeName ? null : e.TypeName;
            }
            var refs = new List<FunctionRefModel>();
            foreach (var function in functions.OrderBy(f => f.Key.Id, System.StringComparer.Ordinal))
            {
                if (function.EventName is { } eventName && payloadTypes.TryGetValue(eventName, out var payloadType) && payloadType is not null)
                {
                    refs.Add(new FunctionRefModel(function.Key.Id, eventName, payloadType, function.AnnotatedOutputTypeName));
                }
            }
            return refs.ToEquatableArray();
        }
    }
}
