// SCR-60: optional calls with spread keep this, member calls with spread, computed compound assignments evaluate once
const calc = { factor: 2, mul(...xs) { return xs.map(x => x * this.factor); } };
const maybe = { calc };
const args = [1, 2];
let keyReads = 0;
const key = () => { keyReads++; return 'k'; };
const store = { k: 2 };
store[key()] **= 3;
store[key()] ??= 'no';
store[key()] ||= 'no';
let objReads = 0;
const getStore = () => { objReads++; return store; };
getStore().k += 1;
getStore().missing ??= 'filled';
const fnOrNull = null;
var result = {
  a: maybe?.calc.mul(...args), b: maybe.calc?.mul?.(...args, 3), c: maybe.none?.mul(...args), d: fnOrNull?.(...args),
  e: calc.mul.apply(calc, args), store, keyReads, objReads, f: Math.max(...[1, 5], ...new Set([9])),
  g: [..."ab", ...[1, [2]]], h: String.fromCharCode(...[72, 105]),
};
