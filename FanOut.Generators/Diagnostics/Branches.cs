using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FanOut.Generators.Diagnostics
{
    /// <summary>Whether two pieces of code are in different branches of one if, conditional or switch, so at most one runs.</summary>
    internal static class Branches
    {
        public static bool Exclusive(SyntaxNode first, SyntaxNode second)
        {
            var ancestors = new HashSet<SyntaxNode>(first.AncestorsAndSelf());
            SyntaxNode? secondChild = null;
            SyntaxNode? common = null;
            foreach (var node in second.AncestorsAndSelf())
            {
                if (ancestors.Contains(node))
                {
                    common = node;
                    break;
                }
                secondChild = node;
            }
            var firstChild = ChildOn(first, common);
            if (common is null || firstChild is null || secondChild is null)
            {
                return false;
            }
            // The two children are distinct children of the common ancestor, so two branches means one each.
            return common switch
            {
                IfStatementSyntax branch => IsBranch(branch, firstChild) && IsBranch(branch, secondChild),
                ConditionalExpressionSyntax conditional => IsBranch(conditional, firstChild) && IsBranch(conditional, secondChild),
                SwitchStatementSyntax => firstChild is SwitchSectionSyntax && secondChild is SwitchSectionSyntax,
                SwitchExpressionSyntax => firstChild is SwitchExpressionArmSyntax && secondChild is SwitchExpressionArmSyntax,
                _ => false,
            };
        }

        private static bool IsBranch(IfStatementSyntax statement, SyntaxNode child) => child == statement.Statement || child == statement.Else;

        private static bool IsBranch(ConditionalExpressionSyntax expression, SyntaxNode child) => child == expression.WhenTrue || child == expression.WhenFalse;

        /// <summary>The child of <paramref name="ancestor"/> that contains <paramref name="node"/>.</summary>
        private static SyntaxNode? ChildOn(SyntaxNode node, SyntaxNode? ancestor)
        {
            SyntaxNode? child = null;
            foreach (var current in node.AncestorsAndSelf())
            {
                if (current == ancestor)
                {
                    return child;
                }
                child = current;
            }
            return null;
        }
    }
}
