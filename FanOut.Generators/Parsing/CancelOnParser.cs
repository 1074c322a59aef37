using System.Collections.Generic;
using System.Threading;
using FanOut.Generators.Model;
using FanOut.Generators.Serialization;
using Microsoft.CodeAnalysis;

namespace FanOut.Generators.Parsing
{
    /// <summary>
    /// Reads the <c>[CancelOn]</c> attributes of a function: an invalid event name (FANOUT022), an invalid Match path
    /// (FANOUT023), and a Match whose first property is not a JSON property of the payload the function takes (FANOUT024;
    /// for a function that does not take its payload, <see cref="Catalog"/> checks against the event's type).
    /// </summary>
    internal static class CancelOnParser
    {
        public const string AttributeName = "FanOut.CancelOnAttribute";

        /// <summary>The method's <c>[CancelOn]</c>s in declaration order; the locator counts them the same way.</summary>
        public static List<AttributeData> Attributes(ISymbol symbol)
        {
            var found = new List<AttributeData>();
            foreach (var attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == AttributeName)
                {
                    found.Add(attribute);
                }
            }
            return found;
        }

        /// <param name="payloadType">The type the function takes as its payload (T of Event&lt;T&gt;), or null when it takes none
        /// or it has errors: then the Match property is not checked.</param>
        public static EquatableArray<CancelOnModel> Parse(
            IMethodSymbol method, string id, ITypeSymbol? payloadType, List<Problem> problems, CancellationToken cancellationToken)
        {
            var attributes = Attributes(method);
            if (attributes.Count == 0)
            {
                return EquatableArray<CancelOnModel>.Empty;
            }
            IReadOnlyList<string>? jsonNames = null;
            bool jsonNamesRead = false;
            var models = new List<CancelOnModel>(attributes.Count);
            for (int i = 0; i < attributes.Count; i++)
            {
                var attribute = attributes[i];
                var eventName = attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string name ? name : "";
                var match = Symbols.NamedArgument(attribute, "Match") as string;
                models.Add(new CancelOnModel(eventName, match));
                if (!FanOutNames.IsValid(eventName, out var nameError))
                {
                    problems.Add(Problem.AtCancelOn(ProblemIds.InvalidCancelEventName, ProblemSite.CancelOnEvent, i, id, eventName, nameError!));
                }
                if (match is null)
                {
                    continue;
                }
                if (!MatchPaths.IsValid(match, out var pathError))
                {
                    problems.Add(Problem.AtCancelOn(ProblemIds.InvalidMatchPath, ProblemSite.CancelOnMatch, i, id, match, pathError!));
                    continue;
                }
                if (payloadType is null)
                {
                    continue;
                }
                if (!jsonNamesRead)
                {
                    jsonNames = SerializationParser.JsonPropertyNames(payloadType, cancellationToken);
                    jsonNamesRead = true;
                }
                if (jsonNames is not null && UnknownProperty(id, i, match, Symbols.Display(payloadType), jsonNames) is { } problem)
                {
                    problems.Add(problem);
                }
            }
            return models.ToEquatableArray();
        }

        /// <summary>
        /// FANOUT024 when the first property of a valid <paramref name="match"/> is not one of <paramref name="jsonNames"/>,
        /// the payload's JSON property names; null when it is.
        /// </summary>
        public static Problem? UnknownProperty(string id, int attributeIndex, string match, string payloadDisplay, IReadOnlyList<string> jsonNames)
        {
            var property = MatchPaths.FirstProperty(match);
            return MatchPaths.HasProperty(jsonNames, property)
                ? null
                : Problem.AtCancelOn(ProblemIds.UnknownMatchProperty, ProblemSite.CancelOnMatch, attributeIndex,
                    id, match, property, payloadDisplay, MatchPaths.Known(jsonNames), MatchPaths.Suggestion(jsonNames, property, match));
        }
    }

    /// <summary>
    /// The grammar of a match path, as FanOut.Stores.EventMatch.IsValidPath checks it at run time: <c>data.</c> followed by
    /// one or more property names separated by dots, none empty (<c>data.userId</c>, <c>data.user.id</c>); and how its
    /// first property is compared with a payload's JSON names. Shared by [CancelOn] (FANOUT023, 024) and step.WaitForEvent
    /// (FANOUT026, 027).
    /// </summary>
    internal static class MatchPaths
    {
        public const string Prefix = "data.";

        /// <param name="error">Why the path is not valid, phrased to complete "… is not a valid match path: ".</param>
        public static bool IsValid(string path, out string? error)
        {
            if (path.Length == 0)
            {
                error = "it is empty";
                return false;
            }
            if (!path.StartsWith(Prefix, System.StringComparison.Ordinal))
            {
                error = "it does not start with 'data.'";
                return false;
            }
            foreach (var part in path.Substring(Prefix.Length).Split('.'))
            {
                if (part.Length == 0)
                {
                    error = "it has an empty property name";
                    return false;
                }
            }
            error = null;
            return true;
        }

        /// <summary>The first property name after <c>data.</c> of a valid path.</summary>
        public static string FirstProperty(string path)
        {
            int dot = path.IndexOf('.', Prefix.Length);
            return dot < 0 ? path.Substring(Prefix.Length) : path.Substring(Prefix.Length, dot - Prefix.Length);
        }

        /// <summary>True when <paramref name="name"/> is one of a payload's JSON property <paramref name="names"/>.</summary>
        public static bool HasProperty(IReadOnlyList<string> names, string name)
        {
            foreach (var candidate in names)
            {
                if (candidate == name)
                {
                    return true; // ordinal: the match is looked up in the event's JSON as written, case-sensitively
                }
            }
            return false;
        }

        /// <summary>The names a message lists as the ones the payload has.</summary>
        public static string Known(IReadOnlyList<string> names) =>
            names.Count == 0 ? "it has none" : "it has '" + string.Join("', '", names) + "'";

        /// <summary>The JSON name the user most likely meant: the same name in another case (the C# name), else a near typo.</summary>
        public static string Suggestion(IReadOnlyList<string> names, string property, string match)
        {
            string? best = null;
            int bestDistance = int.MaxValue;
            foreach (var candidate in names)
            {
                int distance = string.Equals(candidate, property, System.StringComparison.OrdinalIgnoreCase) ? 0 : Catalog.EditDistance(candidate, property);
                if (distance < bestDistance)
                {
                    best = candidate;
                    bestDistance = distance;
                }
            }
            // Only the first property is replaced: the rest of the path is not checked, so it is kept as written.
            return best is not null && bestDistance <= System.Math.Max(2, property.Length / 3)
                ? "; did you mean '" + Prefix + best + match.Substring(Prefix.Length + property.Length) + "'?"
                : ".";
        }
    }
}
