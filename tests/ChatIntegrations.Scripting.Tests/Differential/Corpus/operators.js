// SCR-60: ** and **=, numeric separators, exponent precedence, binary/octal literals
let p = 2;
p **= 10;
const o = { v: 3 };
o.v **= 2;
var result = {
  pow: 2 ** 3 ** 2, neg: (-2) ** 2, p, ov: o.v, sep: 1_000_000 + 0.000_1, hex: 0xFF_FF, bin: 0b1010, oct: 0o17,
  big: 1e21, small: 5e-7, frac: .5, legacy: 010,
};
