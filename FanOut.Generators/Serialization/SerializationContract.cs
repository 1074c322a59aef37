// The seam between the generator's wiring (FanOutGenerator) and serializer generation (this folder): the model that
// SerializationParser builds from symbols and SerializerEmitter turns into text. Nothing here holds a symbol, a syntax
// node or a compilation, so the incremental pipeline can compare and cache it.
using FanOut.Generators.Model;

namespace FanOut.Generators.Serialization
{
    /// <summary>How System.Text.Json represents a type, and so which JsonMetadataServices factory describes it.</summary>
    internal enum TypeShape
    {
        /// <summary>A type with a built-in converter (<see cref="TypeSpec.Converter"/>): numbers, strings, dates, Guid, Uri, JsonElement…</summary>
        Value,
        /// <summary>An enum, written as its number (System.Text.Json's default).</summary>
        Enum,
        /// <summary><c>Nullable&lt;T&gt;</c>; <see cref="TypeSpec.ElementType"/> is T.</summary>
        Nullable,
        /// <summary><c>T[]</c>.</summary>
        Array,
        /// <summary><c>List&lt;T&gt;</c>.</summary>
        List,
        /// <summary><c>IEnumerable&lt;T&gt;</c>, <c>IReadOnlyCollection&lt;T&gt;</c> or <c>IReadOnlyList&lt;T&gt;</c>; read into a <c>List&lt;T&gt;</c>.</summary>
        Enumerable,
        /// <summary><c>Dictionary&lt;string, T&gt;</c>.</summary>
        Dictionary,
        /// <summary><c>IReadOnlyDictionary&lt;string, T&gt;</c>; read into a <c>Dictionary&lt;string, T&gt;</c>.</summary>
        ReadOnlyDictionary,
        /// <summary>A class, record or struct written as a JSON object from its public properties.</summary>
        Object,
    }

    /// <summary>How a property's value gets into a new instance when reading.</summary>
    internal enum SetterKind
    {
        /// <summary>Not settable (no public setter): the property is written but never read.</summary>
        None,
        /// <summary>A public <c>set</c> accessor.</summary>
        Setter,
        /// <summary>
        /// An <c>init</c> accessor, or a non-public setter of a <c>[JsonInclude]</c> property: called after construction
        /// through an UnsafeAccessor, as reflection calls it.
        /// </summary>
        Accessor,
        /// <summary>Set through a constructor parameter or an object-initializer member (<see cref="ParameterSpec"/>).</summary>
        Constructor,
    }

    /// <summary>
    /// A type the serializers handle, described without symbols: enough for <see cref="SerializerEmitter"/> to emit its
    /// System.Text.Json metadata. Value-equatable; two specs with the same <see cref="FullyQualifiedName"/> describe the
    /// same type.
    /// </summary>
    /// <param name="FullyQualifiedName">The type as C# with <c>global::</c> and without nullable reference annotations, e.g. <c>global::System.Collections.Generic.List&lt;string&gt;</c>.</param>
    /// <param name="Identifier">A readable C# identifier fragment for the emitted members, e.g. <c>ListOfString</c>; the emitter makes it unique.</param>
    /// <param name="Shape">Which metadata factory describes the type.</param>
    /// <param name="Converter">For <see cref="TypeShape.Value"/>, the JsonMetadataServices converter property (e.g. <c>Int32Converter</c>); otherwise empty.</param>
    /// <param name="ElementType">The element or value type of a collection, the T of Nullable&lt;T&gt;, or an enum's underlying integer type (e.g. <c>int</c>); otherwise empty.</param>
    /// <param name="IsValueType">Whether the type is a struct.</param>
    /// <param name="Object">For <see cref="TypeShape.Object"/>, how to build and read it; otherwise null.</param>
    internal sealed record TypeSpec(
        string FullyQualifiedName,
        string Identifier,
        TypeShape Shape,
        string Converter,
        string ElementType,
        bool IsValueType,
        ObjectSpec? Object);

