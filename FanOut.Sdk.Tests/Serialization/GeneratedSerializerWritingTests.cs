namespace FanOut.Tests.Serialization;

/// <summary>
/// The generated metadata writes exactly the bytes System.Text.Json's reflection writes with web defaults, and reads
/// them back to an equal object.
/// </summary>
public sealed class GeneratedSerializerWritingTests
{
    [Fact]
    public void Primitives_dates_guids_and_uris_are_written_like_reflection_and_round_trip()
    {
        using var payloads = PayloadCompilation.Load("""
            public sealed record Primitives(
                bool Flag, byte B, sbyte SB, short S, ushort US, int I, uint UI, long L, ulong UL,
                float F, double D, decimal M, string Text, char C, Guid Id,
                DateTime At, DateTimeOffset AtOffset, DateOnly Day, TimeOnly Time, TimeSpan Span, Uri Link, Version Release,
                Int128 Big, Half Small, byte[] Bytes);

            public static class Samples
            {
                public static Primitives Typical() => new(
                    true, 255, -128, -32768, 65535, int.MinValue, uint.MaxValue, long.MaxValue, ulong.MaxValue,
                    1.5f, double.Epsilon, 79228162514264337593543950335m, "<tag> & \"quotes\" — ünïcödé \u0001", '\'',
                    Guid.Parse("9b2e7c55-6f0e-4c57-8a43-1e6f4b1b8f2d"),
                    new DateTime(2026, 12, 1, 0, 20, 0, DateTimeKind.Utc), new DateTimeOffset(2026, 12, 1, 2, 20, 0, TimeSpan.FromHours(2)),
                    new DateOnly(2026, 12, 1), new TimeOnly(23, 59, 59, 999), TimeSpan.FromMilliseconds(-1234.5),
                    new Uri("https://example.invalid/a?b=c#d"), new Version(1, 2, 3, 4), Int128.MaxValue, (Half)0.5, [0, 1, 2, 255]);
            }
            """, "Primitives");

        string json = payloads.AssertWritesLikeReflectionAndRoundTrips(payloads.Call("Samples", "Typical"), payloads.Type("Primitives"));

        Assert.StartsWith("{\"flag\":true,\"b\":255,", json);
    }

    [Fact]
    public void Enums_are_written_as_numbers_and_nullable_value_types_as_null_or_value()
    {
        using var payloads = PayloadCompilation.Load("""
            public enum Plan { Free, Pro = 7 }
            [Flags] public enum Channels { None = 0, Email = 1, Sms = 2 }

            public sealed record Preferences(Plan Plan, Plan? Upgrade, Channels Channels, int? Limit, DateTimeOffset? Until, Guid? Referrer);

            public static class Samples
            {
                public static Preferences Set() => new(Plan.Pro, Plan.Free, Channels.Email | Channels.Sms, 3, DateTimeOffset.UnixEpoch, Guid.Empty);
                public static Preferences Unset() => new(Plan.Free, null, Channels.None, null, null, null);
            }
            """, "Preferences");
        var type = payloads.Type("Preferences");

        Assert.Equal(
            "{\"plan\":7,\"upgrade\":0,\"channels\":3,\"limit\":3,\"until\":\"1970-01-01T00:00:00+00:00\",\"referrer\":\"00000000-0000-0000-0000-000000000000\"}",
            payloads.AssertWritesLikeReflectionAndRoundTrips(payloads.Call("Samples", "Set"), type));
        Assert.Equal(
            "{\"plan\":0,\"upgrade\":null,\"channels\":0,\"limit\":null,\"until\":null,\"referrer\":null}",
            payloads.AssertWritesLikeReflectionAndRoundTrips(payloads.Call("Samples", "Unset"), type));
    }

    [Fact]
    public void Nested_records_classes_and_structs_are_written_like_reflection_and_round_trip()
    {
        using var payloads = PayloadCompilation.Load("""
            public sealed record UserSignup(string UserId, string? Email, Address Home, Point Location, Size Size, Money Price, Profile Profile);

            public sealed class Address
            {
                public required string Street { get; init; }
                public string? City { get; set; }
                public string Country { get; init; } = "NL";
                public int Floor { get; set; }
            }

            public struct Point
            {
                public double Lat { get; set; }
                public double Lng { get; init; }
            }

            public record struct Size(int Width, int Height);

            public readonly record struct Money(decimal Amount, string Currency);

            public class Profile
            {
                public Profile(string displayName) => DisplayName = displayName;
                public string DisplayName { get; }
                public string? Bio { get; set; }
                public required int Age { get; init; }
            }

            public static class Samples
            {
                public static UserSignup Signup() => new(
                    "u-1", null,
                    new Address { Street = "Damrak 1", City = "Amsterdam", Floor = 3 },
                    new Point { Lat = 52.37, Lng = 4.89 },
                    new Size(3, 4),
                    new Money(9.99m, "EUR"),
                    new Profile("Ada") { Bio = "Counts", Age = 36 });
            }
            """, "UserSignup");

        string json = payloads.AssertWritesLikeReflectionAndRoundTrips(payloads.Call("Samples", "Signup"), payloads.Type("UserSignup"));

        Assert.Contains("\"home\":{\"street\":\"Damrak 1\",\"city\":\"Amsterdam\",\"country\":\"NL\",\"floor\":3}", json);
    }

