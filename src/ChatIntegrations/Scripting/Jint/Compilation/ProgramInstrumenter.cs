using System.Runtime.CompilerServices;
using Jint.Parser;
using Jint.Parser.Ast;

namespace ChatIntegrations.Scripting.Jint.Compilation;

/// <summary>
/// Rewrites a parsed Jint program in place before it is cached:
/// regular-expression literals become calls of the realm's <c>__ci_re(source, flags)</c>, and, when asked, every
/// function entry and loop iteration gets a <c>__ci_cp()</c> checkpoint (SCR-44).
/// </summary>
/// <remarks>
/// Jint 2.10.4 caches the <c>RegExp</c> object of a non-global literal in the AST node, which would share one object
/// between realms (SCR-72) and bypass the per-pattern timeout (SCR-44a); the rewrite gives every evaluation a fresh,
/// realm-local object. The front end already emits checkpoints for lowered code; the pass inserts them for code that
/// did not go through it (the pass-through compiler, the runtime prelude).
/// </remarks>
internal static class ProgramInstrumenter
{
    public const string CheckpointName = "__ci_cp";
    public const string RegExpFactoryName = "__ci_re";

    public const string AsyncStartName = "asyncAt";

    public static void Instrument(Program program, bool insertCheckpoints) => Instrument(program, insertCheckpoints, stateBodies: false);

    /// <summary>Instruments <paramref name="program"/>; with <paramref name="stateBodies"/>, also takes the state
    /// functions of lowered async functions out of the code: <c>__ci.async(function (_context, arguments) {…}, t)</c>
    /// becomes <c>__ci.asyncAt(i, t)</c>, where <c>i</c> indexes the returned list, so that a call makes no function
    /// object for its state machine (the realm runs the body with the caller's scope, <see cref="Runtime.StateFunction"/>).</summary>
    /// <returns>The state functions taken out, in index order.</returns>
    public static IReadOnlyList<StateBody> Instrument(Program program, bool insertCheckpoints, bool stateBodies)
    {
        var pass = new Pass(insertCheckpoints, stateBodies);
        program.Body = pass.Statements(program.Body).ToList();
        return pass.StateBodies;
    }

    private sealed class Pass(bool checkpoints, bool takeStateBodies)
    {
        public List<StateBody> StateBodies { get; } = [];

        public List<Statement> Statements(IEnumerable<Statement>? statements)
        {
            var list = new List<Statement>();
            if (statements is null)
            {
                return list;
            }

            foreach (var s in statements)
            {
                list.Add(Statement(s)!);
            }

            return list;
        }

