using ChatIntegrations.JavaScript.Parsing;
using static ChatIntegrations.JavaScript.Lowering.Build;

namespace ChatIntegrations.JavaScript.Lowering;

/// <summary>
/// Async functions and generators (SCR-60, SCR-61, SCR-62), regenerator-style: the lowered body is flattened into a
/// <c>while (1) switch (_context.p = _context.n) { case …: }</c> state machine whose locals are hoisted to the
/// enclosing function, so that each <c>await</c>/<c>yield</c> returns from the state function and a later call resumes
/// at the next case. try/catch/finally regions are described by a table the prelude's <c>__ci.async</c>/<c>__ci.gen</c>
/// driver uses to dispatch exceptions and abrupt completions. Statements without a suspension or an escaping jump are
/// emitted unchanged, so every statement keeps its source line.
/// </summary>
internal sealed partial class Lowerer
{
    /// <summary>True when <paramref name="node"/> holds an <c>await</c> or <c>yield</c> outside nested functions.</summary>
    private static bool ContainsSuspend(Node node)
    {
        var found = false;
        AstWalker.Walk(node, n =>
        {
            if (found || n is FunctionNode || n is ClassNode)
            {
                return false;
            }

            if (n is AwaitExpression or YieldExpression)
            {
                found = true;
                return false;
            }

            return true;
        });
        return found;
    }

    private List<Statement> BuildStateMachine(List<Statement> body, FunctionContext ctx, bool isAsync, Node at)
    {
        // `this` and `arguments` of the function itself are aliased: the state function is a nested function.
        var directives = body.TakeWhile(s => s is ExpressionStatement { Directive: not null }).ToList();
        var rest = body.Skip(directives.Count).ToList();
        foreach (var s in rest)
        {
            AliasOwnThisAndArguments(s, ctx);
        }

        var hoisted = new List<string>();
        rest = rest.Select(s => HoistVars(s, hoisted, allKinds: true)).ToList();
        var sm = new StateMachine(this, Fresh("context"), isAsync);
        foreach (var s in rest)
        {
            sm.Explode(s);
        }

        var inner = sm.Finish();
        ctx.Temps.AddRange(hoisted);
        ctx.Temps.AddRange(sm.Hoisted);
        // The state function's own `arguments` is never used (the function's own is aliased above): a parameter of
        // that name spares the engine an arguments object on every step (ES5.1 10.5 step 7).
        var stateFn = new FunctionNode { Params = [Raw(sm.Ctx), Raw("arguments")], Body = [new WhileStatement(Num(1), inner)] };
        // A body without try blocks passes no table (the prelude and the host's native helper take it as empty).
        var call = sm.HasTries
            ? CallHelper(isAsync ? "async" : "gen", stateFn, sm.TryTable())
            : CallHelper(isAsync ? "async" : "gen", stateFn);
        var result = new List<Statement>(directives) { new ReturnStatement(call) };
        return result;
    }

    private void AliasOwnThisAndArguments(Node node, FunctionContext ctx)
    {
        AstWalker.MapChildren(node, child =>
        {
            switch (child)
            {
                case FunctionNode:
                    return child;
                case ThisExpression:
                    ctx.ThisAlias ??= Fresh("this");
                    return Raw(ctx.ThisAlias).At<Identifier>(child);
                case Identifier { Name: "arguments" }:
                    ctx.ArgumentsAlias ??= Fresh("arguments");
                    return Raw(ctx.ArgumentsAlias).At<Identifier>(child);
                default:
                    AliasOwnThisAndArguments(child, ctx);
                    return child;
            }
        });
    }

    private sealed class StateMachine(Lowerer owner, string ctx, bool isAsyncMachine)
    {
        private readonly List<Statement> _listing = [];
        private readonly Dictionary<int, List<Literal>> _marks = [];
        private readonly List<Literal[]> _tries = [];
        private readonly List<(string Kind, Literal Break, Literal? Continue, List<string> Labels)> _leaps = [];
        private int _finallyDepth;
        private Node? _origin;

        public string Ctx { get; } = ctx;

        public List<string> Hoisted { get; } = [];

        private MemberExpression C(string name) => Member(Raw(Ctx), name);

        private static Literal NewLoc() => Num(-1);

        private void Mark(Literal loc)
        {
            loc.Value = (double)_listing.Count;
            if (!_marks.TryGetValue(_listing.Count, out var list))
            {
                _marks[_listing.Count] = list = [];
            }

            list.Add(loc);
        }

