using Microsoft.CodeAnalysis;
using static FanOut.Tests.Generator.DiagnosticAssert;
using static FanOut.Tests.Generator.GeneratorHarness;

namespace FanOut.Tests.Generator;

/// <summary>
/// The warnings about code that does not replay the same way on every attempt (FANOUT018–020): the span and message of
/// each, for every step tool, and the common code that must stay silent.
/// </summary>
public sealed class DeterminismDiagnosticTests
{
    private const string NonConstantId =
        "The step id is not a compile-time constant. A step's result is found again by its id on every attempt, so an id that can change " +
        "between attempts runs the step again; use a constant, nameof or an interpolation of constants (a loop around one call is numbered automatically).";

    private static string Function(string body, string parameters = "UserSignup signup, Step step") => Samples.WithFunctions($$"""
                private const string Prefix = "send";

                [Function("f", Event = "app/user.signup")]
                public static async Task RunAsync({{parameters}})
                {
            {{body}}
                }
            """);

    private static string NondeterministicMessage(string value) =>
        $"'{value}' gives a different value on every attempt, because code outside steps runs again on each retry. Move it into a step " +
        "(the lambda passed to step.Run), so the value is stored once and is the same on every attempt.";

    [Fact]
    public void FANOUT018_points_at_a_step_id_built_from_the_payload()
    {
        var diagnostics = Diagnose(Function("""
                    await step.Run("send-" + signup.UserId, () => Task.CompletedTask);
            """));

        Single(diagnostics, "FANOUT018", "\"send-\" + signup.UserId", NonConstantId, DiagnosticSeverity.Warning);
    }

    [Fact]
    public void FANOUT018_points_at_a_step_id_interpolating_a_local()
    {
        var diagnostics = Diagnose(Function("""
                    var attempt = System.Environment.TickCount;
                    await step.Run(body: () => Task.CompletedTask, id: $"send-{attempt}");
            """));

        Single(diagnostics, "FANOUT018", "$\"send-{attempt}\"", NonConstantId, DiagnosticSeverity.Warning);
    }

    [Fact]
    public void Constant_step_ids_nameof_const_interpolations_and_ids_forwarded_by_a_helper_are_silent()
    {
        Assert.Empty(Diagnose(Function("""
                    const string local = "local";
                    await step.Run("literal", () => Task.CompletedTask);
                    await step.Run(nameof(RunAsync), () => Task.CompletedTask);
                    await step.Run($"{Prefix}-{local}", () => Task.CompletedTask);
                    await step.Run(Prefix, () => Task.CompletedTask);
                    Task<int> Part(string id, int value) => step.Run(id, () => Task.FromResult(value));
                    await Task.WhenAll(Part("a", 1), Part("b", 2));
            """)));
    }

    [Fact]
    public void FANOUT019_points_at_the_second_call_site_using_the_same_id()
    {
        var diagnostics = Diagnose(Function("""
                    await step.Run("send", () => Task.CompletedTask);
                    await step.Run("other", () => Task.CompletedTask);
                    await step.Run(Prefix, () => Task.CompletedTask);
            """));

        var diagnostic = Single(diagnostics, "FANOUT019", "Prefix",
            "Step id 'send' is also used by another step call in this method. Repeated ids are numbered in the order the steps start " +
            "('send:1', 'send:2'), so moving or adding either call hands one step's stored result to the other; give each call site its own id.",
            DiagnosticSeverity.Warning);
        Assert.Equal(19, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1);
    }

    [Fact]
    public void FANOUT019_counts_call_sites_in_lambdas_of_the_same_method()
    {
        var diagnostics = Diagnose(Function("""
                    await Task.WhenAll(step.Run("send", () => Task.CompletedTask), step.Run("send", () => Task.CompletedTask));
            """));

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(("FANOUT019", 81), (diagnostic.Id, diagnostic.Location.GetLineSpan().StartLinePosition.Character + 1));
    }

    [Fact]
    public void A_loop_around_one_call_site_and_the_same_id_in_exclusive_branches_or_other_methods_are_silent()
    {
        Assert.Empty(Diagnose(Function("""
                    for (var i = 0; i < 3; i++)
                    {
                        await step.Run("send", () => Task.CompletedTask);
                    }
                    if (signup.Email.Length > 3)
                    {
                        await step.Run("notify", () => Task.CompletedTask);
                    }
                    else if (signup.UserId.Length > 3)
                    {
                        await step.Run("notify", () => Task.CompletedTask);
                    }
                    else
                    {
                        await (signup.Email == "" ? step.Run("notify", () => Task.CompletedTask) : step.Run("notify", () => Task.CompletedTask));
                    }
                    switch (signup.UserId)
                    {
                        case "a":
                            await step.Run("route", () => Task.CompletedTask);
                            break;
                        default:
                            await step.Run("route", () => Task.CompletedTask);
                            break;
                    }
                    await Helper(step);
                }

                public static Task Helper(Step step) => step.Run("send", () => Task.CompletedTask);

                public static async Task Unused(Step step)
                {
            """)));
    }

