using Microsoft.Data.Sqlite;

namespace FanOut.Sqlite.Schema;

/// <summary>
/// The store's schema and its migrations. The version is the database's <c>PRAGMA user_version</c>: migration n takes a
/// file from version n-1 to n, in one transaction that also sets the version, so a migration is applied once and a crash
/// mid-way leaves the file at the version before. Opening a file that is already current changes nothing.
/// </summary>
/// <remarks>
/// Times are milliseconds since the Unix epoch on the store's clock. Statuses are <see cref="RunStatus"/> and
/// <see cref="StepStatus"/> as integers. Never edit a shipped migration: add the next one.
/// </remarks>
internal static class SqliteSchema
{
    /// <summary>The version this library writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    private static readonly string[] Migrations =
    [
        // 1: events, runs, memoized steps, results, deduplication keys.
        """
        CREATE TABLE events (
            id          TEXT    NOT NULL PRIMARY KEY,
            name        TEXT    NOT NULL,
            data        BLOB    NOT NULL,
            ts          INTEGER NOT NULL,
            dedup_key   TEXT,
            v           TEXT,
            user_json   BLOB,
            accepted_at INTEGER NOT NULL
        );

        CREATE TABLE runs (
            id            TEXT    NOT NULL PRIMARY KEY,
            event_id      TEXT    NOT NULL,
            function_id   TEXT    NOT NULL,
            status        INTEGER NOT NULL,
            due_at        INTEGER NOT NULL,
            attempt       INTEGER NOT NULL DEFAULT 0,
            failures      INTEGER NOT NULL DEFAULT 0,
            claimed_at    INTEGER,
            finished_at   INTEGER,
            trace_parent  TEXT,
            error_type    TEXT,
            error_message TEXT
        );
        -- The claim: queued runs (status 0) by due time; rowid breaks ties in accept order.
        CREATE INDEX runs_queued_by_due ON runs (due_at) WHERE status = 0;
        -- Recovery: runs left running (status 1).
        CREATE INDEX runs_running ON runs (claimed_at) WHERE status = 1;
        -- Pruning: finished runs by finish time, and the runs of an event.
        CREATE INDEX runs_finished_at ON runs (finished_at) WHERE finished_at IS NOT NULL;
        CREATE INDEX runs_by_event ON runs (event_id);

        -- One row per step of a run, replaced in place on each save (rowid keeps the order steps were first saved).
        CREATE TABLE steps (
            run_id        TEXT    NOT NULL,
            step_id       TEXT    NOT NULL,
            status        INTEGER NOT NULL,
            attempts      INTEGER NOT NULL,
            output        BLOB,
            error_type    TEXT,
            error_message TEXT,
            error_stack   TEXT,
            started_at    INTEGER NOT NULL,
            finished_at   INTEGER NOT NULL,
            PRIMARY KEY (run_id, step_id)
        );

        CREATE TABLE results (
            run_id        TEXT    NOT NULL PRIMARY KEY,
            function_id   TEXT    NOT NULL,
            event_id      TEXT    NOT NULL,
            event_name    TEXT    NOT NULL,
            status        INTEGER NOT NULL,
            output        BLOB,
            error_type    TEXT,
            error_message TEXT,
            error_stack   TEXT,
            attempts      INTEGER NOT NULL,
            started_at    INTEGER NOT NULL,
            finished_at   INTEGER NOT NULL,
            steps         BLOB    NOT NULL
        );

        CREATE TABLE dedup_keys (
            key         TEXT    NOT NULL PRIMARY KEY,
            event_id    TEXT    NOT NULL,
            accepted_at INTEGER NOT NULL
        );
        CREATE INDEX dedup_keys_by_accepted_at ON dedup_keys (accepted_at);
        """,

        // 2: cancellation requests, and the accept time on each run for listing (filled in from the runs' events).
        """
        ALTER TABLE runs ADD COLUMN cancel_reason TEXT;
        ALTER TABLE runs ADD COLUMN accepted_at INTEGER NOT NULL DEFAULT 0;
        UPDATE runs SET accepted_at = coalesce((SELECT accepted_at FROM events WHERE events.id = runs.event_id), 0);
        -- Listing: newest first, with or without a function; ties broken by run id, as the listing orders.
        CREATE INDEX runs_by_accepted_at ON runs (accepted_at, id);
        CREATE INDEX runs_by_function_accepted_at ON runs (function_id, accepted_at, id);
        """,

        // 3: durable flow. Waits (step.WaitForEvent, step.Invoke) and cancel triggers ([CancelOn]) of unfinished runs;
        // the events of a name in accept order, for the look-back of waits; a run's cancel triggers (for replays) and
        // the run it replays.
        """
        CREATE TABLE waits (
            run_id       TEXT    NOT NULL,
            step_id      TEXT    NOT NULL, -- the waiting step; 'cancel-on:<n>' for a cancel trigger
            kind         INTEGER NOT NULL, -- 0 an event wait, 1 an invoke, 2 a cancel trigger
            event_name   TEXT,
            match_path   TEXT,
            match_value  TEXT,
            child_run_id TEXT,
            expires_at   INTEGER NOT NULL,
            PRIMARY KEY (run_id, step_id)
        );
        CREATE INDEX waits_by_event ON waits (event_name, match_path, match_value) WHERE event_name IS NOT NULL;
        CREATE INDEX waits_by_child ON waits (child_run_id) WHERE child_run_id IS NOT NULL;
        CREATE INDEX events_by_name ON events (name, accepted_at);
        CREATE INDEX events_by_accepted_at ON events (accepted_at);
        ALTER TABLE runs ADD COLUMN cancel_on TEXT;
        ALTER TABLE runs ADD COLUMN replay_of TEXT;
        """,
    ];

    /// <summary>The SQL of migration <paramref name="version"/> as shipped (for tests that build a file as an older FanOut left it).</summary>
    internal static string Migration(int version) => Migrations[version - 1];

    /// <summary>Sets the connection up (WAL, durability, busy timeout) and brings the schema to the current version.</summary>
    public static void Open(SqliteConnection connection, SqliteDurability durability, TimeSpan busyTimeout)
    {
        var synchronous = durability == SqliteDurability.Full ? "FULL" : "NORMAL";
        Execute(connection, $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds};");
        var mode = Scalar(connection, "PRAGMA journal_mode = WAL;") as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"the database refused WAL journaling (journal_mode is '{mode}')");
        }
        Execute(connection, $"PRAGMA synchronous = {synchronous}; PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY;");
        Migrate(connection);
    }

    /// <summary>The database's schema version.</summary>
    public static int Version(SqliteConnection connection) => Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);

    private static void Migrate(SqliteConnection connection)
    {
        var version = Version(connection);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"its schema is version {version}, newer than the version {CurrentVersion} this FanOut.Sqlite knows; upgrade FanOut.Sqlite");
        }
        while (version < CurrentVersion)
        {
            // Raw BEGIN/COMMIT as the writer does: the connection never carries an ADO.NET transaction object.
            Execute(connection, "BEGIN IMMEDIATE;");
            try
            {
                // Read again inside the write transaction: the version cannot change under us now.
                version = Version(connection);
                if (version < CurrentVersion)
                {
                    Execute(connection, Migrations[version]);
                    version++;
                    Execute(connection, $"PRAGMA user_version = {version};");
                }
                Execute(connection, "COMMIT;");
            }
            catch
            {
                Execute(connection, "ROLLBACK;");
                throw;
            }
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
