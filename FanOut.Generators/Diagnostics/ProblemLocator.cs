using System.Threading;
using FanOut.Generators.Model;
using FanOut.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FanOut.Generators.Diagnostics
{
    /// <summary>Turns a problem's <see cref="ProblemSite"/> into the narrowest span that shows the mistake.</summary>
    internal static class ProblemLocator
    {
        public static Location Locate(Problem problem, ISymbol symbol, AttributeData attribute, CancellationToken cancellationToken)
        {
            var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            var fallback = attributeSyntax?.GetLocation() ?? FirstLocation(symbol);
            switch (problem.Site)
            {
                case ProblemSite.EventName:
                case ProblemSite.FunctionId:
                    return Positional(attributeSyntax)?.GetLocation() ?? fallback;
                case ProblemSite.FunctionEvent:
                    return Named(attributeSyntax, "Event")?.GetLocation() ?? fallback;
                case ProblemSite.Timeout:
                    return Named(attributeSyntax, "TimeoutSeconds")?.GetLocation() ?? fallback;
                case ProblemSite.Retries:
                    return Named(attributeSyntax, "Retries")?.GetLocation() ?? fallback;
                case ProblemSite.OnFailure:
                    return Named(attributeSyntax, "OnFailure")?.GetLocation() ?? fallback;
                case ProblemSite.ReturnType:
                    return ReturnType(symbol, cancellationToken)?.GetLocation() ?? FirstLocation(symbol);
                case ProblemSite.Parameter:
                    return Parameter(symbol, problem.Index, cancellationToken) ?? FirstLocation(symbol);
                case ProblemSite.Method:
                    return FirstLocation(symbol);
                case ProblemSite.CancelOnEvent:
                case ProblemSite.CancelOnMatch:
                    return CancelOn(problem, symbol, cancellationToken) ?? fallback;
                default:
                    return fallback;
            }
        }

        /// <summary>The event name or Match of the problem's <c>[CancelOn]</c>, or the whole attribute.</summary>
        private static Location? CancelOn(Problem problem, ISymbol symbol, CancellationToken cancellationToken)
        {
            var attributes = CancelOnParser.Attributes(symbol);
            if (problem.Index < 0 || problem.Index >= attributes.Count
                || attributes[problem.Index].ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
            {
                return null;
            }
            var argument = problem.Site == ProblemSite.CancelOnEvent ? Positional(syntax) : Named(syntax, "Match");
            return (argument ?? (SyntaxNode)syntax).GetLocation();
        }

        private static Location FirstLocation(ISymbol symbol) => symbol.Locations.Length > 0 ? symbol.Locations[0] : Location.None;

        private static ExpressionSyntax? Positional(AttributeSyntax? attribute)
        {
            if (attribute?.ArgumentList is null)
            {
                return null;
            }
            foreach (var argument in attribute.ArgumentList.Arguments)
            {
                if (argument.NameEquals is null)
                {
                    return argument.Expression;
                }
            }
            return null;
        }

        private static ExpressionSyntax? Named(AttributeSyntax? attribute, string name)
        {
            if (attribute?.ArgumentList is null)
            {
                return null;
            }
            foreach (var argument in attribute.ArgumentList.Arguments)
            {
                if (argument.NameEquals?.Name.Identifier.ValueText == name)
                {
                    return argument.Expression;
                }
            }
            return null;
        }

        private static TypeSyntax? ReturnType(ISymbol symbol, CancellationToken cancellationToken)
        {
            foreach (var reference in symbol.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is MethodDeclarationSyntax method)
                {
                    return method.ReturnType;
                }
            }
            return null;
        }

        private static Location? Parameter(ISymbol symbol, int index, CancellationToken cancellationToken)
        {
            if (symbol is not IMethodSymbol method || index < 0 || index >= method.Parameters.Length)
            {
                return null;
            }
            var references = method.Parameters[index].DeclaringSyntaxReferences;
            return references.Length > 0 ? references[0].GetSyntax(cancellationToken).GetLocation() : null;
        }
    }
}
