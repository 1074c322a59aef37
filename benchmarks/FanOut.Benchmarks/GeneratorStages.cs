using System.Diagnostics;
using System.Globalization;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using FanOut.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace FanOut.Benchmarks;

/// <summary>
/// Where the generator's time goes on <see cref="GeneratorProject"/>: the elapsed time Roslyn records for each tracked
/// step (first run, then a re-run after each of <see cref="GeneratorBenchmarks"/>' two unrelated edits), and the median
/// time and allocations of each case over a few runs. Given the path of another build of FanOut.Generators.dll (an older
/// commit's), it measures that one instead, so two versions can be compared in one session, run after run; the hash of the
/// generated files shows whether they generate the same code.
/// </summary>
/// <remarks>
/// Step tracking adds its own bookkeeping, so the per-step times are for shares, not totals; the medians run without it,
/// as a build does. Times carry the machine's load; allocations do not.
/// </remarks>
internal static class GeneratorStages
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static int Run(string? generatorPath, int iterations)
    {
        var generatorType = generatorPath is null
            ? typeof(FanOutGenerator)
            // Its own load context, so it does not resolve to the FanOut.Generators this project references; Roslyn's
            // types still come from the default context, so the generator is an IIncrementalGenerator here.
            : new AssemblyLoadContext("generator under test").LoadFromAssemblyPath(Path.GetFullPath(generatorPath))
                .GetType("FanOut.Generators.FanOutGenerator", throwOnError: true)!;
        Console.WriteLine($"generator: {generatorType.Assembly.Location}");
        var project = new Project();

        GeneratorDriver Driver(bool track) => CSharpGeneratorDriver.Create(
            [((IIncrementalGenerator)Activator.CreateInstance(generatorType)!).AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

        var compiled = project.Fresh();
        var tracked = Driver(track: true).RunGenerators(compiled);
        var generated = tracked.GetRunResult();
        Console.WriteLine($"generated: {generated.GeneratedTrees.Length} files, {generated.GeneratedTrees.Sum(t => t.Length)} characters, sha256 {Hash(generated)}");
        PrintSteps("first run", generated);
        PrintSteps("re-run after adding an unrelated file", tracked.RunGenerators(project.WithUnrelatedFile(compiled)).GetRunResult());
        PrintSteps("re-run after a method body edit", tracked.RunGenerators(project.WithBodyEdit(compiled)).GetRunResult());

        var warm = Driver(track: false).RunGenerators(compiled);
        var cases = new (string Name, Func<Compilation> Input, Func<Compilation, GeneratorDriver> Run)[]
        {
            ("first run", () => project.Fresh(), c => Driver(track: false).RunGenerators(c)),
            ("re-run after adding an unrelated file", () => project.WithUnrelatedFile(compiled), c => warm.RunGenerators(c)),
            ("re-run after a method body edit", () => project.WithBodyEdit(compiled), c => warm.RunGenerators(c)),
        };
        var samples = cases.Select(_ => new List<(double Ms, double Mb)>()).ToArray();
        for (var i = 0; i < iterations + 2; i++) // the first two of each are warm-up
        {
            for (var c = 0; c < cases.Length; c++)
            {
                var input = cases[c].Input();
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var before = GC.GetTotalAllocatedBytes(precise: true);
                var watch = Stopwatch.StartNew();
                cases[c].Run(input);
                watch.Stop();
                if (i >= 2)
                {
                    samples[c].Add((watch.Elapsed.TotalMilliseconds, (GC.GetTotalAllocatedBytes(precise: true) - before) / 1048576.0));
                }
            }
        }
        Console.WriteLine($"medians of {iterations} runs each, untracked (load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end):");
        for (var c = 0; c < cases.Length; c++)
        {
            var ms = samples[c].Select(s => s.Ms).Order().ToList();
            var mb = samples[c].Select(s => s.Mb).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {cases[c].Name,-40} {ms[ms.Count / 2],8:F0} ms (min {ms[0]:F0}, max {ms[^1]:F0})  {mb[mb.Count / 2],6:F1} MB allocated"));
        }
        return 0;
    }

    private static void PrintSteps(string label, GeneratorDriverRunResult run)
    {
        var result = run.Results.Single();
        if (result.Exception is { } exception)
        {
            throw new InvalidOperationException("The generator failed.", exception);
        }
        // FanOut's own steps (TrackingNames); Roslyn's internal ones for ForAttributeWithMetadataName are left out.
        List<(string Name, double Ms)> steps = [.. result.TrackedSteps
            .Where(s => char.IsUpper(s.Key[0]) && s.Key != "Compilation" && s.Key != "CompilationOptions")
            .Select(s => (s.Key, s.Value.Sum(step => step.ElapsedTime.TotalMilliseconds)))];
        steps.Add(("emit (source outputs)", result.TrackedOutputSteps.SelectMany(s => s.Value).Sum(step => step.ElapsedTime.TotalMilliseconds)));
        var total = steps.Sum(s => s.Ms);
        Console.WriteLine($"{label}: tracked steps {total:F0} ms in all");
        foreach (var (name, ms) in steps.Where(s => s.Ms >= 0.05 * total).OrderByDescending(s => s.Ms))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-24} {ms,8:F0} ms  {100 * ms / total,3:F0} %"));
        }
    }

    private static string Hash(GeneratorDriverRunResult result)
    {
        var text = string.Join("\n", result.GeneratedTrees.OrderBy(t => t.FilePath, StringComparer.Ordinal).Select(t => t.ToString()));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
    }

    /// <summary>The project and its two edits, as <see cref="GeneratorBenchmarks"/> builds them.</summary>
    private sealed class Project
    {
        private readonly SyntaxTree[] trees = [.. GeneratorProject.Sources().Select(f => CSharpSyntaxTree.ParseText(f.Text, ParseOptions, path: f.Path))];
        private readonly MetadataReference[] references = [.. GeneratorBenchmarks.References()];
        private readonly SyntaxTree unrelated;
        private readonly SyntaxTree original;
        private readonly SyntaxTree edited;

        public Project()
        {
            var (path, text) = GeneratorProject.UnrelatedFile();
            unrelated = CSharpSyntaxTree.ParseText(text, ParseOptions, path: path);
            original = trees.Single(t => t.FilePath == GeneratorProject.EditedPath);
            edited = CSharpSyntaxTree.ParseText(GeneratorProject.EditBody(original.ToString()), ParseOptions, path: original.FilePath);
        }

        public Compilation Fresh() => CSharpCompilation.Create("Bench.App", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        public Compilation WithUnrelatedFile(Compilation compilation) => compilation.AddSyntaxTrees(unrelated);

        public Compilation WithBodyEdit(Compilation compilation) => compilation.ReplaceSyntaxTree(original, edited);
    }
}