        private void MarkWithPrev(Literal loc)
        {
            Mark(loc);
            Emit(Stmt(Assign(C("p"), loc)));
        }

        private void Emit(Statement s)
        {
            if (s.Line == 0 && _origin is not null)
            {
                s.At<Statement>(_origin);
            }

            _listing.Add(s);
        }

        private void Jump(Literal loc)
        {
            var block = new BlockStatement();
            block.Body.Add(Stmt(Assign(C("n"), loc)));
            block.Body.Add(new BreakStatement(null));
            Emit(block);
        }

        private void JumpIf(Expression test, Literal loc)
        {
            var block = new BlockStatement();
            block.Body.Add(Stmt(Assign(C("n"), loc)));
            block.Body.Add(new BreakStatement(null));
            Emit(new IfStatement(test, block, null));
        }

        private void JumpIfNot(Expression test, Literal loc) => JumpIf(new UnaryExpression("!", new ParenthesizedExpression(test)), loc);

        private void JumpAbrupt(string kind, Literal loc)
        {
            if (_finallyDepth == 0)
            {
                Jump(loc);
            }
            else
            {
                Emit(new ReturnStatement(Call(C("abrupt"), Str(kind), loc)));
            }
        }

        public SwitchStatement Finish()
        {
            var final = NewLoc();
            Mark(final);
            var sw = new SwitchStatement(Assign(C("p"), C("n")));
            SwitchCase? current = null;
            for (var i = 0; i <= _listing.Count; i++)
            {
                if (_marks.ContainsKey(i) || i == 0)
                {
                    current = new SwitchCase(Num(i));
                    sw.Cases.Add(current);
                }

                if (i < _listing.Count)
                {
                    current!.Consequent.Add(_listing[i]);
                }
            }

            var end = new SwitchCase(Str("end"));
            end.Consequent.Add(new ReturnStatement(Call(C("stop"))));
            sw.Cases.Add(end);
            return sw;
        }

        public bool HasTries => _tries.Count > 0;

        public Expression TryTable()
        {
            var arr = new ArrayExpression();
            foreach (var t in _tries)
            {
                var entry = new ArrayExpression();
                foreach (var l in t)
                {
                    entry.Elements.Add(l ?? (Expression)new Literal { Kind = LiteralKind.Null });
                }

                arr.Elements.Add(entry);
            }

            return arr;
        }

        // ------------------------------------------------------------ statements

        /// <summary>A statement that must be taken apart: it suspends, returns, or jumps out of itself.</summary>
        private static bool NeedsExplode(Statement s) => ContainsSuspend(s) || ContainsReturn(s) || HasEscapingJump(s, 0, 0, []);

        private static bool ContainsReturn(Node node)
        {
            var found = false;
            AstWalker.Walk(node, n =>
            {
                if (found || n is FunctionNode || n is ClassNode)
                {
                    return false;
                }

                if (n is ReturnStatement)
                {
                    found = true;
                }

                return !found;
            });
            return found;
        }

        private static bool HasEscapingJump(Statement s, int loops, int switches, List<string> labels)
        {
            switch (s)
            {
                case BreakStatement b:
                    return b.Label is null ? loops == 0 && switches == 0 : !labels.Contains(b.Label);
                case ContinueStatement c:
                    return c.Label is null ? loops == 0 : !labels.Contains(c.Label);
                case BlockStatement b:
                    return b.Body.Any(x => HasEscapingJump(x, loops, switches, labels));
                case IfStatement i:
                    return HasEscapingJump(i.Consequent, loops, switches, labels) || (i.Alternate is not null && HasEscapingJump(i.Alternate, loops, switches, labels));
                case LabeledStatement l:
                    return HasEscapingJump(l.Body, loops, switches, [.. labels, l.Label]);
                case TryStatement t:
                    return HasEscapingJump(t.Block, loops, switches, labels) || (t.Handler is not null && HasEscapingJump(t.Handler, loops, switches, labels)) ||
                        (t.Finalizer is not null && HasEscapingJump(t.Finalizer, loops, switches, labels));
                case SwitchStatement sw:
                    return sw.Cases.Any(c => c.Consequent.Any(x => HasEscapingJump(x, loops, switches + 1, labels)));
                case ForStatement f:
                    return HasEscapingJump(f.Body, loops + 1, switches, labels);
                case ForInStatement fi:
                    return HasEscapingJump(fi.Body, loops + 1, switches, labels);
                case WhileStatement w:
                    return HasEscapingJump(w.Body, loops + 1, switches, labels);
                case DoWhileStatement d:
                    return HasEscapingJump(d.Body, loops + 1, switches, labels);
                default:
                    return false;
            }
        }

