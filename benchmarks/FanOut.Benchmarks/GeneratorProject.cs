using System.Globalization;
using System.Text;

namespace FanOut.Benchmarks;

/// <summary>
/// A FanOut project big enough to show the generator's cost: 1,000 functions over 200 events, written as source text
/// in code, never committed as files. Used by <c>GeneratorBenchmarks</c>, by the incrementality test in
/// FanOut.Sdk.Tests (which links this file) and, written to a temporary folder, by benchmarks/generator-build.sh.
/// </summary>
/// <remarks>
/// Five functions per event, ten per class, one class per file (100 files), events twenty to a file (10 files). The
/// functions take the shapes users write: instance and static methods, the payload or <c>Event&lt;T&gt;</c>, with or
/// without a step, a cancellation token, retries and an output; their steps return 50 result types, each of which needs
/// a serializer. Every function file also holds a helper that no function attribute mentions: the body edit changes it.
/// </remarks>
internal static class GeneratorProject
{
    public const int FunctionCount = 1_000;
    public const int EventCount = 200;
    public const int FunctionsPerFile = 10;
    public const int EventsPerFile = 20;
    public const int ResultTypeCount = 50;

    /// <summary>The project's files as (path, text), events first.</summary>
    public static IReadOnlyList<(string Path, string Text)> Sources()
    {
        var files = new List<(string, string)>();
        for (var first = 0; first < EventCount; first += EventsPerFile)
        {
            files.Add(($"Events{first / EventsPerFile:D2}.cs", EventsFile(first)));
        }
        files.Add(("Results.cs", ResultsFile()));
        for (var first = 0; first < FunctionCount; first += FunctionsPerFile)
        {
            files.Add(($"Functions{first / FunctionsPerFile:D3}.cs", FunctionsFile(first)));
        }
        return files;
    }

    /// <summary>The path of the function file that <see cref="EditBody"/> is meant for.</summary>
    public const string EditedPath = "Functions000.cs";

    /// <summary>An unrelated edit to a file that declares functions: the helper's body changes, no attribute does.</summary>
    public static string EditBody(string text)
    {
        const string before = "private static int Weight(int count) => count * 2;";
        if (!text.Contains(before, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The function file has no helper to edit.");
        }
        return text.Replace(before, "private static int Weight(int count) => count * 3 + 1;", StringComparison.Ordinal);
    }

    /// <summary>An unrelated edit of another kind: a new file with no FanOut declaration in it.</summary>
    public static (string Path, string Text) UnrelatedFile() => ("Unrelated.cs", """
        namespace Bench.App;

        public sealed class PriceList
        {
            private readonly System.Collections.Generic.Dictionary<string, decimal> prices = new();

            public void Set(string sku, decimal price) => prices[sku] = price;

            public decimal Total(System.Collections.Generic.IEnumerable<string> skus)
            {
                var total = 0m;
                foreach (var sku in skus)
                {
                    total += prices.TryGetValue(sku, out var price) ? price : 0m;
                }
                return total;
            }
        }
        """);

    private static string EventsFile(int first)
    {
        var text = new StringBuilder();
        text.AppendLine("using System;").AppendLine("using FanOut;").AppendLine().AppendLine("namespace Bench.App;").AppendLine();
        for (var e = first; e < first + EventsPerFile; e++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"[Event(\"app/thing{e:D3}.happened\")]");
            text.AppendLine(CultureInfo.InvariantCulture, $"public sealed record Thing{e:D3}(string Id, int Count, DateTimeOffset At, Detail{e % 10} Detail);");
            text.AppendLine();
        }
        if (first == 0)
        {
            for (var d = 0; d < 10; d++)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"public sealed record Detail{d}(string Name, decimal Amount, string[] Tags);");
            }
        }
        return text.ToString();
    }

    private static string ResultsFile()
    {
        var text = new StringBuilder();
        text.AppendLine("namespace Bench.App;").AppendLine();
        for (var r = 0; r < ResultTypeCount; r++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"public sealed record Result{r:D2}(string Value, int Score, long[] History);");
        }
        return text.ToString();
    }

    private static string FunctionsFile(int first)
    {
        var file = first / FunctionsPerFile;
        var text = new StringBuilder();
        text.AppendLine("using System;").AppendLine("using System.Threading;").AppendLine("using System.Threading.Tasks;")
            .AppendLine("using FanOut;").AppendLine().AppendLine("namespace Bench.App;").AppendLine();
        // Even files hold instance methods (a class DI constructs per run), odd files static ones.
        var isStatic = file % 2 == 1;
        text.AppendLine(CultureInfo.InvariantCulture, $"public {(isStatic ? "static " : "sealed ")}class Functions{file:D3}").AppendLine("{");
        var modifier = isStatic ? "static " : "";
        for (var f = first; f < first + FunctionsPerFile; f++)
        {
            var e = f % EventCount; // five functions per event, spread over the files
            var payload = $"Thing{e:D3}";
            var result = $"Result{f % ResultTypeCount:D2}";
            var trigger = $"[Function(\"fn-{f:D4}\", Event = \"app/thing{e:D3}.happened\"";
            switch (f % 4)
            {
                case 0: // a step with a typed result and an output
                    text.AppendLine(CultureInfo.InvariantCulture, $"    {trigger})]");
                    text.AppendLine(CultureInfo.InvariantCulture, $"    public {modifier}async Task<{result}> Run{f:D4}({payload} data, Step step, CancellationToken ct)");
                    text.AppendLine("    {");
                    text.AppendLine(CultureInfo.InvariantCulture, $"        var first = await step.Run(\"compute\", () => Task.FromResult(new {result}(data.Id, Weight(data.Count), [data.At.ToUnixTimeMilliseconds()])));");
                    text.AppendLine("        await step.Run(\"notify\", () => Task.CompletedTask);");
                    text.AppendLine("        return first;");
                    text.AppendLine("    }");
                    break;
                case 1: // the whole event, no step
                    text.AppendLine(CultureInfo.InvariantCulture, $"    {trigger}, TimeoutSeconds = 30)]");
                    text.AppendLine(CultureInfo.InvariantCulture, $"    public {modifier}Task Run{f:D4}(Event<{payload}> evt, CancellationToken ct) => Task.Delay(Weight(evt.Data.Count), ct);");
                    break;
                case 2: // retries and two steps of framework types
                    text.AppendLine(CultureInfo.InvariantCulture, $"    {trigger}, Retries = 2)]");
                    text.AppendLine(CultureInfo.InvariantCulture, $"    public {modifier}async Task<string> Run{f:D4}({payload} data, Step step)");
                    text.AppendLine("    {");
                    text.AppendLine("        var count = await step.Run(\"count\", () => Task.FromResult(Weight(data.Count)));");
                    text.AppendLine("        var name = await step.Run(\"name\", () => Task.FromResult(data.Detail.Name + count));");
                    text.AppendLine("        return name;");
                    text.AppendLine("    }");
                    break;
                default: // synchronous completion, payload only
                    text.AppendLine(CultureInfo.InvariantCulture, $"    {trigger})]");
                    text.AppendLine(CultureInfo.InvariantCulture, $"    public {modifier}Task Run{f:D4}({payload} data) => data.Count < 0 ? Task.FromException(new ArgumentException(data.Id)) : Task.CompletedTask;");
                    break;
            }
            text.AppendLine();
        }
        text.AppendLine("    private static int Weight(int count) => count * 2;");
        text.AppendLine("}");
        return text.ToString();
    }
}
