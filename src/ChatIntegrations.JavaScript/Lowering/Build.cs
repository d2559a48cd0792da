using ChatIntegrations.JavaScript.Parsing;

namespace ChatIntegrations.JavaScript.Lowering;

/// <summary>Small factory for synthesized nodes (line 0: printed on the current output line).</summary>
internal static class Build
{
    public static Identifier Id(string name) => new(name);

    /// <summary>A reference that lowering never resolves: runtime helpers and a function's own <c>arguments</c>.</summary>
    public static Identifier Raw(string name) => new(name) { NoResolve = true };

    /// <summary><c>__ci.name</c>: a prelude helper.</summary>
    public static MemberExpression Helper(string name) => Member(Raw("__ci"), name);

    public static CallExpression CallHelper(string name, params Expression[] args) => new(Helper(name), [.. args]);

    public static MemberExpression Member(Expression obj, string name) => new(obj, new Identifier(name), computed: false);

    public static MemberExpression Index(Expression obj, Expression key) => new(obj, key, computed: true);

    public static CallExpression Call(Expression callee, params Expression[] args) => new(callee, [.. args]);

    public static Literal Str(string s) => Literal.Str(s);

    public static Literal Num(double d) => Literal.Num(d);

    public static UnaryExpression Void0() => new("void", Literal.Num(0));

    public static AssignmentExpression Assign(Expression target, Expression value) => new("=", target, value);

    public static BinaryExpression Bin(string op, Expression l, Expression r) => new(op, l, r);

    public static ExpressionStatement Stmt(Expression e) => new(e);

    public static ExpressionStatement Checkpoint() => Stmt(Call(Raw("__ci_cp")));

    public static VariableDeclaration Var(string kind, params (string Name, Expression? Init)[] decls)
    {
        var v = new VariableDeclaration(kind);
        foreach (var (name, init) in decls)
        {
            v.Declarations.Add(new VariableDeclarator(Id(name), init));
        }

        return v;
    }

    public static Expression Seq(List<Expression> list) => list.Count == 1 ? list[0] : new SequenceExpression(list);

    public static bool IsSimple(Expression e) => e is Identifier or ThisExpression or Literal;
}
