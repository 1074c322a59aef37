namespace FanOut.Cli;

/// <summary>A problem the user can fix (a missing file, a bad time, an unknown run): printed as one line, exit code 1.</summary>
internal sealed class CliException(string message) : Exception(message);
