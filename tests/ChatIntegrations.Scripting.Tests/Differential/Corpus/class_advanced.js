// SCR-60: class expressions, name inference, computed/symbol methods, accessors with inheritance, static super
const Named = class Inner { who() { return Inner.name; } };
const Anon = class { };
const methodName = 'dyn';
class Base {
  static describe() { return 'base:' + this.kind; }
  static kind = 'B';
  get label() { return 'L' + this._v; }
  set label(v) { this._v = v; }
  [methodName + 'Method']() { return 'dynamic'; }
}
class Derived extends Base {
  static kind = 'D';
  static describe() { return 'derived(' + super.describe() + ')'; }
  get label() { return 'D' + super.label; }
  set label(v) { super.label = v; }
  [Symbol.iterator]() { let i = 0; return { next: () => ({ value: i, done: i++ >= 2 }) }; }
  toString() { return `Derived<${this._v}>`; }
}
let blockResult;
{
  class Local { static v() { return 'local'; } }
  blockResult = Local.v();
}
const d = new Derived();
d.label = 5;
var result = {
  named: new Named().who(), anonType: typeof Anon, desc: Derived.describe(), label: d.label, dyn: d.dynMethod(),
  iter: [...d], str: `${d}`, keys: Object.keys(d), protoNames: Object.getOwnPropertyNames(Derived.prototype).sort(),
  blockResult, inheritedStatic: typeof Derived.describe,
};
