using System.Collections.Generic;
using System.Linq;
using FanOut.Generators.Model;

namespace FanOut.Generators.Emitting
{
    /// <summary>
    /// Emits <c>FanOut.Triggers.g.cs</c>: the trigger table (every function, grouped by event name) and one typed invoker
    /// per function, which reads the event, creates the class from the attempt's services and calls the method; and, for
    /// a function with OnFailure, a second invoker that does the same for its failure handler.
    /// </summary>
    internal static class TriggersEmitter
    {
        public const string HintName = "FanOut.Triggers.g.cs";

        private const string GetRequiredService = "global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService";

        public static string Emit(ModuleModel module)
        {
            var invokers = InvokerNames(module.Functions);
            var writer = new SourceWriter();
            writer.WriteBlock(Literals.Header);
            writer.WriteLine();
            writer.OpenBlock("namespace " + module.Namespace);
            writer.OpenBlock("partial class FanOutModule");
            writer.WriteLine("/// <summary>The trigger table: every function of this assembly, grouped by event name.</summary>");
            writer.WriteLine("private static readonly global::FanOut.Registration.FunctionDescriptor[] Triggers =");
            writer.Indent();
            if (module.Functions.Count == 0)
            {
                writer.WriteLine("global::System.Array.Empty<global::FanOut.Registration.FunctionDescriptor>();");
            }
            else
            {
                writer.OpenBlock("new global::FanOut.Registration.FunctionDescriptor[]");
                string? group = null;
                for (int i = 0; i < module.Functions.Count; i++)
                {
                    var function = module.Functions[i];
                    if (function.EventName != group)
                    {
                        group = function.EventName;
                        writer.WriteLine("// " + group);
                    }
                    WriteDescriptor(writer, function, invokers[i]);
                }
                writer.CloseBlock(";");
            }
            writer.Unindent();
            for (int i = 0; i < module.Functions.Count; i++)
            {
                writer.WriteLine();
                WriteInvoker(writer, module.Functions[i], invokers[i]);
                if (module.Functions[i].FailureHandler is { } handler)
                {
                    writer.WriteLine();
                    WriteFailureInvoker(writer, module.Functions[i], handler, FailureInvokerName(invokers[i]));
                }
            }
            if (module.Functions.Any(f => HasOptionalServices(f.Activation) || HasOptionalServices(f.FailureHandler?.Activation)))
            {
                writer.WriteLine();
                writer.WriteBlock("""
                    // An optional constructor parameter takes its declared default when no service is registered for it.
                    private static T ServiceOrDefault<T>(global::System.IServiceProvider services, T defaultValue) =>
                        services.GetService(typeof(T)) is T service ? service : defaultValue;
                    """);
            }
            writer.CloseBlock();
            writer.CloseBlock();
            return writer.ToString();
        }

        private static void WriteDescriptor(SourceWriter writer, FunctionModel function, string invoker)
        {
            var line = "new global::FanOut.Registration.FunctionDescriptor(" + Literals.String(function.Key.Id) + ", "
                + Literals.String(function.EventName!) + ", typeof(" + function.ContainingTypeName + "), " + invoker + ")";
            if (function.OutputTypeName is null && function.TimeoutSeconds == 0 && function.Retries < 0 && function.FailureHandler is null
                && function.CancelOn.Count == 0)
            {
                writer.WriteLine(line + ",");
                return;
            }
            writer.OpenBlock(line);
            if (function.OutputTypeName is not null)
            {
                writer.WriteLine("OutputType = typeof(" + function.OutputTypeName + "),");
            }
            if (function.TimeoutSeconds > 0)
            {
                writer.WriteLine("Timeout = global::System.TimeSpan.FromSeconds(" + Literals.Double(function.TimeoutSeconds) + "),");
            }
            if (function.Retries >= 0)
            {
                writer.WriteLine("Retries = " + function.Retries.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",");
            }
            if (function.FailureHandler is not null)
            {
                writer.WriteLine("FailureHandler = " + FailureInvokerName(invoker) + ",");
            }
            if (function.CancelOn.Count > 0)
            {
                // An array rather than a collection expression, so the generated code compiles at any language version.
                writer.OpenBlock("CancelOn = new global::FanOut.Registration.CancelTrigger[]");
                foreach (var cancel in function.CancelOn)
                {
                    writer.WriteLine("new global::FanOut.Registration.CancelTrigger(" + Literals.String(cancel.EventName) + ", "
                        + (cancel.Match is null ? "null" : Literals.String(cancel.Match)) + "),");
                }
                writer.CloseBlock(",");
            }
            writer.CloseBlock(",");
        }

