using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace FanOut.Tests.Serialization;

/// <summary>
/// With FanOut's options System.Text.Json writes objects through the generated fast path (the SerializeHandler, or the
/// generated converter of an object that has a direct reader, which calls the same writer), also when the generated
/// resolver sits behind FanOut's composite resolver; with other options it falls back to the metadata.
/// </summary>
public sealed class GeneratedFastPathTests : IDisposable
{
    private readonly PayloadCompilation payloads = PayloadCompilation.Load("""
        public sealed record UserSignup(string UserId, string? Email, int Seats, Address Home);
        public sealed class Address { public required string Street { get; init; } public string? City { get; set; } }
        public static class Samples { public static UserSignup Signup() => new("u", null, 2, new Address { Street = "s" }); }
        """, "UserSignup");

    public void Dispose() => payloads.Dispose();

    [Fact]
    public void FanOut_options_write_objects_through_the_generated_fast_path()
    {
        Assert.True(UsesFastPath(payloads.GeneratedOptions, "UserSignup"));
        Assert.True(UsesFastPath(payloads.GeneratedOptions, "Address"));
    }

    [Fact]
    public void The_fast_path_is_used_behind_a_composite_resolver_like_FanOuts()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            TypeInfoResolver = new Modules(payloads.Resolver),
        };

        Assert.True(UsesFastPath(options, "UserSignup"));
        payloads.Write(payloads.Call("Samples", "Signup"), payloads.Type("UserSignup"));
    }

    [Fact]
    public void Options_the_fast_path_was_not_generated_for_fall_back_to_the_metadata()
    {
        Assert.False(UsesFastPath(payloads.MetadataOnlyOptions, "UserSignup"));
        var snakeCase = new JsonSerializerOptions(payloads.GeneratedOptions) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

        Assert.False(UsesFastPath(snakeCase, "UserSignup"));
        Assert.Equal(
            """{"user_id":"u","email":null,"seats":2,"home":{"street":"s","city":null}}""",
            JsonSerializer.Serialize(payloads.Call("Samples", "Signup"), payloads.Type("UserSignup"), snakeCase));
    }

    [Fact]
    public void The_fast_path_rejects_null_in_a_non_nullable_member_as_the_metadata_does()
    {
        var type = payloads.Type("UserSignup");
        object invalid = Activator.CreateInstance(type, null, null, 1, null)!;

        var fast = Assert.Throws<JsonException>(() => JsonSerializer.Serialize(invalid, type, payloads.GeneratedOptions));
        var metadata = Assert.Throws<JsonException>(() => JsonSerializer.Serialize(invalid, type, payloads.MetadataOnlyOptions));

        Assert.Contains("'userId'", fast.Message);
        Assert.Contains("'userId'", metadata.Message);
    }

    [Fact]
    public void A_cyclic_object_graph_fails_at_the_maximum_depth_instead_of_overflowing_the_stack()
    {
        using var cyclic = PayloadCompilation.Load("""
            public sealed class Link { public string Name { get; set; } = ""; public Link? Next { get; set; } }
            public static class Samples { public static Link Loop() { var link = new Link { Name = "a" }; link.Next = link; return link; } }
            """, "Link");
        object loop = cyclic.Call("Samples", "Loop");

        // Link has a direct reader, so it is written through its generated converter: the writer stops at MaxDepth (64),
        // which System.Text.Json reports from a converter as a JsonException; the metadata path reports a cycle.
        Assert.Throws<JsonException>(() => JsonSerializer.Serialize(loop, cyclic.Type("Link"), cyclic.GeneratedOptions));
        Assert.Throws<JsonException>(() => JsonSerializer.Serialize(loop, cyclic.Type("Link"), cyclic.MetadataOnlyOptions));
    }

    /// <summary>
    /// Reads System.Text.Json's own decision (an internal flag; fine in a test), or whether the metadata is the generated
    /// converter, which writes through the same fast path.
    /// </summary>
    private bool UsesFastPath(JsonSerializerOptions options, string typeName)
    {
        JsonSerializer.Serialize(payloads.Call("Samples", "Signup"), payloads.Type("UserSignup"), options);
        var info = options.GetTypeInfo(payloads.Type(typeName));
        if (info.Converter.GetType().DeclaringType?.FullName == PayloadCompilation.GeneratedNamespace + "." + PayloadCompilation.GeneratedClass)
        {
            return true;
        }
        var flag = typeof(JsonTypeInfo).GetProperty("CanUseSerializeHandler", BindingFlags.Instance | BindingFlags.NonPublic)!;
        return (bool)flag.GetValue(info)!;
    }

    /// <summary>Asks each module's resolver in turn, as FanOutJson's resolver does.</summary>
    private sealed class Modules(params IJsonTypeInfoResolver[] resolvers) : IJsonTypeInfoResolver
    {
        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options) =>
            resolvers.Select(r => r.GetTypeInfo(type, options)).FirstOrDefault(info => info is not null);
    }
}
