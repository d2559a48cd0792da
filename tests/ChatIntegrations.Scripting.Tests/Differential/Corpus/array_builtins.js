// SCR-57: Array.from/of, find, findIndex, includes, flat, flatMap, fill, at, keys/values/entries
const a = [5, 12, 8, 130, 44, NaN];
var result = {
  from: Array.from('abc'), fromMap: Array.from([1, 2], x => x * 2), fromLike: Array.from({ length: 3, 0: 'x' }),
  fromSet: Array.from(new Set([1, 1, 2])), of: Array.of(7, 8),
  find: a.find(x => x > 10), findIndex: a.findIndex(x => x > 100), notFound: a.find(x => x > 1000),
  includes: [a.includes(12), a.includes(NaN), a.includes(3), [1, 2, 3].includes(1, 1)],
  flat: [1, [2, [3, [4]]]].flat(), flat2: [1, [2, [3, [4]]]].flat(Infinity), flatMap: [1, 2].flatMap(x => [x, x * 10]),
  fill: new Array(3).fill(0), fill2: [1, 2, 3, 4].fill(9, 1, 3), at: [a.at(0), a.at(-2), a.at(99)],
  keys: [...['a', 'b'].keys()], values: [...['a', 'b'].values()], entries: [...['a', 'b'].entries()],
  forIn: (() => { const ks = []; for (const k in [1, 2]) ks.push(k); return ks; })(),
};
