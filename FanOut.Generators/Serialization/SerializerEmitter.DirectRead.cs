using System.Collections.Generic;
using System.Globalization;
using FanOut.Generators.Emitting;
using FanOut.Generators.Model;

namespace FanOut.Generators.Serialization
{
    /// <summary>
    /// The direct reader: for an object whose members are all primitives or other such objects, a converter that reads it
    /// straight from the Utf8JsonReader (and writes it with the fast path), used when the options are FanOut's. It gives
    /// up on anything unexpected and hands the value back to the metadata (PayloadReader.Reread), so every error is
    /// System.Text.Json's own; it must never accept what the metadata would refuse, nor read a value differently.
    /// </summary>
    internal static partial class SerializerEmitter
    {
        private const string Reader = "global::System.Text.Json.Utf8JsonReader";
        private const string Token = "global::System.Text.Json.JsonTokenType.";
        private const string PayloadReader = "global::FanOut.Serialization.PayloadReader.";

        /// <summary>The Utf8JsonReader method that reads what a built-in converter reads, and the token it reads it from.</summary>
        private static (string Method, string Token)? ReaderMethod(string converter) => converter switch
        {
            "ByteConverter" => ("TryGetByte", "Number"),
            "SByteConverter" => ("TryGetSByte", "Number"),
            "Int16Converter" => ("TryGetInt16", "Number"),
            "UInt16Converter" => ("TryGetUInt16", "Number"),
            "Int32Converter" => ("TryGetInt32", "Number"),
            "UInt32Converter" => ("TryGetUInt32", "Number"),
            "Int64Converter" => ("TryGetInt64", "Number"),
            "UInt64Converter" => ("TryGetUInt64", "Number"),
            "SingleConverter" => ("TryGetSingle", "Number"),
            "DoubleConverter" => ("TryGetDouble", "Number"),
            "DecimalConverter" => ("TryGetDecimal", "Number"),
            "GuidConverter" => ("TryGetGuid", "String"),
            "DateTimeConverter" => ("TryGetDateTime", "String"),
            "DateTimeOffsetConverter" => ("TryGetDateTimeOffset", "String"),
            _ => null,
        };

        /// <summary>Whether a member of this type can be read directly: a string, bool, number, Guid or date, a Nullable of one, or a direct object.</summary>
        private static bool IsDirectMember(TypeSpec? spec, HashSet<string> direct, Dictionary<string, TypeSpec> byName)
        {
            switch (spec?.Shape)
            {
                case TypeShape.Value:
                    return spec.Converter is "StringConverter" or "BooleanConverter" || ReaderMethod(spec.Converter) is not null;
                case TypeShape.Nullable:
                    return byName.TryGetValue(spec.ElementType, out var underlying) && underlying.Shape == TypeShape.Value &&
                        (underlying.Converter == "BooleanConverter" || ReaderMethod(underlying.Converter) is not null);
                case TypeShape.Object:
                    return direct.Contains(spec.FullyQualifiedName);
                default:
                    return false;
            }
        }

        /// <summary>
        /// The object types that get a direct reader: classes whose every member is a direct member and is set through the
        /// constructor, a setter or an init accessor. Starts from all classes and drops those that fail until none does,
        /// so objects that refer to each other (or to themselves) qualify together.
        /// </summary>
        private static HashSet<string> DirectReadTypes(EquatableArray<TypeSpec> types, Dictionary<string, TypeSpec> byName)
        {
            var direct = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var type in types)
            {
                if (type.Object is { } obj && !type.IsValueType && !obj.StartsFromDefault && HasFastPath(obj))
                {
                    direct.Add(type.FullyQualifiedName);
                }
            }
            bool changed = true;
            while (changed)
            {
                changed = false;
                foreach (var type in types)
                {
                    if (direct.Contains(type.FullyQualifiedName) && !CanReadDirectly(type.Object!, direct, byName))
                    {
                        direct.Remove(type.FullyQualifiedName);
                        changed = true;
                    }
                }
            }
            return direct;
        }

