using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using Jint.Parser.Ast;

namespace ChatIntegrations.Scripting.Jint.Compilation;

/// <summary>
/// Shrinks a parsed, instrumented Jint program before it is cached, without changing what it does (SCR-2: memory per
/// loaded instance). Returns the number of nodes, from which the host estimates the instance's size.
/// </summary>
/// <remarks>
/// <para>The Jint 2.10.4 interpreter interprets the AST, so a realm keeps its program reachable for as long as it lives;
/// the parser's extras were most of a script's retained bytes (about 40 % of them were <c>Range</c> arrays and
/// <c>Location</c> objects). What the pass drops was checked against the IL of Jint 2.10.4: outside the parser, only
/// the statement interpreter reads <c>SyntaxNode.Location</c> (of statements: the position of a thrown error), and
/// nothing reads <c>SyntaxNode.Range</c>.</para>
/// <list type="bullet">
/// <item><c>Range</c> of every node and <c>Location</c> of every node that is not a statement are cleared.</item>
/// <item>Node lists (<c>List&lt;T&gt;</c> behind <c>IEnumerable&lt;T&gt;</c>/<c>IList&lt;T&gt;</c> members) become exact-size
/// arrays, empty ones <see cref="Array.Empty{T}"/>; Jint only reads them.</item>
/// <item>Identifier names and string literals are de-duplicated within the program, and share the runtime's interned
/// instance where one already exists (without adding to the intern pool).</item>
/// </list>
/// Run on a script thread after <see cref="ProgramInstrumenter"/> (the walk is iterative, so depth is no concern).
/// The runtime caches on nodes (<c>Literal.CachedValue</c>, <c>CallExpression.CachedArguments</c>) are left alone.
/// </remarks>
internal static class AstCompactor
{
    private static readonly ConcurrentDictionary<Type, Member[]> Members = new();

    public static int Compact(Program program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<SyntaxNode>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<SyntaxNode>();
        pending.Push(program);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (!seen.Add(node))
            {
                continue;
            }

            node.Range = null;
            if (node is not Statement)
            {
                node.Location = null;
            }

            switch (node)
            {
                case Identifier identifier:
                    identifier.Name = Share(identifier.Name, strings);
                    break;
                case Literal literal:
                    literal.Raw = Share(literal.Raw, strings);
                    if (literal.Value is string value)
                    {
                        literal.Value = Share(value, strings);
                    }

                    break;
                default:
                    break;
            }

            foreach (var member in Members.GetOrAdd(node.GetType(), Describe))
            {
                var child = member.Field.GetValue(node);
                switch (child)
                {
                    case SyntaxNode single:
                        pending.Push(single);
                        break;
                    case IEnumerable many when member.Element is not null:
                        {
                            var array = member.ToArray!(many);
                            foreach (var item in array)
                            {
                                if (item is SyntaxNode n)
                                {
                                    pending.Push(n);
                                }
                            }

                            if (!ReferenceEquals(array, child))
                            {
                                member.Field.SetValue(node, array);
                            }

                            break;
                        }

                    default:
                        break;
                }
            }
        }

        return seen.Count;
    }

    private static string? Share(string? s, Dictionary<string, string> strings)
    {
        if (s is null)
        {
            return null;
        }

        if (strings.TryGetValue(s, out var shared))
        {
            return shared;
        }

        shared = string.IsInterned(s) ?? s;
        strings[shared] = shared;
        return shared;
    }

    private static Member[] Describe(Type type)
    {
        var members = new List<Member>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                var fieldType = field.FieldType;
                if (typeof(SyntaxNode).IsAssignableFrom(fieldType) || fieldType.IsInterface && !fieldType.IsGenericType)
                {
                    // A node, or an interface such as IPropertyKeyExpression that only nodes implement.
                    members.Add(new Member(field, null, null));
                    continue;
                }

                if (!fieldType.IsInterface || !fieldType.IsGenericType || fieldType.GetGenericArguments() is not [var element]
                    || !typeof(SyntaxNode).IsAssignableFrom(element) || !fieldType.IsAssignableFrom(element.MakeArrayType()))
                {
                    continue; // values, strings, the runtime caches, the parser's List<Comment>/List<Token>
                }

                var toArray = typeof(AstCompactor).GetMethod(nameof(ToExactArray), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(element);
                members.Add(new Member(field, element, toArray.CreateDelegate<Func<IEnumerable, IEnumerable>>()));
            }
        }

        return members.ToArray();
    }

    private static IEnumerable ToExactArray<T>(IEnumerable items) => items switch
    {
        T[] array => array.Length == 0 ? Array.Empty<T>() : array,
        ICollection<T> { Count: 0 } => Array.Empty<T>(),
        _ => ((IEnumerable<T>)items).ToArray(),
    };

    private sealed record Member(FieldInfo Field, Type? Element, Func<IEnumerable, IEnumerable>? ToArray);
}
