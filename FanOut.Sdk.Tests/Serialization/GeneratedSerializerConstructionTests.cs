using System.Text.Json;

namespace FanOut.Tests.Serialization;

/// <summary>Instances are created the way System.Text.Json's reflection creates them: same constructor, same defaults.</summary>
public sealed class GeneratedSerializerConstructionTests
{
    [Fact]
    public void Absent_constructor_parameters_with_defaults_take_the_declared_defaults_as_with_reflection()
    {
        using var payloads = PayloadCompilation.Load("""
            public enum Plan { Free, Pro = 7 }
            public sealed record Defaults(
                string Id, int Count = 3, string Name = "a \"name\"", string? Note = null, Plan Plan = Plan.Pro, decimal Price = 1.25m,
                double Ratio = 0.5, char Mark = '\n', bool On = true, long Big = -9_000_000_000L, int? Maybe = 4, Guid Key = default, Plan? Upgrade = null);
            """, "Defaults");
        var type = payloads.Type("Defaults");
        const string json = """{"id":"x"}""";

        object generated = JsonSerializer.Deserialize(json, type, payloads.GeneratedOptions)!;
        object reflection = JsonSerializer.Deserialize(json, type, PayloadCompilation.StrictReflectionOptions)!;

        Assert.Equal(reflection, generated);
        Assert.Equal(
            """{"id":"x","count":3,"name":"a \u0022name\u0022","note":null,"plan":7,"price":1.25,"ratio":0.5,"mark":"\n","on":true,"big":-9000000000,"maybe":4,"key":"00000000-0000-0000-0000-000000000000","upgrade":null}""",
            payloads.Write(generated, type));
    }

    [Fact]
    public void The_constructor_marked_JsonConstructor_is_used()
    {
        using var payloads = PayloadCompilation.Load("""
            public sealed class Temperature
            {
                public Temperature() { }
                [JsonConstructor] public Temperature(double celsius, string unit) { Celsius = celsius; Unit = unit + "!"; }
                public double Celsius { get; }
                public string Unit { get; } = "";
            }

            public static class Samples { public static Temperature Warm() => new(21.5, "C"); }
            """, "Temperature");
        var type = payloads.Type("Temperature");

        object read = JsonSerializer.Deserialize("""{"celsius":3,"unit":"K"}""", type, payloads.GeneratedOptions)!;

        Assert.Equal("K!", type.GetProperty("Unit")!.GetValue(read));
        payloads.Write(payloads.Call("Samples", "Warm"), type);
    }

    [Fact]
    public void Closed_generic_payloads_with_required_members_are_written_like_reflection_and_round_trip()
    {
        using var payloads = PayloadCompilation.Load("""
            public sealed record Page<T>(IReadOnlyList<T> Items, int Total);
            public sealed class Envelope<T> { public required T Data { get; set; } public string? Trace { get; set; } }
            public sealed record Order(Guid Id, decimal Amount);
            public sealed record Batch(Page<Order> Orders, Envelope<Order> Latest, Envelope<List<string>> Notes);

            public static class Samples
            {
                public static Batch Typical() => new(
                    new([new(Guid.Empty, 1m)], 1),
                    new Envelope<Order> { Data = new(Guid.Empty, 2m), Trace = "t" },
                    new Envelope<List<string>> { Data = ["n"] });
            }
            """, "Batch");
        var type = payloads.Type("Batch");

        payloads.AssertWritesLikeReflectionAndRoundTrips(payloads.Call("Samples", "Typical"), type);
        var missing = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(
            """{"orders":{"items":[],"total":0},"latest":{"trace":"t"},"notes":{"data":[]}}""", type, payloads.GeneratedOptions));
        Assert.Contains("'data'", missing.Message);
    }

    [Fact]
    public void Derived_positional_records_are_written_like_reflection_and_round_trip()
    {
        using var payloads = PayloadCompilation.Load("""
            public abstract record Event(string Id, DateTimeOffset At);
            public sealed record UserSignedUp(string Id, DateTimeOffset At, string Email, IReadOnlyList<string> Roles) : Event(Id, At)
            {
                public int Version { get; init; } = 2;
            }

            public static class Samples { public static UserSignedUp Signup() => new("e-1", DateTimeOffset.UnixEpoch, "a@b.c", ["admin"]) { Version = 3 }; }
            """, "UserSignedUp");

        Assert.Equal(
            """{"email":"a@b.c","roles":["admin"],"version":3,"id":"e-1","at":"1970-01-01T00:00:00+00:00"}""",
            payloads.AssertWritesLikeReflectionAndRoundTrips(payloads.Call("Samples", "Signup"), payloads.Type("UserSignedUp")));
    }

    [Fact]
    public void Structs_and_record_structs_read_like_reflection()
    {
        using var payloads = PayloadCompilation.Load("""
            public record struct Size(int Width, int Height);
            public readonly record struct Money(decimal Amount, string Currency);
            public struct Point { public double Lat { get; set; } public double Lng { get; init; } }
            public struct Pin { public required string Label { get; init; } public int Zoom { get; set; } }
            public sealed record Shape(Size Size, Money Price, Point Corner, Size? Optional, Pin Pin);
            """, "Shape");
        var type = payloads.Type("Shape");

        foreach (string json in new[]
        {
            """{"size":{"width":1,"height":2},"price":{"amount":1.5,"currency":"EUR"},"corner":{"lat":1,"lng":2},"optional":{"width":3,"height":4},"pin":{"label":"x","zoom":3}}""",
            """{"size":{"width":1},"price":{"amount":1.5,"currency":"EUR"},"corner":{},"optional":null,"pin":{"label":"x"}}""",
            """{"size":{"width":1},"price":{"amount":1.5,"currency":"EUR"},"corner":{},"optional":null,"pin":{"zoom":3}}""",
            """{"size":{"width":1},"price":{"amount":1.5,"currency":"EUR"},"corner":{},"optional":null,"pin":{"label":null}}""",
        })
        {
            string Read(JsonSerializerOptions options, JsonSerializerOptions writer)
            {
                try
                {
                    return JsonSerializer.Serialize(JsonSerializer.Deserialize(json, type, options), type, writer);
                }
                catch (JsonException e)
                {
                    return "error: " + e.Message.Split(" Path: ")[0] + " at " + e.Path;
                }
            }

            Assert.Equal(Read(PayloadCompilation.StrictReflectionOptions, PayloadCompilation.ReflectionOptions), Read(payloads.GeneratedOptions, payloads.GeneratedOptions));
        }
    }
}
