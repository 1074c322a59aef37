using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace FanOut.Generators.Serialization
{
    /// <summary>Questions about symbols the walk asks: built-in converters, attributes, names and literals.</summary>
    internal static partial class SerializationParser
    {
        private static string? UnhonouredTypeAttribute(INamedTypeSymbol type)
        {
            foreach (var attribute in type.GetAttributes())
            {
                switch (attribute.AttributeClass?.ToDisplayString())
                {
                    case "System.Text.Json.Serialization.JsonConverterAttribute":
                        return "[JsonConverter] is not supported by FanOut's generated serializers";
                    case "System.Text.Json.Serialization.JsonPolymorphicAttribute":
                    case "System.Text.Json.Serialization.JsonDerivedTypeAttribute":
                        return "polymorphism ([JsonPolymorphic], [JsonDerivedType]) is not supported by FanOut's generated serializers";
                    case "System.Text.Json.Serialization.JsonNumberHandlingAttribute":
                        return "[JsonNumberHandling] is not supported by FanOut's generated serializers";
                    case "System.Text.Json.Serialization.JsonUnmappedMemberHandlingAttribute":
                        return "[JsonUnmappedMemberHandling] is not supported by FanOut's generated serializers";
                    case "System.Text.Json.Serialization.JsonObjectCreationHandlingAttribute":
                        return "[JsonObjectCreationHandling] is not supported by FanOut's generated serializers";
                }
            }
            return null;
        }

        /// <summary>The JsonMetadataServices converter for types System.Text.Json writes as a single value.</summary>
        private static string? ValueConverterOf(INamedTypeSymbol type)
        {
            switch (type.SpecialType)
            {
                case SpecialType.System_Boolean: return "BooleanConverter";
                case SpecialType.System_Byte: return "ByteConverter";
                case SpecialType.System_SByte: return "SByteConverter";
                case SpecialType.System_Int16: return "Int16Converter";
                case SpecialType.System_UInt16: return "UInt16Converter";
                case SpecialType.System_Int32: return "Int32Converter";
                case SpecialType.System_UInt32: return "UInt32Converter";
                case SpecialType.System_Int64: return "Int64Converter";
                case SpecialType.System_UInt64: return "UInt64Converter";
                case SpecialType.System_Single: return "SingleConverter";
                case SpecialType.System_Double: return "DoubleConverter";
                case SpecialType.System_Decimal: return "DecimalConverter";
                case SpecialType.System_String: return "StringConverter";
                case SpecialType.System_Char: return "CharConverter";
                case SpecialType.System_DateTime: return "DateTimeConverter";
            }
            switch (type.ToDisplayString(TypeNameFormat))
            {
                case "global::System.Guid": return "GuidConverter";
                case "global::System.DateTimeOffset": return "DateTimeOffsetConverter";
                case "global::System.DateOnly": return "DateOnlyConverter";
                case "global::System.TimeOnly": return "TimeOnlyConverter";
                case "global::System.TimeSpan": return "TimeSpanConverter";
                case "global::System.Uri": return "UriConverter";
                case "global::System.Version": return "VersionConverter";
                case "global::System.Int128": return "Int128Converter";
                case "global::System.UInt128": return "UInt128Converter";
                case "global::System.Half": return "HalfConverter";
                case "global::System.Text.Json.JsonElement": return "JsonElementConverter";
                case "global::System.Text.Json.JsonDocument": return "JsonDocumentConverter";
                case "global::System.Text.Json.Nodes.JsonNode": return "JsonNodeConverter";
                case "global::System.Text.Json.Nodes.JsonObject": return "JsonObjectConverter";
                case "global::System.Text.Json.Nodes.JsonArray": return "JsonArrayConverter";
            }
            return null;
        }

        private static string IgnoreConditionName(int condition) => condition switch
        {
            0 => "Never",
            1 => "Always",
            2 => "WhenWritingDefault",
            3 => "WhenWritingNull",
            // Later conditions (WhenWriting, WhenReading, …) are emitted by value so the generator needs no newer reference.
            _ => "(global::System.Text.Json.Serialization.JsonIgnoreCondition)" + condition.ToString(CultureInfo.InvariantCulture),
        };

        private static bool IsNullable(ITypeSymbol type, NullableAnnotation annotation) =>
            type.IsValueType
                ? type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T
                : annotation != NullableAnnotation.NotAnnotated;

        /// <summary>A C# expression for a parameter's default value, typed so it unboxes to the parameter type.</summary>
        private static string Literal(ITypeSymbol type, object? value)
        {
            var underlying = type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T ? ((INamedTypeSymbol)type).TypeArguments[0] : type;
            if (value is null)
            {
                return type.IsValueType && type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T
                    ? "default(" + NameOf(type) + ")"
                    : "null";
            }
            if (underlying.TypeKind == TypeKind.Enum)
            {
                return "(" + NameOf(underlying) + ")(" + Convert.ToString(value, CultureInfo.InvariantCulture) + ")";
            }
            return value switch
            {
                string s => SymbolDisplay.FormatLiteral(s, quote: true),
                char c => SymbolDisplay.FormatLiteral(c, quote: true),
                bool b => b ? "true" : "false",
                float f => float.IsNaN(f) ? "float.NaN" : float.IsPositiveInfinity(f) ? "float.PositiveInfinity" : float.IsNegativeInfinity(f) ? "float.NegativeInfinity" : f.ToString("R", CultureInfo.InvariantCulture) + "F",
                double d => double.IsNaN(d) ? "double.NaN" : double.IsPositiveInfinity(d) ? "double.PositiveInfinity" : double.IsNegativeInfinity(d) ? "double.NegativeInfinity" : d.ToString("R", CultureInfo.InvariantCulture) + "D",
                decimal m => m.ToString(CultureInfo.InvariantCulture) + "M",
                long l => l.ToString(CultureInfo.InvariantCulture) + "L",
                ulong ul => ul.ToString(CultureInfo.InvariantCulture) + "UL",
                uint ui => ui.ToString(CultureInfo.InvariantCulture) + "U",
                int i => i.ToString(CultureInfo.InvariantCulture),
                _ => "(" + NameOf(underlying) + ")(" + Convert.ToString(value, CultureInfo.InvariantCulture) + ")",
            };
        }

        private static string NameOf(ITypeSymbol type) => type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString(TypeNameFormat);

        private static string AnnotatedNameOf(ITypeSymbol type) => type.ToDisplayString(AnnotatedTypeNameFormat);

        /// <summary>A readable identifier: <c>ListOfString</c>, <c>NullableOfInt32</c>, <c>Int32Array</c>, <c>UserSignup</c>.</summary>
        private static string IdentifierOf(ITypeSymbol type)
        {
            switch (type)
            {
                case IArrayTypeSymbol array:
                    return IdentifierOf(array.ElementType) + "Array";
                case INamedTypeSymbol named when named.IsGenericType:
                    var name = named.Name;
                    var arguments = new List<string>();
                    foreach (var argument in named.TypeArguments)
                    {
                        arguments.Add(IdentifierOf(argument));
                    }
                    return name + "Of" + string.Join("And", arguments);
                default:
                    return type.MetadataName;
            }
        }

        private static bool HasAttribute(ISymbol symbol, string fullName)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == fullName)
                {
                    return true;
                }
            }
            return false;
        }

        private static bool IsObjectOrValueType(INamedTypeSymbol type) =>
            type.SpecialType == SpecialType.System_Object || type.SpecialType == SpecialType.System_ValueType;

        private static bool IsInSystemNamespace(INamedTypeSymbol type)
        {
            var ns = type.ContainingNamespace;
            while (ns is { IsGlobalNamespace: false, ContainingNamespace.IsGlobalNamespace: false })
            {
                ns = ns.ContainingNamespace;
            }
            return ns is { IsGlobalNamespace: false, Name: "System" } || ns is { IsGlobalNamespace: false, Name: "Microsoft" };
        }

        private static bool ImplementsIEnumerable(INamedTypeSymbol type)
        {
            foreach (var implemented in type.AllInterfaces)
            {
                if (implemented.SpecialType == SpecialType.System_Collections_IEnumerable)
                {
                    return true;
                }
            }
            return false;
        }

        private static bool ContainsTypeParameter(ITypeSymbol type) => type switch
        {
            ITypeParameterSymbol => true,
            IArrayTypeSymbol array => ContainsTypeParameter(array.ElementType),
            INamedTypeSymbol named => named.IsUnboundGenericType || named.TypeArguments.Any(ContainsTypeParameter),
            _ => false,
        };
    }
}