        public void Explode(Statement s, List<string>? labels = null)
        {
            var savedOrigin = _origin;
            _origin = s;
            try
            {
                ExplodeCore(s, labels ?? []);
            }
            finally
            {
                _origin = savedOrigin;
            }
        }

        private void ExplodeCore(Statement s, List<string> labels)
        {
            if (!NeedsExplode(s))
            {
                Emit(s);
                return;
            }

            switch (s)
            {
                case ExpressionStatement es:
                    ExplodeExpr(es.Expression, ignore: true);
                    break;
                case BlockStatement b:
                    foreach (var x in b.Body)
                    {
                        Explode(x);
                    }

                    break;
                case ReturnStatement r:
                    {
                        var arg = r.Argument is null ? Void0() : ExplodeExpr(r.Argument)!;
                        if (_finallyDepth == 0 && isAsyncMachine)
                        {
                            // No enclosing finally: ret(v) is what abrupt("return", v) does then (rval = v, n = "end",
                            // done = true; it returns v), in one call; v is evaluated first, as an argument.
                            Emit(new ReturnStatement(Call(C("ret"), arg)));
                        }
                        else if (_finallyDepth == 0)
                        {
                            // No enclosing finally: what abrupt("return", arg) does, without the call (the value is
                            // evaluated before the machine is marked done, as the call's argument would be).
                            Emit(new ReturnStatement(new SequenceExpression(
                            [
                                Assign(C("rval"), arg), Assign(C("n"), Str("end")), Assign(C("done"), new Literal { Kind = LiteralKind.Boolean, Value = true }), C("rval"),
                            ])));
                        }
                        else
                        {
                            Emit(new ReturnStatement(Call(C("abrupt"), Str("return"), arg)));
                        }

                        break;
                    }

                case ThrowStatement t:
                    Emit(new ThrowStatement(ExplodeExpr(t.Argument)!));
                    break;
                case BreakStatement br:
                    JumpAbrupt("break", FindLeap(br.Label, isContinue: false, br));
                    break;
                case ContinueStatement co:
                    JumpAbrupt("continue", FindLeap(co.Label, isContinue: true, co));
                    break;
                case IfStatement i:
                    {
                        var elseLoc = i.Alternate is null ? null : NewLoc();
                        var after = NewLoc();
                        JumpIfNot(ExplodeExpr(i.Test)!, elseLoc ?? after);
                        Explode(i.Consequent);
                        if (i.Alternate is not null)
                        {
                            Jump(after);
                            Mark(elseLoc!);
                            Explode(i.Alternate);
                        }

                        Mark(after);
                        break;
                    }

                case LabeledStatement l:
                    {
                        if (l.Body is ForStatement or ForInStatement or WhileStatement or DoWhileStatement or LabeledStatement)
                        {
                            Explode(l.Body, [.. labels, l.Label]);
                            break;
                        }

                        var after = NewLoc();
                        _leaps.Add(("label", after, null, [l.Label]));
                        Explode(l.Body);
                        _leaps.RemoveAt(_leaps.Count - 1);
                        Mark(after);
                        break;
                    }

                case WhileStatement w:
                    {
                        var head = NewLoc();
                        var after = NewLoc();
                        Mark(head);
                        JumpIfNot(ExplodeExpr(w.Test)!, after);
                        _leaps.Add(("loop", after, head, labels));
                        Explode(w.Body);
                        _leaps.RemoveAt(_leaps.Count - 1);
                        Jump(head);
                        Mark(after);
                        break;
                    }

                case DoWhileStatement d:
                    {
                        var first = NewLoc();
                        var test = NewLoc();
                        var after = NewLoc();
                        Mark(first);
                        _leaps.Add(("loop", after, test, labels));
                        Explode(d.Body);
                        _leaps.RemoveAt(_leaps.Count - 1);
                        Mark(test);
                        JumpIf(ExplodeExpr(d.Test)!, first);
                        Mark(after);
                        break;
                    }

                case ForStatement f:
                    {
                        if (f.Init is not null)
                        {
                            Explode(f.Init);
                        }

                        var head = NewLoc();
                        var update = NewLoc();
                        var after = NewLoc();
                        Mark(head);
                        if (f.Test is not null)
                        {
                            JumpIfNot(ExplodeExpr(f.Test)!, after);
                        }

                        _leaps.Add(("loop", after, update, labels));
                        Explode(f.Body);
                        _leaps.RemoveAt(_leaps.Count - 1);
                        Mark(update);
                        if (f.Update is not null)
                        {
                            ExplodeExpr(f.Update, ignore: true);
                        }

                        Jump(head);
                        Mark(after);
                        break;
                    }

                case ForInStatement fi:
                    {
                        // for (x in o) → _keys = __ci.forInKeys(o); while ((_key = __ci.nextKey(_keys)) !== void 0) { x = _key; … }
                        var keys = owner.NewTemp("keys");
                        var key = owner.NewTemp("key");
                        Emit(Stmt(Assign(Raw(keys), CallHelper("forInKeys", ExplodeExpr(fi.Right)!))));
                        var head = NewLoc();
                        var after = NewLoc();
                        Mark(head);
                        JumpIf(Bin("===", Assign(Raw(key), CallHelper("nextKey", Raw(keys))), Void0()), after);
                        var target = fi.Left is ExpressionStatement le ? le.Expression : throw Error(fi, "Unsupported for-in head");
                        Emit(Stmt(Assign(target, Raw(key))));
                        _leaps.Add(("loop", after, head, labels));
                        Explode(fi.Body);
                        _leaps.RemoveAt(_leaps.Count - 1);
                        Jump(head);
                        Mark(after);
                        break;
                    }

                case SwitchStatement sw:
                    {
                        var disc = ExplodeViaTemp(sw.Discriminant, force: true);
                        var after = NewLoc();
                        var locs = sw.Cases.Select(_ => NewLoc()).ToList();
                        Literal? defaultLoc = null;
                        for (var k = 0; k < sw.Cases.Count; k++)
                        {
                            if (sw.Cases[k].Test is { } test)
                            {
                                JumpIf(Bin("===", disc, ExplodeExpr(test)!), locs[k]);
                            }
                            else
                            {
                                defaultLoc = locs[k];
                            }
                        }

                        Jump(defaultLoc ?? after);
                        _leaps.Add(("switch", after, null, labels));
                        for (var k = 0; k < sw.Cases.Count; k++)
                        {
                            Mark(locs[k]);
                            foreach (var x in sw.Cases[k].Consequent)
                            {
                                Explode(x);
                            }
                        }

                        _leaps.RemoveAt(_leaps.Count - 1);
                        Mark(after);
                        break;
                    }

                case TryStatement t:
                    ExplodeTry(t);
                    break;
                default:
                    throw Error(s, "Unsupported statement in an async function or generator");
            }
        }

