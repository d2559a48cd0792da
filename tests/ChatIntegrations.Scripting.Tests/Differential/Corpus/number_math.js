// SCR-57: Number.isInteger/isNaN/isFinite/isSafeInteger/EPSILON/MAX_SAFE_INTEGER/parseFloat/parseInt, Math.trunc/sign/log2/log10/cbrt/hypot, globalThis
var result = {
  isInteger: [Number.isInteger(5), Number.isInteger(5.5), Number.isInteger('5')],
  isNaN: [Number.isNaN(NaN), Number.isNaN('x')], isFinite: [Number.isFinite(1), Number.isFinite(Infinity), Number.isFinite('1')],
  safe: [Number.isSafeInteger(2 ** 53 - 1), Number.isSafeInteger(2 ** 53)], eps: Number.EPSILON > 0 && Number.EPSILON < 1e-15,
  max: Number.MAX_SAFE_INTEGER, parse: [Number.parseFloat('1.5x'), Number.parseInt('08', 10)],
  trunc: [Math.trunc(4.7), Math.trunc(-4.7)], sign: [Math.sign(-3), Math.sign(0), Math.sign(9)],
  log2: Math.log2(8), log10: Math.log10(1000), cbrt: [Math.cbrt(27), Math.cbrt(-8)], hypot: Math.hypot(3, 4),
  globalThis: typeof globalThis === 'object' && globalThis.Math === Math,
};
