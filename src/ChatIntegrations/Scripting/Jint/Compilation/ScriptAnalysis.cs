using System.Globalization;
using Acornima;
using Acornima.Ast;

namespace ChatIntegrations.Scripting.Jint.Compilation;

/// <summary>
/// One walk over a parsed script (no recursion on the .NET stack): the SCR-44a nesting bound per function, as
/// Jint 4 counts it (it refuses more than 256 levels without a position), <c>import()</c> refused at save
/// (SCR-61), the node count for the instance size estimate, and the names the script assigns (SCR-63).
/// </summary>
internal sealed class ScriptAnalysis(int maxDepth)
{
    private readonly HashSet<string> _assigned = new(StringComparer.Ordinal);

    public int Nodes { get; private set; }

    public (Position Position, string Message)? Problem { get; private set; }

    public void Visit(Script program)
    {
        var stack = new Stack<(Node Node, int Depth, bool Strict)>();
        stack.Push((program, 0, HasUseStrict(program.Body)));
        while (stack.Count > 0)
        {
            var (node, depth, strict) = stack.Pop();
            Nodes++;
            if (depth > maxDepth)
            {
                Problem ??= (node.Location.Start, string.Create(CultureInfo.InvariantCulture, $"The script is nested more than MaxSyntaxDepth ({maxDepth}) levels deep"));
                return;
            }

            switch (node)
            {
                case ImportExpression:
                    Problem ??= (node.Location.Start, "import() is not supported");
                    return;
                case FunctionBody body when !strict && HasUseStrict(body.Body):
                    strict = true; // SCR-63: a "use strict" directive is honoured for its function
                    break;
                case AssignmentExpression assignment when !strict:
                    CollectTargets(assignment.Left);
                    break;
                case UpdateExpression { Argument: Identifier id } when !strict:
                    _assigned.Add(id.Name);
                    break;
                case ForInStatement { Left: not VariableDeclaration } forIn when !strict:
                    CollectTargets(forIn.Left);
                    break;
                case ForOfStatement { Left: not VariableDeclaration } forOf when !strict:
                    CollectTargets(forOf.Left);
                    break;
                default:
                    break;
            }

            // Jint counts nesting per function body; a function starts again at zero.
            int childDepth = node is IFunction ? 0 : depth + 1;
            foreach (var child in node.ChildNodes)
            {
                if (child is not null)
                {
                    stack.Push((child, childDepth, strict));
                }
            }
        }
    }

    private static bool HasUseStrict(in NodeList<Statement> body)
    {
        foreach (var statement in body)
        {
            if (statement is not Directive directive)
            {
                return false;
            }

            if (directive.Value == "use strict")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The assigned names that the script does not declare at top level.</summary>
    public IReadOnlyList<string> FreeAssignments(Script program)
    {
        if (_assigned.Count == 0)
        {
            return [];
        }

        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var statement in program.Body)
        {
            switch (statement)
            {
                case VariableDeclaration v:
                    foreach (var d in v.Declarations)
                    {
                        CollectNames(d.Id, declared);
                    }

                    break;
                case FunctionDeclaration { Id: { } id }:
                    declared.Add(id.Name);
                    break;
                case ClassDeclaration { Id: { } id }:
                    declared.Add(id.Name);
                    break;
                default:
                    break;
            }
        }

        return _assigned.Where(n => !declared.Contains(n)).Order(StringComparer.Ordinal).ToArray();
    }

    private void CollectTargets(Node target) => CollectNames(target, _assigned);

    /// <summary>Identifiers bound by a target or pattern (nested patterns walked with an explicit stack).</summary>
    private static void CollectNames(Node target, HashSet<string> into)
    {
        var pending = new Stack<Node>();
        pending.Push(target);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case Identifier id:
                    into.Add(id.Name);
                    break;
                case ObjectPattern o:
                    foreach (var p in o.Properties)
                    {
                        pending.Push(p is Property property ? property.Value : p);
                    }

                    break;
                case ArrayPattern a:
                    foreach (var e in a.Elements)
                    {
                        if (e is not null)
                        {
                            pending.Push(e);
                        }
                    }

                    break;
                case RestElement r:
                    pending.Push(r.Argument);
                    break;
                case AssignmentPattern ap:
                    pending.Push(ap.Left);
                    break;
                default:
                    break; // member expressions assign no name
            }
        }
    }
}

/// <summary>Finds the first bracket nested deeper than a bound, by a lexical scan that skips strings, template
/// text and comments; used to place the diagnostic of a source too deep for the parser's stack (SCR-44a).</summary>
internal static class BracketDepth
{
    public static (int Line, int Column)? FindTooDeep(string source, int maxDepth)
    {
        int depth = 0, line = 1, column = 0;
        char quote = '\0';
        for (int i = 0; i < source.Length; i++)
        {
            char c = source[i];
            column++;
            if (c == '\n')
            {
                line++;
                column = 0;
                if (quote is '"' or '\'')
                {
                    quote = '\0';
                }

                continue;
            }

            if (quote != '\0')
            {
                if (c == '\\')
                {
                    i++;
                    column++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }

                continue;
            }

            switch (c)
            {
                case '"' or '\'' or '`':
                    quote = c;
                    break;
                case '/' when i + 1 < source.Length && source[i + 1] == '/':
                    while (i + 1 < source.Length && source[i + 1] != '\n')
                    {
                        i++;
                    }

                    break;
                case '/' when i + 1 < source.Length && source[i + 1] == '*':
                    int end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    int stop = end < 0 ? source.Length : end + 2;
                    for (int j = i; j < stop; j++)
                    {
                        if (source[j] == '\n')
                        {
                            line++;
                            column = 0;
                        }
                        else
                        {
                            column++;
                        }
                    }

                    i = stop - 1;
                    break;
                case '(' or '[' or '{':
                    if (++depth > maxDepth)
                    {
                        return (line, column);
                    }

                    break;
                case ')' or ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    break;
                default:
                    break;
            }
        }

        return null;
    }
}
