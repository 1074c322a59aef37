using FanOut.Generators.Emitting;
using FanOut.Generators.Serialization;
using Microsoft.CodeAnalysis;
using static FanOut.Tests.Generator.DiagnosticAssert;
using static FanOut.Tests.Generator.GeneratorHarness;

namespace FanOut.Tests.Generator;

/// <summary>[CancelOn]: FANOUT021 (not on a function), FANOUT022 (event name), FANOUT023 (match path grammar), FANOUT024 (match property).</summary>
public sealed class CancelOnDiagnosticTests
{
    private static string Function(string members) => Samples.WithFunctions(members);

    [Fact]
    public void Valid_cancel_triggers_are_silent_and_generate_the_reviewed_descriptor()
    {
        var (result, output) = Generate(Compile(Function("""
                [Function("nudge", Event = "app/user.signup")]
                [CancelOn("app/user.deleted", Match = "data.userId")]
                [CancelOn("app/user.paused", Match = "data.email.domain")]
                [CancelOn("app/maintenance")]
                public static Task RunAsync(Event<UserSignup> signup) => Task.CompletedTask;
            """)));

        Assert.Empty(CompilerProblems(output));
        Assert.Empty(Analyze(output));
        Baseline.Verify("CancelOn.Triggers", GeneratedSource(result, TriggersEmitter.HintName));
    }

    [Fact]
    public void A_function_without_cancel_triggers_sets_no_CancelOn()
    {
        var (result, _) = Generate(Compile(Samples.Signup));

        Assert.DoesNotContain("CancelOn", GeneratedSource(result, TriggersEmitter.HintName));
    }

    [Fact]
    public void FANOUT021_points_at_a_CancelOn_on_a_method_that_is_not_a_function()
    {
        var diagnostics = Diagnose(Function("""
                [CancelOn("app/user.deleted", Match = "data.userId")]
                public static Task HelperAsync(UserSignup signup) => Task.CompletedTask;
            """));

        Single(diagnostics, "FANOUT021", "CancelOn(\"app/user.deleted\", Match = \"data.userId\")",
            "'App.Functions.HelperAsync(App.UserSignup)' has [CancelOn], but it is not a [Function] method, so [CancelOn] cancels nothing. " +
            "Put [CancelOn] on the [Function] method whose runs it should cancel, or remove it.",
            DiagnosticSeverity.Warning);
    }

    [Theory]
    [InlineData("app/user deleted", "'space' at position 8 is not allowed; use letters, digits, '.', '_', '-' and '/'")]
    [InlineData("inngest/function.cancelled", "the prefix 'inngest/' is reserved")]
    [InlineData("", "it is empty")]
    public void FANOUT022_points_at_a_cancel_event_name_that_breaks_the_name_grammar(string name, string reason)
    {
        var diagnostics = Diagnose(Function($$"""
                [Function("nudge", Event = "app/user.signup")]
                [CancelOn("{{name}}")]
                public static Task RunAsync() => Task.CompletedTask;
            """));

        Single(diagnostics, "FANOUT022", "\"" + name + "\"",
            $"Function 'nudge' is cancelled by event '{name}', which is not a valid event name: {reason}. Use '/'-separated segments " +
            "of letters, digits, '.', '_' and '-', such as 'app/user.deleted'.");
    }

    [Theory]
    [InlineData("userId", "it does not start with 'data.'")]
    [InlineData("event.data.userId", "it does not start with 'data.'")]
    [InlineData("data.", "it has an empty property name")]
    [InlineData("data.user..id", "it has an empty property name")]
    [InlineData("data.userId.", "it has an empty property name")]
    [InlineData("", "it is empty")]
    public void FANOUT023_points_at_a_match_path_that_breaks_the_path_grammar(string match, string reason)
    {
        var diagnostics = Diagnose(Function($$"""
                [Function("nudge", Event = "app/user.signup")]
                [CancelOn("app/user.deleted", Match = "{{match}}")]
                public static Task RunAsync(UserSignup signup) => Task.CompletedTask;
            """));

        Single(diagnostics, "FANOUT023", "\"" + match + "\"",
            $"Function 'nudge' has [CancelOn] Match = \"{match}\", which is not a valid match path: {reason}. Write 'data.' followed by JSON " +
            "property names separated by dots, such as 'data.userId' or 'data.user.id'.");
    }

    [Fact]
    public void FANOUT024_points_at_a_match_on_the_CSharp_name_and_suggests_the_camelCase_JSON_name()
    {
        var diagnostics = Diagnose(Function("""
                [Function("nudge", Event = "app/user.signup")]
                [CancelOn("app/maintenance")]
                [CancelOn("app/user.deleted", Match = "data.UserId")]
                public static Task RunAsync(Step step, Event<UserSignup> signup) => Task.CompletedTask;
            """));

        Single(diagnostics, "FANOUT024", "\"data.UserId\"",
            "Function 'nudge' has [CancelOn] Match = \"data.UserId\", but 'UserId' is not a JSON property of its payload 'App.UserSignup' " +
            "(it has 'userId', 'email'); did you mean 'data.userId'? The match compares the events' JSON as sent, so name the property as it " +
            "is written there: its C# name in camelCase, or its [JsonPropertyName].");
    }