    [Fact]
    public void Arrays_lists_read_only_lists_enumerables_and_string_keyed_dictionaries_are_written_like_reflection_and_round_trip()
    {
        using var payloads = PayloadCompilation.Load("""
            public sealed record Tag(string Name);

            public sealed record Collections(
                int[] Numbers, string[] Empty, List<string> Names, List<Tag> Tags, IReadOnlyList<long> Longs, IEnumerable<Tag> Seq,
                IReadOnlyCollection<Guid> Ids, List<List<int>> Grid, Dictionary<string, int> Counts,
                IReadOnlyDictionary<string, Tag> ByName, Dictionary<string, List<string>> Groups, List<string>? Missing,
                List<string?> WithNulls, Tag[][] Jagged);

            public static class Samples
            {
                public static Collections Full() => new(
                    [1, 2, 3], [], ["a", "b"], [new("x"), new("y")], [long.MaxValue], [new("z")],
                    [Guid.Empty], [[1], [2, 3], []], new() { ["one"] = 1, ["Two Words"] = 2 },
                    new Dictionary<string, Tag> { ["x"] = new("x") }, new() { ["g"] = ["a"] }, null,
                    ["a", null], [[new("j")]]);
            }
            """, "Collections");

        payloads.AssertWritesLikeReflectionAndRoundTrips(payloads.Call("Samples", "Full"), payloads.Type("Collections"));
    }

    [Fact]
    public void Nulls_inside_collections_and_dictionaries_are_written_like_reflection_and_round_trip()
    {
        using var payloads = PayloadCompilation.Load("""
            public enum Plan : byte { Free, Pro }
            public sealed record Tag(string Name);
            public sealed record Sparse(
                int?[] Counts, List<Tag?> Tags, Dictionary<string, int?> Limits, Dictionary<string, List<string>?> Groups,
                IReadOnlyDictionary<string, Tag?> ByName, IEnumerable<Plan?> Plans, List<string?[]?> Nested, Dictionary<string, Plan> ByPlan,
                Dictionary<string, DateTimeOffset?> Seen, IReadOnlyList<Uri?> Links);

            public static class Samples
            {
                public static Sparse Typical() => new(
                    [1, null, 3], [new("a"), null], new() { ["a"] = 1, ["b"] = null }, new() { ["x"] = ["1"], ["y"] = null },
                    new Dictionary<string, Tag?> { ["t"] = null }, [Plan.Pro, null], [["a", null], null], new() { ["p"] = Plan.Pro },
                    new() { ["now"] = DateTimeOffset.UnixEpoch, ["never"] = null }, [new Uri("https://example.invalid"), null]);
            }
            """, "Sparse");

        payloads.AssertWritesLikeReflectionAndRoundTrips(payloads.Call("Samples", "Typical"), payloads.Type("Sparse"));
    }

    [Fact]
    public void Ignore_conditions_on_nullable_struct_and_collection_members_are_honoured_like_reflection()
    {
        using var payloads = PayloadCompilation.Load("""
            public readonly record struct Money(decimal Amount, string Currency);
            public sealed class Conditional
            {
                [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? MaybeCount { get; set; }
                [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int? MaybeDefault { get; set; }
                [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Guid Id { get; set; }
                [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Money Price { get; set; }
                [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public string? Note { get; set; }
                [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<int>? Numbers { get; set; }
                [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool Flag { get; set; }
            }

            public static class Samples
            {
                public static Conditional Empty() => new();
                public static Conditional Full() => new() { MaybeCount = 0, MaybeDefault = 0, Id = Guid.Parse("9b2e7c55-6f0e-4c57-8a43-1e6f4b1b8f2d"), Price = new(1m, "EUR"), Note = "", Numbers = [], Flag = true };
            }
            """, "Conditional");
        var type = payloads.Type("Conditional");

        Assert.Equal("{}", payloads.Write(payloads.Call("Samples", "Empty"), type));
        payloads.AssertWritesLikeReflectionAndRoundTrips(payloads.Call("Samples", "Full"), type);
    }

