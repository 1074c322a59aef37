using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

namespace FanOut.PostgreSql;

/// <summary>
/// The store's database: the data source, the schema every statement is written for, the clock, and the helpers that
/// build commands. SQL is written with <c>{s}</c> for the (quoted) schema and <c>{now}</c> for the store's now.
/// </summary>
internal sealed partial class PostgresDatabase : IAsyncDisposable
{
    public PostgresDatabase(PostgresStoreOptions options, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("PostgresStoreOptions.ConnectionString is empty: give an Npgsql connection string (Host=…;Database=…;Username=…).", nameof(options));
        }
        if (!SchemaName().IsMatch(options.Schema))
        {
            throw new ArgumentException($"PostgresStoreOptions.Schema '{options.Schema}' is not a plain identifier: use lower-case letters, digits and underscores, starting with a letter or underscore.", nameof(options));
        }
        if (options.LeaseDuration <= TimeSpan.Zero || options.RenewalInterval <= TimeSpan.Zero || options.RenewalInterval >= options.LeaseDuration)
        {
            throw new ArgumentException($"PostgresStoreOptions: the lease renewal interval ({options.RenewalInterval}) must be positive and shorter than the lease ({options.LeaseDuration}).", nameof(options));
        }
        Options = options;
        Time = time;
        Schema = options.Schema;
        Channel = options.Schema + "_work";
        FinishedChannel = options.Schema + "_finished";
        // The slim builder keeps NativeAOT output small; FanOut needs arrays (claims and renewals by id lists), and TLS
        // and integrated security for real servers.
        var builder = new NpgsqlSlimDataSourceBuilder(options.ConnectionString);
        builder.EnableArrays();
        builder.EnableTransportSecurity();
        builder.EnableIntegratedSecurity();
        // The store runs a few statements over and over: prepared once per pooled connection, the server parses and plans
        // them once, not on every accept and claim. FanOut sets no session state (its locks are transaction-scoped), so
        // a connection going back to the pool needs no RESET ALL. A connection string that sets either keeps its value.
        var csb = builder.ConnectionStringBuilder;
        if (csb.MaxAutoPrepare == 0)
        {
            csb.MaxAutoPrepare = 64;
        }
        if (options.ConnectionString.IndexOf("Reset On Close", StringComparison.OrdinalIgnoreCase) < 0)
        {
            csb.NoResetOnClose = true;
        }
        DataSource = builder.Build();
        Describe = $"PostgreSQL store (schema '{Schema}' on {builder.ConnectionStringBuilder.Host}:{builder.ConnectionStringBuilder.Port}/{builder.ConnectionStringBuilder.Database})";
    }

    public PostgresStoreOptions Options { get; }

    public TimeProvider Time { get; }

    public NpgsqlDataSource DataSource { get; }

    public string Schema { get; }

    /// <summary>The NOTIFY channel that tells idle workers a run may be due.</summary>
    public string Channel { get; }

    /// <summary>The NOTIFY channel that carries the ids of finished runs, for callers waiting on other nodes.</summary>
    public string FinishedChannel { get; }

    /// <summary>Names the store in messages: schema, host, database.</summary>
    public string Describe { get; }

    /// <summary>The store's now as a parameter: null on the database clock (the SQL then reads <c>now_ms()</c>), else the engine's now.</summary>
    public long? NowParameter => Options.Clock == PostgresClock.Database ? null : Time.GetUtcNow().ToUnixTimeMilliseconds();

    public string Sql(string template) =>
        template.Replace("{now}", "coalesce(@now, \"" + Schema + "\".now_ms())", StringComparison.Ordinal)
                .Replace("{s}", "\"" + Schema + "\"", StringComparison.Ordinal);

    /// <summary>A command on <paramref name="connection"/> with the store's now bound as <c>@now</c>.</summary>
    public NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string template)
    {
        var command = new NpgsqlCommand(Sql(template), connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.Bigint) { Value = (object?)NowParameter ?? DBNull.Value });
        return command;
    }

    /// <summary>A command of a batch (SQL already rendered with <see cref="Sql"/>), with the store's now bound as <c>@now</c>.</summary>
    public NpgsqlBatchCommand BatchCommand(string sql)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.Bigint) { Value = (object?)NowParameter ?? DBNull.Value });
        return command;
    }

    /// <summary>
    /// Whether <paramref name="ex"/> says the connection is gone (a server restart, a network cut) rather than that a
    /// statement failed: its work was not committed, or its commit is unknown.
    /// </summary>
    public static bool BrokenConnection(Exception ex) =>
        (ex as NpgsqlException ?? ex.InnerException as NpgsqlException) is { } npgsql
        && (npgsql is not PostgresException postgres || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) || postgres.SqlState.StartsWith("08", StringComparison.Ordinal));

    /// <summary>The store's now in ms: the engine's on <see cref="PostgresClock.TimeProvider"/>, else read from the database.</summary>
    public async Task<long> StoreNowAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        if (NowParameter is { } now)
        {
            return now;
        }
        await using var command = new NpgsqlCommand(Sql("SELECT {s}.now_ms();"), connection, transaction);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// An instant the engine computed (a wait's expiry, a due time), on the store's clock: the same instant on
    /// <see cref="PostgresClock.TimeProvider"/>; on the database clock, the database's now plus the engine's delay to it.
    /// <see cref="DateTimeOffset.MaxValue"/> (never) stays never.
    /// </summary>
    public long ToStoreMs(DateTimeOffset engineTime, long storeNow)
    {
        if (engineTime == DateTimeOffset.MaxValue || Options.Clock == PostgresClock.TimeProvider)
        {
            return engineTime.ToUnixTimeMilliseconds();
        }
        return storeNow + (engineTime.ToUnixTimeMilliseconds() - Time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    /// <summary>The engine's instant for a delay from the store's now, kept within what a <see cref="DateTimeOffset"/> holds.</summary>
    public DateTimeOffset FromStoreDelay(long delayMs)
    {
        var now = Time.GetUtcNow();
        return delayMs >= (DateTimeOffset.MaxValue - now).TotalMilliseconds ? DateTimeOffset.MaxValue : now.AddMilliseconds(delayMs);
    }

    public FanOutStoreException Failure(string what, Exception inner) => new($"{Describe}: {what}: {inner.Message}", inner);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,40}$")]
    private static partial Regex SchemaName();
}

