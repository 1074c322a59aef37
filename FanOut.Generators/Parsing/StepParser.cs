using System.Collections.Generic;
using System.Threading;
using FanOut.Generators.Model;
using FanOut.Generators.Serialization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FanOut.Generators.Parsing
{
    /// <summary>
    /// Finds calls of <c>FanOut.Step.Run&lt;T&gt;</c> and reads their result type T, whose serializer the generator emits.
    /// The generator and the analyzer both use it, so a T is left out of the serializers exactly when it is reported.
    /// </summary>
    internal static class StepParser
    {
        public const string StepNamespace = "FanOut";
        public const string StepTypeName = "Step";
        public const string RunMethodName = "Run";

        /// <summary>
        /// The syntactic filter: an invocation of a member named Run (<c>step.Run(…)</c>, <c>step.Run&lt;T&gt;(…)</c>,
        /// <c>step?.Run(…)</c>) that could bind to <c>Step.Run(string id, body)</c>. Cheap, so it runs on every node and
        /// Roslyn caches it per file; every call it lets through is bound by the semantic model afterwards, on every run,
        /// so it turns away what cannot be a step: a call with other than two arguments (<c>Task.Run(work)</c>) or whose
        /// first argument, unnamed, is a lambda or anonymous method, which cannot be an id (<c>Task.Run(() =&gt; …, ct)</c>).
        /// </summary>
        public static bool IsCandidate(SyntaxNode node)
        {
            if (node is not InvocationExpressionSyntax invocation)
            {
                return false;
            }
            var name = invocation.Expression switch
            {
                MemberAccessExpressionSyntax access => access.Name,
                MemberBindingExpressionSyntax binding => binding.Name,
                _ => null,
            };
            if (name is null || name.Identifier.ValueText != RunMethodName)
            {
                return false;
            }
            var arguments = invocation.ArgumentList.Arguments;
            // Both overloads take exactly (string id, body): no optional or params parameters.
            return arguments.Count == 2
                && (arguments[0].NameColon is not null || arguments[0].Expression is not AnonymousFunctionExpressionSyntax);
        }

        /// <summary>True for either overload of <c>FanOut.Step.Run</c>.</summary>
        public static bool IsStepRun(IMethodSymbol? method) =>
            method is not null && method.Name == RunMethodName && Symbols.Is(method.ContainingType, StepNamespace, StepTypeName);

        /// <summary>T of a call of <c>Step.Run&lt;T&gt;</c>; null for the overload without a result, or any other method.</summary>
        public static ITypeSymbol? ResultType(IMethodSymbol? method) =>
            IsStepRun(method) && method!.IsGenericMethod && method.TypeArguments.Length == 1 ? method.TypeArguments[0] : null;

        /// <summary>The generator's transform: the result of the invocation when it calls Step.Run&lt;T&gt;, else null.</summary>
        public static StepResultModel? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
        {
            var method = StepCallBinder.ModelFor(context).GetSymbolInfo(context.Node, cancellationToken).Symbol as IMethodSymbol;
            var result = ResultType(method);
            return result is null ? null : StepCallBinder.ResultModel(context, result, t => Parse(t, cancellationToken));
        }

        /// <summary>Reads T and everything wrong with it.</summary>
        public static StepResultModel? Parse(ITypeSymbol result, CancellationToken cancellationToken)
        {
            if (Symbols.ContainsErrorType(result))
            {
                return null; // the compiler reports it
            }
            var display = Symbols.Display(result);
            var problems = new List<Problem>();
            if (ContainsTypeParameter(result))
            {
                problems.Add(Problem.At(ProblemIds.OpenStepResult, ProblemSite.StepCall, display));
            }
            else if (FirstAnonymousType(result) is { } anonymous)
            {
                problems.Add(Problem.At(ProblemIds.NotSerializable, ProblemSite.StepCall, display, "this", Symbols.Display(anonymous),
                    "an anonymous type has no name generated code could use; declare a record instead"));
            }
            else if (Symbols.FirstUnreachableType(result) is { } hidden)
            {
                problems.Add(Problem.At(ProblemIds.Unreachable, ProblemSite.StepCall,
                    "The result of step.Run<" + display + ">", Symbols.Display(hidden), Symbols.AccessibilityText(hidden)));
            }
            if (problems.Count > 0)
            {
                return new StepResultModel(Symbols.FullName(result), null, problems.ToEquatableArray());
            }
            var serialization = SerializationParser.Parse(result, cancellationToken);
            foreach (var problem in serialization.Problems)
            {
                problems.Add(Problem.At(ProblemIds.NotSerializable, ProblemSite.StepCall, display, problem.MemberPath, problem.TypeDisplay, problem.Reason));
            }
            return new StepResultModel(Symbols.FullName(result), serialization, problems.ToEquatableArray());
        }

        private static bool ContainsTypeParameter(ITypeSymbol type) => type switch
        {
            ITypeParameterSymbol => true,
            IArrayTypeSymbol array => ContainsTypeParameter(array.ElementType),
            IPointerTypeSymbol pointer => ContainsTypeParameter(pointer.PointedAtType),
            INamedTypeSymbol named => AnyTypeArgument(named, ContainsTypeParameter),
            _ => false,
        };

        private static ITypeSymbol? FirstAnonymousType(ITypeSymbol type)
        {
            switch (type)
            {
                case IArrayTypeSymbol array:
                    return FirstAnonymousType(array.ElementType);
                case INamedTypeSymbol { IsAnonymousType: true }:
                    return type;
                case INamedTypeSymbol named:
                    foreach (var argument in named.TypeArguments)
                    {
                        if (FirstAnonymousType(argument) is { } found)
                        {
                            return found;
                        }
                    }
                    return null;
                default:
                    return null;
            }
        }

        // Includes the type arguments of containing types: Outer<T>.Inner is open too.
        private static bool AnyTypeArgument(INamedTypeSymbol named, System.Func<ITypeSymbol, bool> predicate)
        {
            for (var current = named; current is not null; current = current.ContainingType)
            {
                foreach (var argument in current.TypeArguments)
                {
                    if (predicate(argument))
                    {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
