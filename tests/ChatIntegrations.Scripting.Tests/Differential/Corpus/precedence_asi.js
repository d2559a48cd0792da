// Printer precedence and parentheses; ASI and restricted productions
let a = 7, b = 3, c = 2, d = 0;
const r = [];
r.push(a - (b - c), a / (b * c), -(-a), !(a && d), (a = 8) + 1, typeof (a + b), (a ? b : c) ? d : 5, a ? (b, c) : d);
r.push((a || d) && c, a || (d && c), (a + b) * c, 2 ** 3 ** 2, (-2) ** 3, 2 ** -2, 'x' in { x: 1 }, !('y' in {}));
r.push(- -a, + +'3', a - -b, a + +b, a++ + ++b, a-- - --b, void (a, b), (1, 2, 3) * 2, ((a)));
r.push((function () { return 'iife'; })(), (() => 'arrow-iife')(), new (class { constructor() { this.v = 'cls'; } })().v);
r.push([1, 2, 3].map((x) => x * 2)[1], ({ k: 'obj' }).k, `${a}${b}`.length, (a, b), 10 % 3 * 2, 10 - 3 - 2, 2 * (3 + 4));
r.push(a > b ? 'gt' : a < b ? 'lt' : 'eq', a ?? (b || c), (a ?? b) || c, (null ?? 0) || 'z', 1 < 2 === true, (1 < 2) + 1);
function asiReturn() {
  return
  'unreachable';
}
let n = 1
let m = n
++m
const callAcross = (x) => x * 2
const val = callAcross
(21)
const tpl = String.raw
`no-asi`
function parenReturn() {
  return (
    1 + 2
  );
}
function throwsParen() {
  throw (
    new Error('multi-line throw')
  );
}
let thrown;
try { throwsParen(); } catch (e) { thrown = e.message; }
const arrowParen = () => (
  { wrapped: true }
);
r.push(asiReturn(), n, m, val, tpl, parenReturn(), thrown, arrowParen());
var result = r;
