using System.Collections.Generic;
using System.Collections.Immutable;
using FanOut.Generators.Model;
using Microsoft.CodeAnalysis;

namespace FanOut.Generators.Diagnostics
{
    /// <summary>
    /// The FANOUT diagnostics: errors for declarations generated code cannot use (001–017, 022–024) and for waits that would
    /// fail or never match at run time (025–027), warnings for step code that would not replay deterministically (018–020)
    /// and for a [CancelOn] that does nothing (021). Ids are stable and documented in docs/diagnostics.md (the help link of each); every
    /// message says what to change. Recorded in AnalyzerReleases.Unshipped.md.
    /// </summary>
    internal static class FanOutDiagnostics
    {
        private const string Category = "FanOut";
        private const string HelpRoot = "https://github.com/fanout-dotnet/fanout/blob/main/docs/diagnostics.md#";

        public static readonly DiagnosticDescriptor UnknownEvent = Create(ProblemIds.UnknownEvent,
            "Unknown event name",
            "Function '{0}' is triggered by event '{1}', which no [Event] type declares in this compilation or its references{2} Fix the name, or declare the event with [Event(\"{1}\")] on its payload type.");

        public static readonly DiagnosticDescriptor PayloadMismatch = Create(ProblemIds.PayloadMismatch,
            "Payload parameter does not match the event",
            "Function '{0}' takes '{1}', but event '{2}' carries '{3}'. Take '{3}' or 'Event<{3}>' instead.");

        public static readonly DiagnosticDescriptor DuplicateFunctionId = Create(ProblemIds.DuplicateFunctionId,
            "Duplicate function id",
            "Function id '{0}' is also used by {1}. Function ids name runs and must be unique across the application; rename one of the functions.");

        public static readonly DiagnosticDescriptor DuplicateEventName = Create(ProblemIds.DuplicateEventName,
            "Duplicate event name",
            "Event '{0}' is also declared by {1}. An event name has exactly one payload type; rename one of the events or remove one declaration.");

        public static readonly DiagnosticDescriptor InvalidEventName = Create(ProblemIds.InvalidEventName,
            "Invalid event name",
            "'{0}' is not a valid event name: {1}. Use '/'-separated segments of letters, digits, '.', '_' and '-', such as 'app/user.signup'.");

        public static readonly DiagnosticDescriptor InvalidFunctionId = Create(ProblemIds.InvalidFunctionId,
            "Invalid function id",
            "'{0}' is not a valid function id: {1}. Use '/'-separated segments of letters, digits, '.', '_' and '-', such as 'send-welcome-email'.");

        public static readonly DiagnosticDescriptor UnsupportedReturnType = Create(ProblemIds.UnsupportedReturnType,
            "Unsupported return type",
            "Function '{0}' returns '{1}'. A function returns Task, Task<T>, ValueTask or ValueTask<T>; make the method async and return one of these.");

        public static readonly DiagnosticDescriptor UnsupportedParameter = Create(ProblemIds.UnsupportedParameter,
            "Unsupported parameter",
            "Function '{0}' cannot take parameter '{1}': {2}. A function takes at most one event payload (or Event<payload>), one Step and one CancellationToken, in any order, none by ref, in or out; take other dependencies through the class's constructor.");

        public static readonly DiagnosticDescriptor Generic = Create(ProblemIds.Generic,
            "Generic function or event type",
            "{0} is generic or is declared in a generic type, and generated code cannot choose type arguments. Move it to a non-generic type.");

        public static readonly DiagnosticDescriptor Unreachable = Create(ProblemIds.Unreachable,
            "Not reachable by generated code",
            "{0} cannot be reached by generated code because '{1}' is {2}. Make it public or internal.");

        public static readonly DiagnosticDescriptor MissingEvent = Create(ProblemIds.MissingEvent,
            "Function without an event",
            "Function '{0}' names no event. Set the event that triggers it, as in [Function(\"{0}\", Event = \"app/user.signup\")].");

        public static readonly DiagnosticDescriptor NotSerializable = Create(ProblemIds.NotSerializable,
            "Type cannot be serialized",
            "'{0}' cannot be serialized by FanOut: member '{1}' of type '{2}': {3}. Change the member's type, or keep it out of the payload.");

        public static readonly DiagnosticDescriptor NotConstructible = Create(ProblemIds.NotConstructible,
            "Function class cannot be created",
            "Function '{0}' is an instance method, but generated code cannot create '{1}': {2}. Give the class exactly one public constructor, mark one with [ActivatorUtilitiesConstructor], or make the method static.");

        public static readonly DiagnosticDescriptor InvalidTimeout = Create(ProblemIds.InvalidTimeout,
            "Invalid timeout",
            "Function '{0}' has TimeoutSeconds = {1}. Use a finite number of seconds greater than zero, or zero (the default) for the configured default timeout.");

        public static readonly DiagnosticDescriptor InvalidRetries = Create(ProblemIds.InvalidRetries,
            "Invalid retries",
            "Function '{0}' has Retries = {1}. Use 0 (no retries) to 20, or leave it out (-1, the default) for FanOutOptions.DefaultRetries.");

        public static readonly DiagnosticDescriptor InvalidFailureHandler = Create(ProblemIds.InvalidFailureHandler,
            "Invalid failure handler",
            "Function '{0}' has OnFailure = \"{1}\", but {2}. A failure handler is one method of the function's class, not overloaded, " +
            "returning Task or ValueTask and taking at most one each of: the event payload (or Event<payload>), FunctionFailure, CancellationToken.");

