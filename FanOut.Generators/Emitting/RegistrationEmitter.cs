using FanOut.Generators.Model;

namespace FanOut.Generators.Emitting
{
    /// <summary>
    /// Emits <c>FanOut.Registration.g.cs</c>: the assembly's module, its registration from a module initializer, and the
    /// assembly attributes through which referencing compilations see this assembly's events and functions.
    /// </summary>
    internal static class RegistrationEmitter
    {
        public const string HintName = "FanOut.Registration.g.cs";

        public static string Emit(ModuleModel module)
        {
            var writer = new SourceWriter();
            writer.WriteBlock(Literals.Header);
            writer.WriteLine();
            writer.WriteLine("[assembly: global::FanOut.Registration.FanOutModuleAttribute(typeof(global::" + module.Namespace + ".FanOutModule))]");
            foreach (var e in module.Events)
            {
                writer.WriteLine("[assembly: global::FanOut.Registration.DeclaresEventAttribute(" + Literals.String(e.Name) + ", typeof(" + e.TypeName + "))]");
            }
            foreach (var f in module.Functions)
            {
                writer.WriteLine("[assembly: global::FanOut.Registration.DeclaresFunctionAttribute(" + Literals.String(f.Key.Id) + ")]");
            }
            writer.WriteLine();
            writer.OpenBlock("namespace " + module.Namespace);
            writer.WriteBlock($$"""
                /// <summary>What this assembly contributes to FanOut. Generated; registered before any user code runs.</summary>
                [global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
                public sealed partial class FanOutModule : global::FanOut.Registration.FanOutModule
                {
                    private static int registered;

                    private FanOutModule()
                    {
                    }

                    /// <summary>The one instance of this module.</summary>
                    public static global::{{module.Namespace}}.FanOutModule Instance { get; } = new global::{{module.Namespace}}.FanOutModule();

                    // A module initializer runs before any code of this assembly, so FanOut never scans assemblies at run time.
                    [global::System.Runtime.CompilerServices.ModuleInitializer]
                    internal static void Initialize() => Register();

                    /// <summary>
                    /// Registers the modules this assembly references, then this assembly's event names, then this module.
                    /// Idempotent: only the first call does anything.
                    /// </summary>
                    public static void Register()
                    {
                        if (global::System.Threading.Interlocked.Exchange(ref registered, 1) != 0)
                        {
                            return;
                        }
                """);
            writer.Indent();
            writer.Indent();
            foreach (var referenced in module.ReferencedModules)
            {
                writer.WriteLine(referenced + ".Register();");
            }
            foreach (var e in module.Events)
            {
                writer.WriteLine("global::FanOut.Registration.EventMetadata<" + e.TypeName + ">.Register(" + Literals.String(e.Name) + ");");
            }
            writer.WriteLine("global::FanOut.Registration.FanOutModules.Register(Instance);");
            writer.CloseBlock();
            writer.WriteLine();
            writer.WriteLine("/// <inheritdoc />");
            writer.WriteLine("public override string AssemblyName => " + Literals.String(module.AssemblyName) + ";");
            writer.WriteLine();
            writer.WriteLine("/// <inheritdoc />");
            writer.WriteLine("public override global::System.Collections.Generic.IReadOnlyList<global::FanOut.Registration.EventDescriptor> Events { get; } =");
            writer.Indent();
            if (module.Events.Count == 0)
            {
                writer.WriteLine("global::System.Array.Empty<global::FanOut.Registration.EventDescriptor>();");
            }
            else
            {
                writer.OpenBlock("new global::FanOut.Registration.EventDescriptor[]");
                foreach (var e in module.Events)
                {
                    writer.WriteLine("new global::FanOut.Registration.EventDescriptor(" + Literals.String(e.Name) + ", typeof(" + e.TypeName + ")),");
                }
                writer.CloseBlock(";");
            }
            writer.Unindent();
            writer.WriteLine();
            writer.WriteBlock($$"""
                /// <inheritdoc />
                public override global::System.Collections.Generic.IReadOnlyList<global::FanOut.Registration.FunctionDescriptor> Functions => Triggers;

                /// <inheritdoc />
                public override global::System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver Serializers => global::{{module.Namespace}}.FanOutSerializers.Default;
                """);
            writer.CloseBlock();
            writer.CloseBlock();
            return writer.ToString();
        }
    }
}
