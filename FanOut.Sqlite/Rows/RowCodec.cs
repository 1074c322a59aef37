using System.Diagnostics;
using System.Text.Json;
using FanOut.Stores;
using Microsoft.Data.Sqlite;

namespace FanOut.Sqlite.Rows;

/// <summary>How values that have no SQLite type of their own are kept in columns: times, trace context, JSON, errors, result steps.</summary>
internal static class RowCodec
{
    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static string? TraceParent(ActivityContext origin) => StoreCodec.TraceParent(origin);

    public static ActivityContext Origin(string? traceParent) => StoreCodec.Origin(traceParent);

    public static byte[] Json(JsonElement element) => StoreCodec.Json(element);

    public static JsonElement Json(byte[] utf8) => StoreCodec.Json(utf8);

    public static byte[]? Bytes(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : (byte[])reader.GetValue(ordinal);

    /// <summary>A nullable BLOB as nullable memory (a null array must not become empty memory).</summary>
    public static ReadOnlyMemory<byte>? Memory(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? default(ReadOnlyMemory<byte>?) : (byte[])reader.GetValue(ordinal);

    public static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>An error kept in three columns (type, message, stack) starting at <paramref name="ordinal"/>.</summary>
    public static RunError? Error(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new RunError(reader.GetString(ordinal), reader.GetString(ordinal + 1), Text(reader, ordinal + 2));

    /// <summary>
    /// An event read from the columns <c>name, data, ts, dedup_key, v, user_json</c> starting at <paramref name="name"/>
    /// (as every event query selects them).
    /// </summary>
    public static FanOut.Runs.StoredEvent Event(SqliteDataReader reader, string id, int name) =>
        new(id, reader.GetString(name), Bytes(reader, name + 1) ?? [], reader.GetInt64(name + 2))
        {
            DeduplicationKey = Text(reader, name + 3),
            V = Text(reader, name + 4),
            User = Bytes(reader, name + 5) is { } user ? Json(user) : null,
        };

    public static byte[] ResultSteps(IReadOnlyList<StepResult> steps) => StoreCodec.ResultSteps(steps);

    public static StepResult[] ResultSteps(byte[] utf8) => StoreCodec.ResultSteps(utf8);

    public static string? CancelTriggers(IReadOnlyList<FanOut.Registration.CancelTrigger> triggers) => StoreCodec.CancelTriggers(triggers);

    public static FanOut.Registration.CancelTrigger[] CancelTriggers(string? json) => StoreCodec.CancelTriggers(json);
}