        private Literal FindLeap(string? label, bool isContinue, Node at)
        {
            for (var i = _leaps.Count - 1; i >= 0; i--)
            {
                var (kind, brk, cont, labels) = _leaps[i];
                if (label is null)
                {
                    if (kind == "loop")
                    {
                        return isContinue ? cont! : brk;
                    }

                    if (kind == "switch" && !isContinue)
                    {
                        return brk;
                    }
                }
                else if (labels.Contains(label))
                {
                    if (isContinue)
                    {
                        return kind == "loop" ? cont! : throw Error(at, $"Illegal continue statement: '{label}' does not denote an iteration statement");
                    }

                    return brk;
                }
            }

            throw Error(at, isContinue ? "Illegal continue statement" : "Illegal break statement");
        }

        private void ExplodeTry(TryStatement t)
        {
            var tryLoc = NewLoc();
            var catchLoc = t.Handler is null ? null : NewLoc();
            var finallyLoc = t.Finalizer is null ? null : NewLoc();
            var after = NewLoc();
            _tries.Add([tryLoc, catchLoc!, finallyLoc!, after]);
            MarkWithPrev(tryLoc);
            if (finallyLoc is not null)
            {
                _finallyDepth++;
            }

            Explode(t.Block);
            if (t.Handler is not null)
            {
                Jump(finallyLoc ?? after);
                MarkWithPrev(catchLoc!);
                var param = ((Identifier)t.Param!).Name;
                Hoisted.Add(param);
                Emit(Stmt(Assign(Raw(param), Call(C("caught"), tryLoc))));
                Explode(t.Handler);
            }

            if (finallyLoc is not null)
            {
                _finallyDepth--;
                MarkWithPrev(finallyLoc);
                Explode(t.Finalizer!);
                Emit(new ReturnStatement(Call(C("finish"), finallyLoc)));
            }

            MarkWithPrev(after);
        }

        // ------------------------------------------------------------ expressions

