using System;
using System.Linq;
using FanOut.Generators.Parsing;
using FanOut.Generators.Serialization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace FanOut.Generators.Diagnostics
{
    /// <summary>
    /// Checks a call of <c>step.WaitForEvent&lt;T&gt;(id, timeout, match)</c>: T must be an [Event] type (FANOUT025), and a
    /// constant match must be a valid path (FANOUT026) whose first property is a JSON property of both T and the payload
    /// of the run's trigger, when that is known (FANOUT027). A match that is not a constant is checked at run time only.
    /// </summary>
    internal static class WaitForEventChecks
    {
        public const string MethodName = "WaitForEvent";

        public static bool IsWaitForEvent(IMethodSymbol method) =>
            method.Name == MethodName && method.IsGenericMethod && method.TypeArguments.Length == 1;

        /// <param name="triggerPayload">The payload type of the trigger of the [Function] the call is in; null when the call is
        /// not in a [Function] method, or the type is not known (an event of a referenced assembly, a type with errors).</param>
        public static void Check(OperationAnalysisContext context, IInvocationOperation invocation, INamedTypeSymbol eventAttribute,
            Lazy<ITypeSymbol?> triggerPayload)
        {
            var awaited = invocation.TargetMethod.TypeArguments[0];
            if (awaited is ITypeParameterSymbol || Symbols.ContainsErrorType(awaited))
            {
                return; // decided by the caller of a generic helper, or reported by the compiler
            }
            bool isEvent = HasAttribute(awaited, eventAttribute);
            if (!isEvent)
            {
                context.ReportDiagnostic(Diagnostic.Create(FanOutDiagnostics.WaitForNonEvent, TypeArgument(invocation).GetLocation(),
                    Symbols.Display(awaited)));
            }
            var argument = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "match");
            // A default argument has no syntax of its own; a match that is not a constant is checked when the wait runs.
            if (argument is null || argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Value.ConstantValue.Value is not string match)
            {
                return;
            }
            var location = argument.Value.Syntax.GetLocation();
            if (!MatchPaths.IsValid(match, out var pathError))
            {
                context.ReportDiagnostic(Diagnostic.Create(FanOutDiagnostics.InvalidWaitMatchPath, location, match, pathError));
                return;
            }
            if (isEvent)
            {
                CheckProperty(context, location, match, "the awaited event's payload", awaited);
            }
            if (triggerPayload.Value is { } trigger)
            {
                CheckProperty(context, location, match, "the triggering event's payload", trigger);
            }
        }

        private static void CheckProperty(OperationAnalysisContext context, Location location, string match, string side, ITypeSymbol payload)
        {
            // Null for a payload that is not written as a JSON object: there are no names to compare with.
            if (SerializationParser.JsonPropertyNames(payload, context.CancellationToken) is not { } names)
            {
                return;
            }
            var property = MatchPaths.FirstProperty(match);
            if (!MatchPaths.HasProperty(names, property))
            {
                context.ReportDiagnostic(Diagnostic.Create(FanOutDiagnostics.UnknownWaitMatchProperty, location,
                    match, property, side, Symbols.Display(payload), MatchPaths.Known(names), MatchPaths.Suggestion(names, property, match)));
            }
        }

        /// <summary>
        /// The payload type a [Function] method's runs are triggered with: the type it takes (T or Event&lt;T&gt;), else the
        /// type of its event, looked up by name among the events declared in this compilation.
        /// </summary>
        public static ITypeSymbol? TriggerPayload(IMethodSymbol function, AttributeData functionAttribute, Func<string, INamedTypeSymbol?> eventType)
        {
            foreach (var parameter in function.Parameters)
            {
                var type = parameter.Type;
                if (Symbols.Is(type, "FanOut", "Step") || Symbols.Is(type, "System.Threading", "CancellationToken"))
                {
                    continue;
                }
                if (Symbols.Is(type, "FanOut", "Event", 1))
                {
                    type = ((INamedTypeSymbol)type).TypeArguments[0];
                }
                return Symbols.ContainsErrorType(type) || type is ITypeParameterSymbol ? null : type;
            }
            return Symbols.NamedArgument(functionAttribute, "Event") is string name ? eventType(name) : null;
        }

        /// <summary>The T in <c>step.WaitForEvent&lt;T&gt;(…)</c>; the whole call if it is written some other way.</summary>
        private static SyntaxNode TypeArgument(IInvocationOperation invocation)
        {
            var name = invocation.Syntax is InvocationExpressionSyntax call
                ? call.Expression switch
                {
                    MemberAccessExpressionSyntax access => access.Name,
                    MemberBindingExpressionSyntax binding => binding.Name,
                    _ => null,
                }
                : null;
            return name is GenericNameSyntax { TypeArgumentList.Arguments.Count: 1 } generic ? generic.TypeArgumentList.Arguments[0] : invocation.Syntax;
        }

        private static bool HasAttribute(ITypeSymbol type, INamedTypeSymbol attributeType)
        {
            foreach (var attribute in type.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
                {
                    return true;
                }
            }
            return false;
        }
    }
}
