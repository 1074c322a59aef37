// This file is compiled into FanOut.Sdk and, linked, into FanOut.Generators: one grammar, checked at
// compile time and at run time by the same code. Keep it free of anything netstandard2.0 lacks.
#nullable enable
#if FANOUT_GENERATOR
namespace FanOut.Generators
#else
namespace FanOut
#endif
{
    /// <summary>
    /// FanOut's one grammar for event names and function ids, used by the attributes, by raw sends and by the HTTP API.
    /// </summary>
    /// <remarks>
    /// A name is 1 to 256 characters: one or more segments separated by <c>/</c>; each segment starts with an ASCII
    /// letter or digit and continues with ASCII letters, digits, <c>.</c>, <c>_</c> or <c>-</c>. No spaces, no empty
    /// segment, no leading or trailing <c>/</c>. Names are case-sensitive. The prefix <c>inngest/</c> (in any case) is
    /// reserved for the platform's own events, as in Inngest. Examples: <c>app/user.signup</c>,
    /// <c>stripe/invoice.paid</c>, <c>send-welcome-email</c>.
    /// </remarks>
#if FANOUT_GENERATOR
    internal static class FanOutNames
#else
    public static class FanOutNames
#endif
    {
        /// <summary>The longest name accepted.</summary>
        public const int MaxLength = 256;

        /// <summary>The reserved prefix.</summary>
        public const string ReservedPrefix = "inngest/";

        /// <summary>Checks <paramref name="name"/> against the grammar.</summary>
        /// <param name="name">The candidate name.</param>
        /// <param name="error">Why it is not valid, phrased to complete "… is not a valid name: ", or null when it is valid.</param>
        /// <returns>True when the name is valid.</returns>
        public static bool IsValid(string? name, out string? error)
        {
            if (name is null || name.Length == 0)
            {
                error = "it is empty";
                return false;
            }
            if (name.Length > MaxLength)
            {
                error = "it is " + name.Length + " characters long; the limit is " + MaxLength;
                return false;
            }
            if (name.StartsWith(ReservedPrefix, System.StringComparison.OrdinalIgnoreCase))
            {
                error = "the prefix 'inngest/' is reserved";
                return false;
            }
            bool segmentStart = true;
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                if (c == '/')
                {
                    if (segmentStart)
                    {
                        error = i == 0 ? "it starts with '/'" : "it has an empty segment at position " + i;
                        return false;
                    }
                    segmentStart = true;
                    continue;
                }
                if (segmentStart && !letterOrDigit)
                {
                    error = "a segment must start with a letter or digit, not '" + c + "' (position " + i + ")";
                    return false;
                }
                if (!letterOrDigit && c != '.' && c != '_' && c != '-')
                {
                    error = "'" + (char.IsWhiteSpace(c) ? "space" : c.ToString()) + "' at position " + i + " is not allowed; use letters, digits, '.', '_', '-' and '/'";
                    return false;
                }
                segmentStart = false;
            }
            if (segmentStart)
            {
                error = "it ends with '/'";
                return false;
            }
            error = null;
            return true;
        }
    }
}
