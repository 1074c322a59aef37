using System.Collections.Immutable;
using FanOut.Generators;
using FanOut.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace FanOut.Tests.Generator;

/// <summary>Compiles source text against the framework and FanOut.Sdk, runs the generator over it, and runs the analyzer.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions LatestParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References = LoadReferences();

    public static CSharpCompilation Compile(string assemblyName, IEnumerable<MetadataReference> extraReferences, params string[] sources) =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, LatestParseOptions, path: $"Source{i}.cs")),
            References.AddRange(extraReferences),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static CSharpCompilation Compile(params string[] sources) => Compile("App", [], sources);

    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new FanOutGenerator().AsSourceGenerator()],
        parseOptions: LatestParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; returns its result and the compilation with the generated files added.</summary>
    public static (GeneratorRunResult Result, Compilation Output) Generate(Compilation compilation)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        return (driver.GetRunResult().Results.Single(), output);
    }

    public static string GeneratedSource(GeneratorRunResult result, string hintName) =>
        result.GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>The FANOUT diagnostics of <paramref name="compilation"/>, in source order.</summary>
    public static ImmutableArray<Diagnostic> Analyze(Compilation compilation)
    {
        var withAnalyzers = compilation.WithAnalyzers([new FanOutAnalyzer()]);
        var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        return [.. diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)];
    }

    /// <summary>Generates, then analyzes the result: what a build of <paramref name="sources"/> reports from FanOut.</summary>
    public static ImmutableArray<Diagnostic> Diagnose(params string[] sources) => Analyze(Generate(Compile(sources)).Output);

    /// <summary>The compiler's own errors and warnings, including any in generated code.</summary>
    public static ImmutableArray<Diagnostic> CompilerProblems(Compilation compilation) =>
        [.. compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)];

    public static MetadataReference Emit(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
        stream.Position = 0;
        return MetadataReference.CreateFromStream(stream);
    }

    /// <summary>The shared framework, FanOut.Sdk and DI abstractions — not the test assembly, which has a FanOut module of its own.</summary>
    private static ImmutableArray<MetadataReference> LoadReferences()
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
}
