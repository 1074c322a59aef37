using Npgsql;

namespace FanOut.PostgreSql.Schema;

/// <summary>
/// The store's schema and its migrations. The applied versions are rows of <c>{schema}.migrations</c>; migration n runs
/// in one transaction that also records n, so it is applied once and a failure mid-way leaves the version before. The
/// whole migration holds a transaction-scoped advisory lock keyed on the schema name, so nodes starting at once take
/// turns: the first migrates, the others find the schema current and change nothing.
/// </summary>
/// <remarks>
/// Times are milliseconds since the Unix epoch (<c>bigint</c>), on the store's clock (<see cref="PostgresClock"/>);
/// <c>now_ms()</c> is the database's. Statuses are <see cref="RunStatus"/> and <see cref="StepStatus"/> as integers.
/// Never edit a shipped migration: add the next one.
/// </remarks>
internal static class PostgresSchema
{
    public static int CurrentVersion => Migrations.Length;

    private static readonly string[] Migrations =
    [
        // 1: events, runs (with leases), memoized steps, results, deduplication keys.
        """
        -- STABLE, though clock_timestamp() moves: read once per statement, it can bound an index scan (due_at <= now).
        CREATE FUNCTION {s}.now_ms() RETURNS bigint LANGUAGE sql STABLE
            AS $$ SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint $$;

        CREATE TABLE {s}.events (
            id          text   NOT NULL PRIMARY KEY,
            name        text   NOT NULL,
            data        bytea  NOT NULL,
            ts          bigint NOT NULL,
            dedup_key   text,
            v           text,
            user_json   bytea,
            accepted_at bigint NOT NULL
        );

        CREATE TABLE {s}.runs (
            id               text     NOT NULL PRIMARY KEY,
            seq              bigint   GENERATED ALWAYS AS IDENTITY,
            event_id         text     NOT NULL,
            function_id      text     NOT NULL,
            status           smallint NOT NULL,
            due_at           bigint   NOT NULL,
            attempt          integer  NOT NULL DEFAULT 0,
            failures         integer  NOT NULL DEFAULT 0,
            claimed_at       bigint,
            finished_at      bigint,
            trace_parent     text,
            error_type       text,
            error_message    text,
            cancel_reason    text,
            accepted_at      bigint   NOT NULL,
            lease_epoch      bigint   NOT NULL DEFAULT 0,
            lease_owner      text,
            lease_expires_at bigint
        );
        -- The claim and the next due time: queued runs (status 0) by due time, in accept order.
        CREATE INDEX runs_queued_by_due ON {s}.runs (due_at, seq) WHERE status = 0;
        -- Takeover and recovery: running runs (status 1) by lease expiry.
        CREATE INDEX runs_leased ON {s}.runs (lease_expires_at) WHERE status = 1;
        -- Pruning: finished runs by finish time, and the runs of an event.
        CREATE INDEX runs_finished_at ON {s}.runs (finished_at) WHERE finished_at IS NOT NULL;
        CREATE INDEX runs_by_event ON {s}.runs (event_id);
        -- Listing: newest first, with or without a function.
        CREATE INDEX runs_by_accepted_at ON {s}.runs (accepted_at, id);
        CREATE INDEX runs_by_function_accepted_at ON {s}.runs (function_id, accepted_at, id);

        -- One row per step of a run; seq keeps the order steps were first saved.
        CREATE TABLE {s}.steps (
            run_id        text     NOT NULL,
            step_id       text     NOT NULL,
            seq           bigint   GENERATED ALWAYS AS IDENTITY,
            status        smallint NOT NULL,
            attempts      integer  NOT NULL,
            output        bytea,
            error_type    text,
            error_message text,
            error_stack   text,
            started_at    bigint   NOT NULL,
            finished_at   bigint   NOT NULL,
            PRIMARY KEY (run_id, step_id)
        );

        CREATE TABLE {s}.results (
            run_id        text     NOT NULL PRIMARY KEY,
            function_id   text     NOT NULL,
            event_id      text     NOT NULL,
            event_name    text     NOT NULL,
            status        smallint NOT NULL,
            output        bytea,
            error_type    text,
            error_message text,
            error_stack   text,
            attempts      integer  NOT NULL,
            started_at    bigint   NOT NULL,
            finished_at   bigint   NOT NULL,
            steps         bytea    NOT NULL
        );

        CREATE TABLE {s}.dedup_keys (
            key         text   NOT NULL PRIMARY KEY,
            event_id    text   NOT NULL,
            accepted_at bigint NOT NULL
        );
        CREATE INDEX dedup_keys_by_accepted_at ON {s}.dedup_keys (accepted_at);
        """,

        // 2: durable flow. Waits (step.WaitForEvent, step.Invoke) and cancel triggers ([CancelOn]) of unfinished runs;
        // the events of a name in accept order, for the look-back of waits; a run's cancel triggers (for replays) and
        // the run it replays.
        """
        CREATE TABLE {s}.waits (
            run_id       text     NOT NULL,
            step_id      text     NOT NULL, -- the waiting step; 'cancel-on:<n>' for a cancel trigger
            kind         smallint NOT NULL, -- 0 an event wait, 1 an invoke, 2 a cancel trigger
            event_name   text,
            match_path   text,
            match_value  text,
            child_run_id text,
            expires_at   bigint   NOT NULL,
            PRIMARY KEY (run_id, step_id)
        );
        CREATE INDEX waits_by_event ON {s}.waits (event_name, match_path, match_value) WHERE event_name IS NOT NULL;
        CREATE INDEX waits_by_child ON {s}.waits (child_run_id) WHERE child_run_id IS NOT NULL;
        CREATE INDEX events_by_name ON {s}.events (name, accepted_at);
        CREATE INDEX events_by_accepted_at ON {s}.events (accepted_at);
        ALTER TABLE {s}.runs ADD COLUMN cancel_on text;
        ALTER TABLE {s}.runs ADD COLUMN replay_of text;
        -- Pruning keeps events as old as the oldest unfinished run (a wait may look back that far): found by this index,
        -- not by reading every sleeping run.
        CREATE INDEX runs_unfinished_by_accepted_at ON {s}.runs (accepted_at) WHERE status IN (0, 1);
        """,
    ];

