using System;
using System.Collections.Generic;
using System.Text;
using FanOut.Generators.Model;

namespace FanOut.Generators.Emitting
{
    /// <summary>
    /// Emits <c>FanOut.Functions.g.cs</c>: <c>FanOut.Generated.Functions</c>, one typed <c>FunctionRef</c> per function of
    /// this compilation, so <c>step.Invoke(…, Functions.StartStripeTrial, payload)</c> checks the payload and output types.
    /// </summary>
    internal static class FunctionsEmitter
    {
        public const string HintName = "FanOut.Functions.g.cs";

        public const string ClassName = "Functions";

        /// <summary>
        /// Names a member may not take: the class's own name (CS0542) and what every class inherits from object (a static
        /// member of that name would hide it, CS0108). A function whose name is one of these gets a suffix, as in a collision.
        /// </summary>
        private static readonly string[] Reserved =
            { ClassName, "Equals", "GetHashCode", "GetType", "MemberwiseClone", "ReferenceEquals", "ToString", "Finalize" };

        public static string Emit(FunctionRefsModel model)
        {
            var names = MemberNames(model.Functions);
            var writer = new SourceWriter();
            writer.WriteBlock(Literals.Header);
            writer.WriteLine();
            writer.OpenBlock("namespace FanOut.Generated");
            writer.WriteBlock("""
                /// <summary>
                /// A typed reference to every function of this assembly, for <c>step.Invoke</c>: the reference carries the
                /// function's payload and output types, so invoking it with the wrong payload does not compile.
                /// </summary>
                """);
            writer.OpenBlock("internal static class " + ClassName);
            for (int i = 0; i < model.Functions.Count; i++)
            {
                var function = model.Functions[i];
                var type = function.OutputTypeName is null
                    ? "global::FanOut.FunctionRef<" + function.PayloadTypeName + ">"
                    : "global::FanOut.FunctionRef<" + function.PayloadTypeName + ", " + function.OutputTypeName + ">";
                if (i > 0)
                {
                    writer.WriteLine();
                }
                // Ids and event names are limited to letters, digits, '.', '_', '-' and '/', so they need no XML escaping.
                writer.WriteLine("/// <summary>Function <c>" + function.Id + "</c>, triggered by event <c>" + function.EventName + "</c>"
                    + (function.OutputTypeName is null ? "; it returns no output." : ".") + "</summary>");
                writer.WriteLine("public static " + type + " " + names[i] + " { get; } = new " + type + "(" + Literals.String(function.Id) + ");");
            }
            writer.CloseBlock();
            writer.CloseBlock();
            return writer.ToString();
        }

        /// <summary>
        /// The member name of each function: its id in PascalCase (<c>start-stripe-trial</c> → <c>StartStripeTrial</c>).
        /// Every character that cannot appear in an identifier ends a word, and each word's first letter is upper-cased;
        /// the rest is kept. A name starting with a digit gets a leading '_'. When names collide, the function whose id
        /// sorts first (ordinal) keeps the name and the others get 2, 3, … in id order, skipping any name another function
        /// or <see cref="Reserved"/> has, so each name depends only on the set of ids.
        /// </summary>
        public static string[] MemberNames(EquatableArray<FunctionRefModel> functions)
        {
            var order = new int[functions.Count];
            for (int i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }
            Array.Sort(order, (a, b) => string.CompareOrdinal(functions[a].Id, functions[b].Id));

            var natural = new string[functions.Count];
            var taken = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < natural.Length; i++)
            {
                natural[i] = PascalCase(functions[i].Id);
                taken.Add(natural[i]);
            }
            var used = new HashSet<string>(Reserved, StringComparer.Ordinal);
            var names = new string[functions.Count];
            foreach (var i in order)
            {
                var name = natural[i];
                if (used.Add(name))
                {
                    names[i] = name;
                    continue;
                }
                for (int n = 2; ; n++)
                {
                    var candidate = name + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    if (!taken.Contains(candidate) && used.Add(candidate))
                    {
                        names[i] = candidate;
                        break;
                    }
                }
            }
            return names;
        }

        /// <summary>An id in PascalCase, as a C# identifier; see <see cref="MemberNames"/>.</summary>
        public static string PascalCase(string id)
        {
            var builder = new StringBuilder(id.Length + 1);
            bool wordStart = true;
            foreach (var c in id)
            {
                if (!char.IsLetterOrDigit(c) && c != '_')
                {
                    wordStart = true;
                    continue;
                }
                builder.Append(wordStart ? char.ToUpperInvariant(c) : c);
                wordStart = false;
            }
            if (builder.Length == 0 || char.IsDigit(builder[0]))
            {
                builder.Insert(0, '_');
            }
            return builder.ToString();
        }
    }
}
