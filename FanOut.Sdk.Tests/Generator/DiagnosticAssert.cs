using Microsoft.CodeAnalysis;

namespace FanOut.Tests.Generator;

internal static class DiagnosticAssert
{
    /// <summary>The source text a diagnostic points at.</summary>
    public static string SpanText(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    /// <summary>Asserts exactly one FanOut diagnostic, with this id, at this source text, with this message.</summary>
    public static Diagnostic Single(
        IEnumerable<Diagnostic> diagnostics, string id, string spanText, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error)
    {
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(severity, diagnostic.Severity);
        Assert.Equal(spanText, SpanText(diagnostic));
        Assert.Equal(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("https://github.com/fanout-dotnet/fanout/blob/main/docs/diagnostics.md#" + id.ToLowerInvariant(), diagnostic.Descriptor.HelpLinkUri);
        return diagnostic;
    }
}
