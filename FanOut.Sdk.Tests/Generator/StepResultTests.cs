using System.Collections.Immutable;
using FanOut.Generators;
using FanOut.Generators.Model;
using FanOut.Generators.Parsing;
using FanOut.Generators.Serialization;
using Microsoft.CodeAnalysis;
using static FanOut.Tests.Generator.GeneratorHarness;

namespace FanOut.Tests.Generator;

/// <summary>The generator finds the result type of every step.Run&lt;T&gt; in the compilation and gives it a serializer.</summary>
public sealed class StepResultTests
{
    private static string[] StepResultTypes(string source)
    {
        var (result, _) = Generate(Compile(source));
        return [.. result.TrackedSteps[TrackingNames.StepResults]
            .SelectMany(s => s.Outputs)
            .Select(o => o.Value)
            .OfType<StepResultModel>()
            .Select(m => m.TypeName)
            .Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void Step_results_are_found_in_function_bodies_lambdas_and_helper_methods()
    {
        Assert.Equal(["global::App.Receipt", "global::App.Refund", "int"], StepResultTypes(Samples.Durable));
    }

    [Fact]
    public void Steps_without_a_result_and_other_methods_named_Run_are_not_step_results()
    {
        var source = Samples.SignupEvent + """

            public sealed class Runner
            {
                public Task<long> Run<T>(string id, System.Func<Task<T>> body) => Task.FromResult(1L);
            }

            public static class Functions
            {
                [Function("f", Event = "app/user.signup")]
                public static async Task RunAsync(Step step, Runner runner)
                {
                    await step.Run("nothing", () => Task.CompletedTask);
                    await runner.Run("other", () => Task.FromResult(1.5));
                    await step?.Run<string>("named", () => Task.FromResult("x"))!;
                }
            }
            """;

        Assert.Equal(["string"], StepResultTypes(source));
    }

    [Fact]
    public void Calls_named_Run_that_cannot_be_step_Run_are_not_bound()
    {
        var source = Samples.SignupEvent + """

            public static class Functions
            {
                [Function("f", Event = "app/user.signup")]
                public static async Task RunAsync(Step step, System.Threading.CancellationToken ct)
                {
                    await Task.Run(() => 1);
                    await Task.Run(async () => await Task.Delay(1), ct);
                    await Task.Run(Work);
                    await step.Run("one", () => Task.FromResult(1));
                    await step.Run(body: () => Task.FromResult("x"), id: "two");
                }

                private static Task Work() => Task.CompletedTask;
            }
            """;

        var (result, _) = Generate(Compile(source));

        // One entry per call the semantic model was asked about: the two step calls only.
        var bound = result.TrackedSteps[TrackingNames.StepResults].SelectMany(s => s.Outputs).Select(o => o.Value).ToList();
        Assert.Equal(2, bound.Count);
        Assert.Equal(["int", "string"], bound.OfType<StepResultModel>().Select(m => m.TypeName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_closure_of_a_step_result_goes_into_the_serializers_unless_it_has_problems()
    {
        static SerializationResult Closure(params string[] types) => new(
            types.Select(t => new TypeSpec(t, t, TypeShape.Value, "", "", false, null)).ToEquatableArray(), EquatableArray<SerializationProblem>.Empty);
        var assembly = new AssemblyModel("App", "FanOut.Generated.App", true,
            new ReferencesModel(EquatableArray<EventKey>.Empty, EquatableArray<FunctionKey>.Empty, EquatableArray<string>.Empty));
        ImmutableArray<StepResultModel?> steps =
        [
            new StepResultModel("global::App.Receipt", Closure("global::App.Receipt", "string"), EquatableArray<Problem>.Empty),
            new StepResultModel("global::App.Receipt", Closure("global::App.Receipt", "string"), EquatableArray<Problem>.Empty),
            new StepResultModel("global::App.Broken", Closure("global::App.Broken"),
                new[] { Problem.At("FANOUT012", ProblemSite.StepCall, "App.Broken", "Stream", "System.IO.Stream", "reason") }.ToEquatableArray()),
        ];

        var module = ModuleBuilder.Build([], [], steps, assembly);

        Assert.Equal(["global::App.Receipt", "string"], module.SerializerTypes.Select(t => t.FullyQualifiedName));
    }
}
