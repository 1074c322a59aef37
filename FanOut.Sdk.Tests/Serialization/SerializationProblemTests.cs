using FanOut.Generators.Serialization;

namespace FanOut.Tests.Serialization;

/// <summary>A member whose type the generated serializers cannot handle is a problem naming the member, found at compile time.</summary>
public sealed class SerializationProblemTests
{
    [Fact]
    public void A_tuple_member_is_a_problem_naming_it()
    {
        var problem = SingleProblem("""
            public sealed record UserSignup(string UserId, (double, double) Location);
            """, "UserSignup");

        Assert.Equal(new SerializationProblem("UserSignup.Location", "(double, double)", "tuples are not supported; use a record with named properties"), problem);
    }

    [Fact]
    public void A_type_whose_data_lives_only_in_public_fields_is_a_problem_naming_the_member()
    {
        var problem = SingleProblem("""
            public sealed record UserSignup(string UserId, Coordinates Location);
            public sealed class Coordinates { public double Lat; public double Lng; }
            """, "UserSignup");

        Assert.Equal("UserSignup.Location", problem.MemberPath);
        Assert.Equal("Coordinates", problem.TypeDisplay);
        Assert.Contains("public fields", problem.Reason);
    }

    [Fact]
    public void A_field_marked_JsonInclude_is_a_problem_naming_it()
    {
        var problem = SingleProblem("""
            public sealed class Counter { public int Total { get; set; } [JsonInclude] public int Hits; }
            """, "Counter");

        Assert.Equal("Counter.Hits", problem.MemberPath);
        Assert.Contains("fields are not supported", problem.Reason);
    }

    [Fact]
    public void An_open_generic_type_is_a_problem()
    {
        var problem = SingleProblem("""
            public sealed record Envelope<T>(T Data);
            """, "Envelope`1");

        Assert.Equal("Envelope", problem.MemberPath);
        Assert.Contains("open generic", problem.Reason);
    }

    [Fact]
    public void An_object_member_is_a_problem_naming_it()
    {
        var problem = SingleProblem("""
            public sealed record Audit(string Action, object Details);
            """, "Audit");

        Assert.Equal("Audit.Details", problem.MemberPath);
        Assert.Contains("use JsonElement", problem.Reason);
    }

    [Fact]
    public void An_interface_member_other_than_the_supported_collections_is_a_problem_naming_it()
    {
        var problem = SingleProblem("""
            public interface IShape { double Area { get; } }
            public sealed record Drawing(IShape Shape);
            """, "Drawing");

        Assert.Equal("Drawing.Shape", problem.MemberPath);
        Assert.Contains("interfaces are not supported", problem.Reason);
    }

    [Fact]
    public void A_delegate_member_is_a_problem_naming_it()
    {
        var problem = SingleProblem("""
            public sealed record Hook(string Name, Func<int, int> Transform);
            """, "Hook");

        Assert.Equal("Hook.Transform", problem.MemberPath);
        Assert.Equal("delegates cannot be serialized", problem.Reason);
    }

    [Fact]
    public void A_pointer_member_is_a_problem_naming_it()
    {
        var problem = SingleProblem("""
            public unsafe sealed class Buffer { public int* Start { get; set; } }
            """, "Buffer");

        Assert.Equal("Buffer.Start", problem.MemberPath);
        Assert.Equal("pointers cannot be serialized", problem.Reason);
    }

    [Fact]
    public void A_dictionary_with_non_string_keys_is_a_problem_naming_the_member()
    {
        var problem = SingleProblem("""
            public sealed record Scores(Dictionary<int, string> ByRank);
            """, "Scores");

        Assert.Equal("Scores.ByRank", problem.MemberPath);
        Assert.Equal("Dictionary<int, string>", problem.TypeDisplay);
        Assert.Contains("string keys", problem.Reason);
    }

    [Fact]
    public void A_collection_type_outside_the_supported_ones_is_a_problem_naming_the_member()
    {
        var problem = SingleProblem("""
            public sealed record Tags(HashSet<string> Names);
            """, "Tags");

        Assert.Equal("Tags.Names", problem.MemberPath);
        Assert.Contains("List<T>", problem.Reason);
    }

    [Fact]
    public void A_type_with_JsonConverter_is_a_problem_naming_the_member()
    {
        var problem = SingleProblem("""
            public sealed record Order(Money Total);
            [JsonConverter(typeof(MoneyConverter))] public sealed record Money(decimal Amount);
            public sealed class MoneyConverter : JsonConverter<Money>
            {
                public override Money Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetDecimal());
                public override void Write(Utf8JsonWriter writer, Money value, JsonSerializerOptions options) => writer.WriteNumberValue(value.Amount);
            }
            """, "Order");

        Assert.Equal("Order.Total", problem.MemberPath);
        Assert.Contains("[JsonConverter]", problem.Reason);
    }

