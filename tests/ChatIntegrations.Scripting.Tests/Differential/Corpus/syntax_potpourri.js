// SCR-60: assorted syntax: keywords as property names, regex vs division, unicode, escapes, new forms, ASI
const o = { default: 1, new: 2, get: 3, set: 4, static: 5, class: 6, if: 7 };
const m = { get() { return 'g'; }, set(v) { return 's' + v; }, static() { return 'st'; } };
class K { get() { return 'kg'; } static static() { return 'ks'; } static get sg() { return 'sget'; } }
const café = 'unicode';
const ns = { Inner: class { constructor(v) { this.v = v ?? 'none'; } } };
const getClass = () => ns.Inner;
const a = 10, b = 4, g = 2;
const ratio = (a + b) / 2 / g;
const re = a / b > 2 ? /x/.source : /[/\]]+/g.source;
let assigned;
const cond = (assigned = a > b) ? 'yes' : 'no';
const esc = ['\x41\u0042\u{1F600}'.length, 'line\
continued', `\${not} \`tick\``, '\'"', "tab\there"];
const nums = [0.1 + 0.2, 1e-7, 123e20, 0.000001, -0, 2 ** -1, 0xff, 1 / 3];
let i = 0, j = 0;
for (i = 0, j = 10; i < j; i++, j--);
const inHead = [];
for (var k = ('default' in o) ? 1 : 0; k < 3; k++) inHead.push(k);
const seq = (() => (i, j, 'last'))();
const objArrow = () => ({ nested: () => ({ deep: true }) });
const deleted = delete o.if;
let x = 1
let y = x
;[x, y] = [y + 1, x + 1]
const z = x
+ y
var result = {
  o, m: [m.get(), m.set(1), m.static()], k: [new K().get(), K.static(), K.sg], café,
  n1: new ns.Inner().v, n2: new (getClass())(5).v, n3: new ns.Inner(7).v, ratio, re, cond, assigned, esc, nums,
  ij: [i, j], inHead, seq, objArrow: objArrow().nested(), deleted, typeofs: [typeof undeclaredVariable, typeof null, void 0],
  xyz: [x, y, z],
};
