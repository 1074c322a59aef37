using FanOut.Generators;
using FanOut.Generators.Emitting;
using FanOut.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static FanOut.Tests.Generator.GeneratorHarness;

namespace FanOut.Tests.Generator;

/// <summary>FanOut.Functions.g.cs: a typed FunctionRef per function, named from its id.</summary>
public sealed class FunctionRefTests
{
    [Fact]
    public void The_signup_example_generates_the_reviewed_function_references()
    {
        var (result, output) = Generate(Compile(Samples.Signup));

        Assert.Empty(CompilerProblems(output));
        Baseline.Verify("Signup.Functions", GeneratedSource(result, FunctionsEmitter.HintName));
    }

    [Fact]
    public void A_compilation_without_functions_gets_no_Functions_class()
    {
        var (result, output) = Generate(Compile("namespace Empty { public sealed class Nothing { } }"));

        Assert.Empty(CompilerProblems(output));
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName == FunctionsEmitter.HintName);
    }

    [Fact]
    public void A_reference_carries_the_payload_and_output_types_so_user_code_can_require_them()
    {
        var user = """
            using FanOut;
            using FanOut.Generated;

            namespace App;

            public static class Caller
            {
                public static FunctionRef<UserSignup, TrialStarted> Trial => Functions.StartStripeTrial;
                public static FunctionRef<UserSignup> Welcome => Functions.SendWelcomeEmail;
                public static string TrialId => Functions.StartStripeTrial.Id;
            }
            """;
        var (_, output) = Generate(Compile(Samples.Signup, user));

        Assert.Empty(CompilerProblems(output));
    }

    [Fact]
    public void A_reference_with_the_wrong_payload_type_does_not_compile()
    {
        var user = """
            using FanOut;
            using FanOut.Generated;

            namespace App;

            public static class Caller
            {
                public static FunctionRef<TrialStarted, TrialStarted> Trial => Functions.StartStripeTrial;
            }
            """;
        var (_, output) = Generate(Compile(Samples.Signup, user));

        Assert.Contains(CompilerProblems(output), d => d.Id == "CS0029");
    }

    [Fact]
    public void Functions_taking_Event_of_T_or_no_payload_are_referenced_by_their_events_payload_type()
    {
        var (result, output) = Generate(Compile(Samples.WithFunctions("""
                [Function("with-event", Event = "app/user.signup")]
                public static Task<int> WithEventAsync(Event<UserSignup> signup) => Task.FromResult(1);

                [Function("no-payload", Event = "app/user.signup")]
                public static ValueTask<string> NoPayloadAsync(Step step) => ValueTask.FromResult("");
            """)));

        Assert.Empty(CompilerProblems(output));
        var functions = GeneratedSource(result, FunctionsEmitter.HintName);
        Assert.Contains("public static global::FanOut.FunctionRef<global::App.UserSignup, int> WithEvent { get; }", functions);
        Assert.Contains("public static global::FanOut.FunctionRef<global::App.UserSignup, string> NoPayload { get; }", functions);
    }

    [Fact]
    public void A_nullable_output_keeps_its_annotation_so_step_Invoke_returns_what_the_function_may_return()
    {
        var (result, output) = Generate(Compile(Samples.WithFunctions("""
                [Function("maybe", Event = "app/user.signup")]
                public static Task<string?> MaybeAsync(UserSignup signup) => Task.FromResult<string?>(null);

                [Function("list", Event = "app/user.signup")]
                public static Task<System.Collections.Generic.List<string?>> ListAsync(UserSignup signup) => Task.FromResult(new System.Collections.Generic.List<string?>());
            """)));

        Assert.Empty(CompilerProblems(output));
        var functions = GeneratedSource(result, FunctionsEmitter.HintName);
        Assert.Contains("public static global::FanOut.FunctionRef<global::App.UserSignup, string?> Maybe { get; }", functions);
        Assert.Contains("public static global::FanOut.FunctionRef<global::App.UserSignup, global::System.Collections.Generic.List<string?>> List { get; }", functions);
        Assert.Contains("OutputType = typeof(string),", GeneratedSource(result, TriggersEmitter.HintName));
    }

    [Fact]
    public void Invalid_functions_and_functions_with_unresolved_types_get_no_reference()
    {
        var (result, _) = Generate(Compile(Samples.WithFunctions("""
                [Function("unknown-event", Event = "app/user.singup")]
                public static Task UnknownAsync() => Task.CompletedTask;

                [Function("erroneous", Event = "app/user.signup")]
                public static Task<Missing> ErroneousAsync(UserSignup signup) => null!;

                [Function("fine", Event = "app/user.signup")]
                public static Task FineAsync(UserSignup signup) => Task.CompletedTask;
            """)));

        var functions = GeneratedSource(result, FunctionsEmitter.HintName);
        Assert.Contains(" Fine { get; }", functions);
        Assert.DoesNotContain("unknown-event", functions);
        Assert.DoesNotContain("erroneous", functions);
    }

    [Fact]
    public void A_function_on_an_event_whose_type_generated_code_cannot_reach_gets_no_reference()
    {
        var (result, output) = Generate(Compile("""
            using System.Threading.Tasks;
            using FanOut;

            namespace App;

            public static class Functions
            {
                [Event("app/secret")]
                private sealed record Secret(string Id);

                [Function("on-secret", Event = "app/secret")]
                public static Task RunAsync(Step step) => Task.CompletedTask;
            }
            """));

        Assert.Contains("\"on-secret\"", GeneratedSource(result, TriggersEmitter.HintName)); // the function itself is valid
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName == FunctionsEmitter.HintName); // it was the only one
        Assert.DoesNotContain(CompilerProblems(output), d => d.Severity == DiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData("start-stripe-trial", "StartStripeTrial")]
    [InlineData("app/user.signup", "AppUserSignup")]
    [InlineData("sendWelcomeEmail", "SendWelcomeEmail")]
    [InlineData("send_email", "Send_email")]
    [InlineData("2fa-check", "_2faCheck")]
    [InlineData("a--b..c", "ABC")]
    [InlineData("x", "X")]
    public void Function_ids_become_PascalCase_identifiers(string id, string expected)
    {
        Assert.Equal(expected, FunctionsEmitter.PascalCase(id));
        Assert.True(SyntaxFacts.IsValidIdentifier(expected));
    }

    [Fact]
    public void Colliding_names_are_numbered_in_id_order_whatever_order_the_functions_come_in()
    {
        string[] ids = ["send.email", "send-email2", "send-email", "send/email", "functions", "to-string", "other"];
        var forward = Names(ids);
        var backward = Names([.. ids.Reverse()]);

        // The ordinal order of the ids: "send-email" < "send-email2" < "send.email" < "send/email".
        Assert.Equal("SendEmail", forward["send-email"]);
        Assert.Equal("SendEmail2", forward["send-email2"]); // its own name, which the numbering skips
        Assert.Equal("SendEmail3", forward["send.email"]);
        Assert.Equal("SendEmail4", forward["send/email"]);
        Assert.Equal("Functions2", forward["functions"]); // the class's own name is not a member name
        Assert.Equal("ToString2", forward["to-string"]); // nor is a name every class inherits
        Assert.Equal("Other", forward["other"]);
        Assert.Equal(forward, backward);
    }

    [Fact]
    public void Colliding_names_compile()
    {
        var (result, output) = Generate(Compile(Samples.WithFunctions("""
                [Function("send-email", Event = "app/user.signup")]
                public static Task A(UserSignup signup) => Task.CompletedTask;

                [Function("send.email", Event = "app/user.signup")]
                public static Task B(UserSignup signup) => Task.CompletedTask;

                [Function("functions", Event = "app/user.signup")]
                public static Task C(UserSignup signup) => Task.CompletedTask;

                [Function("equals", Event = "app/user.signup")]
                public static Task D(UserSignup signup) => Task.CompletedTask;
            """)));

        Assert.Empty(CompilerProblems(output));
        var functions = GeneratedSource(result, FunctionsEmitter.HintName);
        Assert.Contains(" SendEmail2 { get; }", functions);
        Assert.Contains(" Functions2 { get; }", functions);
        Assert.Contains(" Equals2 { get; }", functions);
    }

    [Fact]
    public void An_assembly_named_Functions_gets_a_module_namespace_that_does_not_clash_with_the_Functions_class()
    {
        var (result, output) = Generate(Compile("Functions", [], Samples.Signup));

        Assert.Empty(CompilerProblems(output));
        Assert.Contains("namespace FanOut.Generated.Functions_", GeneratedSource(result, RegistrationEmitter.HintName));
    }

    [Fact]
    public void Changing_a_step_result_type_regenerates_the_module_but_leaves_the_function_references_unchanged()
    {
        var compilation = Compile(Samples.Durable);
        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText(Samples.Durable.Replace("Task.FromResult(refund.RefundId.Length)", "Task.FromResult((long)refund.RefundId.Length)"),
                LatestParseOptions, path: "Source0.cs"));

        var driver = CreateDriver().RunGenerators(compilation);
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Contains(result.TrackedSteps[TrackingNames.Module].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(result.TrackedSteps[TrackingNames.FunctionRefs].SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));
    }

    private static Dictionary<string, string> Names(string[] ids)
    {
        var models = ids.Select(id => new FunctionRefModel(id, "app/e", "global::App.E", null)).ToEquatableArray();
        var names = FunctionsEmitter.MemberNames(models);
        return ids.Select((id, i) => (id, names[i])).ToDictionary(p => p.id, p => p.Item2);
    }
}
