using System.Text.Json;

namespace FanOut.Tests.Serialization;

/// <summary>
/// With FanOut's options, an object whose members are primitives or other such objects is read by a generated direct
/// reader. It must read every document as System.Text.Json's strict reflection reads it, and refuse every document that
/// reflection refuses with the same message and path (it hands those back to the metadata).
/// </summary>
public sealed class GeneratedDirectReaderTests : IDisposable
{
    private readonly PayloadCompilation payloads = PayloadCompilation.Load("""
        public sealed record Signup(Member User, string Plan, int Seats, decimal? Credit, Guid Id, bool Trial = false);

        public sealed class Member
        {
            public required string Email { get; init; }
            public string? Name { get; set; }
            public DateTimeOffset Since { get; set; }
            [JsonPropertyName("team.name")] public string Team { get; set; } = "none";
            public Member? Referrer { get; set; }
        }
        """, "Signup");

    private Type Signup => payloads.Type("Signup");

    public void Dispose() => payloads.Dispose();

    private const string Valid = """
        {"user":{"email":"a@b.c","name":"Ada","since":"2026-12-01T05:00:00+00:00","team.name":"core",
        "referrer":{"email":"r@b.c","name":null}},"plan":"pro","seats":3,"credit":1.5,"id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff"}
        """;

    [Fact]
    public void FanOut_options_read_such_objects_through_the_generated_converter_and_other_options_through_the_metadata()
    {
        Assert.Equal(PayloadCompilation.GeneratedClass, payloads.GeneratedOptions.GetTypeInfo(Signup).Converter.GetType().DeclaringType?.Name);
        Assert.Equal(PayloadCompilation.GeneratedClass, payloads.GeneratedOptions.GetTypeInfo(payloads.Type("Member")).Converter.GetType().DeclaringType?.Name);
        Assert.NotEqual(PayloadCompilation.GeneratedClass, payloads.MetadataOnlyOptions.GetTypeInfo(Signup).Converter.GetType().DeclaringType?.Name);
    }

    [Theory]
    [InlineData(Valid)]
    [InlineData("""{"plan":"pro","user":{"email":"a@b.c"},"id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","seats":0,"credit":null}""")]
    [InlineData("""{"user":{"email":"a@b.c","extra":[1,{"a":[]}],"more":{"x":null}},"plan":"pro","seats":1,"credit":null,"id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","trial":true,"unknown":"x"}""")]
    [InlineData("""{"USER":{"EMAIL":"a@b.c"},"Plan":"pro","seats":1,"credit":2,"id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff"}""")]
    [InlineData("""{"user":{"email":"a@b.c"},"plan":"pro","plan":"team","seats":1,"credit":null,"id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff"}""")]
    [InlineData("""{"user":{"em\u0061il":"a\u0040b.c"},"pl\u0061n":"pro","seats":1,"credit":null,"id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff"}""")]
    public void Documents_are_read_as_strict_reflection_reads_them(string json)
    {
        object generated = JsonSerializer.Deserialize(json, Signup, payloads.GeneratedOptions)!;
        object reflection = JsonSerializer.Deserialize(json, Signup, PayloadCompilation.StrictReflectionOptions)!;

        Assert.Equal(
            JsonSerializer.Serialize(reflection, Signup, PayloadCompilation.ReflectionOptions),
            JsonSerializer.Serialize(generated, Signup, PayloadCompilation.ReflectionOptions));
    }

    [Theory]
    [InlineData("""{"user":{"name":"Ada"},"plan":"pro","seats":1,"credit":null,"id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff"}""", "$.user")]
    [InlineData("""{"user":{"email":"a@b.c"},"seats":1,"credit":null,"id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff"}""", "$")]
    [InlineData("""{"user":{"email":"a@b.c","referrer":{"email":null}},"plan":"pro","seats":1,"credit":null,"id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff"}""", "$.user.referrer.email")]
    [InlineData("""{"user":{"email":"a@b.c"},"plan":null,"seats":1,"credit":null,"id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff"}""", "$.plan")]
    [InlineData("""{"user":{"email":"a@b.c"},"plan":"pro","seats":1.5,"credit":null,"id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff"}""", "$.seats")]
    [InlineData("""{"user":{"email":"a@b.c"},"plan":"pro","seats":1,"credit":null,"id":"not-a-guid"}""", "$.id")]
    [InlineData("""{"user":{"email":"a@b.c","since":5},"plan":"pro","seats":1,"credit":null,"id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff"}""", "$.user.since")]
    [InlineData("""{"user":[],"plan":"pro","seats":1,"credit":null,"id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff"}""", "$.user")]
    [InlineData("""{"user":{"email":"a@b.c","referrer":{"email":"r","name":}},"plan":"pro"}""", "$.user.referrer.name")]
    [InlineData("""{"user":{"email":"a@b.c","zzz":[1,}},"plan":"pro"}""", "$.user.zzz")]
    [InlineData("""{"user":{"email":"a@b.c"} x}""", "$")]
    [InlineData("""{"user":{"email":"a@b.c","team.name":}}""", "$.user['team.name']")]
    [InlineData("""{"plan":"pro""", "$.plan")]
    [InlineData("""[1]""", "$")]
    public void Documents_reflection_refuses_are_refused_with_its_message_and_path(string json, string path)
    {
        var generated = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, Signup, payloads.GeneratedOptions));
        var reflection = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, Signup, PayloadCompilation.StrictReflectionOptions));

        Assert.Equal(path, reflection.Path);
        Assert.Equal(reflection.Path, generated.Path);
        Assert.Equal(reflection.Message, generated.Message);
    }

    [Fact]
    public void A_number_in_a_string_gets_the_answer_the_metadata_gave_before_direct_readers()
    {
        // Web defaults allow numbers in strings. Reflection reads this; the generated metadata refuses "7" for the
        // constructor parameter `seats`. The direct reader leaves numbers in strings to the metadata, so FanOut's answer
        // is unchanged by it, whichever it is.
        const string json = """{"user":{"email":"a@b.c"},"plan":"pro","seats":"7","credit":"2.25","id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff"}""";

        var generated = Record.Exception(() => JsonSerializer.Deserialize(json, Signup, payloads.GeneratedOptions));
        var metadata = Record.Exception(() => JsonSerializer.Deserialize(json, Signup, payloads.MetadataOnlyOptions));

        Assert.Equal(metadata?.GetType(), generated?.GetType());
        Assert.Equal(metadata?.Message, generated?.Message);
    }

    [Fact]
    public async Task Reading_from_a_stream_gives_the_same_result()
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Valid));

        object generated = (await JsonSerializer.DeserializeAsync(stream, Signup, payloads.GeneratedOptions))!;

        Assert.Equal(
            JsonSerializer.Serialize(JsonSerializer.Deserialize(Valid, Signup, PayloadCompilation.StrictReflectionOptions), Signup, PayloadCompilation.ReflectionOptions),
            JsonSerializer.Serialize(generated, Signup, PayloadCompilation.ReflectionOptions));
    }
}
