using System.Collections.Generic;
using FanOut.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace FanOut.Generators.Parsing
{
    /// <summary>
    /// Decides how generated code creates the class of an instance function, with no reflection: the one public
    /// constructor, or the one marked [ActivatorUtilitiesConstructor], each parameter from the attempt's services.
    /// </summary>
    internal static class ActivationParser
    {
        public static ActivationModel? Parse(INamedTypeSymbol type, string id, List<Problem> problems, ref bool hasErrorTypes)
        {
            var constructor = ChooseConstructor(type, out var reason);
            if (constructor is null)
            {
                problems.Add(Problem.At(ProblemIds.NotConstructible, ProblemSite.Method, id, Symbols.Display(type), reason!));
                return null;
            }
            if (!SetsRequiredMembers(constructor) && FirstRequiredMember(type) is { } required)
            {
                problems.Add(Problem.At(ProblemIds.NotConstructible, ProblemSite.Method, id, Symbols.Display(type),
                    "it has required member '" + required.Name + "', which generated code cannot set"));
                return null;
            }
            var services = new List<ServiceModel>();
            foreach (var parameter in constructor.Parameters)
            {
                hasErrorTypes |= Symbols.ContainsErrorType(parameter.Type);
                if (parameter.RefKind != RefKind.None)
                {
                    problems.Add(Problem.At(ProblemIds.NotConstructible, ProblemSite.Method, id, Symbols.Display(type),
                        "its constructor takes parameter '" + parameter.Name + "' by reference"));
                    return null;
                }
                if (Symbols.FirstUnreachableType(parameter.Type) is { } hidden)
                {
                    problems.Add(Problem.At(ProblemIds.NotConstructible, ProblemSite.Method, id, Symbols.Display(type),
                        "its constructor takes '" + Symbols.Display(hidden) + "', which is " + Symbols.AccessibilityText(hidden)));
                    return null;
                }
                var defaultValue = parameter.HasExplicitDefaultValue ? FormatDefault(parameter.Type, parameter.ExplicitDefaultValue) : null;
                services.Add(new ServiceModel(Symbols.FullName(parameter.Type), defaultValue));
            }
            var dispose = Implements(type, "IAsyncDisposable") ? DisposeKind.DisposeAsync
                : Implements(type, "IDisposable") ? DisposeKind.Dispose
                : DisposeKind.None;
            return new ActivationModel(services.ToEquatableArray(), dispose);
        }

        private static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, out string? reason)
        {
            reason = null;
            if (type.TypeKind == TypeKind.Interface || type.IsAbstract || type.IsStatic)
            {
                reason = "it is " + (type.TypeKind == TypeKind.Interface ? "an interface" : type.IsStatic ? "static" : "abstract");
                return null;
            }
            var publicConstructors = new List<IMethodSymbol>();
            var marked = new List<IMethodSymbol>();
            foreach (var constructor in type.InstanceConstructors)
            {
                if (constructor.DeclaredAccessibility != Accessibility.Public)
                {
                    continue;
                }
                publicConstructors.Add(constructor);
                foreach (var attribute in constructor.GetAttributes())
                {
                    if (Symbols.Is(attribute.AttributeClass, "Microsoft.Extensions.DependencyInjection", "ActivatorUtilitiesConstructorAttribute"))
                    {
                        marked.Add(constructor);
                    }
                }
            }
            if (marked.Count == 1)
            {
                return marked[0];
            }
            if (marked.Count > 1)
            {
                reason = "several of its constructors are marked [ActivatorUtilitiesConstructor]";
                return null;
            }
            if (publicConstructors.Count == 1)
            {
                return publicConstructors[0];
            }
            reason = publicConstructors.Count == 0
                ? "it has no public constructor"
                : "it has " + publicConstructors.Count + " public constructors and none is marked [ActivatorUtilitiesConstructor]";
            return null;
        }

        private static bool SetsRequiredMembers(IMethodSymbol constructor)
        {
            foreach (var attribute in constructor.GetAttributes())
            {
                if (Symbols.Is(attribute.AttributeClass, "System.Diagnostics.CodeAnalysis", "SetsRequiredMembersAttribute"))
                {
                    return true;
                }
            }
            return false;
        }

        private static ISymbol? FirstRequiredMember(INamedTypeSymbol type)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    if (member is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true })
                    {
                        return member;
                    }
                }
            }
            return null;
        }

        private static bool Implements(INamedTypeSymbol type, string name)
        {
            foreach (var candidate in type.AllInterfaces)
            {
                if (Symbols.Is(candidate, "System", name))
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>A C# expression for a parameter's default value, typed so it converts to the parameter.</summary>
        private static string FormatDefault(ITypeSymbol type, object? value)
        {
            switch (value)
            {
                case null:
                    return "default!";
                case string text:
                    return SymbolDisplay.FormatLiteral(text, quote: true);
                case char c:
                    return SymbolDisplay.FormatLiteral(c, quote: true);
                case bool b:
                    return b ? "true" : "false";
                case double d when double.IsNaN(d) || double.IsInfinity(d):
                    return "double." + (double.IsNaN(d) ? "NaN" : d > 0 ? "PositiveInfinity" : "NegativeInfinity");
                case float f when float.IsNaN(f) || float.IsInfinity(f):
                    return "float." + (float.IsNaN(f) ? "NaN" : f > 0 ? "PositiveInfinity" : "NegativeInfinity");
                default:
                    // Numbers and enums: a cast keeps float, decimal and enum values what they were declared as.
                    return "(" + Symbols.FullName(type) + ")(" + SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false) + ")";
            }
        }
    }
}
