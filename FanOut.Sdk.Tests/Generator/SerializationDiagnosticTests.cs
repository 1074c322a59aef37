using FanOut.Generators.Diagnostics;
using FanOut.Generators.Model;
using Microsoft.CodeAnalysis;
using static FanOut.Tests.Generator.DiagnosticAssert;
using static FanOut.Tests.Generator.GeneratorHarness;

namespace FanOut.Tests.Generator;

/// <summary>
/// FANOUT012 comes from SerializationParser's problems. The parser is still a stub that finds none, so these tests pin
/// the plumbing from a problem to its diagnostic; a test through real source belongs here once the parser lands.
/// </summary>
public sealed class SerializationDiagnosticTests
{
    [Fact]
    public void FANOUT012_for_a_payload_points_at_the_event_attribute_and_names_the_member_its_type_and_the_reason()
    {
        var compilation = Compile(Samples.SignupEvent);
        var type = compilation.GetTypeByMetadataName("App.UserSignup")!;
        var attribute = type.GetAttributes().Single();
        var problem = Problem.At(ProblemIds.NotSerializable, ProblemSite.EventAttribute, "App.UserSignup", "Email", "System.IntPtr", "pointers cannot be serialized");

        var diagnostic = Diagnostic.Create(
            FanOutDiagnostics.For(problem.Id), ProblemLocator.Locate(problem, type, attribute, default), [.. problem.Args]);

        Single([diagnostic], "FANOUT012", "Event(\"app/user.signup\")",
            "'App.UserSignup' cannot be serialized by FanOut: member 'Email' of type 'System.IntPtr': pointers cannot be serialized. " +
            "Change the member's type, or keep it out of the payload.");
    }

    [Fact]
    public void FANOUT012_for_an_output_points_at_the_return_type()
    {
        var compilation = Compile(Samples.WithFunctions("""
                [Function("f", Event = "app/user.signup")]
                public static Task<UserSignup> RunAsync() => Task.FromResult(new UserSignup("1", "a@b.c"));
            """));
        var method = compilation.GetTypeByMetadataName("App.Functions")!.GetMembers("RunAsync").Single();
        var problem = Problem.At(ProblemIds.NotSerializable, ProblemSite.ReturnType, "App.UserSignup", "UserId", "object", "reason");

        var location = ProblemLocator.Locate(problem, method, method.GetAttributes().Single(), default);

        Assert.Equal("Task<UserSignup>", location.SourceTree!.GetText().ToString(location.SourceSpan));
    }
}
