using static FanOut.Tests.Generator.DiagnosticAssert;
using static FanOut.Tests.Generator.GeneratorHarness;

namespace FanOut.Tests.Generator;

/// <summary>
/// step.WaitForEvent: FANOUT025 (the awaited type is not an [Event]), FANOUT026 (a constant match that breaks the path
/// grammar), FANOUT027 (a constant match whose first property the awaited or the triggering payload lacks).
/// </summary>
public sealed class WaitForEventDiagnosticTests
{
    private const string Events = """
        using System;
        using System.Text.Json.Serialization;
        using System.Threading.Tasks;
        using FanOut;

        namespace App;

        [Event("app/user.signup")]
        public sealed record UserSignup(string UserId, string Email);

        [Event("app/user.activated")]
        public sealed record UserActivated(string UserId, string Feature);

        [Event("app/account.closed")]
        public sealed record AccountClosed(string AccountId, [property: JsonPropertyName("user_id")] string UserId, [property: JsonIgnore] string Email);

        public sealed record Activation(string UserId);
        """;

    private static string Function(string body, string parameters = "UserSignup signup, Step step") => Events + $$"""


        public static class Functions
        {
            [Function("nudge", Event = "app/user.signup")]
            public static async Task RunAsync({{parameters}})
            {
                {{body}}
            }

            public static async Task<Event<T>?> Helper<T>(Step step, string match) => await step.WaitForEvent<T>("helper", TimeSpan.FromDays(1), match);
        }
        """;

    private static string Message(string match, string property, string side, string type, string known, string suggestion) =>
        $"step.WaitForEvent has match \"{match}\", but '{property}' is not a JSON property of {side} '{type}' ({known}){suggestion} The match " +
        "compares the awaited event's JSON with the triggering event's, as sent, so both must have the property under that name: its C# name " +
        "in camelCase, or its [JsonPropertyName].";

    [Fact]
    public void Waits_for_events_with_matching_constant_non_constant_or_no_match_are_silent()
    {
        var (_, output) = Generate(Compile(Function("""
                var path = "data." + signup.Email;
                var a = await step.WaitForEvent<UserActivated>("a", TimeSpan.FromDays(3), match: "data.userId");
                var b = await step.WaitForEvent<UserActivated>("b", TimeSpan.FromDays(3), "data.userId.length");
                var c = await step.WaitForEvent<UserActivated>("c", TimeSpan.FromDays(3), path);
                var d = await step.WaitForEvent<UserActivated>("d", TimeSpan.FromDays(3));
                var e = await step.WaitForEvent<UserActivated>("e", TimeSpan.FromDays(3), null);
                var f = await Helper<UserActivated>(step, "not a path");
            """)));

        Assert.Empty(CompilerProblems(output));
        Assert.Empty(Analyze(output));
    }

    [Fact]
    public void FANOUT025_points_at_a_type_argument_that_is_not_an_event()
    {
        var diagnostics = Diagnose(Function("""
                var activated = await step.WaitForEvent<Activation>("wait", TimeSpan.FromDays(3));
            """));

        Single(diagnostics, "FANOUT025", "Activation",
            "step.WaitForEvent<App.Activation> waits for 'App.Activation', which is not declared with [Event], so there is no event name to " +
            "wait for and the run fails when it reaches this wait. Wait for the payload type of an [Event], or declare 'App.Activation' with " +
            "[Event(\"app/…\")].");
    }

    [Fact]
    public void FANOUT025_is_reported_outside_functions_too_and_not_for_a_type_parameter()
    {
        var diagnostics = Diagnose(Events + """


            public static class Waits
            {
                public static Task<Event<Activation>?> ForActivation(Step step) => step?.WaitForEvent<Activation>("wait", TimeSpan.FromDays(3));

                public static Task<Event<T>?> For<T>(Step step) => step.WaitForEvent<T>("wait", TimeSpan.FromDays(3));
            }
            """);

        Assert.Equal("FANOUT025", Assert.Single(diagnostics).Id);
        Assert.Equal("Activation", SpanText(diagnostics[0]));
    }

    [Theory]
    [InlineData("userId", "it does not start with 'data.'")]
    [InlineData("event.data.userId", "it does not start with 'data.'")]
    [InlineData("data.", "it has an empty property name")]
    [InlineData("data.user..id", "it has an empty property name")]
    [InlineData("", "it is empty")]
    public void FANOUT026_points_at_a_constant_match_that_breaks_the_path_grammar(string match, string reason)
    {
        var diagnostics = Diagnose(Function($$"""
                var activated = await step.WaitForEvent<UserActivated>("wait", TimeSpan.FromDays(3), match: "{{match}}");
            """));

        Single(diagnostics, "FANOUT026", "\"" + match + "\"",
            $"step.WaitForEvent has match \"{match}\", which is not a valid match path: {reason}; the run fails when it reaches this wait. " +
            "Write 'data.' followed by JSON property names separated by dots, such as 'data.userId' or 'data.user.id'.");
    }

