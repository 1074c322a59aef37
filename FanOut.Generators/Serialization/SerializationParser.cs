using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using FanOut.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace FanOut.Generators.Serialization
{
    /// <summary>
    /// Reads a payload type's symbols once and describes it, and every type reachable through its serialized members, as
    /// <see cref="TypeSpec"/>s. It follows System.Text.Json's reflection rules (which properties, in which order, which
    /// constructor) so the emitted metadata writes the same bytes; anything it does not handle becomes a
    /// <see cref="SerializationProblem"/> instead of a surprise at run time.
    /// </summary>
    internal static class SerializationParser
    {
        /// <summary>Collects <paramref name="root"/> and every type reachable through its serialized members.</summary>
        public static SerializationResult Parse(ITypeSymbol root, CancellationToken cancellationToken)
        {
            var walk = new Walk(root.ContainingAssembly, cancellationToken);
            walk.Require(root, root.Name);
            walk.DrainObjects();
            return walk.ToResult();
        }

        private static readonly SymbolDisplayFormat TypeNameFormat = SymbolDisplayFormat.FullyQualifiedFormat;

        private static readonly SymbolDisplayFormat AnnotatedTypeNameFormat =
            SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        private static readonly SymbolDisplayFormat ProblemFormat =
            SymbolDisplayFormat.MinimallyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        private const string SupportedCollections =
            "T[], List<T>, IReadOnlyList<T>, IReadOnlyCollection<T>, IEnumerable<T>, Dictionary<string, T> or IReadOnlyDictionary<string, T>";

        private sealed class Walk
        {
            private readonly IAssemblySymbol? compilationAssembly;
            private readonly CancellationToken cancellationToken;
            private readonly Dictionary<string, int> indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
            private readonly List<TypeSpec?> types = new List<TypeSpec?>();
            private readonly List<SerializationProblem> problems = new List<SerializationProblem>();
            private readonly Queue<(INamedTypeSymbol Type, string Path, int Index)> pendingObjects = new Queue<(INamedTypeSymbol, string, int)>();

            public Walk(IAssemblySymbol? compilationAssembly, CancellationToken cancellationToken)
            {
                this.compilationAssembly = compilationAssembly;
                this.cancellationToken = cancellationToken;
            }

            public SerializationResult ToResult()
            {
                var done = new List<TypeSpec>(types.Count);
                foreach (var type in types)
                {
                    if (type is not null)
                    {
                        done.Add(type);
                    }
                }
                return new SerializationResult(done.ToEquatableArray(), problems.ToEquatableArray());
            }

            /// <summary>
            /// Makes sure <paramref name="type"/> is described, or records why it cannot be. Objects are queued rather
            /// than parsed here, so recursive types (a Node holding Nodes) end at the first visit.
            /// </summary>
            /// <returns>Whether the type is supported.</returns>
            public bool Require(ITypeSymbol type, string memberPath)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string name = type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString(TypeNameFormat);
                if (indexByName.ContainsKey(name))
                {
                    return true;
                }

                string? reason = Classify(type, name, memberPath, out _);
                if (reason is not null)
                {
                    Problem(memberPath, type, reason);
                    return false;
                }
                return true;
            }

            public void DrainObjects()
            {
                while (pendingObjects.Count > 0)
                {
                    var (type, path, index) = pendingObjects.Dequeue();
                    cancellationToken.ThrowIfCancellationRequested();
                    types[index] = DescribeObject(type, path);
                }
            }

            private void Problem(string memberPath, ITypeSymbol type, string reason) =>
                problems.Add(new SerializationProblem(memberPath, type.ToDisplayString(ProblemFormat), reason));

            private void Add(TypeSpec spec)
            {
                indexByName[spec.FullyQualifiedName] = types.Count;
                types.Add(spec);
            }

            private TypeSpec Simple(string name, ITypeSymbol type, TypeShape shape, string converter = "", string element = "") =>
                new TypeSpec(name, IdentifierOf(type), shape, converter, element, type.IsValueType, null);

            /// <summary>Describes <paramref name="type"/> (adding it and its parts), or returns why it is not supported.</summary>
            private string? Classify(ITypeSymbol type, string name, string memberPath, out TypeSpec? spec)
            {
                spec = null;
                switch (type)
                {
                    case ITypeParameterSymbol:
                        return "open generic type parameters are not supported; serializers are generated for closed types only";
                    case IPointerTypeSymbol:
                    case IFunctionPointerTypeSymbol:
                        return "pointers cannot be serialized";
                    case IDynamicTypeSymbol:
                        return "dynamic is not supported; use JsonElement for arbitrary JSON or a record with named properties";
                    case IArrayTypeSymbol array:
                        if (array.Rank != 1)
                        {
                            return "multi-dimensional arrays are not supported; use T[][] or List<List<T>>";
                        }
                        if (array.ElementType.SpecialType == SpecialType.System_Byte)
                        {
                            // System.Text.Json writes byte[] as one base64 string, not as an array of numbers.
                            Add(spec = Simple(name, type, TypeShape.Value, "ByteArrayConverter"));
                            return null;
                        }
                        return Collection(type, name, TypeShape.Array, array.ElementType, memberPath, out spec);
                    case INamedTypeSymbol named:
                        return ClassifyNamed(named, name, memberPath, out spec);
                    default:
                        return "this kind of type cannot be serialized";
                }
            }

            private string? ClassifyNamed(INamedTypeSymbol type, string name, string memberPath, out TypeSpec? spec)
            {
                spec = null;
                if (type.TypeKind == TypeKind.Error)
                {
                    return "the type could not be resolved";
                }
                if (type.IsTupleType)
                {
                    return "tuples are not supported; use a record with named properties";
                }
                if (type.SpecialType == SpecialType.System_Object)
                {
                    return "object is not supported; use JsonElement for arbitrary JSON or a record with named properties";
                }
                if (type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
                {
                    var underlying = type.TypeArguments[0];
                    if (!Require(underlying, memberPath))
                    {
                        return null; // the underlying type's problem is already recorded
                    }
                    Add(spec = Simple(name, type, TypeShape.Nullable, element: NameOf(underlying)));
                    return null;
                }
                if (ValueConverterOf(type) is { } converter)
                {
                    Add(spec = Simple(name, type, TypeShape.Value, converter));
                    return null;
                }
                if (type.TypeKind == TypeKind.Enum)
                {
                    if (UnhonouredTypeAttribute(type) is { } enumAttribute)
                    {
                        return enumAttribute;
                    }
                    Add(spec = Simple(name, type, TypeShape.Enum, element: NameOf(type.EnumUnderlyingType!)));
                    return null;
                }
                if (type.TypeKind == TypeKind.Delegate)
                {
                    return "delegates cannot be serialized";
                }
                if (type.IsRefLikeType)
                {
                    return "ref structs cannot be serialized";
                }
                if (ContainsTypeParameter(type))
                {
                    return "open generic types are not supported; serializers are generated for closed types only";
                }

                switch (type.OriginalDefinition.ToDisplayString(TypeNameFormat))
                {
                    case "global::System.Collections.Generic.List<T>":
                        return Collection(type, name, TypeShape.List, type.TypeArguments[0], memberPath, out spec);
                    case "global::System.Collections.Generic.IEnumerable<T>":
                    case "global::System.Collections.Generic.IReadOnlyCollection<T>":
                    case "global::System.Collections.Generic.IReadOnlyList<T>":
                        return Collection(type, name, TypeShape.Enumerable, type.TypeArguments[0], memberPath, out spec);
                    case "global::System.Collections.Generic.Dictionary<TKey, TValue>":
                        return Dictionary(type, name, TypeShape.Dictionary, memberPath, out spec);
                    case "global::System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>":
                        return Dictionary(type, name, TypeShape.ReadOnlyDictionary, memberPath, out spec);
                }

                if (type.TypeKind == TypeKind.Interface)
                {
                    return "interfaces are not supported (only IEnumerable<T>, IReadOnlyCollection<T>, IReadOnlyList<T> and " +
                        "IReadOnlyDictionary<string, T>); use a concrete type";
                }
                if (IsInSystemNamespace(type))
                {
                    return "this .NET type is not supported; use a primitive, a date/time type, Guid, Uri, JsonElement, " + SupportedCollections +
                        ", or a record of your own";
                }
                if (ImplementsIEnumerable(type))
                {
                    return "custom collection types are not supported; use " + SupportedCollections;
                }
                if (type.TypeKind != TypeKind.Class && type.TypeKind != TypeKind.Struct)
                {
                    return "this kind of type cannot be serialized";
                }
                if (type.IsAbstract)
                {
                    return "abstract types cannot be created when reading; use a concrete type";
                }
                if (!IsAccessible(type))
                {
                    return "the type must be public or internal (and not nested in a private type) for generated serializers to reach it";
                }
                if (UnhonouredTypeAttribute(type) is { } attribute)
                {
                    return attribute;
                }

                // The object is described once the walk reaches it; reserving its slot first ends recursion here.
                indexByName[name] = types.Count;
                types.Add(null);
                pendingObjects.Enqueue((type, memberPath, types.Count - 1));
                return null;
            }

            private string? Collection(ITypeSymbol type, string name, TypeShape shape, ITypeSymbol element, string memberPath, out TypeSpec? spec)
            {
                spec = null;
                if (!Require(element, memberPath))
                {
                    return null;
                }
                Add(spec = Simple(name, type, shape, element: NameOf(element)));
                return null;
            }

            private string? Dictionary(INamedTypeSymbol type, string name, TypeShape shape, string memberPath, out TypeSpec? spec)
            {
                spec = null;
                if (type.TypeArguments[0].SpecialType != SpecialType.System_String)
                {
                    return "dictionaries must have string keys; JSON object keys are strings";
                }
                if (!Require(type.TypeArguments[1], memberPath))
                {
                    return null;
                }
                Add(spec = Simple(name, type, shape, element: NameOf(type.TypeArguments[1])));
                return null;
            }

            private bool IsAccessible(INamedTypeSymbol type)
            {
                bool sameAssembly = compilationAssembly is null || SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, compilationAssembly);
                for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
                {
                    switch (t.DeclaredAccessibility)
                    {
                        case Accessibility.Public:
                            break;
                        case Accessibility.Internal:
                        case Accessibility.ProtectedOrInternal:
                            if (!sameAssembly)
                            {
                                return false;
                            }
                            break;
                        default:
                            return false;
                    }
                }
                return true;
            }

            private TypeSpec DescribeObject(INamedTypeSymbol type, string path)
            {
                string name = NameOf(type);
                var constructor = ChooseConstructor(type, path);
                bool setsRequiredMembers = constructor is not null && HasAttribute(constructor, "System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute");

                var properties = new List<PropertySpec>();
                var requiredProperties = new List<IPropertySymbol>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                bool hasPublicFields = false;

                // System.Text.Json lists a type's own properties first, then each base type's; a base property hidden
                // or overridden by a derived one is skipped.
                for (INamedTypeSymbol? declaring = type; declaring is not null && !IsObjectOrValueType(declaring); declaring = declaring.BaseType)
                {
                    foreach (var member in declaring.GetMembers())
                    {
                        if (member.IsStatic || member.IsImplicitlyDeclared && member is not IPropertySymbol)
                        {
                            continue;
                        }
                        if (member is IFieldSymbol field)
                        {
                            if (field.AssociatedSymbol is not null || field.IsConst)
                            {
                                continue;
                            }
                            if (HasAttribute(field, "System.Text.Json.Serialization.JsonIncludeAttribute"))
                            {
                                Problem(path + "." + field.Name, field.Type, "fields are not supported; use a property");
                            }
                            else if (field.DeclaredAccessibility == Accessibility.Public)
                            {
                                hasPublicFields = true;
                            }
                            continue;
                        }
                        if (member is not IPropertySymbol property || property.IsIndexer || !seen.Add(property.Name))
                        {
                            continue;
                        }
                        if (Describe(property, declaring, path, setsRequiredMembers, requiredProperties) is { } propertySpec)
                        {
                            properties.Add(propertySpec);
                        }
                    }
                }

                ReportNameCollisions(properties, path, type);

                if (properties.Count == 0 && hasPublicFields)
                {
                    Problem(path, type, "its data lives only in public fields, which System.Text.Json does not serialize; use properties");
                }

                var parameters = new List<ParameterSpec>();
                if (constructor is not null)
                {
                    foreach (var parameter in constructor.Parameters)
                    {
                        int index = properties.FindIndex(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase));
                        if (index < 0 || properties[index].TypeName != NameOf(parameter.Type))
                        {
                            Problem(path, type, "constructor parameter '" + parameter.Name + "' has no public property of the same name and type; " +
                                "System.Text.Json binds constructor parameters to properties");
                            continue;
                        }
                        var bound = properties[index];
                        if (bound.Setter == SetterKind.InitOnly)
                        {
                            properties[index] = bound with { Setter = SetterKind.Constructor };
                        }
                        parameters.Add(new ParameterSpec(
                            parameter.Name,
                            NameOf(parameter.Type),
                            AnnotatedNameOf(parameter.Type),
                            parameter.HasExplicitDefaultValue ? Literal(parameter.Type, parameter.ExplicitDefaultValue) : null,
                            IsNullable(parameter.Type, parameter.NullableAnnotation),
                            IsMemberInitializer: false));
                    }
                }

                // A `required` member the constructor does not set must appear in an object initializer for `new` to compile.
                // Reflection skips that check and sets required members through their setters, so an absent one is
                // reported as a missing property and a null one by its property name; calling the constructor through an
                // UnsafeAccessor does the same. UnsafeAccessor cannot name generic types, so those use an object
                // initializer, as System.Text.Json's generator does (errors then name the member as a constructor parameter).
                bool createsThroughAccessor = requiredProperties.Count > 0 && !type.IsGenericType;
                if (!createsThroughAccessor)
                {
                    foreach (var required in requiredProperties)
                    {
                        if (parameters.Exists(p => string.Equals(p.Name, required.Name, StringComparison.OrdinalIgnoreCase)))
                        {
                            continue;
                        }
                        int index = properties.FindIndex(p => p.Name == required.Name);
                        properties[index] = properties[index] with { Setter = SetterKind.Constructor };
                        parameters.Add(new ParameterSpec(
                            required.Name,
                            NameOf(required.Type),
                            AnnotatedNameOf(required.Type),
                            DefaultValue: null,
                            properties[index].IsSetNullable,
                            IsMemberInitializer: true));
                    }
                }

                bool parameterized = constructor is not null && constructor.Parameters.Length > 0 || parameters.Count > 0;
                var spec = new ObjectSpec(properties.ToEquatableArray(), parameters.ToEquatableArray(), parameterized, createsThroughAccessor);
                return new TypeSpec(name, IdentifierOf(type), TypeShape.Object, "", "", type.IsValueType, spec);
            }

            /// <summary>
            /// Two properties with the same JSON name make System.Text.Json throw when it first meets the type. FanOut's web
            /// options match names case-insensitively and camelCase only changes case, so comparing the CLR names (or the
            /// [JsonPropertyName]) without case finds every clash.
            /// </summary>
            private void ReportNameCollisions(List<PropertySpec> properties, string path, INamedTypeSymbol type)
            {
                var byName = new Dictionary<string, PropertySpec>(StringComparer.OrdinalIgnoreCase);
                foreach (var property in properties)
                {
                    if (property.IgnoreCondition == "Always")
                    {
                        continue;
                    }
                    string jsonName = property.JsonName ?? property.Name;
                    if (byName.TryGetValue(jsonName, out var other))
                    {
                        Problem(path + "." + property.Name, type, "'" + other.Name + "' and '" + property.Name + "' have the same JSON name ('" + jsonName +
                            "', matched case-insensitively); rename one or use [JsonPropertyName]");
                        continue;
                    }
                    byName.Add(jsonName, property);
                }
            }

            /// <summary>System.Text.Json's choice: [JsonConstructor]; for classes the public parameterless constructor, else the only public one.</summary>
            private IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, string path)
            {
                IMethodSymbol? parameterless = null;
                IMethodSymbol? attributed = null;
                var withParameters = new List<IMethodSymbol>();
                foreach (var constructor in type.InstanceConstructors)
                {
                    if (HasAttribute(constructor, "System.Text.Json.Serialization.JsonConstructorAttribute"))
                    {
                        attributed = constructor;
                    }
                    else if (constructor.DeclaredAccessibility != Accessibility.Public)
                    {
                        continue;
                    }
                    else if (constructor.Parameters.Length == 0)
                    {
                        parameterless = constructor;
                    }
                    else
                    {
                        withParameters.Add(constructor);
                    }
                }

                if (attributed is not null)
                {
                    if (attributed.DeclaredAccessibility != Accessibility.Public)
                    {
                        Problem(path, type, "the [JsonConstructor] constructor must be public");
                    }
                    return attributed;
                }
                if (type.IsValueType || parameterless is not null)
                {
                    // Structs always have a parameterless constructor; System.Text.Json uses it unless told otherwise.
                    return parameterless;
                }
                if (withParameters.Count == 1)
                {
                    return withParameters[0];
                }
                Problem(path, type, withParameters.Count == 0
                    ? "it has no public constructor, so it cannot be created when reading"
                    : "it has several public constructors and none is parameterless; mark the one to use with [JsonConstructor]");
                return null;
            }

            private PropertySpec? Describe(IPropertySymbol property, INamedTypeSymbol declaring, string path, bool setsRequiredMembers,
                List<IPropertySymbol> requiredProperties)
            {
                string memberPath = path + "." + property.Name;
                bool hasJsonInclude = HasAttribute(property, "System.Text.Json.Serialization.JsonIncludeAttribute");
                bool hasPublicGetter = property.GetMethod is { DeclaredAccessibility: Accessibility.Public };
                bool hasPublicSetter = property.SetMethod is { DeclaredAccessibility: Accessibility.Public };
                if (property.DeclaredAccessibility != Accessibility.Public)
                {
                    if (hasJsonInclude)
                    {
                        Problem(memberPath, property.Type, "[JsonInclude] on non-public members is not supported; make the property public");
                    }
                    return null;
                }
                if (hasJsonInclude && (property.GetMethod is not null && !hasPublicGetter || property.SetMethod is not null && !hasPublicSetter))
                {
                    Problem(memberPath, property.Type, "[JsonInclude] on non-public accessors is not supported; make the accessors public");
                }

                string? ignoreCondition = null;
                string? jsonName = null;
                int order = 0;
                bool isRequired = property.IsRequired && !setsRequiredMembers;
                foreach (var attribute in property.GetAttributes())
                {
                    switch (attribute.AttributeClass?.ToDisplayString())
                    {
                        case "System.Text.Json.Serialization.JsonIgnoreAttribute":
                            ignoreCondition = "Always";
                            foreach (var argument in attribute.NamedArguments)
                            {
                                if (argument.Key == "Condition" && argument.Value.Value is int condition)
                                {
                                    ignoreCondition = IgnoreConditionName(condition);
                                }
                            }
                            break;
                        case "System.Text.Json.Serialization.JsonPropertyNameAttribute":
                            jsonName = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
                            break;
                        case "System.Text.Json.Serialization.JsonPropertyOrderAttribute":
                            order = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int value ? value : 0;
                            break;
                        case "System.Text.Json.Serialization.JsonRequiredAttribute":
                            isRequired = true;
                            break;
                        case "System.Text.Json.Serialization.JsonConverterAttribute":
                            Problem(memberPath, property.Type, "[JsonConverter] is not supported by FanOut's generated serializers");
                            break;
                        case "System.Text.Json.Serialization.JsonNumberHandlingAttribute":
                            Problem(memberPath, property.Type, "[JsonNumberHandling] is not supported by FanOut's generated serializers");
                            break;
                        case "System.Text.Json.Serialization.JsonExtensionDataAttribute":
                            Problem(memberPath, property.Type, "[JsonExtensionData] is not supported by FanOut's generated serializers");
                            break;
                        case "System.Text.Json.Serialization.JsonObjectCreationHandlingAttribute":
                            Problem(memberPath, property.Type, "[JsonObjectCreationHandling] is not supported by FanOut's generated serializers");
                            break;
                    }
                }

                bool ignoredAlways = ignoreCondition == "Always";
                // An always-ignored property's type is never looked at, as in System.Text.Json.
                if (!ignoredAlways)
                {
                    Require(property.Type, memberPath);
                }
                if (property.IsRequired && !setsRequiredMembers)
                {
                    requiredProperties.Add(property);
                }

                var setter = !hasPublicSetter ? SetterKind.None : property.SetMethod!.IsInitOnly ? SetterKind.InitOnly : SetterKind.Setter;
                bool nonNullableReference = !property.Type.IsValueType && property.NullableAnnotation == NullableAnnotation.NotAnnotated &&
                    property.Type.TypeKind != TypeKind.TypeParameter;
                bool getNullable = !nonNullableReference || HasAttribute(property, "System.Diagnostics.CodeAnalysis.MaybeNullAttribute");
                bool setNullable = !nonNullableReference || HasAttribute(property, "System.Diagnostics.CodeAnalysis.AllowNullAttribute");
                if (HasAttribute(property, "System.Diagnostics.CodeAnalysis.NotNullAttribute"))
                {
                    getNullable = false;
                }
                if (HasAttribute(property, "System.Diagnostics.CodeAnalysis.DisallowNullAttribute"))
                {
                    setNullable = false;
                }

                return new PropertySpec(
                    property.Name,
                    NameOf(property.Type),
                    AnnotatedNameOf(property.Type),
                    NameOf(declaring),
                    jsonName,
                    order,
                    ignoreCondition,
                    hasPublicGetter,
                    setter,
                    isRequired,
                    getNullable,
                    setNullable,
                    property.IsVirtual || property.IsOverride || property.IsAbstract,
                    hasJsonInclude);
            }
        }

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
