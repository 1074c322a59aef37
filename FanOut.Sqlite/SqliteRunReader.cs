using FanOut.Sqlite.Reading;
using FanOut.Sqlite.Schema;
using FanOut.Stores;
using Microsoft.Data.Sqlite;

namespace FanOut.Sqlite;

/// <summary>
/// Reads runs from a SQLite store's file without owning it: it takes no lock and never writes, so it works beside the
/// running app that holds the file (WAL lets it see the last commit). Opened with <see cref="SqliteStore.OpenReadOnly"/>;
/// the <c>fanout</c> command-line tool reads through it.
/// </summary>
public sealed class SqliteRunReader : IDisposable
{
    private readonly ReadConnection reads;
    private readonly ResultReader results;
    private readonly RunListReader listing;
    private readonly StepReader steps;
    private readonly EventListReader events;

    private SqliteRunReader(ReadConnection reads)
    {
        this.reads = reads;
        results = new ResultReader(reads);
        listing = new RunListReader(reads);
        steps = new StepReader(reads);
        events = new EventListReader(reads);
    }

    /// <summary>Lists accepted events that match <paramref name="query"/>, newest first, as <see cref="IFanOutStore.ListEventsAsync"/>.</summary>
    public ValueTask<IReadOnlyList<EventSummary>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return events.ListAsync(query, cancellationToken);
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => reads.DatabasePath;

    /// <summary>Lists runs that match <paramref name="query"/>, newest first, as <see cref="IFanOutStore.ListRunsAsync"/>.</summary>
    public ValueTask<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return listing.ListAsync(query, cancellationToken);
    }

    /// <summary>One run as a listing describes it (finished or not), or null when the file has no such run.</summary>
    public ValueTask<RunSummary?> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return listing.GetAsync(runId, cancellationToken);
    }

    /// <summary>The outcome of a finished run with its steps, or null while it has not finished (or is unknown, or was pruned).</summary>
    public ValueTask<RunResult?> GetResultAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return results.GetAsync(runId, cancellationToken);
    }

    /// <summary>
    /// The steps a run has saved so far (each step's latest state, in the order first saved): what an unfinished run has
    /// done. A finished run's steps, as recorded when it ended, are in its <see cref="GetResultAsync">result</see>.
    /// </summary>
    public ValueTask<IReadOnlyList<StepResult>> GetSavedStepsAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return steps.GetAsync(runId, cancellationToken);
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        results.Dispose();
        reads.Dispose();
    }

    /// <summary>Opens <paramref name="connectionStringOrPath"/> read-only; see <see cref="SqliteStore.OpenReadOnly"/>.</summary>
    internal static SqliteRunReader Open(string connectionStringOrPath, TimeSpan busyTimeout)
    {
        var path = FullPath(connectionStringOrPath, out var builder);
        if (!File.Exists(path))
        {
            throw new FanOutStoreException($"The SQLite store '{path}' does not exist.");
        }
        builder.DataSource = path;
        builder.Mode = SqliteOpenMode.ReadOnly;
        builder.Cache = SqliteCacheMode.Private;
        builder.Pooling = false;
        builder.DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds));
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = $"PRAGMA query_only = 1; PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds};";
                command.ExecuteNonQuery();
            }
            CheckSchema(connection, path);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new FanOutStoreException($"Could not read the SQLite store '{path}': {ex.Message}", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return new SqliteRunReader(new ReadConnection(connection, path));
    }

    /// <summary>The full path of the file a store's connection string or path names.</summary>
    internal static string FullPath(string connectionStringOrPath, out SqliteConnectionStringBuilder builder)
    {
        var text = connectionStringOrPath?.Trim() ?? "";
        if (text.Length == 0)
        {
            throw new ArgumentException("Give the SQLite store's file path or connection string (Data Source=fanout.db).", nameof(connectionStringOrPath));
        }
        builder = text.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(text)
            : new SqliteConnectionStringBuilder { DataSource = text };
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource.Length == 0 || builder.DataSource == ":memory:")
        {
            throw new ArgumentException($"A SQLite store is a file, not '{text}'.", nameof(connectionStringOrPath));
        }
        return Path.GetFullPath(builder.DataSource);
    }

    private static void CheckSchema(SqliteConnection connection, string path)
    {
        var version = SqliteSchema.Version(connection);
        if (version == 0)
        {
            throw new FanOutStoreException($"'{path}' is not a FanOut SQLite store (its schema version is 0).");
        }
        if (version > SqliteSchema.CurrentVersion)
        {
            throw new FanOutStoreException(
                $"The SQLite store '{path}' has schema version {version}, newer than the version {SqliteSchema.CurrentVersion} this FanOut.Sqlite knows; upgrade FanOut.Sqlite.");
        }
        if (version < SqliteSchema.CurrentVersion)
        {
            // Reading never migrates: the app brings the file up to date when it next opens it.
            throw new FanOutStoreException(
                $"The SQLite store '{path}' has schema version {version}, older than {SqliteSchema.CurrentVersion}; open it once with the app (SqliteStore migrates it) before reading it.");
        }
    }
}
