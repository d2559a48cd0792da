using System.Globalization;
using System.Text;
using ChatIntegrations.JavaScript.Lowering;
using ChatIntegrations.JavaScript.Parsing;

namespace ChatIntegrations.JavaScript.Printing;

/// <summary>
/// Prints a lowered (ES5) AST. Line preservation: before a node from line N is printed, newlines are added until
/// the output is on line N; the printer never adds a newline otherwise, so every statement keeps its source line
/// and synthesized code stays on the line of the construct it replaces (SCR-31).
/// </summary>
internal sealed class Printer
{
    // Identifiers that ES2015 allows but Jint 2.10.4 (ES5) rejects as binding names.
    private static readonly HashSet<string> Es5Reserved =
        ["let", "static", "yield", "implements", "interface", "package", "private", "protected", "public", "await"];

    private readonly StringBuilder _sb = new();
    private int _line = 1;

    // Set after `return`/`throw`: a newline there would end the statement (restricted production).
    private bool _noNewline;

    public static string Print(Program program)
    {
        var p = new Printer();
        foreach (var s in program.Body)
        {
            p.Statement(s);
        }

        return p._sb.ToString();
    }

    private void Sync(Node n)
    {
        if (n.Line > _line && !_noNewline)
        {
            _sb.Append('\n', n.Line - _line);
            _line = n.Line;
        }
    }

    private void W(string s)
    {
        _sb.Append(s);
        _noNewline = false;
    }

    // ---------------------------------------------------------------- statements

