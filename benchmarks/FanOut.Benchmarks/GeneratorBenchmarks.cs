using System.Collections.Immutable;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using FanOut.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace FanOut.Benchmarks;

/// <summary>
/// The generator over <see cref="GeneratorProject"/> (1,000 functions, 200 events): its first run with a new driver, as
/// in a clean build, and a re-run after an edit that touches no FanOut declaration, as in the IDE or the compiler
/// server, which keep the driver between compilations. Parsing is not measured (the compiler parses anyway); what the
/// generator asks of the compilation (the attributes bound, the semantic model of each step.Run call) is.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private ImmutableArray<SyntaxTree> trees;
    private ImmutableArray<MetadataReference> references;
    private CSharpCompilation compiled = null!;
    private GeneratorDriver warm = null!;
    private SyntaxTree unrelatedFile = null!;
    private SyntaxTree original = null!;
    private SyntaxTree edited = null!;

    [GlobalSetup]
    public void Setup()
    {
        trees = [.. GeneratorProject.Sources().Select(f => CSharpSyntaxTree.ParseText(f.Text, ParseOptions, path: f.Path))];
        references = FrameworkAndSdk();
        compiled = Fresh();
        warm = CreateDriver().RunGenerators(compiled);
        var result = warm.GetRunResult();
        if (!result.Diagnostics.IsEmpty || result.Results.Single().Exception is { } exception)
        {
            throw new InvalidOperationException("The generator failed on the 1,000-function project: " + string.Join("; ", result.Diagnostics));
        }
        var registration = result.GeneratedTrees.Single(t => t.FilePath.EndsWith("FanOut.Registration.g.cs", StringComparison.Ordinal)).ToString();
        var last = $"fn-{GeneratorProject.FunctionCount - 1:D4}";
        if (!registration.Contains(last, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The generated module does not register '{last}'.");
        }

        var (path, text) = GeneratorProject.UnrelatedFile();
        unrelatedFile = CSharpSyntaxTree.ParseText(text, ParseOptions, path: path);
        original = trees.Single(t => t.FilePath == GeneratorProject.EditedPath);
        edited = CSharpSyntaxTree.ParseText(GeneratorProject.EditBody(original.ToString()), ParseOptions, path: original.FilePath);
    }

    [Benchmark(Baseline = true, Description = "first run, new driver, new compilation")]
    public GeneratorDriver FirstRun() => CreateDriver().RunGenerators(Fresh());

    [Benchmark(Description = "re-run after adding an unrelated file")]
    public GeneratorDriver RerunAfterNewFile() => warm.RunGenerators(compiled.AddSyntaxTrees(unrelatedFile));

    [Benchmark(Description = "re-run after a method body edit in a function file")]
    public GeneratorDriver RerunAfterBodyEdit() => warm.RunGenerators(compiled.ReplaceSyntaxTree(original, edited));

    // What a build gives the generator: no step tracking (the IDE and the compiler turn it off too).
    private static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new FanOutGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    private CSharpCompilation Fresh() => CSharpCompilation.Create(
        "Bench.App", trees, references,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>The shared framework, FanOut.Sdk and the DI abstractions the generated code names.</summary>
    internal static ImmutableArray<MetadataReference> References() => FrameworkAndSdk();

    private static ImmutableArray<MetadataReference> FrameworkAndSdk()
    {
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetDirectoryName(path) == frameworkDirectory)
            .Append(typeof(EventAttribute).Assembly.Location)
            .Append(typeof(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions).Assembly.Location)
            .Distinct();
        return [.. paths.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }

    /// <summary>
    /// Writes <see cref="GeneratorProject"/> as a buildable project into <paramref name="directory"/>, referencing this
    /// repository's FanOut.Sdk and generator as an application would; benchmarks/generator-build.sh builds it.
    /// </summary>
    public static void WriteProject(string directory, string repository)
    {
        Directory.CreateDirectory(directory);
        foreach (var (path, text) in GeneratorProject.Sources())
        {
            File.WriteAllText(Path.Combine(directory, path), text);
        }
        var sdk = Path.GetFullPath(Path.Combine(repository, "FanOut.Sdk", "FanOut.Sdk.csproj"));
        var generator = Path.GetFullPath(Path.Combine(repository, "FanOut.Generators", "FanOut.Generators.csproj"));
        File.WriteAllText(Path.Combine(directory, "Bench.App.csproj"), string.Create(CultureInfo.InvariantCulture, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <!-- Written by `FanOut.Benchmarks -write-generator-project`; see benchmarks/generator-build.sh. -->
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <RootNamespace>Bench.App</RootNamespace>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{sdk}" />
                <ProjectReference Include="{generator}" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
              </ItemGroup>
            </Project>
            """));
    }
}