        public Statement? Statement(Statement? node)
        {
            if (node is null)
            {
                return null;
            }

            // The parser bounds source nesting; this guard keeps a pathological AST from overflowing the stack.
            RuntimeHelpers.EnsureSufficientExecutionStack();
            switch (node)
            {
                case BlockStatement b:
                    b.Body = Statements(b.Body);
                    break;
                case ExpressionStatement e:
                    e.Expression = Expression(e.Expression)!;
                    break;
                case IfStatement i:
                    i.Test = Expression(i.Test)!;
                    i.Consequent = Statement(i.Consequent)!;
                    i.Alternate = Statement(i.Alternate);
                    break;
                case LabelledStatement l:
                    l.Body = Statement(l.Body)!;
                    break;
                case WithStatement w:
                    w.Object = Expression(w.Object)!;
                    w.Body = Statement(w.Body)!;
                    break;
                case SwitchStatement sw:
                    sw.Discriminant = Expression(sw.Discriminant)!;
                    if (sw.Cases is not null)
                    {
                        foreach (var c in sw.Cases)
                        {
                            c.Test = Expression(c.Test);
                            c.Consequent = Statements(c.Consequent);
                        }
                    }

                    break;
                case ReturnStatement r:
                    r.Argument = Expression(r.Argument);
                    break;
                case ThrowStatement t:
                    t.Argument = Expression(t.Argument)!;
                    break;
                case TryStatement t:
                    Statement(t.Block);
                    if (t.Handlers is not null)
                    {
                        foreach (var h in t.Handlers)
                        {
                            Statement(h.Body);
                        }
                    }

                    Statement(t.Finalizer);
                    break;
                case WhileStatement w:
                    w.Test = Expression(w.Test)!;
                    w.Body = LoopBody(w.Body);
                    break;
                case DoWhileStatement d:
                    d.Test = Expression(d.Test)!;
                    d.Body = LoopBody(d.Body);
                    break;
                case ForStatement f:
                    f.Init = f.Init switch
                    {
                        VariableDeclaration v => Statement(v),
                        Expression x => Expression(x),
                        _ => f.Init,
                    };
                    f.Test = Expression(f.Test);
                    f.Update = Expression(f.Update);
                    f.Body = LoopBody(f.Body);
                    break;
                case ForInStatement f:
                    f.Right = Expression(f.Right)!;
                    if (f.Left is VariableDeclaration lv)
                    {
                        Statement(lv);
                    }

                    f.Body = LoopBody(f.Body);
                    break;
                case VariableDeclaration v:
                    if (v.Declarations is not null)
                    {
                        foreach (var d in v.Declarations)
                        {
                            d.Init = Expression(d.Init);
                        }
                    }

                    break;
                case FunctionDeclaration fd:
                    fd.Body = FunctionBody(fd.Body, fd);
                    break;
                default:
                    break;
            }

            return node;
        }

        public Expression? Expression(Expression? node)
        {
            if (node is null)
            {
                return null;
            }

            RuntimeHelpers.EnsureSufficientExecutionStack();
            switch (node)
            {
                case Literal lit when lit.Type == SyntaxNodes.RegularExpressionLiteral:
                    return RegExpCall(lit);
                case AssignmentExpression a:
                    a.Left = Expression(a.Left)!;
                    a.Right = Expression(a.Right)!;
                    break;
                case BinaryExpression b:
                    b.Left = Expression(b.Left)!;
                    b.Right = Expression(b.Right)!;
                    break;
                case LogicalExpression l:
                    l.Left = Expression(l.Left)!;
                    l.Right = Expression(l.Right)!;
                    break;
                case ConditionalExpression c:
                    c.Test = Expression(c.Test)!;
                    c.Consequent = Expression(c.Consequent)!;
                    c.Alternate = Expression(c.Alternate)!;
                    break;
                case UnaryExpression u:
                    u.Argument = Expression(u.Argument)!;
                    break;
                case MemberExpression m:
                    m.Object = Expression(m.Object)!;
                    m.Property = Expression(m.Property)!;
                    break;
                case CallExpression call:
                    call.Callee = Expression(call.Callee)!;
                    call.Arguments = Expressions(call.Arguments);
                    if (takeStateBodies && IsAsyncStart(call, out var body))
                    {
                        call.Callee = new MemberExpression
                        {
                            Type = SyntaxNodes.MemberExpression,
                            Object = ((MemberExpression)call.Callee).Object,
                            Property = new Identifier { Type = SyntaxNodes.Identifier, Name = AsyncStartName, Location = call.Callee.Location, Range = call.Callee.Range },
                            Computed = false,
                            Location = call.Callee.Location,
                            Range = call.Callee.Range,
                        };
                        var index = StateBodies.Count;
                        StateBodies.Add(new StateBody(body, body.Parameters.Select(p => p.Name).ToArray()));
                        call.Arguments[0] = new Literal { Type = SyntaxNodes.Literal, Value = (double)index, Raw = index.ToString(System.Globalization.CultureInfo.InvariantCulture), Location = body.Location, Range = body.Range };
                    }

                    call.CanBeCached = call.CanBeCached && call.Arguments.All(a => a is Literal);
                    break;
                case NewExpression n:
                    n.Callee = Expression(n.Callee)!;
                    n.Arguments = Expressions(n.Arguments);
                    break;
                case SequenceExpression s:
                    s.Expressions = Expressions(s.Expressions);
                    break;
                case ArrayExpression arr:
                    arr.Elements = arr.Elements?.Select(e => Expression(e)!).ToList() ?? [];
                    break;
                case ObjectExpression o:
                    if (o.Properties is not null)
                    {
                        foreach (var p in o.Properties)
                        {
                            p.Value = Expression(p.Value)!;
                        }
                    }

                    break;
                case FunctionExpression fe:
                    fe.Body = FunctionBody(fe.Body, fe);
                    break;
                default:
                    break;
            }

            return node;
        }

