using Microsoft.CodeAnalysis;
using static FanOut.Tests.Generator.DiagnosticAssert;
using static FanOut.Tests.Generator.GeneratorHarness;

namespace FanOut.Tests.Generator;

/// <summary>One test per FANOUT id: the span it points at and the message it gives.</summary>
public sealed class DiagnosticTests
{
    private static string Function(string members) => Samples.WithFunctions(members);

    [Fact]
    public void The_signup_example_with_a_misspelt_event_fails_with_FANOUT001_suggesting_the_declared_name()
    {
        var source = Samples.Signup.Replace(
            "[Function(\"send-welcome-email\", Event = \"app/user.signup\")]",
            "[Function(\"send-welcome-email\", Event = \"app/user.singup\")]");
        var (_, output) = Generate(Compile(source));

        var diagnostic = Single(Analyze(output), "FANOUT001", "\"app/user.singup\"",
            "Function 'send-welcome-email' is triggered by event 'app/user.singup', which no [Event] type declares in this compilation " +
            "or its references; did you mean 'app/user.signup'? Fix the name, or declare the event with [Event(\"app/user.singup\")] on its payload type.");
        var position = diagnostic.Location.GetLineSpan().StartLinePosition;
        Assert.Equal((19, 45), (position.Line + 1, position.Character + 1));
        Assert.Empty(CompilerProblems(output)); // the invalid function is left out, so generated code adds no errors
    }

    [Fact]
    public void FANOUT001_suggests_nothing_when_no_known_name_is_close()
    {
        var diagnostics = Diagnose(Function("""
                [Function("bill", Event = "billing/invoice.paid")]
                public static Task RunAsync() => Task.CompletedTask;
            """));

        Single(diagnostics, "FANOUT001", "\"billing/invoice.paid\"",
            "Function 'bill' is triggered by event 'billing/invoice.paid', which no [Event] type declares in this compilation or its " +
            "references. Fix the name, or declare the event with [Event(\"billing/invoice.paid\")] on its payload type.");
    }

    [Fact]
    public void FANOUT002_points_at_a_payload_parameter_of_another_type()
    {
        var diagnostics = Diagnose(Function("""
                [Function("f", Event = "app/user.signup")]
                public static Task RunAsync(Step step, string signup) => Task.CompletedTask;
            """));

        Single(diagnostics, "FANOUT002", "string signup",
            "Function 'f' takes 'string', but event 'app/user.signup' carries 'App.UserSignup'. Take 'App.UserSignup' or 'Event<App.UserSignup>' instead.");
    }

    [Fact]
    public void FANOUT002_points_at_an_event_parameter_with_the_wrong_data_type()
    {
        var diagnostics = Diagnose(Function("""
                [Function("f", Event = "app/user.signup")]
                public static Task RunAsync(Event<int> signup) => Task.CompletedTask;
            """));

        Single(diagnostics, "FANOUT002", "Event<int> signup",
            "Function 'f' takes 'FanOut.Event<int>', but event 'app/user.signup' carries 'App.UserSignup'. Take 'App.UserSignup' or 'Event<App.UserSignup>' instead.");
    }

