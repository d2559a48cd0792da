// SCR-57: Object.assign/entries/values/fromEntries/hasOwn
const o = { a: 1, b: 'two', c: [3] };
var result = {
  assign: Object.assign({}, o, null, { d: 4 }), entries: Object.entries(o), values: Object.values(o),
  fromEntries: Object.fromEntries([['k', 'v'], ['n', 1]]), hasOwn: [Object.hasOwn(o, 'a'), Object.hasOwn(o, 'toString')],
  roundtrip: Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toUpperCase(), v])),
};
