using FanOut.Benchmarks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static FanOut.Tests.Generator.GeneratorHarness;

namespace FanOut.Tests.Generator;

/// <summary>
/// The incrementality tests again, at the size of the generator benchmark: 1,000 functions over 200 events
/// (<see cref="GeneratorProject"/>, shared with benchmarks/FanOut.Benchmarks). One first run for the class, then each
/// test re-runs the same driver after an edit that touches no FanOut declaration.
/// </summary>
public sealed class LargeProjectIncrementalityTests(LargeProjectIncrementalityTests.FirstRun first) : IClassFixture<LargeProjectIncrementalityTests.FirstRun>
{
    [Fact]
    public void The_first_run_registers_every_function()
    {
        Assert.Equal(4, first.Result.GeneratedSources.Length);
        var registration = GeneratedSource(first.Result, "FanOut.Registration.g.cs");
        for (var f = 0; f < GeneratorProject.FunctionCount; f += 111)
        {
            Assert.Contains($"\"fn-{f:D4}\"", registration, StringComparison.Ordinal);
        }
        Assert.Contains($"\"fn-{GeneratorProject.FunctionCount - 1:D4}\"", registration, StringComparison.Ordinal);
        // That the output compiles is left to benchmarks/generator-build.sh, which builds the project: binding all
        // 1,000 function bodies here would cost this test ~10 s, too much for CI.
    }

    [Fact]
    public void Adding_an_unrelated_file_to_a_thousand_functions_leaves_every_step_cached_or_unchanged_and_the_output_identical()
    {
        var (path, text) = GeneratorProject.UnrelatedFile();
        var edited = first.Compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(text, LatestParseOptions, path: path));

        AssertRerunChangesNothing(edited);
    }

    [Fact]
    public void Editing_a_method_body_in_a_function_file_of_a_thousand_functions_leaves_every_step_cached_or_unchanged_and_the_output_identical()
    {
        var tree = first.Compilation.SyntaxTrees.Single(t => t.FilePath == GeneratorProject.EditedPath);
        var changed = GeneratorProject.EditBody(tree.ToString());
        Assert.NotEqual(tree.ToString(), changed);
        var edited = first.Compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(changed, LatestParseOptions, path: tree.FilePath));

        AssertRerunChangesNothing(edited);
    }

    private void AssertRerunChangesNothing(Compilation edited)
    {
        var again = first.Driver.RunGenerators(edited).GetRunResult().Results.Single();

        IncrementalityTests.AssertCachedOrUnchanged(again);
        Assert.Equal(
            first.Result.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())),
            again.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())));
    }

    /// <summary>The project, parsed once, and the driver after its first run.</summary>
    public sealed class FirstRun
    {
        public FirstRun()
        {
            Compilation = Compile("Bench.App", [], [.. GeneratorProject.Sources().Select(f => f.Text)]);
            // Compile names the trees Source{i}.cs; give them the project's paths so the edits can find theirs.
            var paths = GeneratorProject.Sources().Select(f => f.Path).ToArray();
            for (var i = 0; i < paths.Length; i++)
            {
                var tree = Compilation.SyntaxTrees.Single(t => t.FilePath == $"Source{i}.cs");
                Compilation = Compilation.ReplaceSyntaxTree(tree, tree.WithFilePath(paths[i]));
            }
            Driver = CreateDriver().RunGenerators(Compilation);
            Result = Driver.GetRunResult().Results.Single();
            Assert.Empty(Result.Diagnostics);
            Assert.Null(Result.Exception);
        }

        public CSharpCompilation Compilation { get; }

        public GeneratorDriver Driver { get; }

        public GeneratorRunResult Result { get; }
    }
}
