using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace FanOut.Serialization;

/// <summary>
/// The one set of JSON options FanOut reads and writes with: System.Text.Json's web defaults (camelCase), strict about
/// required constructor parameters and nullable annotations, resolving metadata only from generated modules.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class FanOutJson
{
    private static readonly ModuleResolver Resolver = new();

    /// <summary>The options. Their metadata comes from the generated modules only: no reflection.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Metadata for raw JSON data.</summary>
    public static JsonTypeInfo<JsonElement> JsonElementInfo { get; } =
        JsonMetadataServices.CreateValueInfo<JsonElement>(Options, JsonMetadataServices.JsonElementConverter);

    /// <summary>Adds a generated module's metadata. Called when a module registers.</summary>
    public static void AddResolver(IJsonTypeInfoResolver resolver) => Resolver.Add(resolver);

    /// <summary>The metadata of <typeparamref name="T"/>, from the generated modules.</summary>
    /// <exception cref="MissingSerializerException">No generated module serializes <typeparamref name="T"/>.</exception>
    public static JsonTypeInfo<T> GetTypeInfo<T>()
    {
        if (typeof(T) == typeof(JsonElement))
        {
            return (JsonTypeInfo<T>)(object)JsonElementInfo;
        }
        return (JsonTypeInfo<T>)GetTypeInfo(typeof(T));
    }

    /// <summary>The metadata of <paramref name="type"/>, from the generated modules.</summary>
    /// <exception cref="MissingSerializerException">No generated module serializes <paramref name="type"/>.</exception>
    public static JsonTypeInfo GetTypeInfo(Type type)
    {
        try
        {
            return Options.GetTypeInfo(type);
        }
        catch (NotSupportedException e)
        {
            throw new MissingSerializerException(
                $"FanOut has no serializer for '{type.FullName}'. Serializers are generated for event payloads, function outputs " +
                "and step results in projects that reference FanOut.Sdk; check that the project declaring the type references it.", e);
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            TypeInfoResolver = Resolver,
        };
        return options;
    }

    /// <summary>Asks each registered module in turn; modules register before any serialization happens.</summary>
    private sealed class ModuleResolver : IJsonTypeInfoResolver
    {
        private static readonly BuiltInTypes BuiltIns = new();
        private readonly Lock gate = new();
        private IJsonTypeInfoResolver[] resolvers = [];

        public void Add(IJsonTypeInfoResolver resolver)
        {
            lock (gate)
            {
                Volatile.Write(ref resolvers, [.. resolvers, resolver]);
            }
        }

        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options)
        {
            foreach (var resolver in Volatile.Read(ref resolvers))
            {
                if (resolver.GetTypeInfo(type, options) is { } info)
                {
                    return info;
                }
            }
            return BuiltIns.GetTypeInfo(type, options);
        }
    }
}

/// <summary>FanOut was asked to serialize a type for which no serializer was generated. Retrying cannot help; the fix is in the build.</summary>
public sealed class MissingSerializerException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public MissingSerializerException(string message, Exception? innerException = null) : base(message, innerException)
    {
    }
}
