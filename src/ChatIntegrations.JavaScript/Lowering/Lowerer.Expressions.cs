using System.Globalization;
using System.Text;
using ChatIntegrations.JavaScript.Parsing;
using static ChatIntegrations.JavaScript.Lowering.Build;

namespace ChatIntegrations.JavaScript.Lowering;

internal sealed partial class Lowerer
{
    private static SyntaxErrorException Error(Node n, string message) => new(n.Line, n.Column, message);

    private Expression LowerExpression(Expression e, string? nameHint = null)
    {
        // The parser bounds nesting; this guard turns any remaining deep recursion into a diagnostic, never a crash.
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (e)
        {
            case Identifier id:
                if (id.NoResolve)
                {
                    return id;
                }

                if (id.Name == "arguments" && !IsDeclared("arguments"))
                {
                    return LowerArguments(id);
                }

                return Id(Resolve(id.Name)).At<Identifier>(id);
            case Literal:
                return e;
            case RegExpLiteral re:
                return LowerRegExp(re);
            case TemplateLiteral t:
                return LowerTemplate(t);
            case TaggedTemplate tt:
                return LowerTaggedTemplate(tt);
            case ThisExpression:
                return LowerThis(e);
            case NewTarget:
                return LowerNewTarget(e);
            case SuperExpression:
                throw Error(e, "'super' keyword unexpected here");
            case ArrayExpression arr:
                return BuildArray(arr.Elements, arr);
            case ObjectExpression obj:
                return LowerObject(obj);
            case FunctionNode fn:
                return LowerFunction(fn);
            case AwaitExpression aw:
                return new AwaitExpression(LowerExpression(aw.Argument)).At<AwaitExpression>(aw);
            case YieldExpression y:
                return new YieldExpression(y.Argument is null ? null : LowerExpression(y.Argument), y.Delegate).At<YieldExpression>(y);
            case ClassNode c:
                return LowerClass(c, nameHint);
            case UnaryExpression u:
                if (u.Operator == "delete" && u.Argument is ChainExpression chain)
                {
                    return LowerChain(chain, x => new UnaryExpression("delete", x).At<UnaryExpression>(u), shortCircuitValue: new Literal { Kind = LiteralKind.Boolean, Value = true });
                }

                return new UnaryExpression(u.Operator, LowerExpression(u.Argument)).At<UnaryExpression>(u);
            case UpdateExpression { Argument: Identifier { NoResolve: false } target } when IsConstant(target.Name):
                return CallHelper("constAssign", Str(target.Name)).At<CallExpression>(e);
            case UpdateExpression up:
                return new UpdateExpression(up.Operator, up.Prefix, LowerExpression(up.Argument)).At<UpdateExpression>(up);
            case BinaryExpression b:
                return LowerBinary(b);
            case AssignmentExpression a:
                return LowerAssignment(a);
            case ConditionalExpression c:
                return new ConditionalExpression(LowerExpression(c.Test), LowerExpression(c.Consequent), LowerExpression(c.Alternate)).At<ConditionalExpression>(c);
            case CallExpression call:
                return LowerCall(call);
            case NewExpression n:
                {
                    var callee = LowerExpression(n.Callee);
                    if (n.Arguments.Any(a => a is SpreadElement))
                    {
                        return CallHelper("construct", callee, BuildArray(n.Arguments!, n)).At<CallExpression>(n);
                    }

                    return new NewExpression(callee, n.Arguments.Select(a => LowerExpression(a)).ToList()).At<NewExpression>(n);
                }

            case MemberExpression m:
                return LowerMember(m);
            case ChainExpression ch:
                return LowerChain(ch, null, Void0());
            case SequenceExpression seq:
                return new SequenceExpression(seq.Expressions.Select(x => LowerExpression(x)).ToList()).At<SequenceExpression>(seq);
            case ParenthesizedExpression p:
                return LowerExpression(p.Expression, nameHint);
            case AssignmentPattern:
                throw Error(e, "Invalid shorthand property initializer");
            case SpreadElement:
                throw Error(e, "Unexpected token '...'");
            case PrivateName pn:
                throw Error(e, $"Unexpected private name '#{pn.Name}'");
            default:
                throw Error(e, "Unsupported expression");
        }
    }

