using System.Collections.Generic;
using System.Globalization;
using FanOut.Generators.Emitting;

namespace FanOut.Generators.Serialization
{
    /// <summary>
    /// The SerializeHandler fast path: System.Text.Json calls it instead of walking the metadata when the options match
    /// FanOut's, so it must write exactly what the metadata writes.
    /// </summary>
    internal static partial class SerializerEmitter
    {
        /// <summary>Whether the fast path can write the type: every ignore condition is one it knows.</summary>
        private static bool HasFastPath(ObjectSpec obj)
        {
            foreach (var property in obj.Properties)
            {
                if (property.IgnoreCondition is not null && property.IgnoreCondition.StartsWith("(", System.StringComparison.Ordinal))
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>The properties the fast path writes, in System.Text.Json's order: a stable sort by [JsonPropertyOrder].</summary>
        private static List<PropertySpec> Written(ObjectSpec obj)
        {
            var written = new List<(PropertySpec Property, int Index)>();
            foreach (var property in obj.Properties)
            {
                if (property.HasGetter && property.IgnoreCondition != "Always")
                {
                    written.Add((property, written.Count));
                }
            }
            written.Sort((a, b) => a.Property.Order != b.Property.Order ? a.Property.Order.CompareTo(b.Property.Order) : a.Index.CompareTo(b.Index));
            return written.ConvertAll(p => p.Property);
        }

        /// <summary>
        /// Writes an instance straight to the writer, in the order, with the names, conditions and null checks the metadata
        /// path applies, so the bytes are the same. Primitives, enums, nested objects and collections are written inline or
        /// through their own generated writer; other values (Uri, JsonElement, dates without a writer overload…) go back
        /// through JsonSerializer with their metadata.
        /// </summary>
        private static void FastPath(SourceWriter w, TypeSpec type, ObjectSpec obj, string id, Dictionary<string, TypeSpec> byName, Dictionary<string, string> identifiers)
        {
            string name = type.FullyQualifiedName;
            var written = Written(obj);
            var names = new List<string>();
            foreach (var property in written)
            {
                names.Add("PropertyName(FanOutOptions, " + Quote(property.Name) + ", " + (property.JsonName is null ? "null" : Quote(property.JsonName)) + ")");
            }
            // The fast path only runs with options compatible with FanOutOptions (same naming policy, default encoder),
            // so the names can be encoded once.
            w.WriteLine("private static readonly global::System.Text.Json.JsonEncodedText[] " + id + "Names = { " + string.Join(", ", names) + " };");
            w.WriteLine();
            w.OpenBlock("private static void Write" + id + "(global::System.Text.Json.Utf8JsonWriter writer, " + name + (type.IsValueType ? "" : "?") +
                " value, " + Options + " options)");
            if (!type.IsValueType)
            {
                w.OpenBlock("if (value is null)");
                w.WriteLine("writer.WriteNullValue();");
                w.WriteLine("return;");
                w.CloseBlock();
            }
            w.WriteLine("writer.WriteStartObject();");
            var values = new ValueWriter(w, byName, identifiers);
            for (int i = 0; i < written.Count; i++)
            {
                var property = written[i];
                string nameExpression = id + "Names[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                string local = "value" + i.ToString(CultureInfo.InvariantCulture);
                byName.TryGetValue(property.TypeName, out var propertyType);
                bool canBeNull = propertyType is null || !propertyType.IsValueType || propertyType.Shape == TypeShape.Nullable;
                w.WriteLine(property.AnnotatedTypeName + " " + local + " = value." + Identifier(property.Name) + ";");
                string? condition = property.IgnoreCondition switch
                {
                    "WhenWritingNull" when canBeNull => local + " is not null",
                    "WhenWritingDefault" => canBeNull ? local + " is not null"
                        : "!global::System.Collections.Generic.EqualityComparer<" + property.AnnotatedTypeName + ">.Default.Equals(" + local + ", default)",
                    _ => null,
                };
                if (condition is not null)
                {
                    w.OpenBlock("if (" + condition + ")");
                }
                if (!property.IsGetNullable && canBeNull)
                {
                    // Web options respect nullable annotations; the fast path only runs with options that do.
                    w.OpenBlock("if (" + local + " is null)");
                    w.WriteLine("ThrowNullProperty(" + nameExpression + ", " + Quote(Simple(name)) + ");");
                    w.CloseBlock();
                }
                values.Write(property.TypeName, property.AnnotatedTypeName, local, nameExpression);
                if (condition is not null)
                {
                    w.CloseBlock();
                }
            }
            w.WriteLine("writer.WriteEndObject();");
            w.CloseBlock();
        }

        /// <summary>Emits the statements that write one value, as a property (with a name) or as an array element.</summary>
        private sealed class ValueWriter
        {
            private readonly SourceWriter w;
            private readonly Dictionary<string, TypeSpec> byName;
            private readonly Dictionary<string, string> identifiers;
            private int locals;

            public ValueWriter(SourceWriter w, Dictionary<string, TypeSpec> byName, Dictionary<string, string> identifiers)
            {
                this.w = w;
                this.byName = byName;
                this.identifiers = identifiers;
            }

            /// <param name="typeName">The value's type without nullable annotations.</param>
            /// <param name="annotatedType">The value's declared type with annotations, or null for collection elements (whose annotations are unknown here).</param>
            /// <param name="value">An expression for the value.</param>
            /// <param name="name">An expression for the property name, or null for an element.</param>
            public void Write(string typeName, string? annotatedType, string value, string? name)
            {
                byName.TryGetValue(typeName, out var spec);
                string? direct = spec is null ? null : Direct(spec);
                if (direct is not null)
                {
                    w.WriteLine(Call(direct, name, Cast(spec!) + value));
                    return;
                }
                if (spec is { Shape: TypeShape.Nullable } && byName.TryGetValue(spec.ElementType, out var underlying) && Direct(underlying) is { } underlyingDirect)
                {
                    string local = Local();
                    w.WriteLine("var " + local + " = " + value + ";");
                    w.OpenBlock("if (" + local + ".HasValue)");
                    w.WriteLine(Call(underlyingDirect, name, Cast(underlying) + local + ".Value"));
                    w.CloseBlock();
                    w.OpenBlock("else");
                    w.WriteLine(name is null ? "writer.WriteNullValue();" : "writer.WriteNull(" + name + ");");
                    w.CloseBlock();
                    return;
                }
                if (spec is { Shape: TypeShape.Object } && HasFastPath(spec.Object!))
                {
                    WriteName(name);
                    w.WriteLine("Write" + identifiers[typeName] + "(writer, " + value + ", options);");
                    return;
                }
                if (spec is { Shape: TypeShape.Array or TypeShape.List or TypeShape.Enumerable or TypeShape.Dictionary or TypeShape.ReadOnlyDictionary })
                {
                    bool isArray = spec.Shape is TypeShape.Array or TypeShape.List or TypeShape.Enumerable;
                    string local = Local();
                    string item = Local();
                    WriteName(name);
                    w.WriteLine("var " + local + " = " + value + ";");
                    w.OpenBlock("if (" + local + " is null)");
                    w.WriteLine("writer.WriteNullValue();");
                    w.CloseBlock();
                    w.OpenBlock("else");
                    w.WriteLine(isArray ? "writer.WriteStartArray();" : "writer.WriteStartObject();");
                    string? count = Indexable(spec);
                    if (count is not null)
                    {
                        string index = Local();
                        w.OpenBlock("for (int " + index + " = 0; " + index + " < " + local + "." + count + "; " + index + "++)");
                        w.WriteLine("var " + item + " = " + local + "[" + index + "];");
                    }
                    else
                    {
                        w.OpenBlock("foreach (var " + item + " in " + local + ")");
                    }
                    if (isArray)
                    {
                        Write(spec.ElementType, null, item, null);
                    }
                    else
                    {
                        // Keys are written as they are: FanOut's options have no dictionary key policy.
                        w.WriteLine("writer.WritePropertyName(" + item + ".Key);");
                        Write(spec.ElementType, null, item + ".Value", null);
                    }
                    w.CloseBlock();
                    w.WriteLine(isArray ? "writer.WriteEndArray();" : "writer.WriteEndObject();");
                    w.CloseBlock();
                    return;
                }

                // Everything else through its metadata. Element annotations are unknown here, hence the `!`.
                string type = annotatedType ?? typeName;
                WriteName(name);
                w.WriteLine("global::System.Text.Json.JsonSerializer.Serialize<" + type + ">(writer, " + value + (annotatedType is null ? "!" : "") +
                    ", (" + Metadata + "JsonTypeInfo<" + type + ">)options.GetTypeInfo(typeof(" + typeName + ")));");
            }

            private void WriteName(string? name)
            {
                if (name is not null)
                {
                    w.WriteLine("writer.WritePropertyName(" + name + ");");
                }
            }

            /// <summary>The count property when elements can be read by index (no enumerator to allocate), else null.</summary>
            private static string? Indexable(TypeSpec spec) => spec.Shape switch
            {
                TypeShape.Array => "Length",
                TypeShape.List => "Count",
                TypeShape.Enumerable when spec.FullyQualifiedName.StartsWith("global::System.Collections.Generic.IReadOnlyList<", System.StringComparison.Ordinal) => "Count",
                _ => null,
            };

            private string Local() => "item" + (locals++).ToString(CultureInfo.InvariantCulture);

            private static string Call(string method, string? name, string value) =>
                name is null ? "writer." + method + "Value(" + value + ");" : "writer." + method + "(" + name + ", " + value + ");";

            /// <summary>The writer method (without <c>Value</c>) that writes what the built-in converter or enum converter writes.</summary>
            private static string? Direct(TypeSpec spec) => spec.Shape switch
            {
                TypeShape.Enum => "WriteNumber",
                TypeShape.Value => spec.Converter switch
                {
                    "BooleanConverter" => "WriteBoolean",
                    "ByteConverter" or "SByteConverter" or "Int16Converter" or "UInt16Converter" or "Int32Converter" or "Int64Converter" or "UInt32Converter" or
                        "UInt64Converter" or "SingleConverter" or "DoubleConverter" or "DecimalConverter" => "WriteNumber",
                    "StringConverter" or "GuidConverter" or "DateTimeConverter" or "DateTimeOffsetConverter" => "WriteString",
                    _ => null,
                },
                _ => null,
            };

            /// <summary>Enums are written as their underlying number; small integers widen to the writer's int overload.</summary>
            private static string Cast(TypeSpec spec)
            {
                string number = spec.Shape == TypeShape.Enum ? spec.ElementType : spec.FullyQualifiedName;
                switch (number)
                {
                    case "byte":
                    case "sbyte":
                    case "short":
                    case "ushort":
                        return "(int)";
                    default:
                        return spec.Shape == TypeShape.Enum ? "(" + number + ")" : "";
                }
            }
        }

        private static string Simple(string fullyQualifiedName)
        {
            string name = fullyQualifiedName.StartsWith("global::", System.StringComparison.Ordinal) ? fullyQualifiedName.Substring(8) : fullyQualifiedName;
            int generic = name.IndexOf('<');
            int dot = name.LastIndexOf('.', generic < 0 ? name.Length - 1 : generic);
            return name.Substring(dot + 1);
        }
    }
}
