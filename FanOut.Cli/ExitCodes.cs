namespace FanOut.Cli;

/// <summary>The tool's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>The command was understood but failed: missing store, bad time, unknown run, store in use.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong: unknown command or option, missing or invalid value.</summary>
    public const int Usage = 2;
}