    /// <summary>Brings the schema to the current version (creating it first if needed). Safe to call from many nodes at once.</summary>
    public static async Task MigrateAsync(PostgresDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext(@key));", connection, transaction))
        {
            command.Parameters.AddWithValue("key", "fanout-migrate:" + database.Schema);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await Execute(connection, transaction, database.Sql("""
            CREATE SCHEMA IF NOT EXISTS {s};
            CREATE TABLE IF NOT EXISTS {s}.migrations (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            """), cancellationToken).ConfigureAwait(false);
        int version;
        await using (var command = new NpgsqlCommand(database.Sql("SELECT coalesce(max(version), 0) FROM {s}.migrations;"), connection, transaction))
        {
            version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }
        if (version > CurrentVersion)
        {
            throw new FanOutStoreException(
                $"{database.Describe}: its schema is version {version}, newer than the version {CurrentVersion} this FanOut.PostgreSql knows; upgrade FanOut.PostgreSql on this node.");
        }
        for (; version < CurrentVersion; version++)
        {
            await Execute(connection, transaction, database.Sql(Migrations[version]), cancellationToken).ConfigureAwait(false);
            await Execute(connection, transaction, database.Sql($"INSERT INTO {{s}}.migrations (version) VALUES ({version + 1});"), cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The schema's version, or 0 when it has none yet.</summary>
    public static async Task<int> VersionAsync(PostgresDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(database.Sql("SELECT CASE WHEN to_regclass('{s}.migrations') IS NULL THEN 0 ELSE (SELECT coalesce(max(version), 0) FROM {s}.migrations) END;"), connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