        private Expression ExplodeViaTemp(Expression e, bool force)
        {
            var r = ExplodeExpr(e)!;
            if (!force || r is Literal)
            {
                return r;
            }

            var t = owner.NewTemp("t");
            Emit(Stmt(Assign(Raw(t), r)));
            return Raw(t);
        }

        private List<Expression> ExplodeList(List<Expression> list)
        {
            var result = new List<Expression>(list.Count);
            for (var i = 0; i < list.Count; i++)
            {
                var later = false;
                for (var j = i + 1; j < list.Count; j++)
                {
                    later |= ContainsSuspend(list[j]);
                }

                result.Add(ExplodeViaTemp(list[i], later));
            }

            return result;
        }

        private Expression Suspend(Expression value)
        {
            var after = NewLoc();
            Emit(Stmt(Assign(C("n"), after)));
            Emit(new ReturnStatement(value));
            Mark(after);
            return C("sent");
        }

        /// <summary><c>await value</c>: <c>if (!_context.aw(value, after)) return _context.sent; case after:</c>.
        /// <c>aw</c> sets <c>n</c> to <c>after</c>, stores the value in <c>sent</c> and answers whether the continuation may run at once (it would be
        /// the very next job, SCR-62); then the body falls through to <c>after</c> instead of returning to the driver.
        /// No try region starts or ends between the await and <c>after</c>, so the <c>p</c> of the case is still right.</summary>
        private Expression SuspendAwait(Expression value)
        {
            var after = NewLoc();
            Emit(new IfStatement(new UnaryExpression("!", Call(C("aw"), value, after)), new ReturnStatement(C("sent")), null));
            Mark(after);
            return C("sent");
        }