    private void Statement(Statement s)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        Sync(s);
        switch (s)
        {
            case VariableDeclaration v:
                Declaration(v);
                W(";");
                break;
            case FunctionDeclaration fd:
                Function(fd.Function);
                break;
            case ExpressionStatement es:
                if (es.Directive is not null)
                {
                    W(es.Directive + ";");
                    break;
                }

                if (StartsAmbiguously(es.Expression))
                {
                    W("(");
                    Expr(es.Expression, 0);
                    W(")");
                }
                else
                {
                    Expr(es.Expression, 0);
                }

                W(";");
                break;
            case BlockStatement b:
                Block(b.Body);
                break;
            case EmptyStatement:
                W(";");
                break;
            case DebuggerStatement:
                W("debugger;");
                break;
            case IfStatement i:
                W("if (");
                Expr(i.Test, 0);
                W(") ");
                Statement(i.Consequent);
                if (i.Alternate is not null)
                {
                    W(" else ");
                    Statement(i.Alternate);
                }

                break;
            case ForStatement f:
                W("for (");
                if (f.Init is VariableDeclaration vd)
                {
                    Declaration(vd, noIn: true);
                }
                else if (f.Init is ExpressionStatement ie)
                {
                    Expr(ie.Expression, 0, noIn: true);
                }

                W("; ");
                if (f.Test is not null)
                {
                    Expr(f.Test, 0);
                }

                W("; ");
                if (f.Update is not null)
                {
                    Expr(f.Update, 0);
                }

                W(") ");
                Statement(f.Body);
                break;
            case ForInStatement fi:
                W("for (");
                if (fi.Left is VariableDeclaration lv)
                {
                    Declaration(lv, noIn: true);
                }
                else
                {
                    Expr(((ExpressionStatement)fi.Left).Expression, 17);
                }

                W(" in ");
                Expr(fi.Right, 0);
                W(") ");
                Statement(fi.Body);
                break;
            case WhileStatement w:
                W("while (");
                Expr(w.Test, 0);
                W(") ");
                Statement(w.Body);
                break;
            case DoWhileStatement d:
                W("do ");
                Statement(d.Body);
                W(" while (");
                Expr(d.Test, 0);
                W(");");
                break;
            case ReturnStatement r:
                W("return");
                if (r.Argument is not null)
                {
                    W(" ");
                    _noNewline = true;
                    Expr(r.Argument, 0);
                }

                W(";");
                break;
            case ThrowStatement t:
                W("throw ");
                _noNewline = true;
                Expr(t.Argument, 0);
                W(";");
                break;
            case BreakStatement br:
                W(br.Label is null ? "break;" : "break " + br.Label + ";");
                break;
            case ContinueStatement co:
                W(co.Label is null ? "continue;" : "continue " + co.Label + ";");
                break;
            case TryStatement t:
                W("try ");
                Block(t.Block.Body);
                if (t.Handler is not null)
                {
                    W(" catch (");
                    Expr(t.Param!, 0);
                    W(") ");
                    Block(t.Handler.Body);
                }

                if (t.Finalizer is not null)
                {
                    W(" finally ");
                    Block(t.Finalizer.Body);
                }

                break;
            case SwitchStatement sw:
                W("switch (");
                Expr(sw.Discriminant, 0);
                W(") {");
                foreach (var c in sw.Cases)
                {
                    Sync(c);
                    if (c.Test is null)
                    {
                        W(" default:");
                    }
                    else
                    {
                        W(" case ");
                        Expr(c.Test, 0);
                        W(":");
                    }

                    foreach (var st in c.Consequent)
                    {
                        W(" ");
                        Statement(st);
                    }
                }

                W(" }");
                break;
            case LabeledStatement l:
                W(l.Label + ": ");
                Statement(l.Body);
                break;
            default:
                throw new InvalidOperationException("Cannot print " + s.GetType().Name);
        }
    }

    private void Block(List<Statement> body)
    {
        W("{");
        foreach (var s in body)
        {
            W(" ");
            Statement(s);
        }

        W(" }");
    }

    private void Declaration(VariableDeclaration v, bool noIn = false)
    {
        W("var ");
        for (var i = 0; i < v.Declarations.Count; i++)
        {
            if (i > 0)
            {
                W(", ");
            }

            var d = v.Declarations[i];
            Sync(d);
            Expr(d.Id, 1);
            if (d.Init is not null)
            {
                W(" = ");
                Expr(d.Init, 1, noIn);
            }
        }
    }

    private void Function(FunctionNode fn)
    {
        W("function");
        if (fn.Id is not null)
        {
            W(" " + IdentifierName(fn.Id.Name));
        }

        W(" (");
        for (var i = 0; i < fn.Params.Count; i++)
        {
            if (i > 0)
            {
                W(", ");
            }

            Expr(fn.Params[i], 1);
        }

        W(") ");
        Block(fn.Body);
    }

    // ---------------------------------------------------------------- expressions

    private static int Precedence(Expression e) => e switch
    {
        SequenceExpression => 0,
        AssignmentExpression => 1,
        ConditionalExpression => 2,
        BinaryExpression b => BinaryPrecedence(b.Operator),
        UnaryExpression => 14,
        UpdateExpression u => u.Prefix ? 14 : 15,
        NewExpression n => n.Arguments.Count == 0 ? 16 : 17,
        CallExpression or MemberExpression => 17,
        Literal { Kind: LiteralKind.Number, Value: double d } when d < 0 || (d == 0 && double.IsNegative(d)) => 14,
        _ => 20,
    };

    private static int BinaryPrecedence(string op) => op switch
    {
        "||" => 3,
        "&&" => 4,
        "|" => 5,
        "^" => 6,
        "&" => 7,
        "==" or "!=" or "===" or "!==" => 8,
        "<" or ">" or "<=" or ">=" or "instanceof" or "in" => 9,
        "<<" or ">>" or ">>>" => 10,
        "+" or "-" => 11,
        _ => 12,
    };

    /// <summary>An expression statement must not start with `function`, `{` or `class`.</summary>
    private static bool StartsAmbiguously(Expression e)
    {
        while (true)
        {
            switch (e)
            {
                case FunctionNode or ObjectExpression:
                    return true;
                case BinaryExpression b:
                    e = b.Left;
                    break;
                case AssignmentExpression a:
                    e = a.Target;
                    break;
                case ConditionalExpression c:
                    e = c.Test;
                    break;
                case SequenceExpression s:
                    e = s.Expressions[0];
                    break;
                case ParenthesizedExpression p:
                    e = p.Expression;
                    break;
                case CallExpression c:
                    e = c.Callee;
                    break;
                case MemberExpression m:
                    e = m.Object;
                    break;
                case UpdateExpression { Prefix: false } u:
                    e = u.Argument;
                    break;
                default:
                    return false;
            }
        }
    }

    private void Expr(Expression e, int minPrecedence, bool noIn = false)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        if (e is ParenthesizedExpression p)
        {
            Expr(p.Expression, minPrecedence, noIn);
            return;
        }

        var prec = Precedence(e);
        var parens = prec < minPrecedence || (noIn && e is BinaryExpression { Operator: "in" });
        if (parens)
        {
            W("(");
            noIn = false;
        }

        Sync(e);
        switch (e)
        {
            case Identifier id:
                W(IdentifierName(id.Name));
                break;
            case Literal l:
                W(LiteralText(l));
                break;
            case RegExpLiteral re:
                W("/" + re.Pattern + "/" + re.Flags);
                break;
            case ThisExpression:
                W("this");
                break;
            case ArrayExpression arr:
                W("[");
                for (var i = 0; i < arr.Elements.Count; i++)
                {
                    if (i > 0)
                    {
                        W(", ");
                    }

                    if (arr.Elements[i] is { } el)
                    {
                        Expr(el, 1);
                    }
                }

                if (arr.Elements.Count > 0 && arr.Elements[^1] is null)
                {
                    W(",");
                }

                W("]");
                break;
            case ObjectExpression obj:
                W("{");
                for (var i = 0; i < obj.Properties.Count; i++)
                {
                    W(i > 0 ? ", " : " ");
                    var prop = (Property)obj.Properties[i];
                    Sync(prop);
                    if (prop.Kind != PropertyKind.Init && prop.Value is FunctionNode accessor)
                    {
                        W(prop.Kind == PropertyKind.Get ? "get " : "set ");
                        PropertyKey(prop.Key);
                        W("(");
                        for (var k = 0; k < accessor.Params.Count; k++)
                        {
                            if (k > 0)
                            {
                                W(", ");
                            }

                            Expr(accessor.Params[k], 1);
                        }

                        W(") ");
                        Block(accessor.Body);
                        continue;
                    }

                    PropertyKey(prop.Key);
                    W(": ");
                    Expr(prop.Value, 1);
                }

                W(obj.Properties.Count > 0 ? " }" : "}");
                break;
            case FunctionNode fn:
                Function(fn);
                break;
            case UnaryExpression u:
                W(u.Operator);
                if (u.Operator.Length > 1 || (u.Argument is UnaryExpression iu && iu.Operator[0] == u.Operator[0]) ||
                    (u.Argument is UpdateExpression { Prefix: true } up && up.Operator[0] == u.Operator[0]) ||
                    (u.Argument is Literal { Kind: LiteralKind.Number, Value: double dv } && dv < 0))
                {
                    W(" ");
                }

                Expr(u.Argument, 14);
                break;
            case UpdateExpression up2:
                if (up2.Prefix)
                {
                    W(up2.Operator);
                    Expr(up2.Argument, 14);
                }
                else
                {
                    Expr(up2.Argument, 15);
                    W(up2.Operator);
                }

                break;
            case BinaryExpression b:
                {
                    var bp = BinaryPrecedence(b.Operator);
                    Expr(b.Left, bp, noIn);
                    W(" " + b.Operator + " ");
                    Expr(b.Right, bp + 1, noIn);
                    break;
                }

            case AssignmentExpression a:
                Expr(a.Target, 17);
                W(" " + a.Operator + " ");
                Expr(a.Value, 1, noIn);
                break;
            case ConditionalExpression c:
                Expr(c.Test, 3, noIn);
                W(" ? ");
                Expr(c.Consequent, 1);
                W(" : ");
                Expr(c.Alternate, 1, noIn);
                break;
            case CallExpression call:
                Expr(call.Callee, 17);
                Arguments(call.Arguments);
                break;
            case NewExpression n:
                W("new ");
                if (ContainsCall(n.Callee))
                {
                    W("(");
                    Expr(n.Callee, 0);
                    W(")");
                }
                else
                {
                    Expr(n.Callee, 17);
                }

                Arguments(n.Arguments);
                break;
            case MemberExpression m:
                if (m.Object is Literal { Kind: LiteralKind.Number } || m.Object is NewExpression { Arguments.Count: 0 })
                {
                    W("(");
                    Expr(m.Object, 0);
                    W(")");
                }
                else
                {
                    Expr(m.Object, 17);
                }

                if (m.Computed)
                {
                    W("[");
                    Expr(m.Property, 0);
                    W("]");
                }
                else
                {
                    W("." + ((Identifier)m.Property).Name);
                }

                break;
            case SequenceExpression seq:
                for (var i = 0; i < seq.Expressions.Count; i++)
                {
                    if (i > 0)
                    {
                        W(", ");
                    }

                    Expr(seq.Expressions[i], 1, noIn);
                }

                break;
            default:
                throw new InvalidOperationException("Cannot print " + e.GetType().Name);
        }

        if (parens)
        {
            W(")");
        }
    }

    private static bool ContainsCall(Expression e)
    {
        while (true)
        {
            switch (e)
            {
                case CallExpression:
                    return true;
                case MemberExpression m:
                    e = m.Object;
                    break;
                case ParenthesizedExpression p:
                    e = p.Expression;
                    break;
                default:
                    return false;
            }
        }
    }

    private void Arguments(List<Expression> args)
    {
        W("(");
        for (var i = 0; i < args.Count; i++)
        {
            if (i > 0)
            {
                W(", ");
            }

            Expr(args[i], 1);
        }

        W(")");
    }

    private void PropertyKey(Expression key)
    {
        switch (key)
        {
            case Identifier id:
                W(id.Name);
                break;
            case Literal { Kind: LiteralKind.Number } l:
                W(Lowerer.NumberToString((double)l.Value!));
                break;
            case Literal l:
                W(Quote((string)l.Value!));
                break;
            default:
                throw new InvalidOperationException("computed key in ES5 object literal");
        }
    }

    private static string IdentifierName(string name) => Es5Reserved.Contains(name) ? "$" + name : name;

    private static string LiteralText(Literal l) => l.Kind switch
    {
        LiteralKind.Null => "null",
        LiteralKind.Boolean => (bool)l.Value! ? "true" : "false",
        LiteralKind.String => Quote((string)l.Value!),
        _ => NumberText(l),
    };

    private static string NumberText(Literal l)
    {
        var d = (double)l.Value!;
        if (l.Raw is { } raw && !raw.Contains('_', StringComparison.Ordinal) &&
            (raw.Length == 1 || raw[0] != '0' || raw[1] is '.' or 'x' or 'X' or 'e' or 'E'))
        {
            return raw;
        }

        var text = Lowerer.NumberToString(d);
        return d < 0 ? "(" + text + ")" : text;
    }

    internal static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\v': sb.Append("\\v"); break;
                default:
                    if (c < 0x20 || c is '\u2028' or '\u2029' || char.IsSurrogate(c) || c == '\u007f')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
        return sb.ToString();
    }
}
