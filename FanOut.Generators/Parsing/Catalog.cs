using System;
using System.Collections.Generic;
using FanOut.Generators.Model;

namespace FanOut.Generators.Parsing
{
    /// <summary>
    /// Every event and function id known to a compilation (its own and its references'), and the checks that need
    /// them all: unknown event (FANOUT001), payload mismatch (002, and 016 for a failure handler), duplicate function id (003),
    /// duplicate event (004), and a [CancelOn] Match naming no property of the event's payload when the function does not
    /// take the payload itself (024; the parser checks the payload a function takes).
    /// Used by the generator (to leave invalid functions out) and by the analyzer (to report), so they always agree.
    /// </summary>
    internal sealed class Catalog
    {
        private readonly Dictionary<string, List<EventKey>> events = new Dictionary<string, List<EventKey>>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<FunctionKey>> functions = new Dictionary<string, List<FunctionKey>>(StringComparer.Ordinal);
        private readonly Func<string, IReadOnlyList<string>?>? jsonNamesOfEvent;

        /// <param name="jsonNamesOfEvent">The JSON property names of a local event's payload type, by event name; null for an
        /// event it does not know or whose payload is not a JSON object. Without it, FANOUT024 is left to the parser.</param>
        public Catalog(IEnumerable<EventKey> localEvents, IEnumerable<FunctionKey> localFunctions, ReferencesModel references,
            Func<string, IReadOnlyList<string>?>? jsonNamesOfEvent = null)
        {
            this.jsonNamesOfEvent = jsonNamesOfEvent;
            foreach (var key in references.Events)
            {
                Add(events, key.Name, key);
            }
            foreach (var key in localEvents)
            {
                Add(events, key.Name, key);
            }
            foreach (var key in references.Functions)
            {
                Add(functions, key.Id, key);
            }
            foreach (var key in localFunctions)
            {
                Add(functions, key.Id, key);
            }
        }

        public IEnumerable<Problem> CheckEvent(EventKey key)
        {
            if (events.TryGetValue(key.Name, out var all))
            {
                foreach (var other in all)
                {
                    if (other != key)
                    {
                        var by = other.AssemblyName is null
                            ? "'" + other.TypeDisplay + "'"
                            : "'" + other.TypeDisplay + "' in referenced assembly '" + other.AssemblyName + "'";
                        yield return Problem.At(ProblemIds.DuplicateEventName, ProblemSite.EventName, key.Name, by);
                        yield break;
                    }
                }
            }
        }

        public IEnumerable<Problem> CheckFunction(FunctionModel function)
        {
            var id = function.Key.Id;
            if (functions.TryGetValue(id, out var all))
            {
                foreach (var other in all)
                {
                    if (other != function.Key)
                    {
                        var by = other.AssemblyName is null ? "'" + other.Display + "'" : "referenced assembly '" + other.AssemblyName + "'";
                        yield return Problem.At(ProblemIds.DuplicateFunctionId, ProblemSite.FunctionId, id, by);
                        break;
                    }
                }
            }
            var eventName = function.EventName;
            if (eventName is null || !FanOutNames.IsValid(eventName, out _))
            {
                yield break; // FANOUT011 or FANOUT005, found by the parser
            }
            if (!events.TryGetValue(eventName, out var declared))
            {
                var closest = Closest(eventName);
                yield return Problem.At(ProblemIds.UnknownEvent, ProblemSite.FunctionEvent, id, eventName,
                    closest is null ? "." : "; did you mean '" + closest + "'?");
                yield break;
            }
            var payload = FunctionParser.PayloadParameter(function, out var index);
            // With two declarations of one name (FANOUT004) there is no single type to compare with.
            if (payload is not null && declared.Count == 1 && payload.DataTypeName != declared[0].TypeName)
            {
                yield return Problem.AtParameter(ProblemIds.PayloadMismatch, index, id, payload.TypeDisplay, eventName, declared[0].TypeDisplay);
            }
            if (payload is null && declared.Count == 1)
            {
                foreach (var problem in CheckCancelMatches(function, eventName, declared[0]))
                {
                    yield return problem;
                }
            }
            var handlerPayload = function.FailureHandler is null ? null : FailureHandlerParser.PayloadParameter(function.FailureHandler);
            if (handlerPayload is not null && declared.Count == 1 && handlerPayload.DataTypeName != declared[0].TypeName)
            {
                yield return Problem.At(ProblemIds.InvalidFailureHandler, ProblemSite.OnFailure, id, function.FailureHandler!.MethodName,
                    "it takes '" + handlerPayload.TypeDisplay + "', but event '" + eventName + "' carries '" + declared[0].TypeDisplay + "'");
            }
        }

        private IEnumerable<Problem> CheckCancelMatches(FunctionModel function, string eventName, EventKey declared)
        {
            if (jsonNamesOfEvent is null)
            {
                yield break;
            }
            IReadOnlyList<string>? names = null;
            bool read = false;
            for (int i = 0; i < function.CancelOn.Count; i++)
            {
                var match = function.CancelOn[i].Match;
                if (match is null || !MatchPaths.IsValid(match, out _))
                {
                    continue; // nothing to check, or FANOUT023, found by the parser
                }
                if (!read)
                {
                    names = jsonNamesOfEvent(eventName);
                    read = true;
                }
                if (names is not null && CancelOnParser.UnknownProperty(function.Key.Id, i, match, declared.TypeDisplay, names) is { } problem)
                {
                    yield return problem;
                }
            }
        }

        /// <summary>The known event name nearest to <paramref name="name"/> by edit distance, when it is near enough to be a typo.</summary>
        private string? Closest(string name)
        {
            string? best = null;
            int bestDistance = int.MaxValue;
            foreach (var candidate in events.Keys)
            {
                if (!FanOutNames.IsValid(candidate, out _))
                {
                    continue; // never suggest a name that is itself an error (FANOUT005)
                }
                int distance = EditDistance(name, candidate);
                if (distance < bestDistance || (distance == bestDistance && string.CompareOrdinal(candidate, best) < 0))
                {
                    best = candidate;
                    bestDistance = distance;
                }
            }
            return best is not null && bestDistance <= Math.Max(2, name.Length / 3) ? best : null;
        }

        /// <summary>Levenshtein distance, counting a swap of two neighbouring characters as one edit.</summary>
        internal static int EditDistance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (int i = 0; i <= a.Length; i++)
            {
                d[i, 0] = i;
            }
            for (int j = 0; j <= b.Length; j++)
            {
                d[0, j] = j;
            }
            for (int i = 1; i <= a.Length; i++)
            {
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    int value = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    {
                        value = Math.Min(value, d[i - 2, j - 2] + 1);
                    }
                    d[i, j] = value;
                }
            }
            return d[a.Length, b.Length];
        }

        private static void Add<T>(Dictionary<string, List<T>> map, string name, T key)
        {
            if (!map.TryGetValue(name, out var list))
            {
                map[name] = list = new List<T>();
            }
            if (!list.Contains(key))
            {
                list.Add(key);
            }
        }
    }
}
