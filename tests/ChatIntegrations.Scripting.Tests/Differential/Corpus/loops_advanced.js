// SCR-60: loops whose per-iteration bindings are captured: var hoisting, this/arguments, nested returns, do-while, switch
function Collector() {
  this.base = 100;
  this.fns = [];
  for (let i = 0; i < 3; i++) {
    var lastSeen = i;
    this.fns.push(() => this.base + i + arguments.length);
    function helper() { return 'h' + i; }
    if (i === 1) this.helperOut = helper();
  }
  this.lastSeen = lastSeen;
}
function nestedReturn(matrix) {
  for (let r = 0; r < matrix.length; r++) {
    for (let c = 0; c < matrix[r].length; c++) {
      const check = () => matrix[r][c] === 'x';
      if (check()) return [r, c];
    }
  }
  return null;
}
const dw = [];
let n = 0;
do {
  const captured = n;
  dw.push(() => captured);
  n++;
  if (n > 10) break;
} while (n < 3);
const sw = [];
for (const kind of ['a', 'b', 'c']) {
  switch (kind) {
    case 'a': { let msg = 'first'; sw.push(() => msg + kind); break; }
    case 'b': continue;
    default: sw.push(() => 'default-' + kind);
  }
}
const counters = [];
for (let i = 0, j = 10; i < j; i += 4, j--) counters.push(() => [i, j]);
const c = new Collector('x', 'y');
var result = {
  fns: c.fns.map(f => f()), helper: c.helperOut, lastSeen: c.lastSeen, nested: nestedReturn([['a', 'b'], ['c', 'x']]),
  none: nestedReturn([['a']]), dw: dw.map(f => f()), sw: sw.map(f => f()), counters: counters.map(f => f()),
};
