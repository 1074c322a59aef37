using System.CommandLine;
using FanOut.Cli.Output;
using FanOut.Sqlite;
using FanOut.Stores;

namespace FanOut.Cli.Commands;

/// <summary>
/// <c>fanout runs cancel</c>: cancels a run by opening the store as its writer. A SQLite file is one process's, so this
/// works only while the app is stopped; while it runs, the app cancels through <c>IFanOutAdmin</c>.
/// </summary>
internal static class RunsCancelCommand
{
    public static Command Create(CliConsole console)
    {
        var runId = CommonOptions.RunId();
        var store = CommonOptions.Store();
        var json = CommonOptions.Json();
        var reason = new Option<string>("--reason") { Description = "Why, kept as the run's error.", DefaultValueFactory = _ => "Cancelled with the fanout command-line tool." };
        var command = new Command("cancel", "Cancel a run (the app must not be holding the store).") { runId, store, reason, json };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var id = parsed.GetValue(runId)!;
            var location = parsed.GetValue(store)!;
            string path;
            // Read first: fails clearly on a missing file or one that is not a FanOut store, and never creates one.
            using (var reader = SqliteStore.OpenReadOnly(location))
            {
                path = reader.DatabasePath;
            }
            var result = await CancelAsync(location, path, id, parsed.GetValue(reason)!, cancellationToken).ConfigureAwait(false);
            var (outcome, sentence) = result.Outcome switch
            {
                CancelOutcome.Cancelled => ("cancelled", $"Run {id} was cancelled."),
                CancelOutcome.Requested => ("requested", $"Run {id} was left running by an app that stopped; it ends cancelled when the app next starts (it will not resume)."),
                CancelOutcome.AlreadyFinished => ("already-finished", $"Run {id} had already finished; nothing changed."),
                _ => throw new CliException($"Run '{id}' is not in the store '{path}'."),
            };
            if (parsed.GetValue(json))
            {
                var status = result.Ended is { } ended ? StatusWords.Of(ended.Status) : null;
                Json.Write(console.Out, new CancelJson(id, outcome, status), FanOutCliJson.Default.CancelJson);
            }
            else
            {
                console.Out.WriteLine(sentence);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<CancelResult> CancelAsync(string location, string path, string runId, string reason, CancellationToken cancellationToken)
    {
        var writer = StoreWriter.Open(location, path, "cancel through IFanOutAdmin in the app");
        await using (writer.ConfigureAwait(false))
        {
            return await writer.CancelAsync(runId, reason, cancellationToken).ConfigureAwait(false);
        }
    }
}
