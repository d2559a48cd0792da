// SCR-60: for…of closes an iterator on break, return, throw and labelled jumps, but not on normal completion
const log = [];
function counter(name, limit) {
  return {
    [Symbol.iterator]() {
      let i = 0;
      return {
        next() { i++; return i <= limit ? { value: i, done: false } : { value: undefined, done: true }; },
        return() { log.push(name + ':closed@' + i); return { done: true }; },
      };
    },
  };
}
for (const x of counter('complete', 2)) log.push('complete' + x);
for (const x of counter('break', 5)) { if (x === 2) break; }
function early() { for (const x of counter('return', 5)) { if (x === 3) return x; } return -1; }
early();
try { for (const x of counter('throw', 5)) { if (x === 1) throw new Error('boom'); } } catch (e) { log.push(e.message); }
outer: for (const a of counter('outer', 3)) {
  for (const b of counter('inner' + a, 3)) {
    const f = () => a + b;
    if (b === 2) continue outer;
    if (a === 3) break outer;
    log.push(f());
  }
}
const [first] = counter('destructure', 5);
var result = { log, first };
