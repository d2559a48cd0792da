// SCR-60: default, rest and destructured parameters
function f(a, b = a + 1, { c = 3, d } = {}, [e, f2 = 'f'] = [], ...rest) {
  return [a, b, c, d, e, f2, rest];
}
const g = ({ request: { content: { text } } }, ...more) => text + more.length;
function h(x = this && this.v) { return x; }
var result = {
  f1: f(1), f2: f(1, 5, { d: 4 }, ['E'], 'r1', 'r2'), f3: f(1, undefined, { c: null }),
  g: g({ request: { content: { text: 't' } } }, 1, 2), h: h.call({ v: 'vv' }), len: f.length >= 0,
};
