using Microsoft.CodeAnalysis;

namespace FanOut.Generators.Parsing
{
    /// <summary>Small questions the parsers ask of symbols.</summary>
    internal static class Symbols
    {
        public static string FullName(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

        /// <summary>As <see cref="FullName"/>, with nullable reference annotations (<c>string?</c>): for type arguments, not typeof.</summary>
        public static string AnnotatedFullName(ITypeSymbol type) => type.ToDisplayString(AnnotatedFormat);

        private static readonly SymbolDisplayFormat AnnotatedFormat =
            SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        public static string Display(ISymbol symbol) => symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);

        public static bool Is(ITypeSymbol? type, string containingNamespace, string name, int arity = 0) =>
            type is INamedTypeSymbol named
            && named.Name == name
            && named.Arity == arity
            && named.ContainingType is null
            && named.ContainingNamespace?.ToDisplayString() == containingNamespace;

        public static bool IsGenericOrInGeneric(ISymbol symbol)
        {
            if (symbol is IMethodSymbol { IsGenericMethod: true })
            {
                return true;
            }
            for (var type = symbol as INamedTypeSymbol ?? symbol.ContainingType; type is not null; type = type.ContainingType)
            {
                if (type.IsGenericType)
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>
        /// The first of <paramref name="symbol"/> and its containing types that code elsewhere in the assembly cannot
        /// reach (private, protected or private protected), or null when all are reachable.
        /// </summary>
        public static ISymbol? FirstUnreachable(ISymbol symbol)
        {
            for (ISymbol? current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingType)
            {
                if (current is INamedTypeSymbol { IsFileLocal: true })
                {
                    return current; // a file-local type is visible only in its own file
                }
                switch (current.DeclaredAccessibility)
                {
                    case Accessibility.Public:
                    case Accessibility.Internal:
                    case Accessibility.ProtectedOrInternal:
                        continue;
                    default:
                        return current;
                }
            }
            return null;
        }

        /// <summary>
        /// The first type that generated code would have to name in <paramref name="type"/> (itself, its type arguments,
        /// array elements) but cannot reach, or null.
        /// </summary>
        public static ISymbol? FirstUnreachableType(ITypeSymbol type)
        {
            switch (type)
            {
                case IArrayTypeSymbol array:
                    return FirstUnreachableType(array.ElementType);
                case INamedTypeSymbol named:
                    if (FirstUnreachable(named) is { } hidden)
                    {
                        return hidden;
                    }
                    foreach (var argument in named.TypeArguments)
                    {
                        if (FirstUnreachableType(argument) is { } hiddenArgument)
                        {
                            return hiddenArgument;
                        }
                    }
                    return null;
                default:
                    return null;
            }
        }

        public static string AccessibilityText(ISymbol symbol) => symbol is INamedTypeSymbol { IsFileLocal: true }
            ? "file-local"
            : symbol.DeclaredAccessibility switch
        {
            Accessibility.Private => "private",
            Accessibility.Protected => "protected",
            Accessibility.ProtectedAndInternal => "private protected",
            _ => symbol.DeclaredAccessibility.ToString().ToLowerInvariant(),
        };

        public static bool ContainsErrorType(ITypeSymbol type) => type switch
        {
            IErrorTypeSymbol => true,
            IArrayTypeSymbol array => ContainsErrorType(array.ElementType),
            INamedTypeSymbol named => AnyErrorTypeArgument(named),
            _ => false,
        };

        private static bool AnyErrorTypeArgument(INamedTypeSymbol named)
        {
            foreach (var argument in named.TypeArguments)
            {
                if (ContainsErrorType(argument))
                {
                    return true;
                }
            }
            return false;
        }

        public static object? NamedArgument(AttributeData attribute, string name)
        {
            foreach (var pair in attribute.NamedArguments)
            {
                if (pair.Key == name)
                {
                    return pair.Value.Value;
                }
            }
            return null;
        }
    }
}
