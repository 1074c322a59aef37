using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using FanOut.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static FanOut.Tests.Generator.GeneratorHarness;

namespace FanOut.Tests.Generator;

/// <summary>An edit that does not touch FanOut declarations must not re-run the generator's later steps or its emitters.</summary>
public sealed class IncrementalityTests
{
    private static readonly string[] StepNames = [.. typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)];

    [Fact]
    public void Adding_an_unrelated_file_leaves_every_step_cached_or_unchanged()
    {
        var compilation = Compile(Samples.Signup);
        var edited = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace App { public sealed class Unrelated { } }", LatestParseOptions, path: "Unrelated.cs"));

        AssertCachedOrUnchanged(RunTwice(compilation, edited));
    }

    [Fact]
    public void Editing_a_file_that_declares_functions_without_changing_them_leaves_every_step_cached_or_unchanged()
    {
        var compilation = Compile(Samples.Signup);
        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(
            tree, tree.WithChangedText(tree.GetText().WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(
                new Microsoft.CodeAnalysis.Text.TextSpan(tree.Length, 0), "\npublic sealed class Unrelated { public int Count { get; set; } }\n"))));

        AssertCachedOrUnchanged(RunTwice(compilation, edited));
    }

    [Fact]
    public void Editing_a_file_with_retries_failure_handlers_and_step_calls_without_changing_them_leaves_every_step_cached_or_unchanged()
    {
        var compilation = Compile(Samples.Durable);
        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(
            tree, tree.WithChangedText(tree.GetText().WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(
                new Microsoft.CodeAnalysis.Text.TextSpan(tree.Length, 0), "\npublic sealed class Unrelated { public int Run() => 1; }\n"))));

        AssertCachedOrUnchanged(RunTwice(compilation, edited));
    }

    [Fact]
    public void Editing_a_file_with_cancel_triggers_without_changing_them_leaves_every_step_cached_or_unchanged()
    {
        var source = Samples.Signup.Replace(
            "[Function(\"send-welcome-email\", Event = \"app/user.signup\")]",
            "[Function(\"send-welcome-email\", Event = \"app/user.signup\")]\n    [CancelOn(\"app/user.deleted\", Match = \"data.userId\")]");
        Assert.Contains("CancelOn", source);
        var compilation = Compile(source);
        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(
            tree, tree.WithChangedText(tree.GetText().WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(
                new Microsoft.CodeAnalysis.Text.TextSpan(tree.Length, 0), "\npublic sealed class Unrelated { public int Run() => 1; }\n"))));

        AssertCachedOrUnchanged(RunTwice(compilation, edited));
    }

    [Fact]
    public void Changing_a_cancel_trigger_regenerates_the_module_but_not_the_function_references()
    {
        var before = Samples.Signup.Replace(
            "[Function(\"send-welcome-email\", Event = \"app/user.signup\")]",
            "[Function(\"send-welcome-email\", Event = \"app/user.signup\")]\n    [CancelOn(\"app/user.deleted\", Match = \"data.userId\")]");
        var compilation = Compile(before);
        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText(before.Replace("data.userId", "data.email"), LatestParseOptions, path: "Source0.cs"));

        var result = RunTwice(compilation, edited);

        Assert.Contains(result.TrackedSteps[TrackingNames.Module].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(result.TrackedSteps[TrackingNames.FunctionRefs].SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));
    }

    [Fact]
    public void Changing_a_step_result_type_regenerates()
    {
        var compilation = Compile(Samples.Durable);
        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText(Samples.Durable.Replace("Task.FromResult(refund.RefundId.Length)", "Task.FromResult((long)refund.RefundId.Length)"),
                LatestParseOptions, path: "Source0.cs"));

        var result = RunTwice(compilation, edited);

        Assert.Contains(result.TrackedSteps[TrackingNames.StepResults].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void Changing_a_function_id_regenerates()
    {
        var compilation = Compile(Samples.Signup);
        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText(Samples.Signup.Replace("start-stripe-trial", "start-trial"), LatestParseOptions, path: "Source0.cs"));

        var result = RunTwice(compilation, edited);

        Assert.Contains(result.TrackedSteps[TrackingNames.Module].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void No_model_holds_a_symbol_syntax_node_location_or_compilation()
    {
        var result = RunTwice(Compile(Samples.Signup, Samples.Durable.Replace("namespace App;", "namespace App.Durable;")),
            Compile(Samples.Signup, Samples.Durable.Replace("namespace App;", "namespace App.Durable;")));
        var seen = new HashSet<Type>();
        foreach (var name in StepNames)
        {
            foreach (var output in result.TrackedSteps[name].SelectMany(s => s.Outputs))
            {
                AssertPlainData(output.Value.GetType(), seen, name);
            }
        }
        // Also every model type, including those the sample does not exercise: the value-equatable types of the model
        // namespaces (parsers' private working classes hold symbols by design and never enter the pipeline).
        var models = typeof(FanOutGenerator).Assembly.GetTypes()
            .Where(t => t.Namespace is "FanOut.Generators.Model" or "FanOut.Generators.Serialization" && !t.IsAbstract && !t.IsEnum
                && !t.ContainsGenericParameters && typeof(IEquatable<>).MakeGenericType(t).IsAssignableFrom(t));
        foreach (var model in models)
        {
            AssertPlainData(model, seen, model.Name);
        }
        Assert.Contains(seen, t => t.Name == "FunctionModel");
        Assert.Contains(seen, t => t.Name == "FailureHandlerModel");
        Assert.Contains(seen, t => t.Name == "StepResultModel");
        Assert.Contains(seen, t => t.Name == "CancelOnModel");
        Assert.Contains(seen, t => t.Name == "FunctionRefsModel");
    }

    private static GeneratorRunResult RunTwice(Compilation first, Compilation second)
    {
        var driver = CreateDriver().RunGenerators(first);
        return driver.RunGenerators(second).GetRunResult().Results.Single();
    }

    internal static void AssertCachedOrUnchanged(GeneratorRunResult result)
    {
        foreach (var name in StepNames)
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out var steps), $"step {name} was not tracked");
            foreach (var output in steps.SelectMany(s => s.Outputs))
            {
                Assert.True(
                    output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"step {name} output was {output.Reason}");
            }
        }
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    private static readonly Type[] Forbidden = [typeof(ISymbol), typeof(SyntaxNode), typeof(Location), typeof(Compilation), typeof(SemanticModel)];

    private static void AssertPlainData(Type type, HashSet<Type> seen, string path)
    {
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || !seen.Add(type))
        {
            return;
        }
        Assert.False(Forbidden.Any(f => f.IsAssignableFrom(type)), $"{path} holds a {type}");
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                AssertPlainData(argument, seen, path + "<" + argument.Name + ">");
            }
        }
        if (type.IsArray)
        {
            AssertPlainData(type.GetElementType()!, seen, path + "[]");
        }
        if (type.Assembly != typeof(FanOutGenerator).Assembly || typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType)
        {
            return; // framework types (ImmutableArray, ValueTuple) are covered by their type arguments
        }
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertPlainData(field.FieldType, seen, path + "." + field.Name);
        }
    }
}
