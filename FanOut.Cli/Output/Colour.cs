namespace FanOut.Cli.Output;

/// <summary>The few ANSI colours the tool uses; <see cref="None"/> leaves text as it is.</summary>
internal enum Colour
{
    None = 0,
    Red = 31,
    Green = 32,
    Yellow = 33,
    Cyan = 36,
}
