using System.Collections.Generic;
using System.Collections.Immutable;
using FanOut.Generators.Model;
using Microsoft.CodeAnalysis;

namespace FanOut.Generators.Diagnostics
{
    /// <summary>
    /// The FANOUT diagnostics. Ids are stable and documented in docs/diagnostics.md (the help link of each); every
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

        public static readonly ImmutableArray<DiagnosticDescriptor> All = ImmutableArray.Create(
            UnknownEvent, PayloadMismatch, DuplicateFunctionId, DuplicateEventName, InvalidEventName, InvalidFunctionId, UnsupportedReturnType,
            UnsupportedParameter, Generic, Unreachable, MissingEvent, NotSerializable, NotConstructible, InvalidTimeout);

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

        private static DiagnosticDescriptor Create(string id, string title, string message) => new DiagnosticDescriptor(
            id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: HelpRoot + id.ToLowerInvariant());
    }
}
