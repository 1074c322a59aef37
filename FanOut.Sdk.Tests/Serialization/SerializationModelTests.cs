using System.Collections;
using System.Reflection;
using FanOut.Generators.Model;
using FanOut.Generators.Serialization;

namespace FanOut.Tests.Serialization;

/// <summary>The parser's output is plain, value-equatable data, so the incremental generator can cache it.</summary>
public sealed class SerializationModelTests
{
    private const string Source = """
        public enum Plan { Free, Pro }
        public sealed record UserSignup(string UserId, Plan Plan, List<Address> Addresses, Node Tree, int Seats = 1);
        public sealed class Address { public required string Street { get; init; } public string? City { get; set; } }
        public sealed record Node(string Name, List<Node> Children);
        """;

    [Fact]
    public void Parsing_the_same_type_in_two_compilations_gives_equal_results()
    {
        var first = PayloadCompilation.Parse(Source, "UserSignup");
        var second = PayloadCompilation.Parse(Source, "UserSignup");

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Fact]
    public void A_changed_member_gives_a_different_result()
    {
        var before = PayloadCompilation.Parse(Source, "UserSignup");
        var after = PayloadCompilation.Parse(Source.Replace("string? City", "string? Town"), "UserSignup");

        Assert.NotEqual(before, after);
    }

    [Fact]
    public void A_recursive_type_appears_once_in_the_closure()
    {
        var result = PayloadCompilation.Parse(Source, "UserSignup");

        Assert.Single(result.Types, t => t.FullyQualifiedName == "global::Node");
        Assert.Equal(result.Types.Count, result.Types.Select(t => t.FullyQualifiedName).Distinct().Count());
    }

    [Fact]
    public void The_model_holds_only_strings_numbers_booleans_enums_and_equatable_arrays_of_model_records()
    {
        var allowed = new HashSet<Type> { typeof(string), typeof(bool), typeof(int) };
        var checkedTypes = new HashSet<Type>();
        var pending = new Queue<Type>([typeof(SerializationResult)]);
        while (pending.TryDequeue(out var type))
        {
            if (!checkedTypes.Add(type))
            {
                continue;
            }
            Assert.True(type.IsSealed, type.Name + " should be sealed");
            Assert.True(type.GetMethod("<Clone>$") is not null, type.Name + " should be a record");
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.Name == "EqualityContract")
                {
                    continue;
                }
                var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                if (allowed.Contains(propertyType) || propertyType.IsEnum)
                {
                    continue;
                }
                if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(EquatableArray<>))
                {
                    pending.Enqueue(propertyType.GetGenericArguments()[0]);
                    continue;
                }
                Assert.False(typeof(IEnumerable).IsAssignableFrom(propertyType), type.Name + "." + property.Name + " is a collection that is not an EquatableArray");
                Assert.True(propertyType.Namespace == typeof(TypeSpec).Namespace,
                    type.Name + "." + property.Name + " is a " + propertyType.FullName + ", which is not plain model data");
                pending.Enqueue(propertyType);
            }
        }

        Assert.Contains(typeof(TypeSpec), checkedTypes);
        Assert.Contains(typeof(PropertySpec), checkedTypes);
        Assert.Contains(typeof(ParameterSpec), checkedTypes);
    }
}
