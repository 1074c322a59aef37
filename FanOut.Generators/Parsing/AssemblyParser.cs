using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using FanOut.Generators.Model;
using Microsoft.CodeAnalysis;

namespace FanOut.Generators.Parsing
{
    /// <summary>
    /// Reads the compilation's name and what its referenced FanOut assemblies declare, from their assembly attributes
    /// (<c>[FanOutModule]</c>, <c>[DeclaresEvent]</c>, <c>[DeclaresFunction]</c>) — never by scanning their types.
    /// </summary>
    internal static class AssemblyParser
    {
        private const string SdkAssembly = "FanOut.Sdk";
        private const string RegistrationNamespace = "FanOut.Registration";

        public static AssemblyModel Parse(Compilation compilation, CancellationToken cancellationToken)
        {
            var name = string.IsNullOrEmpty(compilation.AssemblyName) ? "Unnamed" : compilation.AssemblyName!;
            var referencesSdk = compilation.GetTypeByMetadataName("FanOut.Registration.FanOutModule") is not null;
            var segment = Sanitize(name);
            if (segment == Emitting.FunctionsEmitter.ClassName)
            {
                // FanOut.Generated.Functions is the class of function references (FanOut.Functions.g.cs); a namespace of
                // that name beside it would not compile.
                segment += "_";
            }
            return new AssemblyModel(name, "FanOut.Generated." + segment, referencesSdk, ReadReferences(compilation, cancellationToken));
        }

        public static ReferencesModel ReadReferences(Compilation compilation, CancellationToken cancellationToken)
        {
            var events = new List<EventKey>();
            var functions = new List<FunctionKey>();
            var modules = new List<string>();
            foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!ReferencesSdk(assembly))
                {
                    continue;
                }
                foreach (var attribute in assembly.GetAttributes())
                {
                    var type = attribute.AttributeClass;
                    var args = attribute.ConstructorArguments;
                    if (Symbols.Is(type, RegistrationNamespace, "DeclaresEventAttribute") && args.Length == 2
                        && args[0].Value is string eventName && args[1].Value is ITypeSymbol dataType)
                    {
                        events.Add(new EventKey(eventName, Symbols.FullName(dataType), Symbols.Display(dataType), assembly.Name));
                    }
                    else if (Symbols.Is(type, RegistrationNamespace, "DeclaresFunctionAttribute") && args.Length == 1 && args[0].Value is string id)
                    {
                        functions.Add(new FunctionKey(id, Display: null, assembly.Name));
                    }
                    else if (Symbols.Is(type, RegistrationNamespace, "FanOutModuleAttribute") && args.Length == 1 && args[0].Value is ITypeSymbol module)
                    {
                        modules.Add(Symbols.FullName(module));
                    }
                }
            }
            modules.Sort(System.StringComparer.Ordinal);
            return new ReferencesModel(events.ToEquatableArray(), functions.ToEquatableArray(), modules.Distinct().ToEquatableArray());
        }

        // Only assemblies built against the SDK can carry FanOut attributes; skipping the rest keeps this cheap.
        private static bool ReferencesSdk(IAssemblySymbol assembly)
        {
            foreach (var module in assembly.Modules)
            {
                foreach (var identity in module.ReferencedAssemblies)
                {
                    if (identity.Name == SdkAssembly)
                    {
                        return true;
                    }
                }
            }
            return false;
        }

        /// <summary>An assembly name as one C# identifier: every character that cannot appear in one becomes '_'.</summary>
        public static string Sanitize(string name)
        {
            var builder = new StringBuilder(name.Length + 1);
            foreach (var c in name)
            {
                builder.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
            }
            if (builder.Length == 0 || char.IsDigit(builder[0]))
            {
                builder.Insert(0, '_');
            }
            return builder.ToString();
        }
    }
}
