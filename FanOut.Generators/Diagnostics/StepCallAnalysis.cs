using System;
using System.Collections.Generic;
using System.Linq;
using FanOut.Generators.Model;
using FanOut.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace FanOut.Generators.Diagnostics
{
    /// <summary>
    /// Checks code that calls steps, one method body at a time: the result type of every <c>step.Run&lt;T&gt;</c>
    /// (FANOUT010, 012, 017, through <see cref="StepParser"/>, as the generator reads it), the ids of all step tools (Run,
    /// Sleep, SleepUntil, SendEvent, WaitForEvent, Invoke) that are not constants (FANOUT018) or are used at two call sites
    /// (FANOUT019), clock, Guid and Random reads outside steps in a [Function] method (FANOUT020), and the event type and
    /// match of <c>step.WaitForEvent</c> (FANOUT025–027, <see cref="WaitForEventChecks"/>). The warnings stay silent
    /// wherever FanOut cannot be sure.
    /// </summary>
    internal static class StepCallAnalysis
    {
        /// <param name="eventType">The [Event] type declared with a name in this compilation, or null.</param>
        public static void Register(CompilationStartAnalysisContext start, INamedTypeSymbol functionAttribute, INamedTypeSymbol eventAttribute,
            Func<string, INamedTypeSymbol?> eventType)
        {
            start.RegisterOperationBlockStartAction(block =>
            {
                var function = block.OwningSymbol is IMethodSymbol method ? Find(method, functionAttribute) : null;
                var isFunction = function is not null;
                // Read only when a wait has a match to compare with it.
                var trigger = new Lazy<ITypeSymbol?>(() => function is null
                    ? null
                    : WaitForEventChecks.TriggerPayload((IMethodSymbol)block.OwningSymbol, function, eventType));
                var ids = new StepIds();
                block.RegisterOperationAction(c => AnalyzeInvocation(c, isFunction, ids, eventAttribute, trigger), OperationKind.Invocation);
                if (isFunction)
                {
                    block.RegisterOperationAction(AnalyzeValue, OperationKind.PropertyReference, OperationKind.ObjectCreation);
                }
                block.RegisterOperationBlockEndAction(ids.ReportDuplicates);
            });
        }

        private static void AnalyzeInvocation(OperationAnalysisContext context, bool isFunction, StepIds ids, INamedTypeSymbol eventAttribute,
            Lazy<ITypeSymbol?> trigger)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (!IsStepTool(method))
            {
                if (isFunction && Nondeterministic.Name(method) is { } name && OutsideDeferredCode(invocation))
                {
                    var syntax = invocation.Syntax is InvocationExpressionSyntax call ? call.Expression : invocation.Syntax;
                    context.ReportDiagnostic(Diagnostic.Create(FanOutDiagnostics.NondeterministicValue, syntax.GetLocation(), name));
                }
                return;
            }
            if (StepParser.ResultType(method) is { } result && StepParser.Parse(result, context.CancellationToken) is { } model)
            {
                foreach (var problem in model.Problems)
                {
                    var args = problem.Args.Select(a => (object)a).ToArray();
                    context.ReportDiagnostic(Diagnostic.Create(FanOutDiagnostics.For(problem.Id), MethodName(invocation).GetLocation(), args));
                }
            }
            if (WaitForEventChecks.IsWaitForEvent(method))
            {
                WaitForEventChecks.Check(context, invocation, eventAttribute, trigger);
            }
            var id = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "id")?.Value;
            if (id is null || id.Syntax is null)
            {
                return;
            }
            if (!id.ConstantValue.HasValue && !IsForwardedParameter(id))
            {
                context.ReportDiagnostic(Diagnostic.Create(FanOutDiagnostics.NonConstantStepId, id.Syntax.GetLocation()));
            }
            else if (id.ConstantValue.Value is string constant)
            {
                ids.Add(constant, id.Syntax);
            }
        }

        private static void AnalyzeValue(OperationAnalysisContext context)
        {
            var name = context.Operation switch
            {
                IPropertyReferenceOperation property => Nondeterministic.Name(property.Property),
                IObjectCreationOperation creation => Nondeterministic.Name(creation.Constructor),
                _ => null,
            };
            if (name is not null && OutsideDeferredCode(context.Operation))
            {
                context.ReportDiagnostic(Diagnostic.Create(FanOutDiagnostics.NondeterministicValue, context.Operation.Syntax.GetLocation(), name));
            }
        }

        /// <summary>
        /// An id passed in through a parameter of a method or local function, as in a helper
        /// <c>Task&lt;int&gt; Part(string id) =&gt; step.Run(id, …)</c>: whether it is constant depends on the callers, which
        /// this call cannot see, so it is not reported. A lambda's parameter is (it usually comes from a collection).
        /// </summary>
        private static bool IsForwardedParameter(IOperation id) =>
            id is IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: not MethodKind.AnonymousFunction } };

        /// <summary>
        /// True when <paramref name="operation"/> runs as the method body runs: not inside a lambda or local function (a
        /// step's body, or code FanOut cannot tell when or whether it runs) and not in a nameof.
        /// </summary>
        private static bool OutsideDeferredCode(IOperation operation)
        {
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation or INameOfOperation)
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>The name in <c>step.Run&lt;T&gt;(…)</c>: <c>Run&lt;T&gt;</c> or <c>Run</c>.</summary>
        private static SyntaxNode MethodName(IInvocationOperation invocation) => invocation.Syntax is InvocationExpressionSyntax call
            ? call.Expression switch
            {
                MemberAccessExpressionSyntax access => access.Name,
                MemberBindingExpressionSyntax binding => binding.Name,
                _ => call,
            }
            : invocation.Syntax;

        /// <summary>
        /// A method of <c>FanOut.Step</c> whose first parameter is a step id: every step tool, including ones added later,
        /// since all of them memoize by id in one numbering per run.
        /// </summary>
        private static bool IsStepTool(IMethodSymbol method) =>
            method.Parameters.Length > 0 && method.Parameters[0].Name == "id" && method.Parameters[0].Type.SpecialType == SpecialType.System_String &&
            Symbols.Is(method.ContainingType, StepParser.StepNamespace, StepParser.StepTypeName);

        private static AttributeData? Find(IMethodSymbol method, INamedTypeSymbol attributeType)
        {
            foreach (var attribute in method.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
                {
                    return attribute;
                }
            }
            return null;
        }

        /// <summary>The constant step ids of one method body, by call site, for FANOUT019.</summary>
        private sealed class StepIds
        {
            private readonly List<(string Id, SyntaxNode Syntax)> sites = new List<(string, SyntaxNode)>();

            public void Add(string id, SyntaxNode syntax)
            {
                lock (sites)
                {
                    sites.Add((id, syntax));
                }
            }

            public void ReportDuplicates(OperationBlockAnalysisContext context)
            {
                List<(string Id, SyntaxNode Syntax)> ordered;
                lock (sites)
                {
                    ordered = sites.OrderBy(s => s.Syntax.SpanStart).ToList();
                }
                for (int i = 1; i < ordered.Count; i++)
                {
                    for (int j = 0; j < i; j++)
                    {
                        if (ordered[j].Id == ordered[i].Id && !Branches.Exclusive(ordered[j].Syntax, ordered[i].Syntax))
                        {
                            context.ReportDiagnostic(Diagnostic.Create(FanOutDiagnostics.DuplicateStepId, ordered[i].Syntax.GetLocation(), ordered[i].Id));
                            break;
                        }
                    }
                }
            }
        }
    }
}
