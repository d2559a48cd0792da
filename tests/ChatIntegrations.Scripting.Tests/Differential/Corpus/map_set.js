// SCR-57: Map, Set, WeakMap: insertion order, SameValueZero, iterators, forEach, size
const m = new Map();
const objKey = { id: 1 };
m.set('a', 1).set(objKey, 'obj').set(NaN, 'nan').set(0, 'zero');
m.set('a', 2);
const fe = [];
m.forEach((v, k) => fe.push(typeof k === 'object' ? 'obj' : String(k)));
m.delete('a');
const s = new Set([1, '1', 1, NaN, NaN, -0, 0]);
s.add(2);
const wm = new WeakMap();
wm.set(objKey, 'meta');
var result = {
  size: m.size, get: [m.get(objKey), m.get(NaN), m.get(-0), m.get('a'), m.has('a')], fe,
  keys: [...m.keys()].map(String), values: [...m.values()], entries: Array.from(m.entries()).length,
  setSize: s.size, setVals: [...s].map(String), setHas: [s.has(NaN), s.has('1'), s.has(3)],
  wm: [wm.get(objKey), wm.has({}), wm.has(objKey)], json: JSON.stringify({ m, s }),
  fromEntries: Object.fromEntries(new Map([['x', 1], ['y', 2]])), cleared: (() => { s.clear(); return s.size; })(),
};