    [Fact]
    public void Raw_json_elements_and_nodes_are_written_as_they_were_read()
    {
        using var payloads = PayloadCompilation.Load("""
            public sealed record Envelope(string Name, JsonElement Data, JsonElement? Extra, System.Text.Json.Nodes.JsonNode? Node,
                System.Text.Json.Nodes.JsonObject? Object, System.Text.Json.Nodes.JsonArray? Array);

            public static class Samples
            {
                public static Envelope WithObject() => new("e", JsonDocument.Parse("{\"Nested\":[1,true,null,\"s\"],\"x\":1.50}").RootElement, null,
                    System.Text.Json.Nodes.JsonNode.Parse("[1,{\"A\":2}]"), new() { ["K"] = "v" }, null);
            }
            """, "Envelope");

        Assert.Equal(
            "{\"name\":\"e\",\"data\":{\"Nested\":[1,true,null,\"s\"],\"x\":1.50},\"extra\":null,\"node\":[1,{\"A\":2}],\"object\":{\"K\":\"v\"},\"array\":null}",
            payloads.AssertWritesLikeReflectionAndRoundTrips(payloads.Call("Samples", "WithObject"), payloads.Type("Envelope")));
    }

    [Fact]
    public void Property_names_ignore_conditions_order_and_inherited_properties_follow_System_Text_Json()
    {
        using var payloads = PayloadCompilation.Load("""
            public class Base
            {
                public string? Shared { get; set; }
                public int BaseValue { get; set; }
                public virtual string Kind { get; set; } = "base";
            }

            public sealed class Annotated : Base
            {
                [JsonPropertyName("zip_code")] public string Zip { get; set; } = "";
                [JsonIgnore] public string Secret { get; set; } = "hidden";
                [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Note { get; set; }
                [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int Zero { get; set; }
                [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Always { get; set; }
                [JsonPropertyOrder(-1)] public int First { get; set; }
                [JsonPropertyOrder(1)] public int Last { get; set; }
                [JsonRequired] public int Needed { get; set; }
                public int Computed => First + Last;
                public string PrivateSet { get; private set; } = "p";
                public new int BaseValue { get; set; }
                public override string Kind { get; set; } = "annotated";
                [JsonIgnore] public (int, int) IgnoredTuple { get; set; }
            }

            public static class Samples
            {
                public static Annotated WithNulls() => new() { Zip = "1012", First = 1, Last = 2, Needed = 5, BaseValue = 9, Shared = "s" };
                public static Annotated WithValues() => new() { Zip = "1012", Note = "n", Zero = 4, Always = "a", First = 1, Last = 2, Needed = 5 };
            }
            """, "Annotated");
        var type = payloads.Type("Annotated");

        Assert.Equal(
            "{\"first\":1,\"zip_code\":\"1012\",\"always\":null,\"needed\":5,\"computed\":3,\"privateSet\":\"p\",\"baseValue\":9,\"kind\":\"annotated\",\"shared\":\"s\",\"last\":2}",
            payloads.AssertWritesLikeReflectionAndRoundTrips(payloads.Call("Samples", "WithNulls"), type));
        payloads.AssertWritesLikeReflectionAndRoundTrips(payloads.Call("Samples", "WithValues"), type);
    }

    [Fact]
    public void Members_named_like_keywords_are_written_like_reflection_and_round_trip()
    {
        using var payloads = PayloadCompilation.Load("""
            public sealed record Webhook(string @event, string @params)
            {
                public int @class { get; set; }
                public string @object { get; init; } = "o";
            }

            public sealed class Wrapped<T> { public required T @default { get; set; } }
            public sealed record Holder(Wrapped<int> Value, Webhook Hook);

            public static class Samples { public static Holder Typical() => new(new Wrapped<int> { @default = 1 }, new Webhook("e", "p") { @class = 2 }); }
            """, "Holder");

        Assert.Equal(
            "{\"value\":{\"default\":1},\"hook\":{\"event\":\"e\",\"params\":\"p\",\"class\":2,\"object\":\"o\"}}",
            payloads.AssertWritesLikeReflectionAndRoundTrips(payloads.Call("Samples", "Typical"), payloads.Type("Holder")));
    }

    [Fact]
    public void Recursive_types_are_written_like_reflection_and_round_trip()
    {
        using var payloads = PayloadCompilation.Load("""
            public sealed record Node(string Name, List<Node> Children, Node? Parent);

            public static class Samples
            {
                public static Node Tree() => new("root", [new("a", [new("a1", [], null)], null), new("b", [], null)], null);
            }
            """, "Node");

        Assert.Equal(
            "{\"name\":\"root\",\"children\":[{\"name\":\"a\",\"children\":[{\"name\":\"a1\",\"children\":[],\"parent\":null}],\"parent\":null},{\"name\":\"b\",\"children\":[],\"parent\":null}],\"parent\":null}",
            payloads.AssertWritesLikeReflectionAndRoundTrips(payloads.Call("Samples", "Tree"), payloads.Type("Node")));
    }
}