        private static void WriteInvoker(SourceWriter writer, FunctionModel function, string name) => WriteInvoker(
            writer, name, function.ContainingTypeName, function.MethodName, function.IsStatic, function.Parameters, function.ReturnsValue, function.Activation);

        private static void WriteFailureInvoker(SourceWriter writer, FunctionModel function, FailureHandlerModel handler, string name)
        {
            writer.WriteLine("// Runs once when a run of '" + function.Key.Id + "' has failed for good; the worker sets context.Failure first.");
            WriteInvoker(writer, name, function.ContainingTypeName, handler.MethodName, handler.IsStatic, handler.Parameters, returnsValue: false, handler.Activation);
        }

        private static void WriteInvoker(
            SourceWriter writer, string name, string typeName, string methodName, bool isStatic,
            EquatableArray<ParameterModel> parameters, bool returnsValue, ActivationModel? activation)
        {
            writer.OpenBlock("private static async global::System.Threading.Tasks.ValueTask<object?> " + name + "(global::FanOut.Registration.RunContext context)");
            var payload = parameters.FirstOrDefault(p => p.Kind is ParameterKind.Payload or ParameterKind.Event);
            if (payload is not null)
            {
                writer.WriteLine("var @event = context.GetEvent<" + payload.DataTypeName + ">();");
            }
            var arguments = string.Join(", ", parameters.Select(Argument));
            var target = isStatic ? typeName : "instance";
            var call = "await " + target + "." + Literals.Member(methodName) + "(" + arguments + ").ConfigureAwait(false);";
            if (isStatic || activation is null)
            {
                WriteCall(writer, returnsValue, call);
            }
            else
            {
                WriteConstruction(writer, typeName, activation);
                switch (activation.Dispose)
                {
                    case DisposeKind.DisposeAsync:
                        writer.OpenBlock("await using (global::System.Threading.Tasks.TaskAsyncEnumerableExtensions.ConfigureAwait(instance, false))");
                        WriteCall(writer, returnsValue, call);
                        writer.CloseBlock();
                        break;
                    case DisposeKind.Dispose:
                        writer.OpenBlock("using (instance)");
                        WriteCall(writer, returnsValue, call);
                        writer.CloseBlock();
                        break;
                    default:
                        WriteCall(writer, returnsValue, call);
                        break;
                }
            }
            writer.CloseBlock();
        }

        private static void WriteCall(SourceWriter writer, bool returnsValue, string call)
        {
            if (returnsValue)
            {
                writer.WriteLine("return " + call);
            }
            else
            {
                writer.WriteLine(call);
                writer.WriteLine("return null;");
            }
        }

        private static void WriteConstruction(SourceWriter writer, string typeName, ActivationModel activation)
        {
            writer.WriteLine("// A new instance for every attempt, its constructor's services from the attempt's own scope.");
            if (activation.Services.Count == 0)
            {
                writer.WriteLine("var instance = new " + typeName + "();");
                return;
            }
            writer.WriteLine("var instance = new " + typeName + "(");
            writer.Indent();
            for (int i = 0; i < activation.Services.Count; i++)
            {
                var service = activation.Services[i];
                var value = service.DefaultValue is null
                    ? GetRequiredService + "<" + service.TypeName + ">(context.Services)"
                    : "ServiceOrDefault<" + service.TypeName + ">(context.Services, " + service.DefaultValue + ")";
                writer.WriteLine(value + (i == activation.Services.Count - 1 ? ");" : ","));
            }
            writer.Unindent();
        }

        private static bool HasOptionalServices(ActivationModel? activation) => activation?.Services.Any(s => s.DefaultValue is not null) == true;

        /// <summary>InvokeFailure_ + the invoker's suffix, so it is as unique as the invoker's name.</summary>
        private static string FailureInvokerName(string invoker) => "InvokeFailure_" + invoker.Substring("Invoke_".Length);

        private static string Argument(ParameterModel parameter) => parameter.Kind switch
        {
            ParameterKind.Payload => "@event.Data",
            ParameterKind.Event => "@event",
            ParameterKind.Step => "context.Step",
            ParameterKind.Failure => "context.Failure!",
            _ => "context.CancellationToken",
        };

        /// <summary>Invoke_ + the id as an identifier; ids that collide once sanitized get a numeric suffix.</summary>
        private static string[] InvokerNames(EquatableArray<FunctionModel> functions)
        {
            var names = new string[functions.Count];
            var used = new HashSet<string>();
            for (int i = 0; i < names.Length; i++)
            {
                var name = "Invoke_" + Literals.Identifier(functions[i].Key.Id);
                var candidate = name;
                for (int n = 2; !used.Add(candidate); n++)
                {
                    candidate = name + "_" + n;
                }
                names[i] = candidate;
            }
            return names;
        }
    }
}