        private static bool CanReadDirectly(ObjectSpec obj, HashSet<string> direct, Dictionary<string, TypeSpec> byName)
        {
            foreach (var property in obj.Properties)
            {
                if (property.IgnoreCondition == "Always")
                {
                    return false;
                }
                var role = RoleOf(obj, property);
                if (role.Setter == SetterKind.None)
                {
                    if (property.IsRequired)
                    {
                        return false;
                    }
                    continue; // not read: skipped like an unknown member, as System.Text.Json skips it
                }
                byName.TryGetValue(property.TypeName, out var spec);
                if (!IsDirectMember(spec, direct, byName))
                {
                    return false;
                }
            }
            foreach (var parameter in obj.Parameters)
            {
                if (Bound(obj, parameter) is null)
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>The property a constructor parameter or member initializer sets, matched by name ignoring case as System.Text.Json does.</summary>
        private static PropertySpec? Bound(ObjectSpec obj, ParameterSpec parameter)
        {
            foreach (var property in obj.Properties)
            {
                if (string.Equals(property.Name, parameter.Name, System.StringComparison.OrdinalIgnoreCase))
                {
                    return property;
                }
            }
            return null;
        }

        /// <summary>How a property gets its value: through a parameter (which one), or its setter or init accessor.</summary>
        private static (SetterKind Setter, int Parameter) RoleOf(ObjectSpec obj, PropertySpec property)
        {
            if (obj.UsesParameterizedConstructor || property.Setter == SetterKind.Constructor)
            {
                for (int i = 0; i < obj.Parameters.Count; i++)
                {
                    if (string.Equals(property.Name, obj.Parameters[i].Name, System.StringComparison.OrdinalIgnoreCase))
                    {
                        return (SetterKind.Constructor, i);
                    }
                }
            }
            return (property.Setter == SetterKind.Constructor ? SetterKind.None : property.Setter, -1);
        }

        /// <summary>Creates the direct metadata: a value converter that reads directly and writes through the fast path.</summary>
        private static void DirectInfo(SourceWriter w, TypeSpec type, string id)
        {
            w.OpenBlock("private static " + Metadata + "JsonTypeInfo<" + type.FullyQualifiedName + "> Create" + id + "Direct(" + Options + " options)");
            w.WriteLine("return " + Services + "CreateValueInfo<" + type.FullyQualifiedName + ">(options, new " + id + "Converter());");
            w.CloseBlock();
        }

        private static void DirectReader(SourceWriter w, TypeSpec type, ObjectSpec obj, string id, Dictionary<string, TypeSpec> byName, Dictionary<string, string> identifiers)
        {
            string name = type.FullyQualifiedName;
            var read = new List<(PropertySpec Property, int Index, SetterKind Setter, int Parameter)>();
            for (int i = 0; i < obj.Properties.Count; i++)
            {
                var role = RoleOf(obj, obj.Properties[i]);
                if (role.Setter != SetterKind.None)
                {
                    read.Add((obj.Properties[i], i, role.Setter, role.Parameter));
                }
            }

            var utf8 = new List<string>();
            var strings = new List<string>();
            foreach (var member in read)
            {
                string nameArguments = "(FanOutOptions, " + Quote(member.Property.Name) + ", " + (member.Property.JsonName is null ? "null" : Quote(member.Property.JsonName)) + ")";
                utf8.Add(PayloadReader + "Utf8Name" + nameArguments);
                strings.Add(PayloadReader + "Name" + nameArguments);
            }
            w.WriteLine("private static readonly byte[][] " + id + "Utf8Names = { " + string.Join(", ", utf8) + " };");
            w.WriteLine();
            w.WriteLine("private static readonly string[] " + id + "ReadNames = { " + string.Join(", ", strings) + " };");
            w.WriteLine();

            w.WriteLine("/// <summary>Reads a " + Simple(name) + " straight from the reader; false (and any position) when the metadata must decide.</summary>");
            w.OpenBlock("private static bool TryRead" + id + "(ref " + Reader + " reader, out " + name + "? result)");
            w.WriteLine("result = null;");
            w.OpenBlock("if (reader.TokenType != " + Token + "StartObject)");
            w.WriteLine("return false;");
            w.CloseBlock();
            for (int m = 0; m < read.Count; m++)
            {
                string local = "v" + m.ToString(CultureInfo.InvariantCulture);
                w.WriteLine(read[m].Property.AnnotatedTypeName + " " + local + " = default!;");
                w.WriteLine("bool has" + m.ToString(CultureInfo.InvariantCulture) + " = false;");
            }
            // Which member's value is being read (-1: none, -2: an unknown one, named by `unknown`): malformed JSON is
            // reported at the path System.Text.Json would give it.
            w.WriteLine("int reading = -1;");
            w.WriteLine(Reader + " unknown = default;");
            w.OpenBlock("try");
            w.OpenBlock("while (true)");
            w.OpenBlock("if (!reader.Read())");
            w.WriteLine("return false;");
            w.CloseBlock();
            w.OpenBlock("if (reader.TokenType == " + Token + "EndObject)");
            w.WriteLine("break;");
            w.CloseBlock();
            w.OpenBlock("if (reader.TokenType != " + Token + "PropertyName)");
            w.WriteLine("return false;");
            w.CloseBlock();
            for (int m = 0; m < read.Count; m++)
            {
                string index = m.ToString(CultureInfo.InvariantCulture);
                var member = read[m];
                w.OpenBlock((m == 0 ? "if" : "else if") + " (reader.ValueTextEquals(" + id + "Utf8Names[" + index + "]))");
                // A duplicate is the metadata's to judge (options may forbid duplicates).
                w.OpenBlock("if (has" + index + ")");
                w.WriteLine("return false;");
                w.CloseBlock();
                w.WriteLine("reading = " + index + ";");
                w.OpenBlock("if (!reader.Read())");
                w.WriteLine("return false;");
                w.CloseBlock();
                w.WriteLine("has" + index + " = true;");
                byName.TryGetValue(member.Property.TypeName, out var spec);
                bool allowsNull = spec!.Shape == TypeShape.Nullable ||
                    !spec.IsValueType && (member.Setter == SetterKind.Constructor ? obj.Parameters[member.Parameter].IsNullable : member.Property.IsSetNullable);
                ReadValue(w, spec, "v" + index, "n" + index, allowsNull, byName, identifiers);
                w.WriteLine("reading = -1;");
                w.CloseBlock();
            }
            if (read.Count > 0)
            {
                w.OpenBlock("else");
            }
            w.WriteLine("// Unknown: skipped, unless it matches a member ignoring case, which System.Text.Json may bind.");
            w.OpenBlock("if (" + PayloadReader + "MatchesIgnoringCase(ref reader, " + id + "ReadNames))");
            w.WriteLine("return false;");
            w.CloseBlock();
            w.WriteLine("unknown = reader;");
            w.WriteLine("reading = -2;");
            w.OpenBlock("if (!reader.TrySkip())");
            w.WriteLine("return false;");
            w.CloseBlock();
            w.WriteLine("reading = -1;");
            if (read.Count > 0)
            {
                w.CloseBlock();
            }
            w.CloseBlock();
            w.CloseBlock();
            w.OpenBlock("catch (global::System.Text.Json.JsonException e) when (reading != -1)");
            w.WriteLine("throw " + PayloadReader + "Within(e, reading >= 0 ? " + id + "ReadNames[reading] : unknown.GetString()!);");
            w.CloseBlock();

            // Absent members: a parameter takes its default value if it has one; anything required is the metadata's to report.
            for (int m = 0; m < read.Count; m++)
            {
                string index = m.ToString(CultureInfo.InvariantCulture);
                var member = read[m];
                string? defaultValue = member.Setter == SetterKind.Constructor ? obj.Parameters[member.Parameter].DefaultValue : null;
                bool required = member.Setter == SetterKind.Constructor ? defaultValue is null : member.Property.IsRequired;
                if (defaultValue is not null)
                {
                    w.OpenBlock("if (!has" + index + ")");
                    w.WriteLine("v" + index + " = " + defaultValue + "!;");
                    w.CloseBlock();
                }
                else if (required)
                {
                    w.OpenBlock("if (!has" + index + ")");
                    w.WriteLine("return false;");
                    w.CloseBlock();
                }
            }

            // Construct, then set the other members that were present, as System.Text.Json does after construction.
            string constructor = obj.StartsFromDefault ? "default(" + name + ")" : obj.CreatesThroughAccessor ? ConstructorAccessorName(id) : "new " + name;
            var arguments = new List<string>();
            var initializers = new List<string>();
            for (int p = 0; p < obj.Parameters.Count; p++)
            {
                string local = "v" + read.FindIndex(member => member.Parameter == p).ToString(CultureInfo.InvariantCulture);
                if (obj.Parameters[p].IsMemberInitializer)
                {
                    initializers.Add(Identifier(obj.Parameters[p].Name) + " = " + local + "!");
                }
                else
                {
                    arguments.Add(local + "!");
                }
            }
            w.WriteLine("var value = " + constructor + "(" + string.Join(", ", arguments) + ")" + (initializers.Count == 0 ? "" : " { " + string.Join(", ", initializers) + " }") + ";");
            for (int m = 0; m < read.Count; m++)
            {
                var member = read[m];
                if (member.Setter is not (SetterKind.Setter or SetterKind.Accessor))
                {
                    continue;
                }
                string index = m.ToString(CultureInfo.InvariantCulture);
                w.OpenBlock("if (has" + index + ")");
                w.WriteLine(member.Setter == SetterKind.Setter
                    ? "value." + Identifier(member.Property.Name) + " = v" + index + "!;"
                    : InitAccessorName(id, member.Property) + "(value, v" + index + "!);");
                w.CloseBlock();
            }
            w.WriteLine("result = value;");
            w.WriteLine("return true;");
            w.CloseBlock();

            w.WriteLine();
            w.WriteLine("/// <summary>Reads " + Simple(name) + " directly, or through the metadata when the direct reader gives up; writes it through the fast path.</summary>");
            w.OpenBlock("private sealed class " + id + "Converter : global::System.Text.Json.Serialization.JsonConverter<" + name + ">");
            w.OpenBlock("public override " + name + "? Read(ref " + Reader + " reader, global::System.Type typeToConvert, " + Options + " options)");
            w.WriteLine("var start = reader;");
            w.OpenBlock("try");
            w.OpenBlock("if (TryRead" + id + "(ref reader, out var value))");
            w.WriteLine("return value;");
            w.CloseBlock();
            w.CloseBlock();
            w.OpenBlock("catch (global::System.Text.Json.JsonException e)");
            w.WriteLine("// Malformed JSON: reported as System.Text.Json reports it, at the member being read.");
            w.WriteLine("throw " + PayloadReader + "Malformed(e, start.CurrentDepth);");
            w.CloseBlock();
            w.OpenBlock("catch (global::System.InvalidOperationException)");
            w.WriteLine("// A string that is not valid UTF-8: the metadata reports it below.");
            w.CloseBlock();
            w.WriteLine("reader = start;");
            w.WriteLine("return " + PayloadReader + "Reread<" + name + ">(ref reader, options);");
            w.CloseBlock();
            w.WriteLine();
            w.WriteLine("public override void Write(global::System.Text.Json.Utf8JsonWriter writer, " + name + " value, " + Options + " options) => Write" + id + "(writer, value, options);");
            w.CloseBlock();
        }

        /// <summary>Reads the value under the reader into <paramref name="local"/>, or returns false.</summary>
        private static void ReadValue(SourceWriter w, TypeSpec spec, string local, string temporary, bool allowsNull, Dictionary<string, TypeSpec> byName, Dictionary<string, string> identifiers)
        {
            w.OpenBlock("if (reader.TokenType == " + Token + "Null)");
            w.WriteLine(allowsNull ? local + " = default!;" : "return false;");
            w.CloseBlock();
            var value = spec.Shape == TypeShape.Nullable ? byName[spec.ElementType] : spec;
            if (value.Shape == TypeShape.Object)
            {
                w.OpenBlock("else if (TryRead" + identifiers[value.FullyQualifiedName] + "(ref reader, out var " + temporary + "))");
                w.WriteLine(local + " = " + temporary + "!;");
                w.CloseBlock();
            }
            else if (value.Converter == "StringConverter")
            {
                w.OpenBlock("else if (reader.TokenType == " + Token + "String)");
                w.WriteLine(local + " = reader.GetString()!;");
                w.CloseBlock();
            }
            else if (value.Converter == "BooleanConverter")
            {
                w.OpenBlock("else if (reader.TokenType is " + Token + "True or " + Token + "False)");
                w.WriteLine(local + " = reader.TokenType == " + Token + "True;");
                w.CloseBlock();
            }
            else
            {
                var method = ReaderMethod(value.Converter)!.Value;
                w.OpenBlock("else if (reader.TokenType == " + Token + method.Token + " && reader." + method.Method + "(out var " + temporary + "))");
                w.WriteLine(local + " = " + temporary + ";");
                w.CloseBlock();
            }
            w.OpenBlock("else");
            w.WriteLine("return false;");
            w.CloseBlock();
        }
    }
}
