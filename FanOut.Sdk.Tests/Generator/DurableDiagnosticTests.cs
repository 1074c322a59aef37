using static FanOut.Tests.Generator.DiagnosticAssert;
using static FanOut.Tests.Generator.GeneratorHarness;

namespace FanOut.Tests.Generator;

/// <summary>FANOUT015 (Retries), FANOUT016 (OnFailure) and FANOUT017 (open step results): the span and the message of each.</summary>
public sealed class DurableDiagnosticTests
{
    private const string FailureHandlerShape =
        "A failure handler is one method of the function's class, not overloaded, returning Task or ValueTask and taking at most one each of: " +
        "the event payload (or Event<payload>), FunctionFailure, CancellationToken.";

    private static string Function(string members) => Samples.WithFunctions(members);

    [Theory]
    [InlineData("21")]
    [InlineData("-2")]
    public void FANOUT015_points_at_retries_outside_0_to_20(string retries)
    {
        var diagnostics = Diagnose(Function($$"""
                [Function("f", Event = "app/user.signup", Retries = {{retries}})]
                public static Task RunAsync() => Task.CompletedTask;
            """));

        Single(diagnostics, "FANOUT015", retries,
            $"Function 'f' has Retries = {retries}. Use 0 (no retries) to 20, or leave it out (-1, the default) for FanOutOptions.DefaultRetries.");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("20")]
    public void Retries_of_minus_1_and_0_to_20_are_silent(string retries)
    {
        Assert.Empty(Diagnose(Function($$"""
                [Function("f", Event = "app/user.signup", Retries = {{retries}})]
                public static Task RunAsync() => Task.CompletedTask;
            """)));
    }

    [Fact]
    public void FANOUT016_points_at_an_OnFailure_that_names_no_method()
    {
        var diagnostics = Diagnose(Function("""
                [Function("f", Event = "app/user.signup", OnFailure = "Missing")]
                public static Task RunAsync() => Task.CompletedTask;
            """));

        Single(diagnostics, "FANOUT016", "\"Missing\"",
            "Function 'f' has OnFailure = \"Missing\", but 'App.Functions' has no method named 'Missing'. " + FailureHandlerShape);
    }

    [Fact]
    public void FANOUT016_points_at_an_OnFailure_that_names_an_overloaded_method()
    {
        var diagnostics = Diagnose(Function("""
                [Function("f", Event = "app/user.signup", OnFailure = nameof(FailedAsync))]
                public static Task RunAsync() => Task.CompletedTask;

                public static Task FailedAsync() => Task.CompletedTask;
                public static Task FailedAsync(FunctionFailure failure) => Task.CompletedTask;
            """));

        Single(diagnostics, "FANOUT016", "nameof(FailedAsync)",
            "Function 'f' has OnFailure = \"FailedAsync\", but 'App.Functions' has 2 methods named 'FailedAsync', and generated code cannot " +
            "choose between overloads. " + FailureHandlerShape);
    }

    [Theory]
    [InlineData("public static void Failed(FunctionFailure failure) { }", "it returns 'void'")]
    [InlineData("public static Task<int> Failed() => Task.FromResult(1);", "it returns 'System.Threading.Tasks.Task<int>'")]
    [InlineData("private static Task Failed() => Task.CompletedTask;", "it is private")]
    [InlineData("public static Task Failed<T>() => Task.CompletedTask;", "it is generic")]
    [InlineData("public static Task Failed(Step step) => Task.CompletedTask;", "it takes 'FanOut.Step' as parameter 'step'")]
    [InlineData("public static Task Failed(ref FunctionFailure failure) => Task.CompletedTask;", "its parameter 'failure' is passed by reference")]
    [InlineData("public static Task Failed(FunctionFailure a, FunctionFailure b) => Task.CompletedTask;", "it takes 'FanOut.FunctionFailure' twice")]
    [InlineData("public static Task Failed(UserSignup a, Event<UserSignup> b) => Task.CompletedTask;", "it takes the event twice")]
    [InlineData("public static Task Failed(string signup) => Task.CompletedTask;", "it takes 'string', but event 'app/user.signup' carries 'App.UserSignup'")]
    public void FANOUT016_points_at_an_OnFailure_whose_method_has_the_wrong_shape(string handler, string reason)
    {
        var diagnostics = Diagnose(Function($$"""
                [Function("f", Event = "app/user.signup", OnFailure = nameof(Failed))]
                public static Task RunAsync() => Task.CompletedTask;

                {{handler}}
            """));

        Single(diagnostics, "FANOUT016", "nameof(Failed)", "Function 'f' has OnFailure = \"Failed\", but " + reason + ". " + FailureHandlerShape);
    }

