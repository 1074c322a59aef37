using FanOut.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace FanOut.Generators.Diagnostics
{
    /// <summary>The framework members whose value differs on every call, which FANOUT020 reports outside steps.</summary>
    internal static class Nondeterministic
    {
        /// <summary>How a message names <paramref name="member"/>, or null when it is not one of them.</summary>
        public static string? Name(ISymbol? member)
        {
            if (member is null || !member.IsStatic && member is not IMethodSymbol { MethodKind: MethodKind.Constructor })
            {
                return null;
            }
            var type = member.ContainingType;
            switch (member)
            {
                case IPropertySymbol { Name: "Now" or "UtcNow" } when Symbols.Is(type, "System", "DateTime") || Symbols.Is(type, "System", "DateTimeOffset"):
                    return type.Name + "." + member.Name;
                case IPropertySymbol { Name: "Shared" } when Symbols.Is(type, "System", "Random"):
                    return "Random.Shared";
                case IMethodSymbol { MethodKind: MethodKind.Constructor } when Symbols.Is(type, "System", "Random"):
                    return "new Random()";
                case IMethodSymbol { Name: "NewGuid" or "CreateVersion7" } method when Symbols.Is(type, "System", "Guid"):
                    return "Guid." + method.Name + "()";
                default:
                    return null;
            }
        }
    }
}
