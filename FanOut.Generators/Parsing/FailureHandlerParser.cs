using System.Collections.Generic;
using FanOut.Generators.Model;
using Microsoft.CodeAnalysis;

namespace FanOut.Generators.Parsing
{
    /// <summary>
    /// Reads the method named by <c>[Function(OnFailure = nameof(…))]</c>: one method of the function's class, returning
    /// Task or ValueTask, taking parameters from the payload (or Event&lt;payload&gt;), FunctionFailure and CancellationToken.
    /// Everything wrong with it is one FANOUT016 at the OnFailure argument, whose reason says what.
    /// </summary>
    internal static class FailureHandlerParser
    {
        public static FailureHandlerModel? Parse(
            IMethodSymbol function, string name, string id, ActivationModel? functionActivation, List<Problem> problems, ref bool hasErrorTypes)
        {
            var type = function.ContainingType;
            var candidates = new List<IMethodSymbol>();
            foreach (var member in type.GetMembers(name))
            {
                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method)
                {
                    candidates.Add(method);
                }
            }
            if (candidates.Count != 1)
            {
                Report(problems, id, name, candidates.Count == 0
                    ? "'" + Symbols.Display(type) + "' has no method named '" + name + "'"
                    : "'" + Symbols.Display(type) + "' has " + candidates.Count + " methods named '" + name + "', and generated code cannot choose between overloads");
                return null;
            }
            var handler = candidates[0];
            hasErrorTypes |= Symbols.ContainsErrorType(handler.ReturnType);
            var reason = CheckSignature(handler);
            if (reason is not null)
            {
                Report(problems, id, name, reason);
                return null;
            }
            var parameters = ReadParameters(handler, id, name, problems, ref hasErrorTypes);
            if (parameters is null)
            {
                return null;
            }
            var activation = handler.IsStatic ? null : functionActivation;
            if (!handler.IsStatic && function.IsStatic)
            {
                // The function did not need its class created; the handler does. FANOUT016 says why it cannot be.
                var activationProblems = new List<Problem>();
                activation = ActivationParser.Parse(type, id, activationProblems, ref hasErrorTypes);
                if (activation is null)
                {
                    Report(problems, id, name, "it is an instance method and generated code cannot create '" + Symbols.Display(type) + "': "
                        + activationProblems[0].Args[activationProblems[0].Args.Count - 1]);
                    return null;
                }
            }
            return new FailureHandlerModel(handler.Name, handler.IsStatic, parameters.ToEquatableArray(), activation);
        }

        private static string? CheckSignature(IMethodSymbol handler)
        {
            if (handler.IsGenericMethod)
            {
                return "it is generic";
            }
            if (Symbols.FirstUnreachable(handler) is { } hidden && SymbolEqualityComparer.Default.Equals(hidden, handler))
            {
                return "it is " + Symbols.AccessibilityText(handler);
            }
            if (handler.IsStatic && handler.IsAbstract)
            {
                return "it is static abstract, so it has no body to call";
            }
            var returns = handler.ReturnType;
            if (!Symbols.Is(returns, "System.Threading.Tasks", "Task") && !Symbols.Is(returns, "System.Threading.Tasks", "ValueTask")
                && returns is not IErrorTypeSymbol)
            {
                return "it returns '" + Symbols.Display(returns) + "'";
            }
            return null;
        }

        private static List<ParameterModel>? ReadParameters(IMethodSymbol handler, string id, string name, List<Problem> problems, ref bool hasErrorTypes)
        {
            var models = new List<ParameterModel>();
            var seen = new HashSet<ParameterKind>();
            foreach (var parameter in handler.Parameters)
            {
                var type = parameter.Type;
                hasErrorTypes |= Symbols.ContainsErrorType(type);
                var kind = Classify(type);
                string? reason = null;
                if (parameter.RefKind != RefKind.None)
                {
                    reason = "its parameter '" + parameter.Name + "' is passed by reference";
                }
                else if (kind == ParameterKind.Unsupported)
                {
                    reason = "it takes '" + Symbols.Display(type) + "' as parameter '" + parameter.Name + "'";
                }
                else if (kind is ParameterKind.Payload or ParameterKind.Event && Symbols.FirstUnreachableType(type) is { } hidden)
                {
                    reason = "generated code cannot reach '" + Symbols.Display(hidden) + "', which is " + Symbols.AccessibilityText(hidden);
                }
                else if (!seen.Add(kind == ParameterKind.Event ? ParameterKind.Payload : kind))
                {
                    reason = "it takes " + (kind is ParameterKind.Payload or ParameterKind.Event ? "the event" : "'" + Symbols.Display(type) + "'")
                        + " twice";
                }
                if (reason is not null)
                {
                    Report(problems, id, name, reason);
                    return null;
                }
                var dataType = kind == ParameterKind.Event ? ((INamedTypeSymbol)type).TypeArguments[0] : type;
                models.Add(new ParameterModel(kind, Symbols.FullName(dataType), Symbols.Display(type)));
            }
            return models;
        }

        private static ParameterKind Classify(ITypeSymbol type)
        {
            if (Symbols.Is(type, "FanOut", "FunctionFailure"))
            {
                return ParameterKind.Failure;
            }
            if (Symbols.Is(type, "System.Threading", "CancellationToken"))
            {
                return ParameterKind.CancellationToken;
            }
            if (Symbols.Is(type, "FanOut", "Step") || type.IsRefLikeType || type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
            {
                return ParameterKind.Unsupported; // a failed run takes no more steps
            }
            return Symbols.Is(type, "FanOut", "Event", 1) ? ParameterKind.Event : ParameterKind.Payload;
        }

        private static void Report(List<Problem> problems, string id, string name, string reason) =>
            problems.Add(Problem.At(ProblemIds.InvalidFailureHandler, ProblemSite.OnFailure, id, name, reason));

        /// <summary>The handler's parameter that takes the event, or null when none does.</summary>
        public static ParameterModel? PayloadParameter(FailureHandlerModel handler)
        {
            foreach (var parameter in handler.Parameters)
            {
                if (parameter.Kind is ParameterKind.Payload or ParameterKind.Event)
                {
                    return parameter;
                }
            }
            return null;
        }
    }
}