    [Fact]
    public void FANOUT003_points_at_both_ids_of_two_functions_with_the_same_id()
    {
        var diagnostics = Diagnose(Function("""
                [Function("welcome", Event = "app/user.signup")]
                public static Task FirstAsync() => Task.CompletedTask;

                [Function("welcome", Event = "app/user.signup")]
                public static Task SecondAsync() => Task.CompletedTask;
            """));

        Assert.Equal(2, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.Equal(("FANOUT003", "\"welcome\""), (d.Id, SpanText(d))));
        Assert.Equal(
            "Function id 'welcome' is also used by 'App.Functions.SecondAsync()'. Function ids name runs and must be unique across the application; rename one of the functions.",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public void FANOUT004_points_at_the_names_of_two_types_declaring_the_same_event()
    {
        var diagnostics = Diagnose(Samples.SignupEvent + """

            [Event("app/user.signup")]
            public sealed record UserSignupV2(string UserId);
            """);

        Assert.Equal(2, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.Equal(("FANOUT004", "\"app/user.signup\""), (d.Id, SpanText(d))));
        Assert.Equal(
            "Event 'app/user.signup' is also declared by 'App.UserSignupV2'. An event name has exactly one payload type; rename one of the events or remove one declaration.",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public void FANOUT005_points_at_an_invalid_event_name_and_gives_the_reason()
    {
        var diagnostics = Diagnose("""
            [FanOut.Event("app/user signup")]
            public sealed record UserSignup(string UserId);
            """);

        Single(diagnostics, "FANOUT005", "\"app/user signup\"",
            "'app/user signup' is not a valid event name: 'space' at position 8 is not allowed; use letters, digits, '.', '_', '-' and '/'. " +
            "Use '/'-separated segments of letters, digits, '.', '_' and '-', such as 'app/user.signup'.");
    }

    [Fact]
    public void FANOUT005_points_at_an_invalid_event_name_in_a_function()
    {
        var diagnostics = Diagnose(Function("""
                [Function("f", Event = "inngest/function.failed")]
                public static Task RunAsync() => Task.CompletedTask;
            """));

        Single(diagnostics, "FANOUT005", "\"inngest/function.failed\"",
            "'inngest/function.failed' is not a valid event name: the prefix 'inngest/' is reserved. " +
            "Use '/'-separated segments of letters, digits, '.', '_' and '-', such as 'app/user.signup'.");
    }

    [Fact]
    public void FANOUT006_points_at_an_invalid_function_id()
    {
        var diagnostics = Diagnose(Function("""
                [Function("/welcome", Event = "app/user.signup")]
                public static Task RunAsync() => Task.CompletedTask;
            """));

        Single(diagnostics, "FANOUT006", "\"/welcome\"",
            "'/welcome' is not a valid function id: it starts with '/'. " +
            "Use '/'-separated segments of letters, digits, '.', '_' and '-', such as 'send-welcome-email'.");
    }

    [Fact]
    public void FANOUT007_points_at_an_unsupported_return_type()
    {
        var diagnostics = Diagnose(Function("""
                [Function("f", Event = "app/user.signup")]
                public static void Run(UserSignup signup) { }
            """));

        Single(diagnostics, "FANOUT007", "void",
            "Function 'f' returns 'void'. A function returns Task, Task<T>, ValueTask or ValueTask<T>; make the method async and return one of these.");
    }

    [Fact]
    public void FANOUT008_points_at_a_parameter_passed_by_reference()
    {
        var diagnostics = Diagnose(Function("""
                [Function("f", Event = "app/user.signup")]
                public static Task RunAsync(in UserSignup signup) => Task.CompletedTask;
            """));

        Single(diagnostics, "FANOUT008", "in UserSignup signup",
            "Function 'f' cannot take parameter 'signup': it is passed by reference ('in'). A function takes at most one event payload " +
            "(or Event<payload>), one Step and one CancellationToken, in any order, none by ref, in or out; take other dependencies through the class's constructor.");
    }

    [Fact]
    public void FANOUT008_points_at_the_second_step_parameter()
    {
        var diagnostics = Diagnose(Function("""
                [Function("f", Event = "app/user.signup")]
                public static Task RunAsync(Step first, UserSignup signup, Step second) => Task.CompletedTask;
            """));

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(("FANOUT008", "Step second"), (diagnostic.Id, SpanText(diagnostic)));
        Assert.StartsWith("Function 'f' cannot take parameter 'second': the function already takes a Step as parameter 'first'.", diagnostic.GetMessage());
    }

    [Fact]
    public void FANOUT008_points_at_a_payload_taken_twice()
    {
        var diagnostics = Diagnose(Function("""
                [Function("f", Event = "app/user.signup")]
                public static Task RunAsync(UserSignup signup, Event<UserSignup> again) => Task.CompletedTask;
            """));

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(("FANOUT008", "Event<UserSignup> again"), (diagnostic.Id, SpanText(diagnostic)));
    }

    [Fact]
    public void FANOUT009_points_at_a_generic_method()
    {
        var diagnostics = Diagnose(Function("""
                [Function("f", Event = "app/user.signup")]
                public static Task RunAsync<T>(UserSignup signup) => Task.CompletedTask;
            """));

        Single(diagnostics, "FANOUT009", "RunAsync",
            "Function 'f' is generic or is declared in a generic type, and generated code cannot choose type arguments. Move it to a non-generic type.");
    }

    [Fact]
    public void FANOUT009_points_at_a_method_of_a_generic_class()
    {
        var diagnostics = Diagnose(Samples.WithFunctions("""
                [Function("f", Event = "app/user.signup")]
                public static Task RunAsync(UserSignup signup) => Task.CompletedTask;
            """, "public static class Functions<T>"));

        Single(diagnostics, "FANOUT009", "RunAsync",
            "Function 'f' is generic or is declared in a generic type, and generated code cannot choose type arguments. Move it to a non-generic type.");
    }

    [Fact]
    public void FANOUT010_points_at_a_private_method()
    {
        var diagnostics = Diagnose(Function("""
                [Function("f", Event = "app/user.signup")]
                private static Task RunAsync(UserSignup signup) => Task.CompletedTask;
            """));

        Single(diagnostics, "FANOUT010", "RunAsync",
            "Function 'f' cannot be reached by generated code because 'App.Functions.RunAsync(App.UserSignup)' is private. Make it public or internal.");
    }

    [Fact]
    public void FANOUT010_points_at_a_method_of_a_private_nested_class()
    {
        var diagnostics = Diagnose(Function("""
                private static class Hidden
                {
                    [Function("f", Event = "app/user.signup")]
                    public static Task RunAsync(UserSignup signup) => Task.CompletedTask;
                }
            """));

        Single(diagnostics, "FANOUT010", "RunAsync",
            "Function 'f' cannot be reached by generated code because 'App.Functions.Hidden' is private. Make it public or internal.");
    }

    [Fact]
    public void FANOUT011_points_at_a_function_attribute_without_an_event()
    {
        var diagnostics = Diagnose(Function("""
                [Function("f")]
                public static Task RunAsync() => Task.CompletedTask;
            """));

        Single(diagnostics, "FANOUT011", "Function(\"f\")",
            "Function 'f' names no event. Set the event that triggers it, as in [Function(\"f\", Event = \"app/user.signup\")].");
    }

    [Fact]
    public void FANOUT013_points_at_an_instance_method_of_an_abstract_class()
    {
        var diagnostics = Diagnose(Samples.WithFunctions("""
                [Function("f", Event = "app/user.signup")]
                public Task RunAsync(UserSignup signup) => Task.CompletedTask;
            """, "public abstract class Functions"));

        Single(diagnostics, "FANOUT013", "RunAsync",
            "Function 'f' is an instance method, but generated code cannot create 'App.Functions': it is abstract. Give the class exactly one " +
            "public constructor, mark one with [ActivatorUtilitiesConstructor], or make the method static.");
    }

    [Fact]
    public void FANOUT013_points_at_an_instance_method_whose_class_has_two_unmarked_public_constructors()
    {
        var diagnostics = Diagnose(Samples.WithFunctions("""
                public Functions() { }
                public Functions(System.IServiceProvider services) { }

                [Function("f", Event = "app/user.signup")]
                public Task RunAsync(UserSignup signup) => Task.CompletedTask;
            """, "public sealed class Functions"));

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(("FANOUT013", "RunAsync"), (diagnostic.Id, SpanText(diagnostic)));
        Assert.Contains("it has 2 public constructors and none is marked [ActivatorUtilitiesConstructor]", diagnostic.GetMessage());
    }

    [Fact]
    public void A_constructor_marked_ActivatorUtilitiesConstructor_is_chosen_among_several()
    {
        var diagnostics = Diagnose(Samples.WithFunctions("""
                public Functions() { }
                [Microsoft.Extensions.DependencyInjection.ActivatorUtilitiesConstructor]
                public Functions(System.IServiceProvider services) { }

                [Function("f", Event = "app/user.signup")]
                public Task RunAsync(UserSignup signup) => Task.CompletedTask;
            """, "public sealed class Functions"));

        Assert.Empty(diagnostics);
    }

    [Fact]
    public void FANOUT014_points_at_a_negative_timeout()
    {
        var diagnostics = Diagnose(Function("""
                [Function("f", Event = "app/user.signup", TimeoutSeconds = -5)]
                public static Task RunAsync() => Task.CompletedTask;
            """));

        Single(diagnostics, "FANOUT014", "-5",
            "Function 'f' has TimeoutSeconds = -5. Use a finite number of seconds greater than zero, or zero (the default) for the configured default timeout.");
    }

    [Theory]
    [InlineData("double.NaN", "NaN")]
    [InlineData("double.PositiveInfinity", "Infinity")]
    public void FANOUT014_points_at_a_timeout_that_is_not_finite(string expression, string shown)
    {
        var diagnostics = Diagnose(Function($$"""
                [Function("f", Event = "app/user.signup", TimeoutSeconds = {{expression}})]
                public static Task RunAsync() => Task.CompletedTask;
            """));

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(("FANOUT014", expression), (diagnostic.Id, SpanText(diagnostic)));
        Assert.StartsWith($"Function 'f' has TimeoutSeconds = {shown}.", diagnostic.GetMessage());
    }

    [Fact]
    public void An_event_that_no_function_uses_is_silent()
    {
        Assert.Empty(Diagnose(Samples.SignupEvent));
    }

    [Fact]
    public void A_function_without_parameters_and_with_a_value_task_result_is_silent()
    {
        Assert.Empty(Diagnose(Function("""
                [Function("count", Event = "app/user.signup", TimeoutSeconds = 1.5)]
                public static ValueTask<int> CountAsync(CancellationToken cancellationToken) => ValueTask.FromResult(1);
            """)));
    }
}
