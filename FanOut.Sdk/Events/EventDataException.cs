using System.Text.Json;
using FanOut.Runs;

namespace FanOut;

/// <summary>
/// An event's data does not match the payload type a function declares. The event stays stored; the run fails without
/// retrying (retrying cannot change the data) and can be replayed once the sender or the type is fixed.
/// </summary>
public sealed class EventDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EventDataException(string message, Exception? innerException = null) : base(message, innerException)
    {
    }

    /// <summary>The JSON path of the member at fault, such as <c>$.user.email</c>, when known.</summary>
    public string? Path { get; init; }

    internal static EventDataException For(StoredEvent stored, string functionId, Type dataType, JsonException? e)
    {
        var detail = e is null
            ? "the data is null"
            : e.Message;
        return new EventDataException(
            $"Function '{functionId}' received event '{stored.Name}' (id {stored.Id}) whose data does not match {dataType.Name}: {detail}",
            e)
        {
            Path = e?.Path,
        };
    }
}
