// SCR-60: object and array destructuring: nested, defaults, rest, in declarations and assignments
const data = { a: 1, b: { c: [10, 20, 30], d: 'dee' }, e: null, extra1: 'x', extra2: 'y' };
const { a, b: { c: [first, , third = 99, fourth = 4], d }, e = 'default-not-used', f = 'f-default', ...others } = data;
let [x, [y, z] = [2, 3], ...rest] = [1, undefined, 5, 6, 7];
let p, q;
[p, q] = [q, p] = [1, 2];
let m = 1, n = 2;
[m, n] = [n, m];
const o = {};
({ a: o.first, b: { d: o['second'] } } = data);
const key = 'dyn';
const { [key]: dynamic = 'dd', [`${key}2`]: dyn2 } = { dyn2: 'two' };
const [s1, s2, ...sr] = 'hello';
var result = { a, first, third, fourth, d, e, f, others, x, y, z, rest, p, q, m, n, o, dynamic, dyn2, s1, s2, sr };
