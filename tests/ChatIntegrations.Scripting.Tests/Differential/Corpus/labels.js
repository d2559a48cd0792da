// SCR-60: labelled statements with break/continue across loops whose let bindings are captured by closures
const log = [];
const fns = [];
outer: for (let i = 0; i < 4; i++) {
  inner: for (let j = 0; j < 4; j++) {
    fns.push(() => i * 10 + j);
    if (j === 2) continue outer;
    if (i === 2) break outer;
    if (j === 1 && i === 1) continue inner;
    log.push(`${i}${j}`);
  }
}
function search(grid) {
  rows: for (const row of grid) {
    for (const cell of row) {
      const f = () => cell;
      if (cell === 'stop') break rows;
      if (cell === 'skip') continue rows;
      if (cell === 'found') return f();
    }
  }
  return 'none';
}
let k = 0;
block: {
  k = 1;
  if (k) break block;
  k = 2;
}
const sw = [];
for (let i = 0; i < 3; i++) {
  switch (i) { case 1: sw.push(() => 'one' + i); break; default: sw.push(() => 'd' + i); }
}
var result = {
  log, values: fns.map(f => f()), s1: search([['a', 'skip', 'x'], ['found']]), s2: search([['stop'], ['found']]), k,
  sw: sw.map(f => f()),
};