    [Fact]
    public void FANOUT024_honours_JsonPropertyName_and_JsonIgnore()
    {
        var source = """
            using System.Text.Json.Serialization;
            using System.Threading.Tasks;
            using FanOut;

            namespace App;

            [Event("app/order.placed")]
            public sealed record OrderPlaced([property: JsonPropertyName("order_id")] string OrderId, [property: JsonIgnore] string Secret, string URLValue);

            public static class Functions
            {
                [Function("ok", Event = "app/order.placed")]
                [CancelOn("app/order.cancelled", Match = "data.order_id")]
                [CancelOn("app/order.moved", Match = "data.urlValue.host")]
                public static Task OkAsync(OrderPlaced order) => Task.CompletedTask;

                [Function("renamed", Event = "app/order.placed")]
                [CancelOn("app/order.cancelled", Match = "data.orderId")]
                public static Task RenamedAsync(OrderPlaced order) => Task.CompletedTask;

                [Function("ignored", Event = "app/order.placed")]
                [CancelOn("app/order.cancelled", Match = "data.secret")]
                public static Task IgnoredAsync(OrderPlaced order) => Task.CompletedTask;
            }
            """;
        var diagnostics = Diagnose(source);

        Assert.Equal(2, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.Equal("FANOUT024", d.Id));
        Assert.Equal("\"data.orderId\"", SpanText(diagnostics[0]));
        Assert.Contains("Function 'renamed' has [CancelOn] Match = \"data.orderId\", but 'orderId' is not a JSON property of its payload 'App.OrderPlaced' (it has 'order_id', 'urlValue'); did you mean 'data.order_id'?", diagnostics[0].GetMessage());
        Assert.Equal("\"data.secret\"", SpanText(diagnostics[1]));
        Assert.Contains("Function 'ignored' has [CancelOn] Match = \"data.secret\", but 'secret' is not a JSON property of its payload 'App.OrderPlaced' (it has 'order_id', 'urlValue'). The match", diagnostics[1].GetMessage());
    }

    [Fact]
    public void FANOUT024_checks_a_function_that_does_not_take_its_payload_against_its_events_type_and_leaves_it_out_of_the_table()
    {
        var (result, output) = Generate(Compile(Function("""
                [Function("no-payload", Event = "app/user.signup")]
                [CancelOn("app/user.deleted", Match = "data.UserId.value")]
                public static Task RunAsync(Step step) => Task.CompletedTask;
            """)));

        Single(Analyze(output), "FANOUT024", "\"data.UserId.value\"",
            "Function 'no-payload' has [CancelOn] Match = \"data.UserId.value\", but 'UserId' is not a JSON property of its payload 'App.UserSignup' " +
            "(it has 'userId', 'email'); did you mean 'data.userId.value'? The match compares the events' JSON as sent, so name the property as it " +
            "is written there: its C# name in camelCase, or its [JsonPropertyName].");
        Assert.DoesNotContain("\"no-payload\"", GeneratedSource(result, TriggersEmitter.HintName));
        Assert.Empty(CompilerProblems(output));
    }

    [Fact]
    public void A_function_that_does_not_take_its_payload_may_match_on_its_events_properties()
    {
        Assert.Empty(Diagnose(Function("""
                [Function("no-payload", Event = "app/user.signup")]
                [CancelOn("app/user.deleted", Match = "data.email")]
                public static Task RunAsync(Step step) => Task.CompletedTask;
            """)));
    }

    [Fact]
    public void A_function_with_an_invalid_cancel_trigger_is_left_out_of_the_table()
    {
        var (result, output) = Generate(Compile(Function("""
                [Function("nudge", Event = "app/user.signup")]
                [CancelOn("app/user.deleted", Match = "userId")]
                public static Task RunAsync(UserSignup signup) => Task.CompletedTask;
            """)));

        Assert.DoesNotContain("\"nudge\"", GeneratedSource(result, TriggersEmitter.HintName));
        Assert.Empty(CompilerProblems(output));
    }

    [Theory]
    [InlineData("UserId", "userId")]
    [InlineData("URLValue", "urlValue")]
    [InlineData("ID", "id")]
    [InlineData("userId", "userId")]
    [InlineData("IOStream", "ioStream")]
    [InlineData("A", "a")]
    public void Property_names_are_camelCased_as_System_Text_Json_does(string name, string expected)
    {
        Assert.Equal(expected, SerializationParser.CamelCase(name));
        Assert.Equal(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name), SerializationParser.CamelCase(name));
    }
}
