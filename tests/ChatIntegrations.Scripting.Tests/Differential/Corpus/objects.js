// SCR-60: shorthand, computed and method properties, getters/setters in object literals
const x = 1, y = 'two';
const key = 'dyn';
let store = 0;
const obj = {
  x, y,
  [key]: 'computed', [`${key}_${x}`]: 'template key',
  method() { return this.x + 1; },
  get double() { return this.x * 2; },
  set value(v) { store = v; },
  'quoted-key': true, class: 'reserved',
  [key + 'Fn']() { return 'fn'; },
  get [key + 'Get']() { return 'got'; },
};
obj.value = 99;
var result = { obj, m: obj.method(), d: obj.double, store, fn: obj.dynFn(), g: obj.dynGet, keys: Object.keys(obj) };
