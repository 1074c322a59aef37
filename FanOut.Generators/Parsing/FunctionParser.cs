using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using FanOut.Generators.Model;
using FanOut.Generators.Serialization;
using Microsoft.CodeAnalysis;

namespace FanOut.Generators.Parsing
{
    /// <summary>Reads a <c>[Function]</c> method into a <see cref="FunctionModel"/>, finding every mistake local to it.</summary>
    internal static class FunctionParser
    {
        public const string AttributeName = "FanOut.FunctionAttribute";

        // TimeSpan.FromSeconds throws above this; anything larger is a mistake anyway.
        private const double MaxTimeoutSeconds = 922337203685.0;

        /// <summary>Inngest's maximum, so a function's Retries means the same in FanOut as there.</summary>
        public const int MaxRetries = 20;

        public static FunctionKey ReadKey(IMethodSymbol method, AttributeData attribute) =>
            new FunctionKey(ReadId(attribute), Symbols.Display(method), AssemblyName: null);

        public static FunctionModel Parse(IMethodSymbol method, AttributeData attribute, CancellationToken cancellationToken)
        {
            var key = ReadKey(method, attribute);
            var id = key.Id;
            var problems = new List<Problem>();
            var (eventName, timeout, retries) = ReadAttribute(attribute, id, problems);
            CheckReachable(method, id, problems);

            bool hasErrorTypes = Symbols.ContainsErrorType(method.ReturnType);
            var (returnsValue, output) = ReadReturnType(method, id, problems);
            var parameters = ReadParameters(method, id, problems, ref hasErrorTypes);
            var cancelOn = CancelOnParser.Parse(method, id, PayloadType(method, parameters), problems, cancellationToken);
            var activation = method.IsStatic ? null : ActivationParser.Parse(method.ContainingType, id, problems, ref hasErrorTypes);
            var failureHandler = Symbols.NamedArgument(attribute, "OnFailure") is string handlerName
                ? FailureHandlerParser.Parse(method, handlerName, id, activation, problems, ref hasErrorTypes)
                : null;
            var outputSerialization = output is null || hasErrorTypes ? null : ReadOutput(output, id, problems, cancellationToken);

            return new FunctionModel(
                key,
                eventName,
                Symbols.FullName(method.ContainingType),
                method.Name,
                method.IsStatic,
                parameters,
                returnsValue,
                output is null ? null : Symbols.FullName(output),
                output is null ? null : Symbols.AnnotatedFullName(output),
                timeout,
                retries,
                cancelOn,
                failureHandler,
                activation,
                outputSerialization,
                hasErrorTypes,
                problems.ToEquatableArray());
        }

        private static (string? EventName, double Timeout, int Retries) ReadAttribute(AttributeData attribute, string id, List<Problem> problems)
        {
            if (!FanOutNames.IsValid(id, out var idError))
            {
                problems.Add(Problem.At(ProblemIds.InvalidFunctionId, ProblemSite.FunctionId, id, idError!));
            }
            var eventName = Symbols.NamedArgument(attribute, "Event") as string;
            if (eventName is null)
            {
                problems.Add(Problem.At(ProblemIds.MissingEvent, ProblemSite.FunctionAttribute, id));
            }
            else if (!FanOutNames.IsValid(eventName, out var eventError))
            {
                problems.Add(Problem.At(ProblemIds.InvalidEventName, ProblemSite.FunctionEvent, eventName, eventError!));
            }
            var timeout = Symbols.NamedArgument(attribute, "TimeoutSeconds") is double seconds ? seconds : 0;
            if (double.IsNaN(timeout) || timeout < 0 || timeout > MaxTimeoutSeconds)
            {
                problems.Add(Problem.At(ProblemIds.InvalidTimeout, ProblemSite.Timeout, id, timeout.ToString("R", CultureInfo.InvariantCulture)));
            }
            var retries = Symbols.NamedArgument(attribute, "Retries") is int count ? count : -1;
            if (retries < -1 || retries > MaxRetries)
            {
                problems.Add(Problem.At(ProblemIds.InvalidRetries, ProblemSite.Retries, id, retries.ToString(CultureInfo.InvariantCulture)));
            }
            return (eventName, timeout, retries);
        }

        /// <summary>Generated code calls the method from outside its class, by name, with no type arguments.</summary>
        private static void CheckReachable(IMethodSymbol method, string id, List<Problem> problems)
        {
            var what = "Function '" + id + "'";
            if (Symbols.IsGenericOrInGeneric(method))
            {
                problems.Add(Problem.At(ProblemIds.Generic, ProblemSite.Method, what));
            }
            if (method.MethodKind != MethodKind.Ordinary)
            {
                problems.Add(Problem.At(ProblemIds.Unreachable, ProblemSite.Method, what, Symbols.Display(method), "an explicit interface implementation"));
            }
            else if (Symbols.FirstUnreachable(method) is { } hidden)
            {
                problems.Add(Problem.At(ProblemIds.Unreachable, ProblemSite.Method, what, Symbols.Display(hidden), Symbols.AccessibilityText(hidden)));
            }
            if (method.IsStatic && method.IsAbstract)
            {
                problems.Add(Problem.At(ProblemIds.NotConstructible, ProblemSite.Method, id, Symbols.Display(method.ContainingType),
                    "the method is static abstract, so it has no body to call"));
            }
        }

