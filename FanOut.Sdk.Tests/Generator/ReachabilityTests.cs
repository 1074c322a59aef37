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

/// <summary>Declarations the compiler accepts but generated code could not use.</summary>
public sealed class UnusableDeclarationTests
{
    [Fact]
    public void FANOUT013_points_at_an_instance_method_whose_class_has_required_members()
    {
        var (_, output) = Generate(Compile(Samples.WithFunctions("""
                public required string Name { get; init; }

                [Function("f", Event = "app/user.signup")]
                public Task RunAsync() => Task.CompletedTask;
            """, "public sealed class Functions")));

        var diagnostic = Assert.Single(Analyze(output));
        Assert.Equal(("FANOUT013", "RunAsync"), (diagnostic.Id, SpanText(diagnostic)));
        Assert.Contains("it has required member 'Name', which generated code cannot set", diagnostic.GetMessage());
        Assert.Empty(CompilerProblems(output));
    }

    [Fact]
    public void A_constructor_with_SetsRequiredMembers_may_create_a_class_with_required_members()
    {
        var (_, output) = Generate(Compile(Samples.WithFunctions("""
                [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
                public Functions() => Name = "n";

                public required string Name { get; init; }

                [Function("f", Event = "app/user.signup")]
                public Task RunAsync() => Task.CompletedTask;
            """, "public sealed class Functions")));

        Assert.Empty(Analyze(output));
        Assert.Empty(CompilerProblems(output));
    }

    [Fact]
    public void FANOUT013_points_at_a_static_abstract_interface_method()
    {
        var (_, output) = Generate(Compile(Samples.WithFunctions("""
                [Function("f", Event = "app/user.signup")]
                static abstract Task RunAsync();
            """, "public interface IFunctions")));

        var diagnostic = Assert.Single(Analyze(output));
        Assert.Equal(("FANOUT013", "RunAsync"), (diagnostic.Id, SpanText(diagnostic)));
        Assert.Empty(CompilerProblems(output));
    }

    [Fact]
    public void FANOUT012_points_at_the_event_attribute_of_a_static_class()
    {
        var (_, output) = Generate(Compile("""
            [FanOut.Event("app/ping")]
            public static class Ping { }
            """));

        Single(Analyze(output), "FANOUT012", "FanOut.Event(\"app/ping\")",
            "'Ping' cannot be serialized by FanOut: member 'this' of type 'Ping': a static class has no instances to send. " +
            "Change the member's type, or keep it out of the payload.");
        Assert.Empty(CompilerProblems(output));
    }
}