    [Theory]
    [InlineData("await step.Sleep(\"nap-\" + signup.UserId, System.TimeSpan.FromMinutes(1));", "\"nap-\" + signup.UserId")]
    [InlineData("await step.SleepUntil($\"nap-{signup.Email}\", System.DateTimeOffset.UnixEpoch);", "$\"nap-{signup.Email}\"")]
    [InlineData("await step.SendEvent(signup.UserId, signup);", "signup.UserId")]
    [InlineData("await step.WaitForEvent<UserSignup>(\"wait-\" + signup.UserId, System.TimeSpan.FromDays(1));", "\"wait-\" + signup.UserId")]
    [InlineData("await step.Invoke(\"score-\" + signup.Email, new FunctionRef<UserSignup, int>(\"score\"), signup);", "\"score-\" + signup.Email")]
    [InlineData("await step.Invoke(payload: signup, function: new FunctionRef<UserSignup>(\"audit\"), id: signup.Email);", "signup.Email")]
    public void FANOUT018_points_at_a_non_constant_id_of_every_step_tool(string statement, string span)
    {
        var diagnostics = Diagnose(Function("        " + statement));

        Single(diagnostics, "FANOUT018", span, NonConstantId, DiagnosticSeverity.Warning);
    }

    [Fact]
    public void FANOUT019_counts_ids_across_step_tools_because_they_share_one_numbering()
    {
        var diagnostics = Diagnose(Function("""
                    await step.Run("activation", () => Task.CompletedTask);
                    var activated = await step.WaitForEvent<UserSignup>("activation", System.TimeSpan.FromDays(1));
                    await step.Invoke("audit", new FunctionRef<UserSignup>("audit"), signup);
                    await step.Sleep("audit", System.TimeSpan.FromHours(1));
            """));

        Assert.Equal(2, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.Equal("FANOUT019", d.Id));
        Assert.Equal("\"activation\"", SpanText(diagnostics[0]));
        Assert.Equal(18, diagnostics[0].Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Equal("Step id 'audit' is also used by another step call in this method. Repeated ids are numbered in the order the steps start " +
            "('audit:1', 'audit:2'), so moving or adding either call hands one step's stored result to the other; give each call site its own id.",
            diagnostics[1].GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(20, diagnostics[1].Location.GetLineSpan().StartLinePosition.Line + 1);
    }

    [Fact]
    public void Constant_distinct_ids_of_every_step_tool_are_silent()
    {
        Assert.Empty(Diagnose(Function("""
                    const string prefix = "nap";
                    await step.Run("run", () => Task.CompletedTask);
                    await step.Sleep(prefix, System.TimeSpan.FromMinutes(1));
                    await step.SleepUntil($"{prefix}-until", System.DateTimeOffset.UnixEpoch);
                    await step.SendEvent("send", signup);
                    await step.WaitForEvent<UserSignup>(nameof(UserSignup), System.TimeSpan.FromDays(1), match: "data.userId");
                    var score = await step.Invoke("score", new FunctionRef<UserSignup, int>("score"), signup, System.TimeSpan.FromMinutes(5));
                    await step.Invoke("audit", new FunctionRef<UserSignup>("audit"), signup);
                    for (var i = 0; i < 3; i++)
                    {
                        await step.WaitForEvent<UserSignup>("each", System.TimeSpan.FromDays(1));
                    }
            """)));
    }

    [Theory]
    [InlineData("var now = System.DateTime.Now;", "DateTime.Now", "System.DateTime.Now")]
    [InlineData("var now = System.DateTime.UtcNow;", "DateTime.UtcNow", "System.DateTime.UtcNow")]
    [InlineData("var now = System.DateTimeOffset.Now;", "DateTimeOffset.Now", "System.DateTimeOffset.Now")]
    [InlineData("var now = System.DateTimeOffset.UtcNow;", "DateTimeOffset.UtcNow", "System.DateTimeOffset.UtcNow")]
    [InlineData("var id = System.Guid.NewGuid();", "Guid.NewGuid()", "System.Guid.NewGuid")]
    [InlineData("var roll = System.Random.Shared.Next();", "Random.Shared", "System.Random.Shared")]
    [InlineData("var roll = new System.Random().Next();", "new Random()", "new System.Random()")]
    public void FANOUT020_points_at_a_clock_guid_or_random_read_outside_a_step(string statement, string value, string span)
    {
        var diagnostics = Diagnose(Function("        " + statement + "\n        await step.Run(\"send\", () => Task.CompletedTask);"));

        Single(diagnostics, "FANOUT020", span, NondeterministicMessage(value), DiagnosticSeverity.Warning);
    }

    [Fact]
    public void Clock_guid_and_random_reads_inside_a_step_lambda_in_helpers_or_in_nameof_are_silent()
    {
        Assert.Empty(Diagnose(Function("""
                    var stamp = await step.Run("stamp", () => Task.FromResult(System.DateTime.UtcNow));
                    var id = await step.Run("id", () => Task.FromResult(System.Guid.NewGuid()));
                    var roll = await step.Run("roll", async () => { await Task.Yield(); return new System.Random().Next() + System.Random.Shared.Next(); });
                    var name = nameof(System.DateTime.Now);
                    var epoch = System.DateTimeOffset.UnixEpoch;
                }

                public static System.DateTime NotAFunction() => System.DateTime.Now;

                public static void Unused()
                {
            """)));
    }
}