        private static SerializationResult? ReadOutput(ITypeSymbol output, string id, List<Problem> problems, CancellationToken cancellationToken)
        {
            if (Symbols.FirstUnreachableType(output) is { } hidden)
            {
                problems.Add(Problem.At(
                    ProblemIds.Unreachable, ProblemSite.ReturnType, "The output of function '" + id + "'", Symbols.Display(hidden), Symbols.AccessibilityText(hidden)));
                return null;
            }
            var result = SerializationParser.Parse(output, cancellationToken);
            foreach (var problem in result.Problems)
            {
                problems.Add(Problem.At(
                    ProblemIds.NotSerializable, ProblemSite.ReturnType, Symbols.Display(output), problem.MemberPath, problem.TypeDisplay, problem.Reason));
            }
            return result;
        }

        private static string ReadId(AttributeData attribute) =>
            attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string id ? id : "";

        private static (bool ReturnsValue, ITypeSymbol? Output) ReadReturnType(IMethodSymbol method, string id, List<Problem> problems)
        {
            var type = method.ReturnType;
            if (Symbols.Is(type, "System.Threading.Tasks", "Task") || Symbols.Is(type, "System.Threading.Tasks", "ValueTask"))
            {
                return (false, null);
            }
            if (Symbols.Is(type, "System.Threading.Tasks", "Task", 1) || Symbols.Is(type, "System.Threading.Tasks", "ValueTask", 1))
            {
                return (true, ((INamedTypeSymbol)type).TypeArguments[0]);
            }
            if (type is not IErrorTypeSymbol)
            {
                problems.Add(Problem.At(ProblemIds.UnsupportedReturnType, ProblemSite.ReturnType, id, Symbols.Display(type)));
            }
            return (false, null);
        }

        private static EquatableArray<ParameterModel> ReadParameters(IMethodSymbol method, string id, List<Problem> problems, ref bool hasErrorTypes)
        {
            var models = new ParameterModel[method.Parameters.Length];
            var seen = new Dictionary<ParameterKind, string>();
            for (int i = 0; i < models.Length; i++)
            {
                var parameter = method.Parameters[i];
                var type = parameter.Type;
                hasErrorTypes |= Symbols.ContainsErrorType(type);
                var kind = Classify(type);
                // Payload and Event<payload> are two ways of taking the same thing, so they share one slot.
                var slot = kind == ParameterKind.Event ? ParameterKind.Payload : kind;
                string? reason = null;
                if (parameter.RefKind != RefKind.None)
                {
                    reason = "it is passed by reference ('" + parameter.RefKind.ToString().ToLowerInvariant() + "')";
                }
                else if (type.IsRefLikeType || type.TypeKind == TypeKind.Pointer || type.TypeKind == TypeKind.FunctionPointer)
                {
                    reason = "'" + Symbols.Display(type) + "' cannot be passed from generated code";
                }
                else if (kind is ParameterKind.Payload or ParameterKind.Event && Symbols.FirstUnreachableType(type) is { } hidden)
                {
                    reason = "generated code cannot reach '" + Symbols.Display(hidden) + "', which is " + Symbols.AccessibilityText(hidden);
                }
                else if (seen.TryGetValue(slot, out var first))
                {
                    reason = slot switch
                    {
                        ParameterKind.Payload => "the function already takes the event as parameter '" + first + "'",
                        ParameterKind.Step => "the function already takes a Step as parameter '" + first + "'",
                        _ => "the function already takes a CancellationToken as parameter '" + first + "'",
                    };
                }
                if (reason is not null)
                {
                    kind = ParameterKind.Unsupported;
                    problems.Add(Problem.AtParameter(ProblemIds.UnsupportedParameter, i, id, parameter.Name, reason));
                }
                else
                {
                    seen[slot] = parameter.Name;
                }
                var dataType = kind == ParameterKind.Event ? ((INamedTypeSymbol)type).TypeArguments[0] : type;
                models[i] = new ParameterModel(kind, Symbols.FullName(dataType), Symbols.Display(type));
            }
            return models.ToEquatableArray();
        }

        private static ParameterKind Classify(ITypeSymbol type)
        {
            if (Symbols.Is(type, "FanOut", "Step"))
            {
                return ParameterKind.Step;
            }
            if (Symbols.Is(type, "System.Threading", "CancellationToken"))
            {
                return ParameterKind.CancellationToken;
            }
            return Symbols.Is(type, "FanOut", "Event", 1) ? ParameterKind.Event : ParameterKind.Payload;
        }

        /// <summary>The parameter that takes the event (as <c>T</c> or <c>Event&lt;T&gt;</c>), and its index; null when none does.</summary>
        public static ParameterModel? PayloadParameter(FunctionModel function, out int index) => PayloadParameter(function.Parameters, out index);

        private static ParameterModel? PayloadParameter(EquatableArray<ParameterModel> parameters, out int index)
        {
            for (index = 0; index < parameters.Count; index++)
            {
                if (parameters[index].Kind is ParameterKind.Payload or ParameterKind.Event)
                {
                    return parameters[index];
                }
            }
            index = -1;
            return null;
        }

        /// <summary>The payload type the method takes (T of Event&lt;T&gt;), or null when it takes none or the type has errors.</summary>
        private static ITypeSymbol? PayloadType(IMethodSymbol method, EquatableArray<ParameterModel> parameters)
        {
            var payload = PayloadParameter(parameters, out var index);
            if (payload is null)
            {
                return null;
            }
            var type = method.Parameters[index].Type;
            if (payload.Kind == ParameterKind.Event)
            {
                type = ((INamedTypeSymbol)type).TypeArguments[0];
            }
            return Symbols.ContainsErrorType(type) || type is ITypeParameterSymbol ? null : type;
        }
    }
}
