namespace FanOut.Cli;

/// <summary>Where the tool writes and what it assumes about its surroundings.</summary>
/// <param name="Out">Results: tables or JSON.</param>
/// <param name="Error">One-line error messages.</param>
/// <param name="Colour">Whether status words may be coloured (stdout is a terminal and NO_COLOR is unset).</param>
/// <param name="Time">The clock that relative times (<c>--since 2h</c>) count back from.</param>
public sealed record CliConsole(TextWriter Out, TextWriter Error, bool Colour, TimeProvider Time);
