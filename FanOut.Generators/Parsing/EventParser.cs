using System.Collections.Generic;
using System.Threading;
using FanOut.Generators.Model;
using FanOut.Generators.Serialization;
using Microsoft.CodeAnalysis;

namespace FanOut.Generators.Parsing
{
    /// <summary>Reads an <c>[Event]</c> type into an <see cref="EventModel"/>.</summary>
    internal static class EventParser
    {
        public const string AttributeName = "FanOut.EventAttribute";

        /// <summary>The name and type only: what cross checks need, without the serialization closure.</summary>
        public static EventKey ReadKey(INamedTypeSymbol type, AttributeData attribute) => new EventKey(
            ReadName(attribute), Symbols.FullName(type), Symbols.Display(type), AssemblyName: null);

        public static EventModel Parse(INamedTypeSymbol type, AttributeData attribute, CancellationToken cancellationToken)
        {
            var key = ReadKey(type, attribute);
            var problems = new List<Problem>();
            if (!FanOutNames.IsValid(key.Name, out var error))
            {
                problems.Add(Problem.At(ProblemIds.InvalidEventName, ProblemSite.EventName, key.Name, error!));
            }
            var what = "Event type '" + key.TypeDisplay + "'";
            if (Symbols.IsGenericOrInGeneric(type))
            {
                problems.Add(Problem.At(ProblemIds.Generic, ProblemSite.EventAttribute, what));
                return new EventModel(key, Empty, problems.ToEquatableArray());
            }
            if (Symbols.FirstUnreachable(type) is { } hidden)
            {
                problems.Add(Problem.At(
                    ProblemIds.Unreachable, ProblemSite.EventAttribute, what, Symbols.Display(hidden), Symbols.AccessibilityText(hidden)));
            }
            if (type.IsStatic || type.IsRefLikeType)
            {
                // Generated code names the payload as a type argument (EventMetadata<T>), which these cannot be.
                var reason = type.IsStatic ? "a static class has no instances to send" : "a ref struct cannot be stored or serialized";
                problems.Add(Problem.At(ProblemIds.NotSerializable, ProblemSite.EventAttribute, key.TypeDisplay, "this", key.TypeDisplay, reason));
                return new EventModel(key, Empty, problems.ToEquatableArray());
            }
            var serialization = SerializationParser.Parse(type, cancellationToken);
            foreach (var problem in serialization.Problems)
            {
                problems.Add(Problem.At(
                    ProblemIds.NotSerializable, ProblemSite.EventAttribute, key.TypeDisplay, problem.MemberPath, problem.TypeDisplay, problem.Reason));
            }
            return new EventModel(key, serialization, problems.ToEquatableArray());
        }

        private static readonly SerializationResult Empty =
            new SerializationResult(EquatableArray<TypeSpec>.Empty, EquatableArray<SerializationProblem>.Empty);

        private static string ReadName(AttributeData attribute) =>
            attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string name ? name : "";
    }
}