    [Fact]
    public void FANOUT016_points_at_an_instance_handler_whose_class_cannot_be_created_for_a_static_function()
    {
        var diagnostics = Diagnose(Samples.WithFunctions("""
                public Functions(int a) { }
                public Functions(string b) { }

                [Function("f", Event = "app/user.signup", OnFailure = nameof(Failed))]
                public static Task RunAsync() => Task.CompletedTask;

                public Task Failed() => Task.CompletedTask;
            """, "public sealed class Functions"));

        Single(diagnostics, "FANOUT016", "nameof(Failed)",
            "Function 'f' has OnFailure = \"Failed\", but it is an instance method and generated code cannot create 'App.Functions': it has 2 " +
            "public constructors and none is marked [ActivatorUtilitiesConstructor]. " + FailureHandlerShape);
    }

    [Fact]
    public void A_function_with_an_invalid_failure_handler_is_left_out_so_generated_code_adds_no_errors()
    {
        var (result, output) = Generate(Compile(Function("""
                [Function("f", Event = "app/user.signup", OnFailure = nameof(Failed))]
                public static Task RunAsync() => Task.CompletedTask;

                public static void Failed() { }
            """)));

        Assert.DoesNotContain("\"f\"", GeneratedSource(result, FanOut.Generators.Emitting.TriggersEmitter.HintName));
        Assert.Empty(CompilerProblems(output));
        Assert.Equal(["FANOUT016"], Analyze(output).Select(d => d.Id));
    }

    [Fact]
    public void A_failure_handler_with_every_accepted_parameter_or_none_is_silent()
    {
        Assert.Empty(Diagnose(Function("""
                [Function("f", Event = "app/user.signup", OnFailure = nameof(Failed))]
                public static Task RunAsync() => Task.CompletedTask;

                public static ValueTask Failed(CancellationToken cancellationToken, FunctionFailure failure, Event<UserSignup> signup) => ValueTask.CompletedTask;

                [Function("g", Event = "app/user.signup", OnFailure = nameof(FailedQuietly))]
                public static Task OtherAsync(UserSignup signup) => Task.CompletedTask;

                internal static Task FailedQuietly() => Task.CompletedTask;
            """)));
    }

    [Fact]
    public void FANOUT017_points_at_a_step_run_whose_result_is_a_type_parameter_of_a_generic_helper()
    {
        var diagnostics = Diagnose(Samples.SignupEvent + """

            public static class Wrapping
            {
                public static Task<T> Wrap<T>(Step step, System.Func<Task<T>> body) => step.Run("wrapped", body);
            }
            """);

        Single(diagnostics, "FANOUT017", "Run",
            "step.Run<T> has a result of open type 'T', but step results must be a closed type FanOut can generate a serializer for. " +
            "Call step.Run where the result type is known, for example in the caller of this generic method.");
    }

    [Fact]
    public void FANOUT017_points_at_the_name_with_its_type_argument_when_written_out()
    {
        var diagnostics = Diagnose(Samples.SignupEvent + """

            public sealed class Batch<T>
            {
                public Task<System.Collections.Generic.List<T>> Collect(Step step) =>
                    step.Run<System.Collections.Generic.List<T>>("collect", () => Task.FromResult(new System.Collections.Generic.List<T>()));
            }
            """);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(("FANOUT017", "Run<System.Collections.Generic.List<T>>"), (diagnostic.Id, SpanText(diagnostic)));
        Assert.StartsWith("step.Run<System.Collections.Generic.List<T>> has a result of open type 'System.Collections.Generic.List<T>'", diagnostic.GetMessage());
    }

    [Fact]
    public void FANOUT012_points_at_a_step_run_whose_result_is_an_anonymous_type()
    {
        var diagnostics = Diagnose(Function("""
                [Function("f", Event = "app/user.signup")]
                public static async Task RunAsync(Step step) =>
                    await step.Run("pair", () => Task.FromResult(new { Id = 1 }));
            """));

        Single(diagnostics, "FANOUT012", "Run",
            "'<anonymous type: int Id>' cannot be serialized by FanOut: member 'this' of type '<anonymous type: int Id>': an anonymous type has " +
            "no name generated code could use; declare a record instead. Change the member's type, or keep it out of the payload.");
    }

    [Fact]
    public void FANOUT010_points_at_a_step_run_whose_result_is_a_private_type()
    {
        var diagnostics = Diagnose(Function("""
                private sealed record Secret(int Value);

                [Function("f", Event = "app/user.signup")]
                public static async Task RunAsync(Step step) =>
                    await step.Run("secret", () => Task.FromResult(new Secret(1)));
            """));

        Single(diagnostics, "FANOUT010", "Run",
            "The result of step.Run<App.Functions.Secret> cannot be reached by generated code because 'App.Functions.Secret' is private. Make it public or internal.");
    }

    [Fact]
    public void Step_results_of_closed_types_in_generic_code_are_silent()
    {
        Assert.Empty(Diagnose(Samples.SignupEvent + """

            public static class Wrapping
            {
                public static Task<int> Count<T>(Step step, T[] items) => step.Run("count", () => Task.FromResult(items.Length));

                public static Task Nothing<T>(Step step) => step.Run("nothing", () => Task.CompletedTask);
            }
            """));
    }
}
