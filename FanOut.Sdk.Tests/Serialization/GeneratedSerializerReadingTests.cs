using System.Text.Json;

namespace FanOut.Tests.Serialization;

/// <summary>
/// Reading is as strict as System.Text.Json with RespectRequiredConstructorParameters and RespectNullableAnnotations:
/// what is missing or null where the type forbids it fails with a JsonException naming the member.
/// </summary>
public sealed class GeneratedSerializerReadingTests : IDisposable
{
    private const string Source = """
        public sealed record UserSignup(string UserId, string? Email, int Seats, Address Home, string Source = "web");

        public sealed class Address
        {
            public required string Street { get; init; }
            public string? City { get; set; }
            public string Country { get; init; } = "NL";
            public string Label { get; set; } = "home";
            [JsonRequired] public int Number { get; set; }
        }
        """;

    private readonly PayloadCompilation payloads = PayloadCompilation.Load(Source, "UserSignup");

    private Type Signup => payloads.Type("UserSignup");

    private Type Address => payloads.Type("Address");

    public void Dispose() => payloads.Dispose();

    [Fact]
    public void A_missing_positional_parameter_is_an_error_naming_it()
    {
        var error = ReadFails("""{"email":null,"seats":1,"home":{"street":"s","number":1}}""", Signup);

        Assert.Contains("'userId'", error.Message);
    }

    [Fact]
    public void A_missing_positional_parameter_with_a_default_value_takes_the_default()
    {
        object signup = JsonSerializer.Deserialize("""{"userId":"u","email":null,"seats":1,"home":{"street":"s","number":1}}""", Signup, payloads.GeneratedOptions)!;

        Assert.Equal("web", Signup.GetProperty("Source")!.GetValue(signup));
    }

    [Fact]
    public void A_missing_required_property_is_an_error_naming_it()
    {
        var error = ReadFails("""{"city":"c","number":1}""", Address);

        Assert.Contains("'street'", error.Message);
    }

    [Fact]
    public void A_missing_JsonRequired_property_is_an_error_naming_it()
    {
        var error = ReadFails("""{"street":"s"}""", Address);

        Assert.Contains("'number'", error.Message);
    }

    [Fact]
    public void Null_in_a_non_nullable_string_parameter_is_an_error_at_its_path()
    {
        var error = ReadFails("""{"userId":null,"email":null,"seats":1,"home":{"street":"s","number":1}}""", Signup);

        Assert.Equal("$.userId", error.Path);
    }

    [Fact]
    public void Null_in_a_non_nullable_required_property_is_an_error_at_its_path()
    {
        var error = ReadFails("""{"street":null,"number":1}""", Address);

        Assert.Equal("$.street", error.Path);
    }

    [Fact]
    public void Null_in_a_non_nullable_settable_property_is_an_error_at_its_path()
    {
        var error = ReadFails("""{"userId":"u","email":null,"seats":1,"home":{"street":"s","number":1,"label":null}}""", Signup);

        Assert.Equal("$.home.label", error.Path);
    }

    [Fact]
    public void Null_in_a_nullable_member_is_accepted()
    {
        object signup = JsonSerializer.Deserialize("""{"userId":"u","email":null,"seats":1,"home":{"street":"s","city":null,"number":1}}""", Signup, payloads.GeneratedOptions)!;

        Assert.Null(Signup.GetProperty("Email")!.GetValue(signup));
    }

    [Fact]
    public void Malformed_json_is_an_error_at_the_member_being_read()
    {
        var error = ReadFails("""{"userId":"u","seats":}""", Signup);

        Assert.Equal("$.seats", error.Path);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_an_error_at_its_path()
    {
        var error = ReadFails("""{"userId":"u","email":null,"seats":"many","home":{"street":"s","number":1}}""", Signup);

        Assert.Equal("$.seats", error.Path);
    }

    [Fact]
    public void An_absent_init_only_property_keeps_its_initial_value_as_with_reflection()
    {
        const string json = """{"street":"s","number":1}""";

        object generated = JsonSerializer.Deserialize(json, Address, payloads.GeneratedOptions)!;
        object reflection = JsonSerializer.Deserialize(json, Address, PayloadCompilation.StrictReflectionOptions)!;

        Assert.Equal("NL", Address.GetProperty("Country")!.GetValue(generated));
        Assert.Equal(
            JsonSerializer.Serialize(reflection, Address, PayloadCompilation.ReflectionOptions),
            JsonSerializer.Serialize(generated, Address, payloads.GeneratedOptions));
    }

    [Fact]
    public void A_JsonInclude_property_with_a_private_setter_is_read_like_reflection()
    {
        using var included = PayloadCompilation.Load("""
            public sealed class Account
            {
                public string Id { get; set; } = "";
                [JsonInclude] public decimal Balance { get; private set; } = 10m;
                public string Owner { get; private set; } = "nobody";
            }
            """, "Account");
        var type = included.Type("Account");
        const string json = """{"id":"a","balance":25.5,"owner":"ada"}""";

        object generated = JsonSerializer.Deserialize(json, type, included.GeneratedOptions)!;
        object reflection = JsonSerializer.Deserialize(json, type, PayloadCompilation.StrictReflectionOptions)!;

        Assert.Equal(25.5m, type.GetProperty("Balance")!.GetValue(generated));
        Assert.Equal("nobody", type.GetProperty("Owner")!.GetValue(generated));
        Assert.Equal(included.Write(reflection, type), included.Write(generated, type));
    }

    [Fact]
    public void A_present_init_only_property_is_set()
    {
        object address = JsonSerializer.Deserialize("""{"street":"s","number":1,"country":"BE"}""", Address, payloads.GeneratedOptions)!;

        Assert.Equal("BE", Address.GetProperty("Country")!.GetValue(address));
    }

    // The byte position can differ by one between the reflection and metadata paths; the member path may not.
    private static string WithoutPosition(string message) => message.Split(" Path: ")[0];

    /// <summary>Reads with the generated metadata, and checks System.Text.Json's reflection rejects the same JSON.</summary>
    private JsonException ReadFails(string json, Type type)
    {
        var generated = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, type, payloads.GeneratedOptions));
        var reflection = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, type, PayloadCompilation.StrictReflectionOptions));
        Assert.Equal(reflection.Path, generated.Path);
        Assert.Equal(WithoutPosition(reflection.Message), WithoutPosition(generated.Message));
        return generated;
    }
}
