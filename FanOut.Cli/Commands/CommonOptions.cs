using System.CommandLine;

namespace FanOut.Cli.Commands;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string> Store() => new("--store", "-s")
    {
        Description = "The store: a SQLite file path (fanout.db) or connection string (\"Data Source=fanout.db\"), or a PostgreSQL connection string (\"Host=db;Database=app;Username=app\").",
        Required = true,
    };

    public static Option<string> Schema() => new("--schema")
    {
        Description = "For a PostgreSQL store: the schema its tables are in (PostgresStoreOptions.Schema).",
        DefaultValueFactory = _ => "fanout",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Write indented JSON instead of a table, for scripts.",
    };

    public static Option<int> Limit(string what, int byDefault)
    {
        var limit = new Option<int>("--limit", "-n") { Description = $"At most this many {what}.", DefaultValueFactory = _ => byDefault };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--limit must be at least 1.");
            }
        });
        return limit;
    }

    public static Argument<string> RunId() => new("runId")
    {
        Description = "The run id (as listed by 'fanout runs list').",
    };
}
