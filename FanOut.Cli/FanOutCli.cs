using System.CommandLine;
using FanOut.Cli.Commands;

namespace FanOut.Cli;

/// <summary>
/// The <c>fanout</c> command line: <c>fanout runs list</c>, <c>fanout runs show</c>, <c>fanout runs cancel</c>, <c>fanout runs replay</c>, <c>fanout events list</c>.
/// <see cref="RunAsync(string[], CliConsole, CancellationToken)"/> is the whole tool, so tests run it in-process.
/// </summary>
public static class FanOutCli
{
    /// <summary>Runs the tool on <paramref name="args"/>, without colour, on the system clock; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(args, new CliConsole(stdout, stderr, Colour: false, TimeProvider.System), cancellationToken);

    /// <summary>Runs the tool on <paramref name="args"/>; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var root = Build(console);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await console.Error.WriteLineAsync($"fanout: {error.Message}").ConfigureAwait(false);
            }
            await console.Error.WriteLineAsync("Run 'fanout --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false };
        try
        {
            return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CliException or FanOutStoreException or ArgumentException)
        {
            await console.Error.WriteLineAsync($"fanout: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("fanout: interrupted.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    private static RootCommand Build(CliConsole console)
    {
        var runs = new Command("runs", "List runs, show one with its steps, cancel one, or replay failed runs.")
        {
            RunsListCommand.Create(console),
            RunsShowCommand.Create(console),
            RunsCancelCommand.Create(console),
            RunsReplayCommand.Create(console),
        };
        var events = new Command("events", "List accepted events.") { EventsListCommand.Create(console) };
        return new RootCommand("fanout: inspect and operate the runs of a FanOut store.") { runs, events };
    }
}
