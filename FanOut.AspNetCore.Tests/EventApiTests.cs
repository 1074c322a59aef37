using System.Net;
using System.Text;
using System.Text.Json;

namespace FanOut.AspNetCore.Tests;

/// <summary>The Event API through a real Kestrel server on a loopback port, with the real engine behind it.</summary>
public sealed class EventApiTests
{
    private const string Seed = "1764556800000,AAECAwQFBgcICQ==";

    [Fact]
    public async Task A_single_event_is_accepted_and_its_function_runs_with_its_data()
    {
        await using var server = await EventApiServer.StartAsync();

        using var response = await server.PostAsync("""{"name":"test/order.placed","data":{"orderId":"o-1","quantity":3},"ts":1764556800000,"v":"2024-01-01.1","user":{"id":"u-1"}}""");

        var answer = await ReadAsync(response, HttpStatusCode.OK);
        var id = Assert.Single(answer.Ids);
        Assert.Equal(200, answer.Status);
        Assert.Null(answer.Error);
        var result = Assert.Single(await server.WaitForAllRunsAsync());
        Assert.Equal(RunStatus.Succeeded, result.Status);
        var order = Assert.Single(server.Ledger.Orders);
        Assert.Equal((id, (string?)null, new OrderPlaced("o-1", 3)), order);
    }

    [Fact]
    public async Task A_batch_is_accepted_in_order_and_each_event_starts_its_run()
    {
        await using var server = await EventApiServer.StartAsync();

        using var response = await server.PostAsync("""
            [{"name":"test/order.placed","data":{"orderId":"o-1","quantity":1}},
             {"name":"test/order.placed","data":{"orderId":"o-2","quantity":2}},
             {"name":"test/order.placed","data":{"orderId":"o-3","quantity":3}}]
            """);

        var answer = await ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal(3, answer.Ids.Length);
        Assert.Equal(3, answer.Ids.Distinct().Count());
        Assert.All(await server.WaitForAllRunsAsync(), r => Assert.Equal(RunStatus.Succeeded, r.Status));
        var byEvent = server.Ledger.Orders.ToDictionary(o => o.EventId, o => o.Order.OrderId);
        Assert.Equal(["o-1", "o-2", "o-3"], answer.Ids.Select(id => byEvent[id]));
    }

