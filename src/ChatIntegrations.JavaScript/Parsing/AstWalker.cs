namespace ChatIntegrations.JavaScript.Parsing;

/// <summary>Generic traversal: applies a function to every direct child and stores the result back.</summary>
internal static class AstWalker
{
    /// <summary>Visits <paramref name="node"/> and, while <paramref name="visit"/> returns true, its descendants.</summary>
    public static void Walk(Node node, Func<Node, bool> visit)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        if (visit(node))
        {
            MapChildren(node, child =>
            {
                Walk(child, visit);
                return child;
            });
        }
    }

    public static void MapChildren(Node node, Func<Node, Node> f)
    {
        T M<T>(T n)
            where T : Node => (T)f(n);
        T? O<T>(T? n)
            where T : Node => n is null ? null : (T)f(n);
        void L<T>(List<T> list)
            where T : Node
        {
            for (var i = 0; i < list.Count; i++)
            {
                list[i] = (T)f(list[i]);
            }
        }

        void LN<T>(List<T?> list)
            where T : Node
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is { } item)
                {
                    list[i] = (T)f(item);
                }
            }
        }

        switch (node)
        {
            case Program p: L(p.Body); break;
            case TemplateLiteral t: L(t.Expressions); break;
            case TaggedTemplate t: t.Tag = M(t.Tag); M(t.Quasi); break;
            case SpreadElement s: s.Argument = M(s.Argument); break;
            case ArrayExpression a: LN(a.Elements); break;
            case Property p:
                if (p.Computed)
                {
                    p.Key = M(p.Key);
                }

                p.Value = M(p.Value);
                break;
            case ObjectExpression o: L(o.Properties); break;
            case SpreadProperty s: s.Argument = M(s.Argument); break;
            case FunctionNode fn:
                if (fn.Id is not null)
                {
                    fn.Id = M(fn.Id);
                }

                L(fn.Params);
                L(fn.Body);
                break;
            case ClassMember cm:
                if (cm.Computed && cm.Key is not null)
                {
                    cm.Key = M(cm.Key);
                }

                cm.Function = O(cm.Function);
                cm.FieldValue = O(cm.FieldValue);
                if (cm.StaticBlock is not null)
                {
                    L(cm.StaticBlock);
                }

                break;
            case ClassNode c:
                c.SuperClass = O(c.SuperClass);
                L(c.Members);
                break;
            case UnaryExpression u: u.Argument = M(u.Argument); break;
            case AwaitExpression aw: aw.Argument = M(aw.Argument); break;
            case YieldExpression y: y.Argument = O(y.Argument); break;
            case UpdateExpression u: u.Argument = M(u.Argument); break;
            case BinaryExpression b: b.Left = M(b.Left); b.Right = M(b.Right); break;
            case AssignmentExpression a: a.Target = M(a.Target); a.Value = M(a.Value); break;
            case ConditionalExpression c: c.Test = M(c.Test); c.Consequent = M(c.Consequent); c.Alternate = M(c.Alternate); break;
            case CallExpression c: c.Callee = M(c.Callee); L(c.Arguments); break;
            case NewExpression n: n.Callee = M(n.Callee); L(n.Arguments); break;
            case MemberExpression m:
                m.Object = M(m.Object);
                if (m.Computed)
                {
                    m.Property = M(m.Property);
                }

                break;
            case ChainExpression c: c.Expression = M(c.Expression); break;
            case SequenceExpression s: L(s.Expressions); break;
            case ParenthesizedExpression p: p.Expression = M(p.Expression); break;
            case ObjectPattern o: L(o.Properties); break;
            case ArrayPattern a: LN(a.Elements); break;
            case AssignmentPattern a: a.Left = M(a.Left); a.Right = M(a.Right); break;
            case RestElement r: r.Argument = M(r.Argument); break;
            case VariableDeclarator d: d.Id = M(d.Id); d.Init = O(d.Init); break;
            case VariableDeclaration v: L(v.Declarations); break;
            case FunctionDeclaration fd: M(fd.Function); break;
            case ClassDeclaration cd: M(cd.Class); break;
            case ExpressionStatement e: e.Expression = M(e.Expression); break;
            case BlockStatement b: L(b.Body); break;
            case IfStatement i: i.Test = M(i.Test); i.Consequent = M(i.Consequent); i.Alternate = O(i.Alternate); break;
            case ForStatement fs: fs.Init = O(fs.Init); fs.Test = O(fs.Test); fs.Update = O(fs.Update); fs.Body = M(fs.Body); break;
            case ForInStatement fi: fi.Left = M(fi.Left); fi.Right = M(fi.Right); fi.Body = M(fi.Body); break;
            case WhileStatement w: w.Test = M(w.Test); w.Body = M(w.Body); break;
            case DoWhileStatement d: d.Body = M(d.Body); d.Test = M(d.Test); break;
            case ReturnStatement r: r.Argument = O(r.Argument); break;
            case ThrowStatement t: t.Argument = M(t.Argument); break;
            case TryStatement t:
                t.Block = M(t.Block);
                t.Param = O(t.Param);
                t.Handler = O(t.Handler);
                t.Finalizer = O(t.Finalizer);
                break;
            case SwitchCase sc: sc.Test = O(sc.Test); L(sc.Consequent); break;
            case SwitchStatement ss: ss.Discriminant = M(ss.Discriminant); L(ss.Cases); break;
            case LabeledStatement l: l.Body = M(l.Body); break;
        }
    }
}
