// SCR-60: arrow functions with lexical this and arguments
function Outer() {
  this.value = 7;
  const getValue = () => this.value;
  const args = () => arguments.length;
  const nested = () => () => this.value * 2;
  return { v: getValue(), a: args(), n: nested()(), sum: [1, 2, 3].map(x => x * this.value) };
}
const obj = {
  items: [1, 2],
  total() { return this.items.reduce((acc, x) => acc + x + this.items.length, 0); },
};
const square = x => x * x;
const make = () => ({ made: true });
var result = { outer: new Outer(1, 2, 3), total: obj.total(), sq: square(9), make: make(), noArgs: (() => 5)() };
