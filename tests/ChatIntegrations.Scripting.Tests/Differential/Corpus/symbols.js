// SCR-57: Symbol (callable, description, Symbol.for, Symbol.iterator)
const s1 = Symbol('desc');
const s2 = Symbol('desc');
const obj = { [s1]: 'hidden', visible: 1 };
var result = {
  distinct: s1 !== s2, desc: s1.description, forSame: Symbol.for('k') === Symbol.for('k'), value: obj[s1],
  keys: Object.keys(obj), json: JSON.stringify(obj), iterFn: typeof [][Symbol.iterator], hasIter: typeof Symbol.iterator !== 'undefined',
};
