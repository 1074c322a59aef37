using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FanOut.Generators.Model;
using FanOut.Generators.Serialization;
using FanOut.Serialization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace FanOut.Tests.Serialization;

/// <summary>
/// Payload types compiled from C# source, with serializers from <see cref="SerializationParser"/> and
/// <see cref="SerializerEmitter"/> compiled beside them and loaded into a collectible context. Stands in for the
/// generator's wiring, which these tests do not depend on.
/// </summary>
internal sealed class PayloadCompilation : IDisposable
{
    public const string GeneratedNamespace = "FanOut.Tests.Generated";
    public const string GeneratedClass = "PayloadSerializers";

    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Diagnostics.CodeAnalysis;
        using System.Text.Json;
        using System.Text.Json.Serialization;

        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    private readonly AssemblyLoadContext context;

    private PayloadCompilation(AssemblyLoadContext context, Assembly assembly, string emitted, ImmutableArray<SerializationResult> results)
    {
        this.context = context;
        Assembly = assembly;
        EmittedSource = emitted;
        Results = results;
        var resolver = (IJsonTypeInfoResolver)assembly.GetType(GeneratedNamespace + "." + GeneratedClass, throwOnError: true)!
            .GetField("Default")!.GetValue(null)!;
        // Configured as FanOutJson configures the runtime's options.
        Resolver = resolver;
        GeneratedOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            TypeInfoResolver = resolver,
        };
        // An explicit default encoder writes the same bytes but makes System.Text.Json skip the generated fast path,
        // so these options exercise the metadata alone.
        MetadataOnlyOptions = new JsonSerializerOptions(GeneratedOptions) { Encoder = JavaScriptEncoder.Default };
    }

    public IJsonTypeInfoResolver Resolver { get; }

    /// <summary>The generated metadata without its SerializeHandler fast path.</summary>
    public JsonSerializerOptions MetadataOnlyOptions { get; }

    public Assembly Assembly { get; }

    public string EmittedSource { get; }

    public ImmutableArray<SerializationResult> Results { get; }

    /// <summary>Options that know only the generated metadata: a type it misses fails instead of falling back to reflection.</summary>
    public JsonSerializerOptions GeneratedOptions { get; }

    /// <summary>What System.Text.Json's reflection writes: the bytes the generated metadata must reproduce.</summary>
    public static JsonSerializerOptions ReflectionOptions { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Reflection, strict like FanOut's options, for comparing reading behaviour.</summary>
    public static JsonSerializerOptions StrictReflectionOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Compiles <paramref name="source"/>, generates serializers for <paramref name="roots"/> and loads both.</summary>
    public static PayloadCompilation Load(string source, params string[] roots)
    {
        var compilation = Compile(source);
        var results = roots.Select(root => SerializationParser.Parse(TypeOf(compilation, root), CancellationToken.None)).ToImmutableArray();
        var problems = results.SelectMany(r => r.Problems).ToList();
        Assert.True(problems.Count == 0, "Unexpected problems: " + string.Join("; ", problems));

        var types = results.SelectMany(r => r.Types).Distinct().ToEquatableArray();
        string emitted = SerializerEmitter.Emit(GeneratedNamespace, GeneratedClass, types);
        var emittedTree = CSharpSyntaxTree.ParseText(emitted, ParseOptions, path: "FanOut.Serializers.g.cs", encoding: Encoding.UTF8);
        var withSerializers = compilation.AddSyntaxTrees(emittedTree);

        using var image = new MemoryStream();
        var emitResult = withSerializers.Emit(image);
        var fromEmitted = emitResult.Diagnostics
            .Where(d => d.Location.SourceTree == emittedTree && d.Severity >= DiagnosticSeverity.Warning)
            .ToList();
        Assert.True(fromEmitted.Count == 0, "The emitted code has diagnostics:\n" + string.Join("\n", fromEmitted) + "\n\n" + Numbered(emitted));
        Assert.True(emitResult.Success, string.Join("\n", emitResult.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));

        image.Position = 0;
        var context = new AssemblyLoadContext("payloads", isCollectible: true);
        return new PayloadCompilation(context, context.LoadFromStream(image), emitted, results);
    }

    /// <summary>Runs only the parser on <paramref name="root"/>.</summary>
    public static SerializationResult Parse(string source, string root) =>
        SerializationParser.Parse(TypeOf(Compile(source), root), CancellationToken.None);

    public static CSharpCompilation Compile(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(Usings + source, ParseOptions, path: "Payloads.cs", encoding: Encoding.UTF8);
        var compilation = CSharpCompilation.Create(
            "Payloads_" + Guid.NewGuid().ToString("N"),
            [tree],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The payload source does not compile:\n" + string.Join("\n", errors));
        return compilation;
    }

    /// <summary>A type by metadata name (<c>Envelope`1</c>); file-local types, whose metadata names are mangled, by plain name.</summary>
    public static ITypeSymbol TypeOf(Compilation compilation, string metadataName) =>
        compilation.GetTypeByMetadataName(metadataName)
        ?? compilation.GetSymbolsWithName(metadataName, SymbolFilter.Type).OfType<ITypeSymbol>().SingleOrDefault()
        ?? throw new ArgumentException("No type " + metadataName + " in the source.");

    public Type Type(string name) => Assembly.GetType(name, throwOnError: true)!;

    /// <summary>Calls a static factory in the payload source, e.g. <c>Samples.Signup()</c>.</summary>
    public object Call(string typeName, string method) =>
        Type(typeName).GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;

    public string Write(object value, Type type)
    {
        byte[] generated = JsonSerializer.SerializeToUtf8Bytes(value, type, GeneratedOptions);
        byte[] metadataOnly = JsonSerializer.SerializeToUtf8Bytes(value, type, MetadataOnlyOptions);
        byte[] reflection = JsonSerializer.SerializeToUtf8Bytes(value, type, ReflectionOptions);
        Assert.Equal(Encoding.UTF8.GetString(reflection), Encoding.UTF8.GetString(generated));
        Assert.Equal(reflection, generated);
        Assert.Equal(reflection, metadataOnly);
        return Encoding.UTF8.GetString(generated);
    }

    /// <summary>
    /// Writes <paramref name="value"/> with the generated metadata and with reflection and asserts the bytes are equal; then
    /// reads the JSON back with the generated metadata and asserts that writing the result gives the same bytes again.
    /// </summary>
    public string AssertWritesLikeReflectionAndRoundTrips(object value, Type type)
    {
        string json = Write(value, type);
        object? read = JsonSerializer.Deserialize(json, type, GeneratedOptions);
        Assert.NotNull(read);
        Assert.Equal(json, JsonSerializer.Serialize(read, type, GeneratedOptions));
        Assert.Equal(json, JsonSerializer.Serialize(read, type, ReflectionOptions));
        return json;
    }

    public void Dispose() => context.Unload();

    private static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToList();
        paths.Add(typeof(FanOutJson).Assembly.Location);
        return paths
            .Where(p => p.Length > 0)
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }

    private static string Numbered(string source) =>
        string.Join("\n", source.Split('\n').Select((line, i) => (i + 1).ToString("D4") + " " + line));
}