        /// <summary>Emits the statements that evaluate <paramref name="e"/> up to its last suspension; returns the rest.</summary>
        private Expression? ExplodeExpr(Expression e, bool ignore = false)
        {
            if (!ContainsSuspend(e))
            {
                if (ignore)
                {
                    Emit(Stmt(e));
                    return null;
                }

                return e;
            }

            Expression result;
            switch (e)
            {
                case AwaitExpression aw:
                    result = SuspendAwait(ExplodeExpr(aw.Argument)!);
                    break;
                case YieldExpression { Delegate: true } yd:
                    {
                        var after = NewLoc();
                        var it = CallHelper("iter", ExplodeExpr(yd.Argument!)!);
                        Emit(new ReturnStatement(Call(C("delegate"), it, after)));
                        Mark(after);
                        result = C("sent");
                        break;
                    }

                case YieldExpression y:
                    result = Suspend(y.Argument is null ? Void0() : ExplodeExpr(y.Argument)!);
                    break;
                case ParenthesizedExpression p:
                    return ExplodeExpr(p.Expression, ignore);
                case MemberExpression m:
                    {
                        var obj = ExplodeViaTemp(m.Object, m.Computed && ContainsSuspend(m.Property));
                        var prop = m.Computed ? ExplodeExpr(m.Property)! : m.Property;
                        result = new MemberExpression(obj, prop, m.Computed).At<MemberExpression>(m);
                        break;
                    }

                case CallExpression c:
                    {
                        var argsSuspend = c.Arguments.Any(ContainsSuspend);
                        if (c.Callee is MemberExpression cm)
                        {
                            var obj = ExplodeViaTemp(cm.Object, argsSuspend || (cm.Computed && ContainsSuspend(cm.Property)));
                            var prop = cm.Computed ? ExplodeViaTemp(cm.Property, argsSuspend) : cm.Property;
                            if (argsSuspend)
                            {
                                var fnT = owner.NewTemp("fn");
                                Emit(Stmt(Assign(Raw(fnT), new MemberExpression(obj, prop, cm.Computed))));
                                var args = new List<Expression> { obj };
                                args.AddRange(ExplodeList(c.Arguments));
                                result = new CallExpression(Member(Raw(fnT), "call"), args).At<CallExpression>(c);
                            }
                            else
                            {
                                result = new CallExpression(new MemberExpression(obj, prop, cm.Computed).At<MemberExpression>(cm), c.Arguments).At<CallExpression>(c);
                            }
                        }
                        else
                        {
                            var callee = ExplodeViaTemp(c.Callee, argsSuspend);
                            result = new CallExpression(callee, ExplodeList(c.Arguments)).At<CallExpression>(c);
                        }

                        break;
                    }

                case NewExpression n:
                    {
                        var callee = ExplodeViaTemp(n.Callee, n.Arguments.Any(ContainsSuspend));
                        result = new NewExpression(callee, ExplodeList(n.Arguments)).At<NewExpression>(n);
                        break;
                    }

                case BinaryExpression { Operator: "&&" or "||" } b:
                    {
                        var t = owner.NewTemp("t");
                        var after = NewLoc();
                        Emit(Stmt(Assign(Raw(t), ExplodeExpr(b.Left)!)));
                        if (b.Operator == "&&")
                        {
                            JumpIfNot(Raw(t), after);
                        }
                        else
                        {
                            JumpIf(Raw(t), after);
                        }

                        Emit(Stmt(Assign(Raw(t), ExplodeExpr(b.Right)!)));
                        Mark(after);
                        result = Raw(t);
                        break;
                    }

                case BinaryExpression b:
                    {
                        var left = ExplodeViaTemp(b.Left, ContainsSuspend(b.Right));
                        result = new BinaryExpression(b.Operator, left, ExplodeExpr(b.Right)!).At<BinaryExpression>(b);
                        break;
                    }

                case ConditionalExpression ce:
                    {
                        var t = owner.NewTemp("t");
                        var elseLoc = NewLoc();
                        var after = NewLoc();
                        JumpIfNot(ExplodeExpr(ce.Test)!, elseLoc);
                        Emit(Stmt(Assign(Raw(t), ExplodeExpr(ce.Consequent)!)));
                        Jump(after);
                        Mark(elseLoc);
                        Emit(Stmt(Assign(Raw(t), ExplodeExpr(ce.Alternate)!)));
                        Mark(after);
                        result = Raw(t);
                        break;
                    }

                case AssignmentExpression a:
                    {
                        var valueSuspends = ContainsSuspend(a.Value);
                        Expression target;
                        if (a.Target is MemberExpression tm)
                        {
                            var obj = ExplodeViaTemp(tm.Object, valueSuspends || (tm.Computed && ContainsSuspend(tm.Property)));
                            var prop = tm.Computed ? ExplodeViaTemp(tm.Property, valueSuspends) : tm.Property;
                            target = new MemberExpression(obj, prop, tm.Computed).At<MemberExpression>(tm);
                        }
                        else if (a.Target is Identifier)
                        {
                            target = a.Target;
                        }
                        else
                        {
                            throw Error(a, "'await' is not supported in this position");
                        }

                        if (a.Operator == "=")
                        {
                            result = new AssignmentExpression("=", target, ExplodeExpr(a.Value)!).At<AssignmentExpression>(a);
                        }
                        else
                        {
                            // x += await y reads x before suspending.
                            var old = owner.NewTemp("t");
                            Emit(Stmt(Assign(Raw(old), target)));
                            var value = ExplodeExpr(a.Value)!;
                            result = new AssignmentExpression("=", target, Bin(a.Operator[..^1], Raw(old), value)).At<AssignmentExpression>(a);
                        }

                        break;
                    }

                case SequenceExpression seq:
                    for (var i = 0; i < seq.Expressions.Count - 1; i++)
                    {
                        ExplodeExpr(seq.Expressions[i], ignore: true);
                    }

                    return ExplodeExpr(seq.Expressions[^1], ignore);
                case UnaryExpression u:
                    result = new UnaryExpression(u.Operator, ExplodeExpr(u.Argument)!).At<UnaryExpression>(u);
                    break;
                case ArrayExpression arr when arr.Elements.All(x => x is not null):
                    {
                        var a2 = new ArrayExpression().At<ArrayExpression>(arr);
                        a2.Elements.AddRange(ExplodeList(arr.Elements!));
                        result = a2;
                        break;
                    }

                case ObjectExpression obj when obj.Properties.All(p => p is Property { Kind: PropertyKind.Init }):
                    {
                        var props = obj.Properties.Cast<Property>().ToList();
                        var values = ExplodeList(props.Select(p => p.Value).ToList());
                        var o2 = new ObjectExpression().At<ObjectExpression>(obj);
                        for (var i = 0; i < props.Count; i++)
                        {
                            o2.Properties.Add(new Property { Key = props[i].Key, Value = values[i], Kind = PropertyKind.Init }.At<Property>(props[i]));
                        }

                        result = o2;
                        break;
                    }

                default:
                    throw Error(e, "'await' or 'yield' is not supported in this position");
            }

            if (ignore)
            {
                if (result is not (Literal or Identifier) && !(result is MemberExpression { Object: Identifier { Name: var n } } && n == Ctx))
                {
                    Emit(Stmt(result));
                }

                return null;
            }

            return result;
        }
    }
}
