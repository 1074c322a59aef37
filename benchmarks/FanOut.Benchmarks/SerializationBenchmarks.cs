using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using FanOut.Registration;
using Signup.Contracts;

namespace FanOut.Benchmarks;

/// <summary>
/// The sample's payload, <see cref="UserSignup"/>, both directions: FanOut's generated metadata
/// (<c>EventMetadata&lt;UserSignup&gt;.TypeInfo</c>, what the send path and the worker use) against a System.Text.Json
/// source-generated context with web defaults over the same types, and the same context with FanOut's two strictness
/// settings added.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SerializationBenchmarks
{
    private static readonly UserSignup Signup = new(new User("u-1733014800000", "ada@example.com", "Ada Lovelace"), "pro");
    private byte[] json = null!;

    [GlobalSetup]
    public void Setup()
    {
        json = JsonSerializer.SerializeToUtf8Bytes(Signup, StjContext.Default.UserSignup);
        var fanOut = JsonSerializer.SerializeToUtf8Bytes(Signup, EventMetadata<UserSignup>.TypeInfo);
        if (!json.AsSpan().SequenceEqual(fanOut))
        {
            throw new InvalidOperationException("FanOut and System.Text.Json do not write the same JSON for the same payload.");
        }
        if (JsonSerializer.Deserialize(json, EventMetadata<UserSignup>.TypeInfo) != Signup)
        {
            throw new InvalidOperationException("FanOut does not read back the payload it wrote.");
        }
    }

    [Benchmark(Description = "FanOut generated"), BenchmarkCategory("Serialize")]
    public byte[] FanOutSerialize() => JsonSerializer.SerializeToUtf8Bytes(Signup, EventMetadata<UserSignup>.TypeInfo);

    [Benchmark(Baseline = true, Description = "STJ JsonSerializerContext"), BenchmarkCategory("Serialize")]
    public byte[] StjSerialize() => JsonSerializer.SerializeToUtf8Bytes(Signup, StjContext.Default.UserSignup);

    [Benchmark(Description = "STJ context, FanOut's strictness"), BenchmarkCategory("Serialize")]
    public byte[] StrictStjSerialize() => JsonSerializer.SerializeToUtf8Bytes(Signup, StrictStjContext.Default.UserSignup);

    [Benchmark(Description = "STJ context, RespectNullableAnnotations only"), BenchmarkCategory("Deserialize")]
    public UserSignup? NullableOnlyStjDeserialize() => JsonSerializer.Deserialize(json, NullableOnlyStjContext.Default.UserSignup);

    [Benchmark(Description = "STJ context, RespectRequiredConstructorParameters only"), BenchmarkCategory("Deserialize")]
    public UserSignup? RequiredOnlyStjDeserialize() => JsonSerializer.Deserialize(json, RequiredOnlyStjContext.Default.UserSignup);

    [Benchmark(Description = "FanOut generated"), BenchmarkCategory("Deserialize")]
    public UserSignup? FanOutDeserialize() => JsonSerializer.Deserialize(json, EventMetadata<UserSignup>.TypeInfo);

    [Benchmark(Baseline = true, Description = "STJ JsonSerializerContext"), BenchmarkCategory("Deserialize")]
    public UserSignup? StjDeserialize() => JsonSerializer.Deserialize(json, StjContext.Default.UserSignup);

    [Benchmark(Description = "STJ context, FanOut's strictness"), BenchmarkCategory("Deserialize")]
    public UserSignup? StrictStjDeserialize() => JsonSerializer.Deserialize(json, StrictStjContext.Default.UserSignup);
}

/// <summary>What an application would write without FanOut: a source-generated context with web defaults.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UserSignup))]
internal sealed partial class StjContext : JsonSerializerContext;

/// <summary>
/// The same, with the two settings FanOut adds to the web defaults (FanOutJson.Options): a payload missing a required
/// constructor parameter, or holding null where the type says non-null, is refused. Tells the cost of the checks apart
/// from the cost of FanOut's resolver.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(UserSignup))]
internal sealed partial class StrictStjContext : JsonSerializerContext;

/// <summary>Web defaults plus only RespectNullableAnnotations: the cost of the null checks alone.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(UserSignup))]
internal sealed partial class NullableOnlyStjContext : JsonSerializerContext;

/// <summary>Web defaults plus only RespectRequiredConstructorParameters: the cost of the missing-parameter checks alone.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(UserSignup))]
internal sealed partial class RequiredOnlyStjContext : JsonSerializerContext;
