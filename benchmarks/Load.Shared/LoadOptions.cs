namespace FanOut.Load;

/// <summary>
/// The command line every load project shares (FanOut.Load and the peers), so their rows compare like for like.
/// Comma lists run one configuration per combination, each on a fresh host and a fresh database file.
/// </summary>
public sealed class LoadOptions
{
    public int Events { get; private set; } = 20_000;
    public int[] Producers { get; private set; } = [1];
    public int[] Steps { get; private set; } = [1];
    public string[] Stores { get; private set; } = ["sqlite"];
    public string[] Durabilities { get; private set; } = ["full"];
    /// <summary>Concurrent runs or jobs; 0 keeps each system's own default.</summary>
    public int Workers { get; private set; }
    /// <summary>Events per second over all producers; 0 sends as fast as the sends return.</summary>
    public double Rate { get; private set; }
    /// <summary>Events per send call (FanOut: <c>SendManyAsync</c>); 1 awaits every event on its own.</summary>
    public int Batch { get; private set; } = 1;
    public bool Smoke { get; private set; }
    /// <summary>FanOut only: when a succeeded step is saved ("return": before step.Run returns, the default; "next": with the next write).</summary>
    public string StepSaving { get; private set; } = "return";
    /// <summary>PostgreSQL's connection string for <c>--store postgres</c>: <c>--pg</c>, else FANOUT_PG_CONNECTION.</summary>
    public string? Postgres { get; private set; } = Environment.GetEnvironmentVariable("FANOUT_PG_CONNECTION") is { Length: > 0 } pg ? pg : null;
    /// <summary>FanOut.Load: measure the heap once the first N events' runs have finished (sends pause there) and at the end; 0 = off.</summary>
    public int HeapAt { get; private set; }
    public TimeSpan Timeout { get; private set; } = TimeSpan.FromMinutes(10);
    private bool timeoutGiven;

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--events": options.Events = int.Parse(Value()); break;
                case "--producers": options.Producers = Ints(Value()); break;
                case "--steps": options.Steps = Ints(Value()); break;
                case "--store": options.Stores = Words(Value()); break;
                case "--durability": options.Durabilities = Words(Value()); break;
                case "--workers": options.Workers = int.Parse(Value()); break;
                case "--timeout-seconds": options.Timeout = TimeSpan.FromSeconds(int.Parse(Value())); options.timeoutGiven = true; break;
                case "--rate": options.Rate = double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--batch": options.Batch = Math.Max(1, int.Parse(Value())); break;
                case "--smoke": options.Smoke = true; break;
                case "--step-saving": options.StepSaving = Value() is "next" or "return" ? args[i] : throw new ArgumentException("--step-saving takes 'return' or 'next'."); break;
                case "--pg": options.Postgres = Value(); break;
                case "--heap-at": options.HeapAt = int.Parse(Value()); break;
                case "--help" or "-h":
                    Console.WriteLine(
                        "options: --events N (20000)  --producers N[,N..] (1)  --steps 1|2[,..] (1)  --store memory|sqlite|postgres[,..] (sqlite)\n" +
                        "         --durability full|normal[,..] (full)  --workers N (system default)  --rate EVENTS_PER_S (unpaced)  --batch N (1)\n" +
                        "         --pg CONNECTION (else FANOUT_PG_CONNECTION)  --heap-at N (FanOut.Load: heap after the first N events and at the end)\n" +
                        "         --timeout-seconds N (600)  --step-saving return|next (FanOut: return)  --smoke");
                    Environment.Exit(0);
                    break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'; --help lists them.");
            }
        }
        if (options.Smoke && !options.timeoutGiven)
        {
            options.Timeout = TimeSpan.FromMinutes(1); // CI: a stuck run fails the smoke in a minute, not ten
        }
        if (Array.IndexOf(options.Stores, "postgres") >= 0 && options.Postgres is null)
        {
            throw new ArgumentException("--store postgres needs a connection string: --pg \"Host=…;Username=…;Database=…\" or FANOUT_PG_CONNECTION.");
        }
        if (options.HeapAt < 0 || (options.HeapAt > 0 && options.HeapAt >= options.Events))
        {
            throw new ArgumentException($"--heap-at must be between 1 and the number of events ({options.Events}) less one.");
        }
        return options;
    }

    private static int[] Ints(string value) => Array.ConvertAll(value.Split(','), int.Parse);

    private static string[] Words(string value) => Array.ConvertAll(value.Split(','), w => w.Trim().ToLowerInvariant());
}