/// <summary>Typed parameters: a null must still say its type, or PostgreSQL cannot tell what <c>@x</c> is.</summary>
internal static class CommandParameters
{
    public static NpgsqlCommand With(this NpgsqlCommand command, string name, string? value) => Add(command, name, NpgsqlDbType.Text, value);

    public static NpgsqlCommand With(this NpgsqlCommand command, string name, long? value) => Add(command, name, NpgsqlDbType.Bigint, value);

    public static NpgsqlCommand With(this NpgsqlCommand command, string name, int? value) => Add(command, name, NpgsqlDbType.Integer, value);

    public static NpgsqlCommand With(this NpgsqlCommand command, string name, bool value) => Add(command, name, NpgsqlDbType.Boolean, value);

    public static NpgsqlCommand With(this NpgsqlCommand command, string name, ReadOnlyMemory<byte>? value) =>
        Add(command, name, NpgsqlDbType.Bytea, value is { } bytes ? bytes.ToArray() : null);

    public static NpgsqlCommand With(this NpgsqlCommand command, string name, string[]? value) => Add(command, name, NpgsqlDbType.Array | NpgsqlDbType.Text, value);

    public static NpgsqlCommand With(this NpgsqlCommand command, string name, long[] value) => Add(command, name, NpgsqlDbType.Array | NpgsqlDbType.Bigint, value);

    public static NpgsqlBatchCommand With(this NpgsqlBatchCommand command, string name, string? value) => Add(command, name, NpgsqlDbType.Text, value);

    public static NpgsqlBatchCommand With(this NpgsqlBatchCommand command, string name, long? value) => Add(command, name, NpgsqlDbType.Bigint, value);

    public static NpgsqlBatchCommand With(this NpgsqlBatchCommand command, string name, int? value) => Add(command, name, NpgsqlDbType.Integer, value);

    public static NpgsqlBatchCommand With(this NpgsqlBatchCommand command, string name, ReadOnlyMemory<byte>? value) =>
        Add(command, name, NpgsqlDbType.Bytea, value is { } bytes ? bytes.ToArray() : null);

    /// <summary>An array parameter of a batch command (element nulls allowed where the element type is nullable).</summary>
    public static NpgsqlBatchCommand WithArray(this NpgsqlBatchCommand command, string name, NpgsqlDbType elementType, Array value) =>
        Add(command, name, NpgsqlDbType.Array | elementType, value);

    private static NpgsqlCommand Add(NpgsqlCommand command, string name, NpgsqlDbType type, object? value)
    {
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        return command;
    }

    private static NpgsqlBatchCommand Add(NpgsqlBatchCommand command, string name, NpgsqlDbType type, object? value)
    {
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        return command;
    }
}
