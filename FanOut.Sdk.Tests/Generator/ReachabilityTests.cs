using Microsoft.CodeAnalysis;
using static FanOut.Tests.Generator.DiagnosticAssert;
using static FanOut.Tests.Generator.GeneratorHarness;

namespace FanOut.Tests.Generator;

/// <summary>Mistakes that would otherwise surface as compiler errors inside generated code.</summary>
public sealed class ReachabilityTests
{
    [Fact]
    public void FANOUT010_points_at_an_explicit_interface_implementation()
    {
        var (_, output) = Generate(Compile(Samples.WithFunctions("""
                [Function("f", Event = "app/user.signup")]
                Task IRunner.RunAsync() => Task.CompletedTask;
            """, "public interface IRunner { Task RunAsync(); }\npublic sealed class Functions : IRunner")));

        var diagnostic = Assert.Single(Analyze(output));
        Assert.Equal(("FANOUT010", "RunAsync"), (diagnostic.Id, SpanText(diagnostic)));
        Assert.Empty(CompilerProblems(output));
    }

    [Fact]
    public void A_compilation_without_FanOut_Sdk_gets_no_generated_files()
    {
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
            "Plain", [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("public class C { }")],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)]);

        var (result, _) = Generate(compilation);

        Assert.Empty(result.GeneratedSources);
    }
}
