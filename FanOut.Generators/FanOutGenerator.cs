using FanOut.Generators.Emitting;
using FanOut.Generators.Model;
using FanOut.Generators.Parsing;
using FanOut.Generators.Serialization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FanOut.Generators
{
    /// <summary>
    /// Wires FanOut at compile time: reads [Event] types, [Function] methods, the result types of step.Run&lt;T&gt; calls
    /// and the FanOut assemblies this compilation references, and emits the module (FanOut.Registration.g.cs), the trigger
    /// table with typed invokers (FanOut.Triggers.g.cs), the serializers (FanOut.Serializers.g.cs) and typed function references
    /// for step.Invoke (FanOut.Functions.g.cs). Reports nothing:
    /// FanOutAnalyzer does.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class FanOutGenerator : IIncrementalGenerator
    {
        public const string SerializersHintName = "FanOut.Serializers.g.cs";

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var events = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    EventParser.AttributeName,
                    static (node, _) => node is TypeDeclarationSyntax,
                    static (ctx, ct) => EventParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, ctx.Attributes[0], ct))
                .WithTrackingName(TrackingNames.Events)
                .Collect()
                .WithTrackingName(TrackingNames.AllEvents);

            var functions = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    FunctionParser.AttributeName,
                    static (node, _) => node is MethodDeclarationSyntax,
                    static (ctx, ct) => FunctionParser.Parse((IMethodSymbol)ctx.TargetSymbol, ctx.Attributes[0], ct))
                .WithTrackingName(TrackingNames.Functions)
                .Collect()
                .WithTrackingName(TrackingNames.AllFunctions);

            // Every step.Run<T>(…) in the compilation, wherever it is (function bodies, helpers, lambdas): its T needs a
            // serializer. The predicate only looks at the name; the semantic model confirms FanOut.Step.Run<T>.
            var stepResults = context.SyntaxProvider
                .CreateSyntaxProvider(
                    static (node, _) => StepParser.IsCandidate(node),
                    static (ctx, ct) => StepParser.Parse(ctx, ct))
                .WithTrackingName(TrackingNames.StepResults)
                .Where(static result => result is not null)
                .Collect()
                .WithTrackingName(TrackingNames.AllStepResults);

            // Runs on every compilation change, but its model compares equal unless the references change, so what
            // follows stays cached.
            var assembly = context.CompilationProvider
                .Select(static (compilation, ct) => AssemblyParser.Parse(compilation, ct))
                .WithTrackingName(TrackingNames.Assembly);

            var module = events
                .Combine(functions)
                .WithTrackingName(TrackingNames.Declarations)
                .Combine(stepResults)
                .WithTrackingName(TrackingNames.Sources)
                .Combine(assembly)
                .WithTrackingName(TrackingNames.Inputs)
                .Select(static (input, _) => ModuleBuilder.Build(input.Left.Left.Left, input.Left.Left.Right, input.Left.Right, input.Right))
                .WithTrackingName(TrackingNames.Module);

            context.RegisterSourceOutput(module, static (output, model) =>
            {
                if (!model.ReferencesSdk)
                {
                    return; // generated code would not compile without FanOut.Sdk
                }
                output.AddSource(RegistrationEmitter.HintName, RegistrationEmitter.Emit(model));
                output.AddSource(TriggersEmitter.HintName, TriggersEmitter.Emit(model));
                output.AddSource(SerializersHintName, SerializerEmitter.Emit(model.Namespace, "FanOutSerializers", model.SerializerTypes));
            });

            // Its own step, so a change that leaves every function's id, event, payload and output alone (a new step
            // result type, a new invoker detail) does not rewrite FanOut.Functions.g.cs.
            var functionRefs = module
                .Select(static (model, _) => new FunctionRefsModel(model.ReferencesSdk, model.FunctionRefs))
                .WithTrackingName(TrackingNames.FunctionRefs);

            context.RegisterSourceOutput(functionRefs, static (output, model) =>
            {
                // Without functions there is nothing to reference, and no class that could hide, in a project that sees
                // another's internals (a test project), the FanOut.Generated.Functions of the project it tests.
                if (model.ReferencesSdk && model.Functions.Count > 0)
                {
                    output.AddSource(FunctionsEmitter.HintName, FunctionsEmitter.Emit(model));
                }
            });
        }
    }
}