        /// <summary><c>__ci.async(function (c, arguments) { … }[, table])</c> as the front end lowers an async function:
        /// an anonymous, non-strict state function whose second parameter is <c>arguments</c> (it never uses its own).</summary>
        private static bool IsAsyncStart(CallExpression call, out FunctionExpression body)
        {
            body = null!;
            if (call.Callee is not MemberExpression { Computed: false, Object: Identifier { Name: "__ci" }, Property: Identifier { Name: "async" } }
                || call.Arguments.Count is < 1 or > 2
                || call.Arguments[0] is not FunctionExpression { Id: null, Strict: false } fe
                || fe.Body is not BlockStatement
                || fe.Parameters.Select(p => p.Name).ToList() is not [_, "arguments"])
            {
                return false;
            }

            body = fe;
            return true;
        }

        private List<Expression> Expressions(IEnumerable<Expression>? items)
        {
            var list = new List<Expression>();
            if (items is not null)
            {
                foreach (var e in items)
                {
                    list.Add(Expression(e)!);
                }
            }

            return list;
        }

        private Statement FunctionBody(Statement body, SyntaxNode function)
        {
            Statement(body);
            if (checkpoints && body is BlockStatement block)
            {
                var list = new List<Statement> { Checkpoint(function) };
                list.AddRange(block.Body);
                block.Body = list;
            }

            return body;
        }

        private Statement LoopBody(Statement body)
        {
            var visited = Statement(body)!;
            if (!checkpoints)
            {
                return visited;
            }

            return new BlockStatement
            {
                Type = SyntaxNodes.BlockStatement,
                Body = [Checkpoint(visited), visited],
                Location = visited.Location,
                Range = visited.Range,
            };
        }

        private static ExpressionStatement Checkpoint(SyntaxNode at)
        {
            var call = new CallExpression
            {
                Type = SyntaxNodes.CallExpression,
                Callee = new Identifier { Type = SyntaxNodes.Identifier, Name = CheckpointName, Location = at.Location, Range = at.Range },
                Arguments = [],
                Location = at.Location,
                Range = at.Range,
            };
            return new ExpressionStatement { Type = SyntaxNodes.ExpressionStatement, Expression = call, Location = at.Location, Range = at.Range };
        }

        private static CallExpression RegExpCall(Literal literal)
        {
            string raw = literal.Raw ?? "//";
            int end = raw.LastIndexOf('/');
            string source = end > 0 ? raw[1..end] : raw;
            string flags = end > 0 ? raw[(end + 1)..] : string.Empty;
            return new CallExpression
            {
                Type = SyntaxNodes.CallExpression,
                Callee = new Identifier { Type = SyntaxNodes.Identifier, Name = RegExpFactoryName, Location = literal.Location, Range = literal.Range },
                Arguments = [StringLiteral(source, literal), StringLiteral(flags, literal)],
                Location = literal.Location,
                Range = literal.Range,
            };
        }

        private static Literal StringLiteral(string value, SyntaxNode at) =>
            new() { Type = SyntaxNodes.Literal, Value = value, Raw = value, Location = at.Location, Range = at.Range };
    }
}

/// <summary>A state function taken out of a program by <see cref="ProgramInstrumenter"/>: its AST and parameter names.</summary>
internal sealed record StateBody(FunctionExpression Function, string[] Parameters);