    [Fact]
    public void An_enum_with_a_string_converter_is_a_problem_naming_the_member()
    {
        var problem = SingleProblem("""
            [JsonConverter(typeof(JsonStringEnumConverter<Plan>))] public enum Plan { Free, Pro }
            public sealed record Subscription(Plan Plan);
            """, "Subscription");

        Assert.Equal("Subscription.Plan", problem.MemberPath);
        Assert.Contains("[JsonConverter]", problem.Reason);
    }

    [Fact]
    public void A_polymorphic_type_is_a_problem_naming_the_member()
    {
        var problem = SingleProblem("""
            [JsonPolymorphic, JsonDerivedType(typeof(Card), "card")] public class Payment { public decimal Amount { get; set; } }
            public sealed class Card : Payment { public string Last4 { get; set; } = ""; }
            public sealed record Checkout(Payment Payment);
            """, "Checkout");

        Assert.Equal("Checkout.Payment", problem.MemberPath);
        Assert.Contains("polymorphism", problem.Reason);
    }

    [Fact]
    public void Extension_data_is_a_problem_naming_the_member()
    {
        var problem = SingleProblem("""
            public sealed class Open { public string Name { get; set; } = ""; [JsonExtensionData] public Dictionary<string, JsonElement>? Rest { get; set; } }
            """, "Open");

        Assert.Equal("Open.Rest", problem.MemberPath);
        Assert.Contains("[JsonExtensionData]", problem.Reason);
    }

    [Fact]
    public void Number_handling_is_a_problem_naming_the_member()
    {
        var problem = SingleProblem("""
            public sealed class Quote { [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] public decimal Price { get; set; } }
            """, "Quote");

        Assert.Equal("Quote.Price", problem.MemberPath);
        Assert.Contains("[JsonNumberHandling]", problem.Reason);
    }

    [Fact]
    public void An_abstract_member_type_is_a_problem_naming_the_member()
    {
        var problem = SingleProblem("""
            public abstract class Shape { public double Area { get; set; } }
            public sealed record Drawing(Shape Shape);
            """, "Drawing");

        Assert.Equal("Drawing.Shape", problem.MemberPath);
        Assert.Contains("abstract", problem.Reason);
    }

    [Fact]
    public void A_problem_deep_in_the_graph_names_the_path_from_the_root()
    {
        var problem = SingleProblem("""
            public sealed record UserSignup(Address Home);
            public sealed record Address(string Street, List<(int, int)> Corners);
            """, "UserSignup");

        Assert.Equal("UserSignup.Home.Corners", problem.MemberPath);
        Assert.Equal("(int, int)", problem.TypeDisplay);
    }

    [Fact]
    public void Constructor_parameters_without_a_matching_property_are_a_problem()
    {
        var problem = SingleProblem("""
            public sealed class Reading
            {
                public Reading(double celsius) => Fahrenheit = celsius * 9 / 5 + 32;
                public double Fahrenheit { get; }
            }
            """, "Reading");

        Assert.Equal("Reading", problem.MemberPath);
        Assert.Contains("'celsius'", problem.Reason);
    }

    [Fact]
    public void Two_properties_with_the_same_json_name_are_a_problem_naming_the_second()
    {
        var problem = SingleProblem("""
            public sealed class Account { public string Id { get; set; } = ""; [JsonPropertyName("ID")] public string External { get; set; } = ""; }
            """, "Account");

        Assert.Equal("Account.External", problem.MemberPath);
        Assert.Contains("'Id' and 'External'", problem.Reason);
    }

    [Fact]
    public void An_init_only_property_of_a_generic_type_outside_the_constructor_is_a_problem_naming_it()
    {
        var problem = SingleProblem("""
            public sealed class Envelope<T> { public T? Data { get; set; } public string Trace { get; init; } = ""; }
            public sealed record Batch(Envelope<int> Latest);
            """, "Batch");

        Assert.Equal("Batch.Latest.Trace", problem.MemberPath);
        Assert.Contains("init-only properties of generic types", problem.Reason);
    }

    [Fact]
    public void A_file_local_type_is_a_problem()
    {
        var problem = SingleProblem("""
            file sealed record Secret(string Value);
            """, "Secret");

        Assert.Equal("Secret", problem.MemberPath);
        Assert.Contains("file-local", problem.Reason);
    }

    [Fact]
    public void An_always_ignored_member_of_an_unsupported_type_is_not_a_problem()
    {
        var result = PayloadCompilation.Parse("""
            public sealed class Cached { public string Key { get; set; } = ""; [JsonIgnore] public object? Value { get; set; } }
            """, "Cached");

        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Supported_payloads_have_no_problems()
    {
        var result = PayloadCompilation.Parse("""
            public sealed record UserSignup(string UserId, List<Address> Addresses, IReadOnlyDictionary<string, int> Counts, JsonElement Raw);
            public sealed record Address(string Street, int? Floor);
            """, "UserSignup");

        Assert.Empty(result.Problems);
    }

    private static SerializationProblem SingleProblem(string source, string root) =>
        Assert.Single(PayloadCompilation.Parse(source, root).Problems);
}
