using System.CommandLine;
using System.Globalization;
using System.Text;
using FanOut.Cli.Output;
using FanOut.Cli.Stores;
using FanOut.Stores;

namespace FanOut.Cli.Commands;

/// <summary><c>fanout events list</c>: accepted events newest first, by name and time, each with its number of runs and its data.</summary>
internal static class EventsListCommand
{
    public static Command Create(CliConsole console)
    {
        var store = CommonOptions.Store();
        var schema = CommonOptions.Schema();
        var json = CommonOptions.Json();
        var name = new Option<string>("--name", "-e") { Description = "Only events of this name." };
        var since = new Option<string>("--since") { Description = "Only events accepted at or after: an age (2h, 30m, 7d) or a time (2026-12-01T10:00Z)." };
        var until = new Option<string>("--until") { Description = "Only events accepted before: an age or a time." };
        var limit = CommonOptions.Limit("events", 50);
        var command = new Command("list", "List accepted events, newest first.") { store, schema, name, since, until, limit, json };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var query = new EventQuery
            {
                Name = parsed.GetValue(name),
                Since = TimeArgument.Parse(parsed.GetValue(since), "--since", console.Time),
                Until = TimeArgument.Parse(parsed.GetValue(until), "--until", console.Time),
                Limit = parsed.GetValue(limit),
            };
            await using var reader = CliStores.Open(parsed.GetValue(store)!, parsed.GetValue(schema)!);
            var events = await reader.ListEventsAsync(query, cancellationToken).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                Json.Write(console.Out, new EventListJson([.. events.Select(EventJson.From)]), FanOutCliJson.Default.EventListJson);
                return ExitCodes.Success;
            }
            if (events.Count == 0)
            {
                console.Out.WriteLine("No events match.");
                return ExitCodes.Success;
            }
            var table = new Table("EVENT", "NAME", "ACCEPTED", "RUNS", "DATA");
            foreach (var e in events)
            {
                table.Add(
                    e.Event.Id,
                    e.Event.Name,
                    Formats.Time(e.AcceptedAt),
                    e.Runs.ToString(CultureInfo.InvariantCulture),
                    Cell.Clipped(Encoding.UTF8.GetString(e.Event.Data.Span), 60));
            }
            table.WriteTo(console.Out, console.Colour);
            return ExitCodes.Success;
        });
        return command;
    }
}
