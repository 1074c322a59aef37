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
    internal static partial class SerializationParser
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

        private sealed partial class Walk
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
                if (type.IsFileLocal)
                {
                    return "file-local types cannot be reached from the generated serializers; make the type internal or public";
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
        }
    }
}
