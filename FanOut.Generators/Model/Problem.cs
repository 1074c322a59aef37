using System.Linq;

namespace FanOut.Generators.Model
{
    /// <summary>Where in the source a problem is reported; the analyzer turns it into a precise location.</summary>
    internal enum ProblemSite
    {
        EventAttribute,
        EventName,
        FunctionAttribute,
        FunctionId,
        FunctionEvent,
        Timeout,
        Retries,
        OnFailure,
        Method,
        ReturnType,
        Parameter,
        StepCall,
        /// <summary>The event name of the <see cref="Problem.Index"/>th <c>[CancelOn]</c> of a function.</summary>
        CancelOnEvent,
        /// <summary>The Match of the <see cref="Problem.Index"/>th <c>[CancelOn]</c> of a function.</summary>
        CancelOnMatch,
    }

    /// <summary>
    /// A mistake found by a parser, without a location: the diagnostic id, where it is, and the message arguments.
    /// The generator only needs to know that a model has problems; the analyzer reports them.
    /// </summary>
    /// <param name="Index">For <see cref="ProblemSite.Parameter"/>, the parameter's index; for the CancelOn sites, which
    /// <c>[CancelOn]</c> of the method (in declaration order); otherwise -1.</param>
    internal sealed record Problem(string Id, ProblemSite Site, int Index, EquatableArray<string> Args)
    {
        public static Problem At(string id, ProblemSite site, params string[] args) =>
            new Problem(id, site, -1, args.ToEquatableArray());

        public static Problem AtParameter(string id, int parameterIndex, params string[] args) =>
            new Problem(id, ProblemSite.Parameter, parameterIndex, args.ToEquatableArray());

        public static Problem AtCancelOn(string id, ProblemSite site, int attributeIndex, params string[] args) =>
            new Problem(id, site, attributeIndex, args.ToEquatableArray());
    }

    /// <summary>The stable diagnostic ids. Never renumber: users suppress and search for these.</summary>
    internal static class ProblemIds
    {
        public const string UnknownEvent = "FANOUT001";
        public const string PayloadMismatch = "FANOUT002";
        public const string DuplicateFunctionId = "FANOUT003";
        public const string DuplicateEventName = "FANOUT004";
        public const string InvalidEventName = "FANOUT005";
        public const string InvalidFunctionId = "FANOUT006";
        public const string UnsupportedReturnType = "FANOUT007";
        public const string UnsupportedParameter = "FANOUT008";
        public const string Generic = "FANOUT009";
        public const string Unreachable = "FANOUT010";
        public const string MissingEvent = "FANOUT011";
        public const string NotSerializable = "FANOUT012";
        public const string NotConstructible = "FANOUT013";
        public const string InvalidTimeout = "FANOUT014";
        public const string InvalidRetries = "FANOUT015";
        public const string InvalidFailureHandler = "FANOUT016";
        public const string OpenStepResult = "FANOUT017";
        public const string NonConstantStepId = "FANOUT018";
        public const string DuplicateStepId = "FANOUT019";
        public const string NondeterministicValue = "FANOUT020";
        public const string CancelOnWithoutFunction = "FANOUT021";
        public const string InvalidCancelEventName = "FANOUT022";
        public const string InvalidMatchPath = "FANOUT023";
        public const string UnknownMatchProperty = "FANOUT024";
        public const string WaitForNonEvent = "FANOUT025";
        public const string InvalidWaitMatchPath = "FANOUT026";
        public const string UnknownWaitMatchProperty = "FANOUT027";

        public static bool Any(EquatableArray<Problem> problems, string id) => problems.Any(p => p.Id == id);
    }
}
