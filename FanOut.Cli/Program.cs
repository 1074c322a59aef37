using FanOut.Cli;

// Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org).
var colour = !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupt.Cancel();
};
return await FanOutCli.RunAsync(args, new CliConsole(Console.Out, Console.Error, colour, TimeProvider.System), interrupt.Token);