    /// <summary>The constructor and properties of a <see cref="TypeShape.Object"/> type.</summary>
    /// <param name="Properties">In System.Text.Json's order: the type's own properties in declaration order, then each base type's.</param>
    /// <param name="Parameters">Constructor parameters, then object-initializer members (required properties of generic types); empty when a parameterless constructor is used.</param>
    /// <param name="UsesParameterizedConstructor">Whether instances are created from <see cref="Parameters"/> rather than a parameterless constructor.</param>
    /// <param name="CreatesThroughAccessor">
    /// Whether the constructor is called through an UnsafeAccessor because the type has <c>required</c> members it does not
    /// set; those members are then set through their setters, as reflection does.
    /// </param>
    /// <param name="StartsFromDefault">
    /// A struct without a declared parameterless constructor (none exists in IL): instances start as <c>default(T)</c>,
    /// which also skips the compiler's check of <c>required</c> members, as reflection does.
    /// </param>
    internal sealed record ObjectSpec(
        EquatableArray<PropertySpec> Properties,
        EquatableArray<ParameterSpec> Parameters,
        bool UsesParameterizedConstructor,
        bool CreatesThroughAccessor,
        bool StartsFromDefault);

    /// <summary>One serialized property.</summary>
    /// <param name="Name">The CLR name; System.Text.Json applies the naming policy to it unless <see cref="JsonName"/> is set.</param>
    /// <param name="TypeName">The property type, fully qualified, without nullable reference annotations (for <c>typeof</c>).</param>
    /// <param name="AnnotatedTypeName">The property type with its nullable reference annotations (for casts and type arguments).</param>
    /// <param name="DeclaringType">The fully qualified type that declares the property (a base type for inherited properties).</param>
    /// <param name="JsonName">The name from <c>[JsonPropertyName]</c>, or null.</param>
    /// <param name="Order">The value of <c>[JsonPropertyOrder]</c>, or 0.</param>
    /// <param name="IgnoreCondition">The JsonIgnoreCondition member name from <c>[JsonIgnore]</c> (e.g. <c>Always</c>, <c>WhenWritingNull</c>), or null.</param>
    /// <param name="HasGetter">Whether the property has a public getter.</param>
    /// <param name="Setter">How a read value reaches the instance.</param>
    /// <param name="IsRequired">A <c>required</c> member (unless the constructor sets required members) or <c>[JsonRequired]</c>.</param>
    /// <param name="IsGetNullable">False when the getter is declared never to return null (non-nullable reference type).</param>
    /// <param name="IsSetNullable">False when the setter is declared never to accept null (non-nullable reference type).</param>
    /// <param name="IsVirtual">Whether the property is virtual, abstract or an override.</param>
    /// <param name="HasJsonInclude">Whether the property carries <c>[JsonInclude]</c>.</param>
    internal sealed record PropertySpec(
        string Name,
        string TypeName,
        string AnnotatedTypeName,
        string DeclaringType,
        string? JsonName,
        int Order,
        string? IgnoreCondition,
        bool HasGetter,
        SetterKind Setter,
        bool IsRequired,
        bool IsGetNullable,
        bool IsSetNullable,
        bool IsVirtual,
        bool HasJsonInclude);

    /// <summary>A constructor parameter, or a required property set in an object initializer after the constructor call.</summary>
    /// <param name="Name">The parameter name, or the property name for a member initializer.</param>
    /// <param name="TypeName">The type without nullable reference annotations (for <c>typeof</c>).</param>
    /// <param name="AnnotatedTypeName">The type with nullable reference annotations (for the cast in the creator).</param>
    /// <param name="DefaultValue">A C# expression for the declared default value, or null when there is none.</param>
    /// <param name="IsNullable">Whether null may be passed (RespectNullableAnnotations rejects null otherwise).</param>
    /// <param name="IsMemberInitializer">True for a required property set in the object initializer.</param>
    internal sealed record ParameterSpec(
        string Name,
        string TypeName,
        string AnnotatedTypeName,
        string? DefaultValue,
        bool IsNullable,
        bool IsMemberInitializer);

    /// <summary>Why a type reachable from a root cannot be serialized: the member path, its type and the reason.</summary>
    internal sealed record SerializationProblem(string MemberPath, string TypeDisplay, string Reason);

    /// <summary>The closure of types a root needs, and any problems found.</summary>
    internal sealed record SerializationResult(EquatableArray<TypeSpec> Types, EquatableArray<SerializationProblem> Problems);
}