    [Fact]
    public async Task A_malformed_event_in_the_middle_of_a_batch_is_refused_and_nothing_is_stored()
    {
        await using var server = await EventApiServer.StartAsync();

        using var response = await server.PostAsync("""
            [{"name":"test/order.placed","data":{"orderId":"o-1","quantity":1}},
             {"name":"test/order.placed","data":[1,2]},
             {"name":"test/order.placed","data":{"orderId":"o-3","quantity":3}}]
            """);

        var answer = await ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Empty(answer.Ids);
        Assert.Equal(400, answer.Status);
        Assert.Equal("event 1 of the batch (index from 0), field 'data': must be a JSON object, not an array", answer.Error);
        Assert.Empty(await server.RunsAsync());
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "not json", "the body is not valid JSON" },
        { "\"app/user.signup\"", "the body must be an event object or an array of them, not a string" },
        { "[]", "the body is an empty array" },
        { "[42]", "event 0 of the batch (index from 0) must be a JSON object, not a number" },
        { """{"data":{}}""", "the event, field 'name': is missing" },
        { """{"name":7}""", "the event, field 'name': must be a string, not a number" },
        { """{"name":"test/order placed"}""", "the event, field 'name': 'test/order placed' is not a valid event name: " },
        { """{"name":"inngest/function.failed"}""", "the event, field 'name': 'inngest/function.failed' is not a valid event name: the prefix 'inngest/' is reserved" },
        { """{"name":"test/order.placed","data":"x"}""", "the event, field 'data': must be a JSON object, not a string" },
        { """{"name":"test/order.placed","id":12}""", "the event, field 'id': must be a string" },
        { """{"name":"test/order.placed","ts":-1}""", "the event, field 'ts': must be a whole number of milliseconds" },
        { """{"name":"test/order.placed","ts":"yesterday"}""", "the event, field 'ts': must be a whole number of milliseconds" },
        { """{"name":"test/order.placed","v":2}""", "the event, field 'v': must be a string, not a number" },
        { """{"name":"test/order.placed","user":[]}""", "the event, field 'user': must be a JSON object, not an array" },
        { """{"name":"test/order.placed","name":"test/other"}""", "the body is not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Each_bad_input_is_refused_with_400_saying_which_event_and_which_field(string body, string expected)
    {
        await using var server = await EventApiServer.StartAsync();

        using var response = await server.PostAsync(body);

        var answer = await ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Empty(answer.Ids);
        Assert.Equal(400, answer.Status);
        Assert.StartsWith(expected, answer.Error);
        Assert.Empty(await server.RunsAsync());
    }

    [Fact]
    public async Task A_wrong_event_key_is_refused_with_401_and_nothing_is_stored()
    {
        await using var server = await EventApiServer.StartAsync();

        using var response = await server.PostAsync("""{"name":"test/order.placed","data":{"orderId":"o-1","quantity":1}}""", key: "test-key-0123456788");

        var answer = await ReadAsync(response, HttpStatusCode.Unauthorized);
        Assert.Empty(answer.Ids);
        Assert.Equal(401, answer.Status);
        Assert.Contains("Event key not found", answer.Error);
        Assert.Empty(await server.RunsAsync());
    }

    [Fact]
    public async Task A_body_whose_declared_length_is_over_the_limit_is_refused_with_413_before_it_is_read()
    {
        await using var server = await EventApiServer.StartAsync(o => o.MaxRequestBytes = 64 * 1024);

        // Only the head is sent: the answer cannot wait for a body that never comes.
        var status = await RawClient.PostHeadOnlyAsync(server.BaseAddress, $"/e/{EventApiServer.Key}", contentLength: 1024 * 1024);

        Assert.Equal(413, status);
        Assert.Empty(await server.RunsAsync());
    }

    [Fact]
    public async Task The_answer_to_a_body_over_the_limit_says_so_in_Inngests_shape()
    {
        await using var server = await EventApiServer.StartAsync(o => o.MaxRequestBytes = 16);

        using var response = await server.PostAsync("""{"name":"test/order.placed","data":{}}""");

        var answer = await ReadAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Empty(answer.Ids);
        Assert.Equal(413, answer.Status);
        Assert.Equal("the request body is larger than the limit of 16 bytes", answer.Error);
    }

    [Fact]
    public async Task A_streamed_body_over_the_limit_is_refused_with_413_without_reading_it_all()
    {
        await using var server = await EventApiServer.StartAsync(o => o.MaxRequestBytes = 64 * 1024);

        // Chunked, without Content-Length: the limit can only be found while reading. The client would go on writing
        // for a gigabyte; the server must answer before that. A raw socket, because HttpClient fails the whole request
        // when the server closes the connection under a body it is still sending, and hides the answer.
        var (status, written) = await RawClient.PostEndlessChunkedBodyAsync(server.BaseAddress, $"/e/{EventApiServer.Key}", giveUpAfterBytes: 1L << 30);

        Assert.Equal(413, status);
        Assert.True(written < 16L * 1024 * 1024, $"The client wrote {written} bytes before the server answered.");
        Assert.Empty(await server.RunsAsync());
    }

    [Fact]
    public async Task An_event_over_the_size_limit_is_refused_with_400_naming_it()
    {
        await using var server = await EventApiServer.StartAsync(o => o.MaxEventBytes = 1024);
        var big = new string('x', 2000);

        using var response = await server.PostAsync($$$"""[{"name":"test/order.placed","data":{"orderId":"o-1","quantity":1}},{"name":"test/order.placed","data":{"orderId":"{{{big}}}","quantity":1}}]""");

        var answer = await ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.StartsWith("event 1 of the batch (index from 0) is 20", answer.Error);
        Assert.EndsWith("the limit is 1024 bytes an event", answer.Error);
        Assert.Empty(await server.RunsAsync());
    }

    [Fact]
    public async Task More_than_5000_events_in_one_request_are_refused_with_400_and_nothing_is_stored()
    {
        await using var server = await EventApiServer.StartAsync();
        var body = new StringBuilder("[");
        for (int i = 0; i < 5001; i++)
        {
            body.Append(i == 0 ? "" : ",").Append("""{"name":"test/order.placed","data":{"orderId":"o","quantity":1}}""");
        }
        body.Append(']');

        using var response = await server.PostAsync(body.ToString());

        var answer = await ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("the batch has 5001 events; the limit is 5000 a request", answer.Error);
        Assert.Empty(await server.RunsAsync());
    }

    [Fact]
    public async Task A_retried_request_with_the_same_seed_starts_no_second_run_and_returns_the_same_ids()
    {
        await using var server = await EventApiServer.StartAsync();
        const string batch = """
            [{"name":"test/order.placed","data":{"orderId":"o-1","quantity":1}},
             {"name":"test/order.placed","data":{"orderId":"o-2","quantity":2}},
             {"name":"test/order.placed","id":"order-3","data":{"orderId":"o-3","quantity":3}}]
            """;

        using var first = await server.PostAsync(batch, seed: Seed);
        var firstAnswer = await ReadAsync(first, HttpStatusCode.OK);
        await server.WaitForAllRunsAsync();
        using var retry = await server.PostAsync(batch, seed: Seed);
        var retryAnswer = await ReadAsync(retry, HttpStatusCode.OK);

        Assert.Equal(firstAnswer.Ids, retryAnswer.Ids);
        Assert.Equal(3, (await server.RunsAsync()).Count);
        Assert.Equal(3, server.Ledger.Orders.Count);
        // Derived from the seed and the index, unless the sender gave its own id.
        var keys = server.Ledger.Orders.ToDictionary(o => o.Order.OrderId, o => o.DeduplicationKey);
        Assert.Equal("01KBBWG000000G40R40M30E209", keys["o-1"]);
        Assert.Equal("01KBBWG000000G40R40M30E20A", keys["o-2"]);
        Assert.Equal("order-3", keys["o-3"]);
    }

    [Fact]
    public async Task The_same_batch_with_another_seed_is_a_new_send()
    {
        await using var server = await EventApiServer.StartAsync();
        const string body = """{"name":"test/order.placed","data":{"orderId":"o-1","quantity":1}}""";

        var first = await ReadAsync(await server.PostAsync(body, seed: Seed), HttpStatusCode.OK);
        var second = await ReadAsync(await server.PostAsync(body, seed: "1764556800001,AAECAwQFBgcICQ=="), HttpStatusCode.OK);

        Assert.NotEqual(first.Ids, second.Ids);
        Assert.Equal(2, (await server.RunsAsync()).Count);
    }

    [Theory]
    [InlineData("1764556800000", "there is no comma")]
    [InlineData("soon,AAECAwQFBgcICQ==", "'soon' before the comma is not a time in milliseconds")]
    [InlineData("-5,AAECAwQFBgcICQ==", "'-5' before the comma is not a time in milliseconds")]
    [InlineData("1764556800000,AAECAwQFBgc=", "what follows the comma must be 10 bytes in base64")]
    [InlineData("1764556800000,not base64!", "what follows the comma must be 10 bytes in base64")]
    public async Task A_malformed_seed_header_is_refused_with_400_and_nothing_is_stored(string seed, string expected)
    {
        await using var server = await EventApiServer.StartAsync();

        using var response = await server.PostAsync("""{"name":"test/order.placed","data":{"orderId":"o-1","quantity":1}}""", seed: seed);

        var answer = await ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.StartsWith("header 'x-inngest-event-id-seed': ", answer.Error);
        Assert.Contains(expected, answer.Error);
        Assert.Empty(await server.RunsAsync());
    }

    [Fact]
    public async Task Data_that_does_not_fit_the_type_is_stored_and_its_run_fails_without_retrying_naming_the_member()
    {
        await using var server = await EventApiServer.StartAsync();

        using var response = await server.PostAsync("""{"name":"test/order.placed","data":{"orderId":"o-1","quantity":"three"}}""");

        var answer = await ReadAsync(response, HttpStatusCode.OK);
        Assert.Single(answer.Ids);
        var result = Assert.Single(await server.WaitForAllRunsAsync());
        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(1, result.Attempts);
        Assert.Contains("quantity", result.Error!.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(server.Ledger.Orders);
    }

    [Fact]
    public async Task An_event_repeating_a_senders_id_starts_no_run_and_answers_the_first_events_id()
    {
        await using var server = await EventApiServer.StartAsync();
        const string body = """{"name":"test/order.placed","id":"order-1","data":{"orderId":"o-1","quantity":1}}""";

        var first = await ReadAsync(await server.PostAsync(body), HttpStatusCode.OK);
        var again = await ReadAsync(await server.PostAsync($"[{body},{body}]"), HttpStatusCode.OK);

        Assert.Equal([first.Ids[0], first.Ids[0]], again.Ids);
        Assert.Single(await server.RunsAsync());
    }

    [Fact]
    public async Task Every_configured_key_is_accepted_so_a_key_can_be_rotated()
    {
        await using var server = await EventApiServer.StartAsync(o => o.EventKeys.Add("the-next-key"));
        const string body = """{"name":"test/order.placed","data":{"orderId":"o-1","quantity":1}}""";

        await ReadAsync(await server.PostAsync(body), HttpStatusCode.OK);
        await ReadAsync(await server.PostAsync(body, key: "the-next-key"), HttpStatusCode.OK);
        await ReadAsync(await server.PostAsync(body, key: "the-next-ke"), HttpStatusCode.Unauthorized);

        Assert.Equal(2, (await server.RunsAsync()).Count);
    }

    [Fact]
    public async Task The_route_can_be_given_a_prefix()
    {
        await using var server = await EventApiServer.StartAsync(pattern: "/fanout/e/{eventKey}");

        using var moved = await server.Http.PostAsync($"fanout/e/{EventApiServer.Key}", new StringContent("""{"name":"test/order.placed"}"""));
        using var old = await server.Http.PostAsync($"e/{EventApiServer.Key}", new StringContent("""{"name":"test/order.placed"}"""));

        await ReadAsync(moved, HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
    }

    [Fact]
    public async Task Only_post_is_served()
    {
        await using var server = await EventApiServer.StartAsync();

        using var response = await server.Http.GetAsync($"e/{EventApiServer.Key}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    internal sealed record Answer(string[] Ids, int Status, string? Error);

    internal static async Task<Answer> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        var ids = root.GetProperty("ids").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var error = root.TryGetProperty("error", out var e) ? e.GetString() : null;
        return new Answer(ids, root.GetProperty("status").GetInt32(), error);
    }

}
