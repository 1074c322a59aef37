using System;
using System.Collections.Generic;
using FanOut.Generators.Model;
using Microsoft.CodeAnalysis;

namespace FanOut.Generators.Serialization
{
    internal static partial class SerializationParser
    {
        /// <summary>Objects: which constructor, which properties in which order, and how each is read and written.</summary>
        private sealed partial class Walk
        {
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
                        if (bound.Setter == SetterKind.Accessor)
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
                // A struct without a declared parameterless constructor has none in IL: it starts from default(T).
                bool startsFromDefault = type.IsValueType && (constructor is null || constructor.IsImplicitlyDeclared && constructor.Parameters.Length == 0);
                bool createsThroughAccessor = requiredProperties.Count > 0 && !type.IsGenericType && !startsFromDefault;
                if (!createsThroughAccessor && !startsFromDefault)
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

                foreach (var property in properties)
                {
                    // UnsafeAccessor, which calls init-only and non-public setters, cannot name generic types.
                    if (property.Setter == SetterKind.Accessor && property.DeclaringType.IndexOf('<') >= 0)
                    {
                        Problem(path + "." + property.Name, type,
                            "init-only properties of generic types are not supported; use a constructor parameter, `required`, or `set`");
                    }
                }

                bool parameterized = constructor is not null && constructor.Parameters.Length > 0 || parameters.Count > 0;
                var spec = new ObjectSpec(properties.ToEquatableArray(), parameters.ToEquatableArray(), parameterized, createsThroughAccessor, startsFromDefault && !parameterized);
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
                if (hasJsonInclude && property.GetMethod is not null && !hasPublicGetter)
                {
                    Problem(memberPath, property.Type, "[JsonInclude] on a non-public getter is not supported; make the getter public");
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

                var setter = property.SetMethod is null ? SetterKind.None
                    : hasPublicSetter ? (property.SetMethod.IsInitOnly ? SetterKind.Accessor : SetterKind.Setter)
                    : hasJsonInclude ? SetterKind.Accessor
                    : SetterKind.None;
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
    }
}