    private bool IsDeclared(string name)
    {
        for (var s = _scope; s is not null; s = s.Parent)
        {
            if (s.Names.ContainsKey(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Evaluates <paramref name="value"/> once: returns a reference plus the expression that stores it.</summary>
    private (Expression Reference, Expression First) Once(Expression value, string hint = "ref")
    {
        if (IsSimple(value))
        {
            return (value, value);
        }

        var t = NewTemp(hint);
        return (Raw(t), Assign(Raw(t), value));
    }

    private Expression LowerRegExp(RegExpLiteral re)
    {
        var lowered = LowerDotAll(re);
        if (HasNamedGroups(lowered.Pattern))
        {
            // SCR-61: a pattern with named groups never reaches the engine's RegExp unchanged; the prelude rewrites it
            // to unnamed groups (ECMAScript numbering) and keeps the names for .groups and $<n>.
            return CallHelper("re", Str(lowered.Pattern), Str(lowered.Flags)).At<CallExpression>(re);
        }

        return lowered;
    }

    /// <summary>True when the pattern has a named group <c>(?&lt;n&gt;</c> (not a lookbehind) or a <c>\k&lt;n&gt;</c> backreference.</summary>
    private static bool HasNamedGroups(string p)
    {
        var inClass = false;
        for (var i = 0; i < p.Length; i++)
        {
            var c = p[i];
            if (c == '\\')
            {
                if (!inClass && i + 2 < p.Length && p[i + 1] == 'k' && p[i + 2] == '<')
                {
                    return true;
                }

                i++;
            }
            else if (inClass)
            {
                inClass = c != ']';
            }
            else if (c == '[')
            {
                inClass = true;
            }
            else if (c == '(' && i + 3 < p.Length && p[i + 1] == '?' && p[i + 2] == '<' && p[i + 3] is not ('=' or '!'))
            {
                return true;
            }
        }

        return false;
    }

    private static RegExpLiteral LowerDotAll(RegExpLiteral re)
    {
        if (!re.Flags.Contains('s', StringComparison.Ordinal))
        {
            return re;
        }

        // The `s` flag: a dot outside a class matches any character.
        var sb = new StringBuilder();
        var inClass = false;
        for (var i = 0; i < re.Pattern.Length; i++)
        {
            var c = re.Pattern[i];
            if (c == '\\' && i + 1 < re.Pattern.Length)
            {
                sb.Append(c).Append(re.Pattern[++i]);
                continue;
            }

            if (c == '[')
            {
                inClass = true;
            }
            else if (c == ']')
            {
                inClass = false;
            }

            sb.Append(c == '.' && !inClass ? @"[\s\S]" : c.ToString());
        }

        return new RegExpLiteral(sb.ToString(), re.Flags.Replace("s", "", StringComparison.Ordinal)).At<RegExpLiteral>(re);
    }

    private Expression LowerTemplate(TemplateLiteral t)
    {
        // `a${x}b` → "a" + x + "b"; the leading string keeps + a string concatenation.
        Expression result = Str(t.Quasis[0].Cooked!).At<Literal>(t);
        for (var i = 0; i < t.Expressions.Count; i++)
        {
            result = Bin("+", result, LowerExpression(t.Expressions[i])).At<BinaryExpression>(t);
            var q = t.Quasis[i + 1].Cooked!;
            if (q.Length > 0)
            {
                result = Bin("+", result, Str(q)).At<BinaryExpression>(t);
            }
        }

        return result;
    }

    private Expression LowerTaggedTemplate(TaggedTemplate tt)
    {
        var cooked = new ArrayExpression();
        var raw = new ArrayExpression();
        foreach (var q in tt.Quasi.Quasis)
        {
            cooked.Elements.Add(q.Cooked is null ? Void0() : Str(q.Cooked));
            raw.Elements.Add(Str(q.Raw));
        }

        // The strings array is created once per call site, as in ES2015 (a tag may cache by identity).
        var args = new List<Expression> { CallHelper("tpl", cooked, raw, Num(++_templateSites)) };
        args.AddRange(tt.Quasi.Expressions.Select(x => LowerExpression(x)));
        var callee = tt.Tag is MemberExpression { Object: SuperExpression } ? null : LowerExpression(tt.Tag);
        if (callee is null)
        {
            throw Error(tt, "Tagged templates on super are not supported");
        }

        return new CallExpression(callee, args).At<CallExpression>(tt);
    }

    /// <summary>An array with spread elements: [a, ...b, c] → [a].concat(__ci.toArr(b), [c]).</summary>
    private Expression BuildArray(List<Expression?> elements, Node at)
    {
        if (!elements.Any(x => x is SpreadElement))
        {
            var arr = new ArrayExpression().At<ArrayExpression>(at);
            foreach (var el in elements)
            {
                arr.Elements.Add(el is null ? null : LowerExpression(el));
            }

            return arr;
        }

        var parts = new List<Expression>();
        ArrayExpression? current = null;
        foreach (var el in elements)
        {
            if (el is SpreadElement s)
            {
                current = null;
                parts.Add(CallHelper("toArr", LowerExpression(s.Argument)).At<CallExpression>(s));
            }
            else
            {
                if (current is null)
                {
                    current = new ArrayExpression();
                    parts.Add(current);
                }

                current.Elements.Add(el is null ? null : LowerExpression(el));
            }
        }

        if (parts.Count == 1)
        {
            return parts[0];
        }

        return new CallExpression(Member(parts[0], "concat"), parts.Skip(1).ToList()).At<CallExpression>(at);
    }

    private static string PropertyKeyString(Expression key) => key switch
    {
        Identifier id => id.Name,
        Literal { Kind: LiteralKind.String } l => (string)l.Value!,
        Literal { Kind: LiteralKind.Number } l => NumberToString((double)l.Value!),
        _ => throw new InvalidOperationException("not a static key"),
    };

    internal static string NumberToString(double d)
    {
        if (double.IsNaN(d))
        {
            return "NaN";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "Infinity" : "-Infinity";
        }

        if (d == Math.Floor(d) && Math.Abs(d) < 1e21)
        {
            return d.ToString("0", CultureInfo.InvariantCulture);
        }

        var r = d.ToString("R", CultureInfo.InvariantCulture);
        if (r.Contains('E', StringComparison.Ordinal))
        {
            // JS form: 1e+21, 1.5e-7
            var parts = r.Split('E');
            var exp = int.Parse(parts[1], CultureInfo.InvariantCulture);
            if (exp is >= -6 and < 21)
            {
                return d.ToString("0.####################", CultureInfo.InvariantCulture);
            }

            return parts[0] + "e" + (exp > 0 ? "+" : "-") + Math.Abs(exp).ToString(CultureInfo.InvariantCulture);
        }

        return r;
    }

    private Expression LowerObject(ObjectExpression obj)
    {
        var plain = new ObjectExpression().At<ObjectExpression>(obj);
        var index = 0;
        for (; index < obj.Properties.Count; index++)
        {
            var p = obj.Properties[index];
            if (p is SpreadProperty || (p is Property { Computed: true }))
            {
                break;
            }

            plain.Properties.Add(LowerStaticProperty((Property)p));
        }

        if (index == obj.Properties.Count)
        {
            return plain;
        }

        // From the first computed key or spread on: (_o = {…}, __ci.dp(_o, k, v), __ci.assign(_o, s), _o)
        var t = NewTemp("obj");
        var seq = new List<Expression> { Assign(Raw(t), plain) };
        for (; index < obj.Properties.Count; index++)
        {
            var p = obj.Properties[index];
            if (p is SpreadProperty sp)
            {
                seq.Add(CallHelper("assign", Raw(t), LowerExpression(sp.Argument)).At<CallExpression>(sp));
                continue;
            }

            var prop = (Property)p;
            var key = prop.Computed ? LowerExpression(prop.Key) : Str(PropertyKeyString(prop.Key));
            var value = prop.Value is FunctionNode fn ? LowerFunction(fn) : LowerExpression(prop.Value);
            seq.Add(prop.Kind switch
            {
                PropertyKind.Get => CallHelper("accessor", Raw(t), key, value, Void0(), new Literal { Kind = LiteralKind.Boolean, Value = true }),
                PropertyKind.Set => CallHelper("accessor", Raw(t), key, Void0(), value, new Literal { Kind = LiteralKind.Boolean, Value = true }),
                _ => CallHelper("dp", Raw(t), key, value),
            });
        }

        seq.Add(Raw(t));
        return new SequenceExpression(seq).At<SequenceExpression>(obj);
    }

    private Property LowerStaticProperty(Property p)
    {
        var key = p.Key is Identifier id ? Id(id.Name).At<Identifier>(id) : p.Key;
        Expression value;
        if (p.Value is FunctionNode fn)
        {
            if (fn.Body.Count > 0 && UsesSuper(fn))
            {
                throw Error(p, "'super' in object literal methods is not supported");
            }

            value = LowerFunction(fn);
        }
        else
        {
            // No name hint from property keys: a class named after its key would shadow an outer binding of that name.
            value = LowerExpression(p.Value);
        }

        return new Property { Key = key, Value = value, Kind = p.Kind }.At<Property>(p);
    }

    private static bool UsesSuper(FunctionNode fn)
    {
        var found = false;
        foreach (var s in fn.Body)
        {
            AstWalker.Walk(s, n =>
            {
                if (n is SuperExpression)
                {
                    found = true;
                }

                return !found && n is not FunctionNode { IsArrow: false } && n is not ClassNode;
            });
        }

        return found;
    }

    private Expression LowerBinary(BinaryExpression b)
    {
        switch (b.Operator)
        {
            case "**":
                return Call(Member(Raw("Math"), "pow"), LowerExpression(b.Left), LowerExpression(b.Right)).At<CallExpression>(b);
            case "??":
                {
                    // a ?? b → (_t = a) != null ? _t : b
                    var (reference, first) = Once(LowerExpression(b.Left));
                    return new ConditionalExpression(Bin("!=", first, new Literal { Kind = LiteralKind.Null }), reference, LowerExpression(b.Right)).At<ConditionalExpression>(b);
                }

            case "in" when b.Left is PrivateName pn:
                return CallHelper("hasPriv", LowerExpression(b.Right), Str(PrivateKey(pn))).At<CallExpression>(b);
            default:
                return new BinaryExpression(b.Operator, LowerExpression(b.Left), LowerExpression(b.Right)).At<BinaryExpression>(b);
        }
    }

    private string PrivateKey(PrivateName pn)
    {
        for (var s = _private; s is not null; s = s.Parent)
        {
            if (s.Keys.TryGetValue(pn.Name, out var key))
            {
                return key;
            }
        }

        throw Error(pn, $"Private field '#{pn.Name}' must be declared in an enclosing class");
    }

    /// <summary>Splits an assignment target into a reusable reference (object and key evaluated once).</summary>
    private (Expression First, Func<Expression> Again) LowerTargetOnce(Expression target)
    {
        if (target is MemberExpression m && m.Object is not SuperExpression)
        {
            var obj = LowerExpression(m.Object);
            var (objRef, objFirst) = Once(obj, "obj");
            Expression key;
            Expression keyFirst;
            bool computed;
            if (m.Property is PrivateName pn)
            {
                key = keyFirst = Str(PrivateKey(pn));
                computed = true;
            }
            else if (m.Computed)
            {
                (key, keyFirst) = Once(LowerExpression(m.Property), "key");
                computed = true;
            }
            else
            {
                key = keyFirst = m.Property;
                computed = false;
            }

            return (new MemberExpression(objFirst, keyFirst, computed).At<MemberExpression>(m), () => new MemberExpression(objRef, key, computed));
        }

        var lowered = LowerExpression(target);
        return (lowered, () => lowered is Identifier id ? new Identifier(id.Name) { NoResolve = true } : lowered);
    }

    private Expression LowerAssignment(AssignmentExpression a)
    {
        if (a.Target is Identifier { NoResolve: false } constant && IsConstant(constant.Name) && a.Operator is not ("&&=" or "||=" or "??="))
        {
            // Assigning a const throws at run time, as in ES2015 (the value is still evaluated first).
            return new SequenceExpression([LowerExpression(a.Value), CallHelper("constAssign", Str(constant.Name))]).At<SequenceExpression>(a);
        }

        switch (a.Operator)
        {
            case "=":
                if (a.Target is ObjectPattern or ArrayPattern)
                {
                    // ({ a, b } = src) → (_t = src, a = _t.a, b = _t.b, _t)
                    var source = LowerExpression(a.Value);
                    var t = NewTemp("ref");
                    var seq = new List<Expression> { Assign(Raw(t), source) };
                    Destructure(a.Target, Raw(t), isDeclaration: false, (target, value) => seq.Add(Assign(target, value)));
                    seq.Add(Raw(t));
                    return new SequenceExpression(seq).At<SequenceExpression>(a);
                }

                if (a.Target is MemberExpression { Object: SuperExpression } sm)
                {
                    return CallHelper("superSet", SuperBase(sm), SuperKey(sm), LowerExpression(a.Value), LowerThis(a)).At<CallExpression>(a);
                }

                return new AssignmentExpression("=", LowerExpression(a.Target), LowerExpression(a.Value, (a.Target as Identifier)?.Name)).At<AssignmentExpression>(a);
            case "&&=":
            case "||=":
                {
                    var (first, again) = LowerTargetOnce(a.Target);
                    return Bin(a.Operator[..2], first, Assign(again(), LowerExpression(a.Value))).At<BinaryExpression>(a);
                }

            case "??=":
                {
                    var (first, again) = LowerTargetOnce(a.Target);
                    var (reference, stored) = Once(first);
                    return new ConditionalExpression(Bin("!=", stored, new Literal { Kind = LiteralKind.Null }), reference, Assign(again(), LowerExpression(a.Value))).At<ConditionalExpression>(a);
                }

            case "**=":
                {
                    var (first, again) = LowerTargetOnce(a.Target);
                    return Assign(first, Call(Member(Raw("Math"), "pow"), again(), LowerExpression(a.Value))).At<AssignmentExpression>(a);
                }

            default:
                return new AssignmentExpression(a.Operator, LowerExpression(a.Target), LowerExpression(a.Value)).At<AssignmentExpression>(a);
        }
    }

    private Expression LowerMember(MemberExpression m)
    {
        if (m.Object is SuperExpression)
        {
            return SuperGet(m);
        }

        var obj = LowerExpression(m.Object);
        if (m.Property is PrivateName pn)
        {
            return Index(obj, Str(PrivateKey(pn))).At<MemberExpression>(m);
        }

        return new MemberExpression(obj, m.Computed ? LowerExpression(m.Property) : m.Property, m.Computed).At<MemberExpression>(m);
    }

    private Expression SuperBase(Node at)
    {
        var info = NonArrow().Super ?? throw Error(at, "'super' keyword unexpected here");
        return info.IsStatic ? Raw(info.SuperName) : Member(Raw(info.SuperName), "prototype");
    }

    /// <summary>The function to call for super.m(…): a plain lookup on the parent prototype.</summary>
    private Expression SuperMember(MemberExpression m)
    {
        var baseExpr = SuperBase(m);
        return new MemberExpression(baseExpr, m.Computed ? LowerExpression(m.Property) : m.Property, m.Computed).At<MemberExpression>(m);
    }

    private Expression SuperKey(MemberExpression m) => m.Computed ? LowerExpression(m.Property) : Str(((Identifier)m.Property).Name);

    /// <summary>super.x reads through accessors with the current <c>this</c> as receiver.</summary>
    private Expression SuperGet(MemberExpression m) =>
        CallHelper("superGet", SuperBase(m), SuperKey(m), LowerThis(m)).At<CallExpression>(m);

    private Expression LowerCall(CallExpression call)
    {
        if (call.Callee is SuperExpression)
        {
            var info = NonArrow().Constructor ?? throw Error(call, "'super' keyword unexpected here");
            var sup = CallHelper("sup", Raw(info.SuperName), LowerThis(call), BuildArray(call.Arguments!, call)).At<CallExpression>(call);
            if (info.FieldInitializers.Count == 0)
            {
                return sup;
            }

            var seq = new List<Expression> { sup };
            foreach (var init in info.FieldInitializers)
            {
                seq.Add(Call(Member(Raw(init), "call"), LowerThis(call)));
            }

            seq.Add(LowerThis(call));
            return new SequenceExpression(seq).At<SequenceExpression>(call);
        }

        if (call.Callee is MemberExpression { Object: SuperExpression } sm)
        {
            // super.m(args) → _super.prototype.m.call(this, args)
            var fnExpr = SuperMember(sm);
            return MakeCallWithThis(fnExpr, LowerThis(call), call.Arguments, call);
        }

        if (call.Callee is ParenthesizedExpression { Expression: MemberExpression pm })
        {
            return LowerCall(new CallExpression(pm, call.Arguments).At<CallExpression>(call));
        }

        var callee = LowerExpression(call.Callee);
        return MakeCall(callee, call.Arguments, call);
    }

    /// <summary>Builds a call from a lowered callee, keeping <c>this</c> for member callees when arguments are spread.</summary>
    private Expression MakeCall(Expression callee, List<Expression> arguments, Node at)
    {
        if (!arguments.Any(x => x is SpreadElement))
        {
            return new CallExpression(callee, arguments.Select(x => LowerExpression(x)).ToList()).At<CallExpression>(at);
        }

        if (callee is MemberExpression m)
        {
            var (objRef, objFirst) = Once(m.Object, "obj");
            var fn = new MemberExpression(objFirst, m.Property, m.Computed).At<MemberExpression>(m);
            return Call(Member(fn, "apply"), objRef, BuildArray(arguments!, at)).At<CallExpression>(at);
        }

        return Call(Member(callee, "apply"), Void0(), BuildArray(arguments!, at)).At<CallExpression>(at);
    }

    private Expression MakeCallWithThis(Expression fn, Expression thisValue, List<Expression> arguments, Node at)
    {
        if (!arguments.Any(x => x is SpreadElement))
        {
            var args = new List<Expression> { thisValue };
            args.AddRange(arguments.Select(x => LowerExpression(x)));
            return new CallExpression(Member(fn, "call"), args).At<CallExpression>(at);
        }

        return Call(Member(fn, "apply"), thisValue, BuildArray(arguments!, at)).At<CallExpression>(at);
    }

    /// <summary>
    /// Optional chain: a?.b.c(d) → (_a = a) == null ? void 0 : _a.b.c(d). Each optional link adds a test; the tests
    /// are joined with || so that the first nullish link short-circuits the rest.
    /// </summary>
    private Expression LowerChain(ChainExpression chain, Func<Expression, Expression>? final, Expression shortCircuitValue)
    {
        var links = new List<Expression>();
        var cur = chain.Expression;
        while (true)
        {
            if (cur is MemberExpression m && m.Object is not SuperExpression)
            {
                links.Add(m);
                cur = m.Object;
            }
            else if (cur is CallExpression c && c.Callee is not SuperExpression)
            {
                links.Add(c);
                cur = c.Callee;
            }
            else
            {
                break;
            }
        }

        links.Reverse();
        var tests = new List<Expression>();
        var result = LowerExpression(cur);
        foreach (var link in links)
        {
            if (link is MemberExpression m)
            {
                if (m.Optional)
                {
                    var (reference, first) = Once(result);
                    tests.Add(Bin("==", first, new Literal { Kind = LiteralKind.Null }));
                    result = reference;
                }

                result = m.Property is PrivateName pn
                    ? Index(result, Str(PrivateKey(pn))).At<MemberExpression>(m)
                    : new MemberExpression(result, m.Computed ? LowerExpression(m.Property) : m.Property, m.Computed).At<MemberExpression>(m);
            }
            else
            {
                var c = (CallExpression)link;
                if (c.Optional)
                {
                    if (result is MemberExpression rm)
                    {
                        // a.b?.() keeps `this`: (_f = (_o = a).b) == null ? void 0 : _f.call(_o)
                        var (objRef, objFirst) = Once(rm.Object, "obj");
                        var f = NewTemp("fn");
                        tests.Add(Bin("==", Assign(Raw(f), new MemberExpression(objFirst, rm.Property, rm.Computed)), new Literal { Kind = LiteralKind.Null }));
                        result = MakeCallWithThis(Raw(f), objRef, c.Arguments, c);
                    }
                    else
                    {
                        var (reference, first) = Once(result, "fn");
                        tests.Add(Bin("==", first, new Literal { Kind = LiteralKind.Null }));
                        result = MakeCall(reference, c.Arguments, c);
                    }
                }
                else
                {
                    result = MakeCall(result, c.Arguments, c);
                }
            }
        }

        if (final is not null)
        {
            result = final(result);
        }

        if (tests.Count == 0)
        {
            return result;
        }

        var test = tests[0];
        for (var i = 1; i < tests.Count; i++)
        {
            test = Bin("||", test, tests[i]);
        }

        return new ConditionalExpression(test, shortCircuitValue, result).At<ConditionalExpression>(chain);
    }

    // ---------------------------------------------------------------- destructuring

    /// <summary>
    /// Expands a pattern into (target, value) pairs. Declarations add temps as extra declarators; assignments use
    /// function-level temps.
    /// </summary>
    private void Destructure(Expression pattern, Expression value, bool isDeclaration, Action<Expression, Expression> emit)
    {
        Expression ToTemp(Expression v, string hint)
        {
            if (v is Identifier { NoResolve: true })
            {
                return v;
            }

            var name = isDeclaration ? Fresh(hint) : NewTemp(hint);
            emit(Raw(name), v);
            return Raw(name);
        }

        switch (pattern)
        {
            case Identifier id:
                emit(isDeclaration ? (id.NoResolve ? id : Id(Resolve(id.Name)).At<Identifier>(id)) : LowerExpression(id), value);
                break;
            case MemberExpression m when !isDeclaration:
                emit(LowerMember(m), value);
                break;
            case ParenthesizedExpression p when !isDeclaration:
                Destructure(p.Expression, value, isDeclaration, emit);
                break;
            case AssignmentPattern ap:
                {
                    var t = ToTemp(value, "val");
                    var hint = (ap.Left as Identifier)?.Name;
                    var withDefault = new ConditionalExpression(Bin("===", t, Void0()), LowerExpression(ap.Right, hint), t).At<ConditionalExpression>(ap);
                    Destructure(ap.Left, withDefault, isDeclaration, emit);
                    break;
                }

            case ObjectPattern op:
                {
                    var src = (isDeclaration && value is Identifier) ? value : ToTemp(value, "ref");
                    if (op.Properties.Count == 0)
                    {
                        emit(Raw(isDeclaration ? Fresh("unused") : NewTemp("unused")), CallHelper("objCheck", src));
                        break;
                    }

                    var hasRest = op.Properties.Any(p => p is RestElement);
                    var keys = new ArrayExpression();
                    foreach (var p in op.Properties)
                    {
                        if (p is RestElement rest)
                        {
                            Destructure(rest.Argument, CallHelper("objRest", src, keys).At<CallExpression>(rest), isDeclaration, emit);
                            continue;
                        }

                        var prop = (Property)p;
                        Expression access;
                        if (prop.Computed)
                        {
                            var key = LowerExpression(prop.Key);
                            if (hasRest && !IsSimple(key))
                            {
                                key = ToTemp(key, "key");
                            }

                            keys.Elements.Add(key);
                            access = Index(src, key).At<MemberExpression>(prop);
                        }
                        else
                        {
                            var name = PropertyKeyString(prop.Key);
                            keys.Elements.Add(Str(name));
                            access = IsIdentifierName(name) ? Member(src, name).At<MemberExpression>(prop) : Index(src, Str(name)).At<MemberExpression>(prop);
                        }

                        Destructure(prop.Value, access, isDeclaration, emit);
                    }

                    break;
                }

            case ArrayPattern ap:
                {
                    var hasRest = ap.Elements.Any(e => e is RestElement);
                    var arr = ToTemp(CallHelper("arr", value, Num(hasRest ? -1 : ap.Elements.Count)).At<CallExpression>(ap), "arr");
                    for (var i = 0; i < ap.Elements.Count; i++)
                    {
                        var el = ap.Elements[i];
                        if (el is null)
                        {
                            continue;
                        }

                        if (el is RestElement rest)
                        {
                            Destructure(rest.Argument, Call(Member(arr, "slice"), Num(i)).At<CallExpression>(rest), isDeclaration, emit);
                        }
                        else
                        {
                            Destructure(el, Index(arr, Num(i)).At<MemberExpression>(el), isDeclaration, emit);
                        }
                    }

                    break;
                }

            default:
                throw Error(pattern, "Invalid destructuring target");
        }
    }

    internal static bool IsIdentifierName(string s)
    {
        if (s.Length == 0 || !Lexing.Lexer.IsIdentifierStart(s[0]))
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!Lexing.Lexer.IsIdentifierPart(c))
            {
                return false;
            }
        }

        return true;
    }
}
