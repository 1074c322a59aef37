using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using FanOut.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FanOut.AspNetCore.EventApi;

/// <summary>
/// <c>POST /e/{eventKey}</c>: checks the key, reads the body within the limits, checks every event, and sends them all
/// with one <see cref="IFanOutClient.SendManyAsync"/> (all or nothing). A plain <see cref="RequestDelegate"/>, so no
/// parameter binding is generated or reflected: trim- and AOT-clean.
/// </summary>
internal sealed class EventApiEndpoint(IFanOutClient client, IOptionsMonitor<FanOutEventApiOptions> optionsMonitor, ILogger<EventApiEndpoint> logger)
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    public async Task HandleAsync(HttpContext context)
    {
        var options = optionsMonitor.CurrentValue;
        var request = context.Request;
        var cancellationToken = context.RequestAborted;

        var key = request.RouteValues["eventKey"] as string;
        if (string.IsNullOrEmpty(key) || !EventKeys.IsAccepted(key, options.EventKeys))
        {
            Log.KeyRefused(logger);
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, "Event key not found: the key in the URL is not one of the configured event keys", "key").ConfigureAwait(false);
            return;
        }

        EventIdSeed? seed = null;
        if (request.Headers.TryGetValue(EventIdSeed.HeaderName, out var seedValues))
        {
            string? seedError = "it is given more than once";
            if (seedValues.Count != 1 || !EventIdSeed.TryParse(seedValues[0] ?? "", out var parsed, out seedError))
            {
                await RefuseAsync(context, StatusCodes.Status400BadRequest, $"header '{EventIdSeed.HeaderName}': {seedError}", "seed").ConfigureAwait(false);
                return;
            }
            seed = parsed;
        }

        var body = await ReadBodyAsync(context, options.MaxRequestBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, $"the request body is larger than the limit of {options.MaxRequestBytes} bytes", "body_too_large").ConfigureAwait(false);
            return;
        }

        try
        {
            await SendAsync(context, body.Value, options, seed, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The body stays unconsumed in the pipe while it is parsed (no copy); consumed now, so the connection
            // can serve its next request.
            request.BodyReader.AdvanceTo(body.Value.End);
        }
    }

    private async Task SendAsync(HttpContext context, ReadOnlySequence<byte> body, FanOutEventApiOptions options, EventIdSeed? seed, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, $"the body is not valid JSON: {e.Message}", "json").ConfigureAwait(false);
            return;
        }
        using (document)
        {
            var events = EventBatchReader.Read(document.RootElement, options, seed, out var error);
            if (events is null)
            {
                await RefuseAsync(context, StatusCodes.Status400BadRequest, error!, "event").ConfigureAwait(false);
                return;
            }
            IReadOnlyList<SendResult> results;
            try
            {
                results = await client.SendManyAsync(events, cancellationToken).ConfigureAwait(false);
            }
            catch (FanOutStoreException e)
            {
                // Nothing was stored; Inngest's clients retry a 5xx with the same seed, so a retry is safe.
                Log.StoreFailed(logger, e, events.Length);
                await RefuseAsync(context, StatusCodes.Status500InternalServerError, $"the events were not stored (nothing was): {e.Message}", "store").ConfigureAwait(false);
                return;
            }
            EventApiMetrics.EventsReceived.Add(events.Length);
            Activity.Current?.SetTag("fanout.event.count", events.Length);
            await WriteAsync(context, StatusCodes.Status200OK, results, error: null).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads the whole body, or stops as soon as it is over <paramref name="limit"/> (null): refused from its
    /// Content-Length before reading, and otherwise never more than the limit (plus one read) buffered.
    /// </summary>
    private static async Task<ReadOnlySequence<byte>?> ReadBodyAsync(HttpContext context, long limit, CancellationToken cancellationToken)
    {
        // Let the server enforce the same limit too (Kestrel's own default is about 30 MB), also when it discards an
        // unread body after the answer.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }
        if (context.Request.ContentLength > limit)
        {
            return null;
        }
        var reader = context.Request.BodyReader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                if (buffer.Length > limit)
                {
                    reader.AdvanceTo(buffer.End);
                    return null;
                }
                if (result.IsCompleted)
                {
                    // Not advanced yet: the caller parses it in place, then advances past it.
                    return buffer;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    private static Task RefuseAsync(HttpContext context, int status, string error, string reason)
    {
        EventApiMetrics.RequestsRefused.Add(1, new KeyValuePair<string, object?>("error.type", reason));
        Activity.Current?.SetTag("error.type", reason);
        return WriteAsync(context, status, results: null, error);
    }

    private static async Task WriteAsync(HttpContext context, int status, IReadOnlyList<SendResult>? results, string? error)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        // Inngest's answer: {"ids":[...],"status":200} or {"ids":[],"status":400,"error":"..."}.
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("ids");
            if (results is not null)
            {
                for (int i = 0; i < results.Count; i++)
                {
                    writer.WriteStringValue(results[i].EventId);
                }
            }
            writer.WriteEndArray();
            writer.WriteNumber("status", status);
            if (error is not null)
            {
                writer.WriteString("error", error);
            }
            writer.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}

internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "An Event API request was refused: its event key is not configured.")]
    public static partial void KeyRefused(ILogger logger);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "An Event API request of {Count} event(s) failed: the store did not accept it.")]
    public static partial void StoreFailed(ILogger logger, Exception error, int count);
}
