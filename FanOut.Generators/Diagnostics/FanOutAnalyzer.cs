using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using FanOut.Generators.Model;
using FanOut.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace FanOut.Generators.Diagnostics
{
    /// <summary>
    /// Reports the FANOUT diagnostics. It runs the generator's own parsers and <see cref="Catalog"/>, so what it reports
    /// is exactly what the generator leaves out of the generated tables.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class FanOutAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => FanOutDiagnostics.All;

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(static start =>
            {
                var eventAttribute = start.Compilation.GetTypeByMetadataName(EventParser.AttributeName);
                var functionAttribute = start.Compilation.GetTypeByMetadataName(FunctionParser.AttributeName);
                if (eventAttribute is null || functionAttribute is null)
                {
                    return; // FanOut.Sdk is not referenced.
                }
                var compilation = start.Compilation;
                var cancellationToken = start.CancellationToken;
                // Built once, on the first [Event] or [Function] seen (or wait to check), so projects without any pay nothing.
                var declarations = new Lazy<Declarations>(
                    () => BuildCatalog(compilation, eventAttribute, functionAttribute, cancellationToken),
                    LazyThreadSafetyMode.ExecutionAndPublication);
                var catalog = new Lazy<Catalog>(() => declarations.Value.Catalog, LazyThreadSafetyMode.ExecutionAndPublication);
                start.RegisterSymbolAction(c => AnalyzeType(c, eventAttribute, catalog), SymbolKind.NamedType);
                start.RegisterSymbolAction(c => AnalyzeMethod(c, functionAttribute, catalog), SymbolKind.Method);
                if (start.Compilation.GetTypeByMetadataName(CancelOnParser.AttributeName) is { } cancelOnAttribute)
                {
                    start.RegisterSymbolAction(c => AnalyzeCancelOn(c, functionAttribute, cancelOnAttribute), SymbolKind.Method);
                }
                StepCallAnalysis.Register(start, functionAttribute, eventAttribute,
                    name => declarations.Value.EventTypes.TryGetValue(name, out var type) ? type : null);
            });
        }

        private static void AnalyzeType(SymbolAnalysisContext context, INamedTypeSymbol eventAttribute, Lazy<Catalog> catalog)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            var attribute = Find(type, eventAttribute);
            if (attribute is null)
            {
                return;
            }
            var model = EventParser.Parse(type, attribute, context.CancellationToken);
            Report(context, type, attribute, model.Problems.Concat(catalog.Value.CheckEvent(model.Key)));
        }

        private static void AnalyzeMethod(SymbolAnalysisContext context, INamedTypeSymbol functionAttribute, Lazy<Catalog> catalog)
        {
            var method = (IMethodSymbol)context.Symbol;
            if (!IsFunctionCandidate(method))
            {
                return;
            }
            var attribute = Find(method, functionAttribute);
            if (attribute is null)
            {
                return;
            }
            var model = FunctionParser.Parse(method, attribute, context.CancellationToken);
            Report(context, method, attribute, model.Problems.Concat(catalog.Value.CheckFunction(model)));
        }

        /// <summary>FANOUT021: [CancelOn] without [Function] on the same method. The generator never reads such a method.</summary>
        private static void AnalyzeCancelOn(SymbolAnalysisContext context, INamedTypeSymbol functionAttribute, INamedTypeSymbol cancelOnAttribute)
        {
            var method = (IMethodSymbol)context.Symbol;
            if (IsFunctionCandidate(method) && Find(method, functionAttribute) is not null)
            {
                return;
            }
            foreach (var attribute in method.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, cancelOnAttribute))
                {
                    var location = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? method.Locations[0];
                    context.ReportDiagnostic(Diagnostic.Create(FanOutDiagnostics.CancelOnWithoutFunction, location, Symbols.Display(method)));
                }
            }
        }

        private static void Report(SymbolAnalysisContext context, ISymbol symbol, AttributeData attribute, IEnumerable<Problem> problems)
        {
            foreach (var problem in problems)
            {
                var location = ProblemLocator.Locate(problem, symbol, attribute, context.CancellationToken);
                var args = problem.Args.Select(a => (object)a).ToArray();
                context.ReportDiagnostic(Diagnostic.Create(FanOutDiagnostics.For(problem.Id), location, args));
            }
        }

        /// <summary>The catalog, and the [Event] types of this compilation by event name (the first, for a name declared twice).</summary>
        private sealed record Declarations(Catalog Catalog, Dictionary<string, INamedTypeSymbol> EventTypes);

        private static Declarations BuildCatalog(Compilation compilation, INamedTypeSymbol eventAttribute, INamedTypeSymbol functionAttribute, CancellationToken cancellationToken)
        {
            var events = new List<EventKey>();
            var eventTypes = new Dictionary<string, INamedTypeSymbol>(StringComparer.Ordinal);
            var functions = new List<FunctionKey>();
            var pending = new Stack<INamespaceOrTypeSymbol>();
            pending.Push(compilation.Assembly.GlobalNamespace);
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var current = pending.Pop();
                if (current is INamedTypeSymbol type)
                {
                    if (Find(type, eventAttribute) is { } eventData)
                    {
                        var key = EventParser.ReadKey(type, eventData);
                        events.Add(key);
                        if (!eventTypes.ContainsKey(key.Name))
                        {
                            eventTypes.Add(key.Name, type);
                        }
                    }
                    foreach (var member in type.GetMembers())
                    {
                        if (member is IMethodSymbol method && IsFunctionCandidate(method) && Find(method, functionAttribute) is { } functionData)
                        {
                            functions.Add(FunctionParser.ReadKey(method, functionData));
                        }
                    }
                }
                foreach (var child in current.GetMembers())
                {
                    if (child is INamespaceOrTypeSymbol namespaceOrType)
                    {
                        pending.Push(namespaceOrType);
                    }
                }
            }
            // Parsed only for an event some function matches on without taking its payload, once per event.
            var jsonNames = new ConcurrentDictionary<string, IReadOnlyList<string>?>(StringComparer.Ordinal);
            var catalog = new Catalog(events, functions, AssemblyParser.ReadReferences(compilation, cancellationToken),
                name => jsonNames.GetOrAdd(name, n => eventTypes.TryGetValue(n, out var type) ? JsonNamesOf(type, cancellationToken) : null));
            return new Declarations(catalog, eventTypes);
        }

        /// <summary>As the generator reads them from the event's model: none for the types EventParser does not serialize.</summary>
        private static IReadOnlyList<string>? JsonNamesOf(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            if (Symbols.IsGenericOrInGeneric(type) || type.IsStatic || type.IsRefLikeType)
            {
                return null;
            }
            return Serialization.SerializationParser.JsonPropertyNames(type, cancellationToken);
        }

        // The methods the generator reads: those declared with method syntax (not accessors, local functions or lambdas).
        private static bool IsFunctionCandidate(IMethodSymbol method) =>
            method.MethodKind is MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation;

        private static AttributeData? Find(ISymbol symbol, INamedTypeSymbol attributeType)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
                {
                    return attribute;
                }
            }
            return null;
        }
    }
}
