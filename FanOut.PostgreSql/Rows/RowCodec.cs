using System.Diagnostics;
using System.Text.Json;
using FanOut.Stores;
using Npgsql;

namespace FanOut.PostgreSql.Rows;

/// <summary>How values without a column type of their own are kept: times (ms since the Unix epoch), trace context, JSON, errors, result steps.</summary>
internal static class RowCodec
{
    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static string? TraceParent(ActivityContext origin) => StoreCodec.TraceParent(origin);

    public static ActivityContext Origin(string? traceParent) => StoreCodec.Origin(traceParent);

    public static byte[] Json(JsonElement element) => StoreCodec.Json(element);

    public static JsonElement Json(byte[] utf8) => StoreCodec.Json(utf8);

    public static byte[]? Bytes(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<byte[]>(ordinal);

    /// <summary>A nullable bytea as nullable memory (a null array must not become empty memory).</summary>
    public static ReadOnlyMemory<byte>? Memory(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? default(ReadOnlyMemory<byte>?) : reader.GetFieldValue<byte[]>(ordinal);

    public static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? Long(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    /// <summary>An error kept in three columns (type, message, stack) starting at <paramref name="ordinal"/>.</summary>
    public static RunError? Error(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new RunError(reader.GetString(ordinal), reader.GetString(ordinal + 1), Text(reader, ordinal + 2));

    public static byte[] ResultSteps(IReadOnlyList<StepResult> steps) => StoreCodec.ResultSteps(steps);

    public static StepResult[] ResultSteps(byte[] utf8) => StoreCodec.ResultSteps(utf8);

    public static string? CancelTriggers(IReadOnlyList<FanOut.Registration.CancelTrigger> triggers) => StoreCodec.CancelTriggers(triggers);

    public static FanOut.Registration.CancelTrigger[] CancelTriggers(string? json) => StoreCodec.CancelTriggers(json);
}
