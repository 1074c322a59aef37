using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using FanOut.Generators.Model;
using Microsoft.CodeAnalysis;

namespace FanOut.Generators.Parsing
{
    /// <summary>
    /// The semantic model the generator binds candidate <c>step.Run</c> calls with: one per file of the compilation, with
    /// nullable analysis turned off.
    /// </summary>
    /// <remarks>
    /// Binding these calls is most of the generator's cost (every call, on every run: Roslyn re-runs the transform of a
    /// syntax provider whenever the compilation changes). The model the driver hands out runs nullable analysis over the
    /// whole enclosing method on the first question, as the compiler must to report warnings; the generator only needs the
    /// method a call binds to and its type argument T, whose serializer it emits. T's own nullable annotation never reaches
    /// the generated code (serializers are named by the runtime type), so without the analysis binding costs about half
    /// the time and 40 % less memory (docs/benchmarks.md, "Generator cost"). The option is marked experimental in Roslyn
    /// (RSEXPERIMENTAL001); should a later compiler drop it, the driver's model is used instead, as before.
    /// </remarks>
    internal static class StepCallBinder
    {
        // Keyed by the compilation, so nothing outlives or crosses a run: an unchanged file is the same SyntaxTree object in
        // the next compilation and must be bound afresh there.
        private static readonly ConditionalWeakTable<Compilation, PerCompilation> Compilations = new ConditionalWeakTable<Compilation, PerCompilation>();

        private sealed class PerCompilation
        {
            public readonly ConcurrentDictionary<SyntaxTree, SemanticModel> Models = new ConcurrentDictionary<SyntaxTree, SemanticModel>();

            // T with its annotations as the key: the model of one T is the same at every call of the compilation.
            public readonly ConcurrentDictionary<ITypeSymbol, StepResultModel?> Results =
                new ConcurrentDictionary<ITypeSymbol, StepResultModel?>(SymbolEqualityComparer.IncludeNullability);
        }

        /// <summary>
        /// The model of result type <paramref name="result"/>, read once per compilation however many calls share it (a
        /// project's calls mostly return a few types: here 750 calls, 27 types).
        /// </summary>
        public static StepResultModel? ResultModel(GeneratorSyntaxContext context, ITypeSymbol result, Func<ITypeSymbol, StepResultModel?> parse)
        {
            var results = Compilations.GetValue(context.SemanticModel.Compilation, static _ => new PerCompilation()).Results;
            return results.TryGetValue(result, out var model) ? model : results.GetOrAdd(result, parse(result));
        }

        private static volatile bool optionMissing;

        public static SemanticModel ModelFor(GeneratorSyntaxContext context)
        {
            if (!optionMissing)
            {
                try
                {
                    return WithoutNullableAnalysis(context.SemanticModel.Compilation, context.Node.SyntaxTree);
                }
                catch (MissingMethodException)
                {
                    optionMissing = true;
                }
                catch (TypeLoadException)
                {
                    optionMissing = true;
                }
            }
            return context.SemanticModel;
        }

        // Its own method, not inlined, so a compiler without SemanticModelOptions fails here, at JIT time, inside the try.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static SemanticModel WithoutNullableAnalysis(Compilation compilation, SyntaxTree tree)
        {
            var models = Compilations.GetValue(compilation, static _ => new PerCompilation()).Models;
#pragma warning disable RSEXPERIMENTAL001 // SemanticModelOptions is experimental; see the remarks above for the fallback
            return models.TryGetValue(tree, out var model)
                ? model
                : models.GetOrAdd(tree, compilation.GetSemanticModel(tree, SemanticModelOptions.DisableNullableAnalysis));
#pragma warning restore RSEXPERIMENTAL001
        }
    }
}
