using System.Collections.Generic;
using System.Threading;
using FanOut.Generators.Model;
using Microsoft.CodeAnalysis;

namespace FanOut.Generators.Serialization
{
    internal static partial class SerializationParser
    {
        /// <summary>
        /// The JSON property names FanOut's serializers write for <paramref name="type"/>, in property order: each
        /// property's [JsonPropertyName], else its CLR name in camelCase (the web defaults FanOutJson uses); properties
        /// with [JsonIgnore] (always) are left out. Null when the type is not written as a JSON object (a dictionary,
        /// JsonElement, a value), so any name may be valid.
        /// </summary>
        public static IReadOnlyList<string>? JsonPropertyNames(ITypeSymbol type, CancellationToken cancellationToken) =>
            JsonPropertyNames(Parse(type, cancellationToken).Types, NameOf(type));

        /// <summary>As <see cref="JsonPropertyNames(ITypeSymbol, CancellationToken)"/>, from an already parsed closure.</summary>
        /// <param name="types">The closure (<see cref="SerializationResult.Types"/>).</param>
        /// <param name="typeName">The type, fully qualified.</param>
        public static IReadOnlyList<string>? JsonPropertyNames(EquatableArray<TypeSpec> types, string typeName)
        {
            foreach (var spec in types)
            {
                if (spec.FullyQualifiedName != typeName)
                {
                    continue;
                }
                if (spec.Shape != TypeShape.Object || spec.Object is null)
                {
                    return null;
                }
                var names = new List<string>();
                foreach (var property in spec.Object.Properties)
                {
                    if (property.IgnoreCondition != "Always")
                    {
                        names.Add(property.JsonName ?? CamelCase(property.Name));
                    }
                }
                return names;
            }
            return null;
        }

        /// <summary>JsonNamingPolicy.CamelCase, character for character: the leading run of upper-case letters is lowered,
        /// except the last one when a lower-case letter follows it (<c>URLValue</c> → <c>urlValue</c>).</summary>
        public static string CamelCase(string name)
        {
            if (name.Length == 0 || !char.IsUpper(name[0]))
            {
                return name;
            }
            var chars = name.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (i == 1 && !char.IsUpper(chars[i]))
                {
                    break;
                }
                bool hasNext = i + 1 < chars.Length;
                if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
                {
                    if (chars[i + 1] == ' ')
                    {
                        chars[i] = char.ToLowerInvariant(chars[i]);
                    }
                    break;
                }
                chars[i] = char.ToLowerInvariant(chars[i]);
            }
            return new string(chars);
        }
    }
}
