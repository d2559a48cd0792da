// SCR-60: class fields (instance and static), static blocks, arrow fields keep this
let counter = 0;
class Counter {
  count = 0;
  label = 'c' + (++counter);
  static instances = 0;
  static registry = [];
  static { Counter.ready = true; this.registry.push('init'); }
  increment = () => { this.count++; return this.count; };
  constructor(start) { if (start) this.count = start; Counter.instances++; }
  static #secret = 42;
  #hidden = 'h';
  reveal() { return this.#hidden + Counter.#secret; }
  has(o) { return #hidden in o; }
}
class Sub extends Counter {
  extra = this.count * 10;
  constructor() { super(5); this.after = this.extra + 1; }
}
const c = new Counter();
const inc = c.increment;
inc(); inc();
const s = new Sub();
var result = {
  count: c.count, label: c.label, instances: Counter.instances, ready: Counter.ready, registry: Counter.registry,
  sub: [s.count, s.extra, s.after, s.label], reveal: c.reveal(), keys: Object.keys(c).sort(), json: JSON.stringify(c),
  has: [c.has(c), c.has({})],
};
