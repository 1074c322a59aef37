using FanOut.Generators.Emitting;
using Microsoft.CodeAnalysis;
using static FanOut.Tests.Generator.DiagnosticAssert;
using static FanOut.Tests.Generator.GeneratorHarness;

namespace FanOut.Tests.Generator;

/// <summary>Events declared in a referenced assembly, seen through its generated assembly attributes.</summary>
public sealed class CrossAssemblyTests
{
    private const string ContractsSource = """
        namespace Contracts;

        [FanOut.Event("app/user.signup")]
        public sealed record UserSignup(string UserId, string Email);

        public static class ContractFunctions
        {
            [FanOut.Function("audit-signup", Event = "app/user.signup")]
            public static System.Threading.Tasks.Task AuditAsync(UserSignup signup) => System.Threading.Tasks.Task.CompletedTask;
        }
        """;

    private static readonly Lazy<MetadataReference> Contracts = new(() => Emit(Generate(Compile("Contracts", [], ContractsSource)).Output));

    private static (GeneratorRunResult Result, Compilation Output) GenerateApp(string source) =>
        Generate(Compile("App", [Contracts.Value], source));

    private static string AppFunction(string id, string eventName, string parameter) => $$"""
        using System.Threading.Tasks;
        using FanOut;

        namespace App;

        public static class Functions
        {
            [Function("{{id}}", Event = "{{eventName}}")]
            public static Task RunAsync({{parameter}}) => Task.CompletedTask;
        }
        """;

    [Fact]
    public void A_function_on_a_referenced_event_generates_without_diagnostics_and_registers_the_referenced_module_first()
    {
        var (result, output) = GenerateApp(AppFunction("welcome", "app/user.signup", "Event<Contracts.UserSignup> signup"));

        Assert.Empty(Analyze(output));
        Assert.Empty(CompilerProblems(output));
        var registration = GeneratedSource(result, RegistrationEmitter.HintName);
        Assert.Contains("global::FanOut.Generated.Contracts.FanOutModule.Register();", registration);
        Assert.DoesNotContain("EventMetadata<global::Contracts.UserSignup>", registration); // the contracts module registers its own event
        Assert.Contains("context.GetEvent<global::Contracts.UserSignup>()", GeneratedSource(result, TriggersEmitter.HintName));
    }

    [Fact]
    public void A_function_on_a_referenced_event_gets_a_reference_typed_by_that_events_payload_and_the_referenced_functions_get_none()
    {
        var (result, output) = GenerateApp(AppFunction("welcome", "app/user.signup", "Step step"));

        Assert.Empty(CompilerProblems(output));
        var functions = GeneratedSource(result, FunctionsEmitter.HintName);
        Assert.Contains("public static global::FanOut.FunctionRef<global::Contracts.UserSignup> Welcome { get; }", functions);
        Assert.DoesNotContain("audit-signup", functions); // the contracts assembly has its own, internal to it
    }

    [Fact]
    public void A_project_without_functions_that_sees_anothers_internals_uses_that_projects_function_references()
    {
        var contracts = Emit(Generate(Compile("Contracts", [],
            "[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"App\")]\n" + ContractsSource)).Output);
        var (_, output) = Generate(Compile("App", [contracts], """
            namespace App;

            public static class Caller
            {
                public static string Id => FanOut.Generated.Functions.AuditSignup.Id;
            }
            """));

        Assert.Empty(CompilerProblems(output));
    }

    [Fact]
    public void A_misspelt_referenced_event_gives_FANOUT001_with_a_suggestion()
    {
        var (_, output) = GenerateApp(AppFunction("welcome", "app/user.sigup", "Contracts.UserSignup signup"));

        var diagnostic = Assert.Single(Analyze(output));
        Assert.Equal(("FANOUT001", "\"app/user.sigup\""), (diagnostic.Id, SpanText(diagnostic)));
        Assert.Contains("did you mean 'app/user.signup'?", diagnostic.GetMessage());
    }

    [Fact]
    public void Declaring_an_event_name_the_reference_already_declares_gives_FANOUT004()
    {
        var (_, output) = GenerateApp("""
            namespace App;

            [FanOut.Event("app/user.signup")]
            public sealed record MySignup(string UserId);
            """);

        Single(Analyze(output), "FANOUT004", "\"app/user.signup\"",
            "Event 'app/user.signup' is also declared by 'Contracts.UserSignup' in referenced assembly 'Contracts'. An event name has exactly " +
            "one payload type; rename one of the events or remove one declaration.");
    }

    [Fact]
    public void Reusing_a_function_id_of_the_reference_gives_FANOUT003()
    {
        var (_, output) = GenerateApp(AppFunction("audit-signup", "app/user.signup", "Contracts.UserSignup signup"));

        Single(Analyze(output), "FANOUT003", "\"audit-signup\"",
            "Function id 'audit-signup' is also used by referenced assembly 'Contracts'. Function ids name runs and must be unique across the " +
            "application; rename one of the functions.");
    }

    [Fact]
    public void Taking_another_type_than_the_referenced_event_declares_gives_FANOUT002()
    {
        var (_, output) = GenerateApp(AppFunction("welcome", "app/user.signup", "string signup"));

        var diagnostic = Assert.Single(Analyze(output));
        Assert.Equal(("FANOUT002", "string signup"), (diagnostic.Id, SpanText(diagnostic)));
    }
}