        public static readonly DiagnosticDescriptor OpenStepResult = Create(ProblemIds.OpenStepResult,
            "Step result of an open type",
            "step.Run<{0}> has a result of open type '{0}', but step results must be a closed type FanOut can generate a serializer for. " +
            "Call step.Run where the result type is known, for example in the caller of this generic method.");

        public static readonly DiagnosticDescriptor NonConstantStepId = Create(ProblemIds.NonConstantStepId,
            "Step id is not a constant",
            "The step id is not a compile-time constant. A step's result is found again by its id on every attempt, so an id that can change " +
            "between attempts runs the step again; use a constant, nameof or an interpolation of constants (a loop around one call is numbered automatically).",
            DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor DuplicateStepId = Create(ProblemIds.DuplicateStepId,
            "Step id used at two call sites",
            "Step id '{0}' is also used by another step call in this method. Repeated ids are numbered in the order the steps start " +
            "('{0}:1', '{0}:2'), so moving or adding either call hands one step's stored result to the other; give each call site its own id.",
            DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor NondeterministicValue = Create(ProblemIds.NondeterministicValue,
            "Non-deterministic value outside a step",
            "'{0}' gives a different value on every attempt, because code outside steps runs again on each retry. Move it into a step " +
            "(the lambda passed to step.Run), so the value is stored once and is the same on every attempt.",
            DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor CancelOnWithoutFunction = Create(ProblemIds.CancelOnWithoutFunction,
            "[CancelOn] on a method that is not a function",
            "'{0}' has [CancelOn], but it is not a [Function] method, so [CancelOn] cancels nothing. Put [CancelOn] on the [Function] method " +
            "whose runs it should cancel, or remove it.",
            DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor InvalidCancelEventName = Create(ProblemIds.InvalidCancelEventName,
            "Invalid cancel event name",
            "Function '{0}' is cancelled by event '{1}', which is not a valid event name: {2}. Use '/'-separated segments of letters, digits, " +
            "'.', '_' and '-', such as 'app/user.deleted'.");

        public static readonly DiagnosticDescriptor InvalidMatchPath = Create(ProblemIds.InvalidMatchPath,
            "Invalid match path",
            "Function '{0}' has [CancelOn] Match = \"{1}\", which is not a valid match path: {2}. Write 'data.' followed by JSON property names " +
            "separated by dots, such as 'data.userId' or 'data.user.id'.");

        public static readonly DiagnosticDescriptor UnknownMatchProperty = Create(ProblemIds.UnknownMatchProperty,
            "Match path names no property of the payload",
            "Function '{0}' has [CancelOn] Match = \"{1}\", but '{2}' is not a JSON property of its payload '{3}' ({4}){5} The match compares " +
            "the events' JSON as sent, so name the property as it is written there: its C# name in camelCase, or its [JsonPropertyName].");

        public static readonly DiagnosticDescriptor WaitForNonEvent = Create(ProblemIds.WaitForNonEvent,
            "WaitForEvent of a type that is not an event",
            "step.WaitForEvent<{0}> waits for '{0}', which is not declared with [Event], so there is no event name to wait for and the run " +
            "fails when it reaches this wait. Wait for the payload type of an [Event], or declare '{0}' with [Event(\"app/…\")].");

        public static readonly DiagnosticDescriptor InvalidWaitMatchPath = Create(ProblemIds.InvalidWaitMatchPath,
            "Invalid wait match path",
            "step.WaitForEvent has match \"{0}\", which is not a valid match path: {1}; the run fails when it reaches this wait. Write " +
            "'data.' followed by JSON property names separated by dots, such as 'data.userId' or 'data.user.id'.");

        public static readonly DiagnosticDescriptor UnknownWaitMatchProperty = Create(ProblemIds.UnknownWaitMatchProperty,
            "Wait match path names no property of a payload",
            "step.WaitForEvent has match \"{0}\", but '{1}' is not a JSON property of {2} '{3}' ({4}){5} The match compares the awaited " +
            "event's JSON with the triggering event's, as sent, so both must have the property under that name: its C# name in camelCase, " +
            "or its [JsonPropertyName].");

        public static readonly ImmutableArray<DiagnosticDescriptor> All = ImmutableArray.Create(
            UnknownEvent, PayloadMismatch, DuplicateFunctionId, DuplicateEventName, InvalidEventName, InvalidFunctionId, UnsupportedReturnType,
            UnsupportedParameter, Generic, Unreachable, MissingEvent, NotSerializable, NotConstructible, InvalidTimeout, InvalidRetries,
            InvalidFailureHandler, OpenStepResult, NonConstantStepId, DuplicateStepId, NondeterministicValue, CancelOnWithoutFunction,
            InvalidCancelEventName, InvalidMatchPath, UnknownMatchProperty, WaitForNonEvent, InvalidWaitMatchPath, UnknownWaitMatchProperty);

        private static readonly Dictionary<string, DiagnosticDescriptor> ById = CreateIndex();

        public static DiagnosticDescriptor For(string id) => ById[id];

        private static Dictionary<string, DiagnosticDescriptor> CreateIndex()
        {
            var index = new Dictionary<string, DiagnosticDescriptor>();
            foreach (var descriptor in All)
            {
                index[descriptor.Id] = descriptor;
            }
            return index;
        }

        private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error) => new DiagnosticDescriptor(
            id, title, message, Category, severity, isEnabledByDefault: true,
            helpLinkUri: HelpRoot + id.ToLowerInvariant());
    }
}