    [Fact]
    public void FANOUT026_follows_a_match_through_a_local_constant_and_named_arguments()
    {
        var diagnostics = Diagnose(Function("""
                const string byUser = "userId";
                var activated = await step.WaitForEvent<UserActivated>(match: byUser, timeout: TimeSpan.FromDays(3), id: "wait");
            """));

        Assert.Equal("FANOUT026", Assert.Single(diagnostics).Id);
        Assert.Equal("byUser", SpanText(diagnostics[0]));
    }

    [Fact]
    public void FANOUT027_names_the_awaited_payload_when_it_lacks_the_property()
    {
        var diagnostics = Diagnose(Function("""
                var closed = await step.WaitForEvent<AccountClosed>("wait", TimeSpan.FromDays(3), match: "data.userId");
            """));

        Single(diagnostics, "FANOUT027", "\"data.userId\"",
            Message("data.userId", "userId", "the awaited event's payload", "App.AccountClosed", "it has 'accountId', 'user_id'", "; did you mean 'data.user_id'?"));
    }

    [Fact]
    public void FANOUT027_names_the_triggering_payload_when_it_lacks_the_property()
    {
        var diagnostics = Diagnose(Function("""
                var activated = await step.WaitForEvent<UserActivated>("wait", TimeSpan.FromDays(3), match: "data.feature");
            """, parameters: "Event<UserSignup> signup, Step step"));

        Single(diagnostics, "FANOUT027", "\"data.feature\"",
            Message("data.feature", "feature", "the triggering event's payload", "App.UserSignup", "it has 'userId', 'email'", "."));
    }

    [Fact]
    public void FANOUT027_reports_each_side_that_lacks_the_property_and_suggests_the_camelCase_name()
    {
        var diagnostics = Diagnose(Function("""
                var activated = await step.WaitForEvent<UserActivated>("wait", TimeSpan.FromDays(3), match: "data.UserId.value");
            """));

        Assert.Equal(2, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.Equal(("FANOUT027", "\"data.UserId.value\""), (d.Id, SpanText(d))));
        var messages = diagnostics.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();
        Assert.Equal(Message("data.UserId.value", "UserId", "the awaited event's payload", "App.UserActivated", "it has 'userId', 'feature'",
            "; did you mean 'data.userId.value'?"), messages[0]);
        Assert.Equal(Message("data.UserId.value", "UserId", "the triggering event's payload", "App.UserSignup", "it has 'userId', 'email'",
            "; did you mean 'data.userId.value'?"), messages[1]);
    }

    [Fact]
    public void FANOUT027_finds_the_trigger_of_a_function_that_does_not_take_its_payload_by_its_event_name()
    {
        var diagnostics = Diagnose(Function("""
                var activated = await step.WaitForEvent<UserActivated>("wait", TimeSpan.FromDays(3), match: "data.feature");
            """, parameters: "Step step"));

        Single(diagnostics, "FANOUT027", "\"data.feature\"",
            Message("data.feature", "feature", "the triggering event's payload", "App.UserSignup", "it has 'userId', 'email'", "."));
    }

    [Fact]
    public void FANOUT027_honours_JsonIgnore_and_checks_only_the_awaited_payload_outside_a_function()
    {
        var diagnostics = Diagnose(Events + """


            public static class Waits
            {
                public static Task<Event<AccountClosed>?> ForClosing(Step step) => step.WaitForEvent<AccountClosed>("wait", TimeSpan.FromDays(3), "data.email");

                public static Task<Event<AccountClosed>?> ForAccount(Step step) => step.WaitForEvent<AccountClosed>("wait", TimeSpan.FromDays(3), "data.accountId");
            }
            """);

        Single(diagnostics, "FANOUT027", "\"data.email\"",
            Message("data.email", "email", "the awaited event's payload", "App.AccountClosed", "it has 'accountId', 'user_id'", "."));
    }

    [Fact]
    public void A_wait_for_a_type_that_is_not_an_event_still_checks_its_match_against_the_trigger()
    {
        var diagnostics = Diagnose(Function("""
                var activated = await step.WaitForEvent<Activation>("wait", TimeSpan.FromDays(3), match: "data.feature");
            """));

        Assert.Equal(["FANOUT025", "FANOUT027"], diagnostics.Select(d => d.Id).Order().ToArray());
    }
}
