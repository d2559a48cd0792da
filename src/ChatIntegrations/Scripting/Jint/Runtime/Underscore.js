/* ChatIntegrations `_` helper (SCR-56): an independent ES5.1 implementation of the underscore 1.13 functions that
 * integration scripts use, with that library's semantics. It is not underscore's code.
 * The source is one expression; the host evaluates it lazily, on first access to the global `_` (SCR-50), after the
 * runtime prelude. Loops are plain ES5 loops, bounded by the host's statement count (SCR-42). Arrays of a caller-given
 * size are created with the Array constructor and strings are built with bounded built-ins (SCR-44a).
 * `template`, `debounce`, `throttle`, `delay` and `defer` are deliberately absent (they need eval or timers). */
(function () {
  var ObjProto = Object.prototype;
  var ArrayProto = Array.prototype;
  var hasOwnProperty = ObjProto.hasOwnProperty;
  var toString = ObjProto.toString;
  var slice = ArrayProto.slice;
  var push = ArrayProto.push;
  var MAX_ARRAY_INDEX = 9007199254740991;

  function _(obj) {
    if (obj instanceof _) { return obj; }
    if (!(this instanceof _)) { return new _(obj); }
    this._wrapped = obj;
  }

  // ---- internal helpers ----------------------------------------------------------------------------------------

  function tag(obj) { return toString.call(obj); }
  function has1(obj, key) { return obj != null && hasOwnProperty.call(obj, key); }
  function getLength(obj) { return obj == null ? void 0 : obj.length; }
  function isArrayLike(obj) {
    var length = getLength(obj);
    return typeof length === 'number' && length >= 0 && length <= MAX_ARRAY_INDEX;
  }
  function isArguments(obj) { return tag(obj) === '[object Arguments]'; }

  // Collects the arguments from `start` on into an array passed as the last parameter.
  function withRest(func, start) {
    return function () {
      var fixed = [];
      var i;
      for (i = 0; i < start; i++) { fixed.push(arguments[i]); }
      var rest = [];
      for (i = start; i < arguments.length; i++) { rest.push(arguments[i]); }
      fixed.push(rest);
      return func.apply(this, fixed);
    };
  }

  // Binds `context` when given (underscore's optimizeCb).
  function bindCb(func, context) {
    if (context === void 0) { return func; }
    return function () { return func.apply(context, arguments); };
  }

  function deepGet(obj, path) {
    var length = path.length;
    for (var i = 0; i < length; i++) {
      if (obj == null) { return void 0; }
      obj = obj[path[i]];
    }
    return length ? obj : void 0;
  }

  function toPath(path) { return Array.isArray(path) ? path : [path]; }

  function property(path) {
    path = toPath(path);
    return function (obj) { return deepGet(obj, path); };
  }

  function isMatch(object, attrs) {
    var ks = keys(attrs);
    var length = ks.length;
    if (object == null) { return !length; }
    var obj = Object(object);
    for (var i = 0; i < length; i++) {
      var key = ks[i];
      if (attrs[key] !== obj[key] || !(key in obj)) { return false; }
    }
    return true;
  }

  function matcher(attrs) {
    var copy = {};
    var ks = keys(attrs);
    for (var i = 0; i < ks.length; i++) { copy[ks[i]] = attrs[ks[i]]; }
    return function (obj) { return isMatch(obj, copy); };
  }

  // Iteratee shorthands: function, null (identity), matcher object, property name or path.
  function cb(value, context) {
    if (value == null) { return identity; }
    if (typeof value === 'function') { return bindCb(value, context); }
    if (isObject(value) && !Array.isArray(value)) { return matcher(value); }
    return property(value);
  }

  function allKeys(obj) {
    if (!isObject(obj)) { return []; }
    var result = [];
    for (var key in obj) { result.push(key); }
    return result;
  }

  function negate(predicate) {
    return function () { return !predicate.apply(this, arguments); };
  }

  function findKey(obj, predicate, context) {
    predicate = cb(predicate, context);
    var ks = keys(obj);
    for (var i = 0; i < ks.length; i++) {
      if (predicate(obj[ks[i]], ks[i], obj)) { return ks[i]; }
    }
    return void 0;
  }

  function sortedIndex(array, obj) {
    var low = 0;
    var high = getLength(array);
    while (low < high) {
      var mid = Math.floor((low + high) / 2);
      if (array[mid] < obj) { low = mid + 1; } else { high = mid; }
    }
    return low;
  }

  function isNaNValue(obj) { return isNumber(obj) && isNaN(obj); }

  // Flattens `input` into `output`; `strict` drops values that are not arrays or arguments objects.
  function flattenInto(input, depth, strict, output) {
    output = output || [];
    if (!depth && depth !== 0) {
      depth = Infinity;
    } else if (depth <= 0) {
      return output.concat(input);
    }
    var idx = output.length;
    for (var i = 0, length = getLength(input); i < length; i++) {
      var value = input[i];
      if (isArrayLike(value) && (Array.isArray(value) || isArguments(value))) {
        if (depth > 1) {
          flattenInto(value, depth - 1, strict, output);
          idx = output.length;
        } else {
          for (var j = 0, len = value.length; j < len; j++) { output[idx++] = value[j]; }
        }
      } else if (!strict) {
        output[idx++] = value;
      }
    }
    return output;
  }

  function group(behavior, partitionMode) {
    return function (obj, iteratee, context) {
      var result = partitionMode ? [[], []] : {};
      iteratee = cb(iteratee, context);
      each(obj, function (value, index) {
        behavior(result, value, iteratee(value, index, obj));
      });
      return result;
    };
  }

  function assigner(keysFunc, defaultsMode) {
    return function (obj) {
      var length = arguments.length;
      if (defaultsMode) { obj = Object(obj); }
      if (length < 2 || obj == null) { return obj; }
      for (var index = 1; index < length; index++) {
        var source = arguments[index];
        var ks = keysFunc(source);
        for (var i = 0; i < ks.length; i++) {
          var key = ks[i];
          if (!defaultsMode || obj[key] === void 0) { obj[key] = source[key]; }
        }
      }
      return obj;
    };
  }

  function escaper(map) {
    var names = [];
    for (var k in map) { names.push(k); }
    var source = '(?:' + names.join('|') + ')';
    var testRe = new RegExp(source);
    var replaceRe = new RegExp(source, 'g');
    var replacer = function (match) { return map[match]; };
    return function (string) {
      string = string == null ? '' : '' + string;
      return testRe.test(string) ? string.replace(replaceRe, replacer) : string;
    };
  }

  // ---- collections ---------------------------------------------------------------------------------------------

  function each(obj, iteratee, context) {
    iteratee = bindCb(iteratee, context);
    var i, length;
    if (isArrayLike(obj)) {
      for (i = 0, length = obj.length; i < length; i++) { iteratee(obj[i], i, obj); }
    } else {
      var ks = keys(obj);
      for (i = 0, length = ks.length; i < length; i++) { iteratee(obj[ks[i]], ks[i], obj); }
    }
    return obj;
  }

  function map(obj, iteratee, context) {
    iteratee = cb(iteratee, context);
    var ks = !isArrayLike(obj) && keys(obj);
    var length = (ks || obj).length;
    var results = Array(length);
    for (var i = 0; i < length; i++) {
      var key = ks ? ks[i] : i;
      results[i] = iteratee(obj[key], key, obj);
    }
    return results;
  }

  function reduce(obj, iteratee, memo, context) {
    var initial = arguments.length >= 3;
    iteratee = bindCb(iteratee, context);
    var ks = !isArrayLike(obj) && keys(obj);
    var length = (ks || obj).length;
    var index = 0;
    if (!initial) {
      memo = obj[ks ? ks[index] : index];
      index++;
    }
    for (; index < length; index++) {
      var key = ks ? ks[index] : index;
      memo = iteratee(memo, obj[key], key, obj);
    }
    return memo;
  }

  function findIndex(array, predicate, context) {
    predicate = cb(predicate, context);
    var length = getLength(array);
    for (var index = 0; index < length; index++) {
      if (predicate(array[index], index, array)) { return index; }
    }
    return -1;
  }

  function find(obj, predicate, context) {
    var key = isArrayLike(obj) ? findIndex(obj, predicate, context) : findKey(obj, predicate, context);
    if (key !== void 0 && key !== -1) { return obj[key]; }
    return void 0;
  }

  function filter(obj, predicate, context) {
    var results = [];
    predicate = cb(predicate, context);
    each(obj, function (value, index, list) {
      if (predicate(value, index, list)) { results.push(value); }
    });
    return results;
  }

  function reject(obj, predicate, context) { return filter(obj, negate(cb(predicate)), context); }
  function where(obj, attrs) { return filter(obj, matcher(attrs)); }
  function findWhere(obj, attrs) { return find(obj, matcher(attrs)); }

  function every(obj, predicate, context) {
    predicate = cb(predicate, context);
    var ks = !isArrayLike(obj) && keys(obj);
    var length = (ks || obj).length;
    for (var i = 0; i < length; i++) {
      var key = ks ? ks[i] : i;
      if (!predicate(obj[key], key, obj)) { return false; }
    }
    return true;
  }

  function some(obj, predicate, context) {
    predicate = cb(predicate, context);
    var ks = !isArrayLike(obj) && keys(obj);
    var length = (ks || obj).length;
    for (var i = 0; i < length; i++) {
      var key = ks ? ks[i] : i;
      if (predicate(obj[key], key, obj)) { return true; }
    }
    return false;
  }

  function contains(obj, item, fromIndex, guard) {
    if (!isArrayLike(obj)) { obj = values(obj); }
    if (typeof fromIndex !== 'number' || guard) { fromIndex = 0; }
    return indexOf(obj, item, fromIndex) >= 0;
  }

  function pluck(obj, key) { return map(obj, property(key)); }

  function extreme(bigger) {
    var start = bigger ? -Infinity : Infinity;
    function better(a, b) { return bigger ? a > b : a < b; }
    return function (obj, iteratee, context) {
      var result = start;
      var lastComputed = start;
      if ((iteratee == null || (typeof iteratee === 'number' && typeof obj[0] !== 'object')) && obj != null) {
        obj = isArrayLike(obj) ? obj : values(obj);
        for (var i = 0, length = obj.length; i < length; i++) {
          var value = obj[i];
          if (value != null && better(value, result)) { result = value; }
        }
      } else {
        iteratee = cb(iteratee, context);
        each(obj, function (v, index, list) {
          var computed = iteratee(v, index, list);
          if (better(computed, lastComputed) || (computed === start && result === start)) {
            result = v;
            lastComputed = computed;
          }
        });
      }
      return result;
    };
  }

  var max = extreme(true);
  var min = extreme(false);

  function sortBy(obj, iteratee, context) {
    var index = 0;
    iteratee = cb(iteratee, context);
    var decorated = map(obj, function (value, key, list) {
      return { value: value, index: index++, criteria: iteratee(value, key, list) };
    });
    decorated.sort(function (left, right) {
      var a = left.criteria;
      var b = right.criteria;
      if (a !== b) {
        if (a > b || a === void 0) { return 1; }
        if (a < b || b === void 0) { return -1; }
      }
      return left.index - right.index;
    });
    return pluck(decorated, 'value');
  }

  var groupBy = group(function (result, value, key) {
    if (has1(result, key)) { result[key].push(value); } else { result[key] = [value]; }
  });
  var indexBy = group(function (result, value, key) { result[key] = value; });
  var countBy = group(function (result, value, key) {
    if (has1(result, key)) { result[key]++; } else { result[key] = 1; }
  });
  var partition = group(function (result, value, pass) { result[pass ? 0 : 1].push(value); }, true);

  function size(obj) {
    if (obj == null) { return 0; }
    return isArrayLike(obj) ? obj.length : keys(obj).length;
  }

  function toArray(obj) {
    if (!obj) { return []; }
    if (Array.isArray(obj)) { return slice.call(obj); }
    if (isString(obj)) {
      // Splits by code point; a lone surrogate is its own element.
      var str = '' + obj;
      var out = [];
      for (var i = 0; i < str.length; i++) {
        var c = str.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < str.length) {
          var d = str.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            out.push(str.charAt(i) + str.charAt(i + 1));
            i++;
            continue;
          }
        }
        out.push(str.charAt(i));
      }
      return out;
    }
    if (isArrayLike(obj)) { return map(obj, identity); }
    return values(obj);
  }

  // ---- arrays --------------------------------------------------------------------------------------------------

  function initial(array, n, guard) {
    return slice.call(array, 0, Math.max(0, array.length - (n == null || guard ? 1 : n)));
  }

  function rest(array, n, guard) { return slice.call(array, n == null || guard ? 1 : n); }

  function first(array, n, guard) {
    if (array == null || array.length < 1) { return n == null || guard ? void 0 : []; }
    if (n == null || guard) { return array[0]; }
    return initial(array, array.length - n);
  }

  function last(array, n, guard) {
    if (array == null || array.length < 1) { return n == null || guard ? void 0 : []; }
    if (n == null || guard) { return array[array.length - 1]; }
    return rest(array, Math.max(0, array.length - n));
  }

  function compact(array) { return filter(array, Boolean); }

  function flatten(array, depth) { return flattenInto(array, depth, false); }

  var difference = withRest(function (array, others) {
    var excluded = flattenInto(others, true, true);
    return filter(array, function (value) { return !contains(excluded, value); });
  }, 1);

  var without = withRest(function (array, others) { return difference(array, others); }, 1);

  function uniq(array, isSorted, iteratee, context) {
    if (!isBoolean(isSorted)) {
      context = iteratee;
      iteratee = isSorted;
      isSorted = false;
    }
    if (iteratee != null) { iteratee = cb(iteratee, context); }
    var result = [];
    var seen = [];
    for (var i = 0, length = getLength(array); i < length; i++) {
      var value = array[i];
      var computed = iteratee ? iteratee(value, i, array) : value;
      if (isSorted && !iteratee) {
        if (!i || seen !== computed) { result.push(value); }
        seen = computed;
      } else if (iteratee) {
        if (!contains(seen, computed)) {
          seen.push(computed);
          result.push(value);
        }
      } else if (!contains(result, value)) {
        result.push(value);
      }
    }
    return result;
  }

  var union = withRest(function (arrays) { return uniq(flattenInto(arrays, true, true)); }, 0);

  function intersection(array) {
    var result = [];
    var argsLength = arguments.length;
    for (var i = 0, length = getLength(array); i < length; i++) {
      var item = array[i];
      if (contains(result, item)) { continue; }
      var j;
      for (j = 1; j < argsLength; j++) {
        if (!contains(arguments[j], item)) { break; }
      }
      if (j === argsLength) { result.push(item); }
    }
    return result;
  }

  function zip() {
    var arrays = arguments;
    var longest = arrays && max(arrays, getLength);
    var length = (longest && longest.length) || 0;
    var result = Array(length);
    for (var index = 0; index < length; index++) { result[index] = pluck(arrays, index); }
    return result;
  }

  function object(list, vals) {
    var result = {};
    for (var i = 0, length = getLength(list); i < length; i++) {
      if (vals) { result[list[i]] = vals[i]; } else { result[list[i][0]] = list[i][1]; }
    }
    return result;
  }

  function chunk(array, count) {
    if (count == null || count < 1) { return []; }
    var result = [];
    var i = 0;
    var length = array.length;
    while (i < length) {
      var from = i;
      i += count;
      result.push(slice.call(array, from, i));
    }
    return result;
  }

  function indexOf(array, item, idx) {
    var i = 0;
    var length = getLength(array);
    if (typeof idx === 'number') {
      i = idx >= 0 ? idx : Math.max(idx + length, i);
    } else if (idx && length) {
      idx = sortedIndex(array, item);
      return array[idx] === item ? idx : -1;
    }
    if (item !== item) {
      idx = findIndex(slice.call(array, i, length), isNaNValue);
      return idx >= 0 ? idx + i : -1;
    }
    for (idx = i; idx >= 0 && idx < length; idx++) {
      if (array[idx] === item) { return idx; }
    }
    return -1;
  }

  function range(start, stop, step) {
    if (stop == null) {
      stop = start || 0;
      start = 0;
    }
    if (!step) { step = stop < start ? -1 : 1; }
    var length = Math.max(Math.ceil((stop - start) / step), 0);
    var result = Array(length);
    for (var idx = 0; idx < length; idx++, start += step) { result[idx] = start; }
    return result;
  }

  // ---- objects -------------------------------------------------------------------------------------------------

  function keys(obj) {
    if (!isObject(obj)) { return []; }
    return Object.keys(obj);
  }

  function values(obj) {
    var ks = keys(obj);
    var result = Array(ks.length);
    for (var i = 0; i < ks.length; i++) { result[i] = obj[ks[i]]; }
    return result;
  }

  function pairs(obj) {
    var ks = keys(obj);
    var result = Array(ks.length);
    for (var i = 0; i < ks.length; i++) { result[i] = [ks[i], obj[ks[i]]]; }
    return result;
  }

  function invert(obj) {
    var result = {};
    var ks = keys(obj);
    for (var i = 0; i < ks.length; i++) { result[obj[ks[i]]] = ks[i]; }
    return result;
  }

  function mapObject(obj, iteratee, context) {
    iteratee = cb(iteratee, context);
    var ks = keys(obj);
    var results = {};
    for (var i = 0; i < ks.length; i++) { results[ks[i]] = iteratee(obj[ks[i]], ks[i], obj); }
    return results;
  }

  var extend = assigner(allKeys);
  var defaults = assigner(allKeys, true);

  var pick = withRest(function (obj, names) {
    var result = {};
    var iteratee = names[0];
    if (obj == null) { return result; }
    var ks;
    if (isFunction(iteratee)) {
      if (names.length > 1) { iteratee = bindCb(iteratee, names[1]); }
      ks = allKeys(obj);
    } else {
      iteratee = function (value, key, o) { return key in o; };
      ks = flattenInto(names, false, false);
      obj = Object(obj);
    }
    for (var i = 0; i < ks.length; i++) {
      var key = ks[i];
      var value = obj[key];
      if (iteratee(value, key, obj)) { result[key] = value; }
    }
    return result;
  }, 1);

  var omit = withRest(function (obj, names) {
    var iteratee = names[0];
    var context;
    if (isFunction(iteratee)) {
      iteratee = negate(iteratee);
      if (names.length > 1) { context = names[1]; }
    } else {
      var excluded = map(flattenInto(names, false, false), String);
      iteratee = function (value, key) { return !contains(excluded, key); };
    }
    return pick(obj, iteratee, context);
  }, 1);

  function clone(obj) {
    if (!isObject(obj)) { return obj; }
    return Array.isArray(obj) ? obj.slice() : extend({}, obj);
  }

  function has(obj, path) {
    path = toPath(path);
    var length = path.length;
    for (var i = 0; i < length; i++) {
      var key = path[i];
      if (!has1(obj, key)) { return false; }
      obj = obj[key];
    }
    return !!length;
  }

  function eq(a, b, aStack, bStack) {
    if (a === b) { return a !== 0 || 1 / a === 1 / b; }
    if (a == null || b == null) { return false; }
    if (a !== a) { return b !== b; }
    var type = typeof a;
    if (type !== 'function' && type !== 'object' && typeof b !== 'object') { return false; }
    return deepEq(a, b, aStack, bStack);
  }

  function deepEq(a, b, aStack, bStack) {
    if (a instanceof _) { a = a._wrapped; }
    if (b instanceof _) { b = b._wrapped; }
    var className = tag(a);
    if (className !== tag(b)) { return false; }
    switch (className) {
      case '[object RegExp]':
      case '[object String]':
        return '' + a === '' + b;
      case '[object Number]':
        if (+a !== +a) { return +b !== +b; }
        return +a === 0 ? 1 / +a === 1 / b : +a === +b;
      case '[object Date]':
      case '[object Boolean]':
        return +a === +b;
    }
    var areArrays = className === '[object Array]';
    if (!areArrays) {
      if (typeof a !== 'object' || typeof b !== 'object') { return false; }
      var aCtor = a.constructor;
      var bCtor = b.constructor;
      if (aCtor !== bCtor &&
          !(isFunction(aCtor) && aCtor instanceof aCtor && isFunction(bCtor) && bCtor instanceof bCtor) &&
          ('constructor' in a && 'constructor' in b)) {
        return false;
      }
    }
    aStack = aStack || [];
    bStack = bStack || [];
    var length = aStack.length;
    while (length--) {
      if (aStack[length] === a) { return bStack[length] === b; }
    }
    aStack.push(a);
    bStack.push(b);
    if (areArrays) {
      length = a.length;
      if (length !== b.length) { return false; }
      while (length--) {
        if (!eq(a[length], b[length], aStack, bStack)) { return false; }
      }
    } else {
      var ks = keys(a);
      length = ks.length;
      if (keys(b).length !== length) { return false; }
      while (length--) {
        var key = ks[length];
        if (!(has1(b, key) && eq(a[key], b[key], aStack, bStack))) { return false; }
      }
    }
    aStack.pop();
    bStack.pop();
    return true;
  }

  function isEqual(a, b) { return eq(a, b); }

  function isEmpty(obj) {
    if (obj == null) { return true; }
    var length = getLength(obj);
    if (typeof length === 'number' && (Array.isArray(obj) || isString(obj) || isArguments(obj))) {
      return length === 0;
    }
    return keys(obj).length === 0;
  }

  function isObject(obj) {
    var type = typeof obj;
    return type === 'function' || (type === 'object' && !!obj);
  }
  function isString(obj) { return tag(obj) === '[object String]'; }
  function isNumber(obj) { return tag(obj) === '[object Number]'; }
  function isDate(obj) { return tag(obj) === '[object Date]'; }
  function isFunction(obj) { return typeof obj === 'function' || false; }
  function isBoolean(obj) { return obj === true || obj === false || tag(obj) === '[object Boolean]'; }
  function isNull(obj) { return obj === null; }
  function isUndefined(obj) { return obj === void 0; }

  // ---- utilities -----------------------------------------------------------------------------------------------

  function identity(value) { return value; }

  function times(n, iteratee, context) {
    var accum = Array(Math.max(0, n));
    iteratee = bindCb(iteratee, context);
    for (var i = 0; i < n; i++) { accum[i] = iteratee(i); }
    return accum;
  }

  function random(lo, hi) {
    if (hi == null) {
      hi = lo;
      lo = 0;
    }
    return lo + Math.floor(Math.random() * (hi - lo + 1));
  }

  var idCounter = 0;
  function uniqueId(prefix) {
    var id = ++idCounter + '';
    return prefix ? prefix + id : id;
  }

  var escape = escaper({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;' });
  var unescape = escaper({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#x60;': '`' });

  function now() { return new Date().getTime(); }

  function chain(obj) {
    var instance = _(obj);
    instance._chain = true;
    return instance;
  }

  // ---- the exported functions (SCR-56) and the wrapper ----------------------------------------------------------

  var functions = {
    each: each, forEach: each, map: map, reduce: reduce, find: find, filter: filter, where: where,
    findWhere: findWhere, reject: reject, every: every, some: some, contains: contains, includes: contains,
    pluck: pluck, max: max, min: min, sortBy: sortBy, groupBy: groupBy, indexBy: indexBy, countBy: countBy,
    size: size, partition: partition, toArray: toArray,
    first: first, last: last, initial: initial, rest: rest, compact: compact, flatten: flatten, without: without,
    union: union, intersection: intersection, difference: difference, uniq: uniq, zip: zip, object: object,
    chunk: chunk, indexOf: indexOf, findIndex: findIndex, range: range,
    keys: keys, values: values, pairs: pairs, invert: invert, mapObject: mapObject, extend: extend, pick: pick,
    omit: omit, defaults: defaults, clone: clone, has: has, isEqual: isEqual, isEmpty: isEmpty, isArray: Array.isArray,
    isObject: isObject, isString: isString, isNumber: isNumber, isBoolean: isBoolean, isDate: isDate,
    isFunction: isFunction, isNull: isNull, isUndefined: isUndefined,
    identity: identity, times: times, random: random, uniqueId: uniqueId, escape: escape, unescape: unescape,
    now: now, chain: chain
  };

  function chainResult(instance, obj) { return instance._chain ? _(obj).chain() : obj; }

  function addMethod(name, func) {
    _[name] = func;
    _.prototype[name] = function () {
      var args = [this._wrapped];
      push.apply(args, arguments);
      return chainResult(this, func.apply(_, args));
    };
  }

  for (var name in functions) {
    if (hasOwnProperty.call(functions, name)) { addMethod(name, functions[name]); }
  }

  function addMutator(name) {
    var method = ArrayProto[name];
    _.prototype[name] = function () {
      var obj = this._wrapped;
      if (obj != null) {
        method.apply(obj, arguments);
        if ((name === 'shift' || name === 'splice') && obj.length === 0) { delete obj[0]; }
      }
      return chainResult(this, obj);
    };
  }

  function addAccessor(name) {
    var method = ArrayProto[name];
    _.prototype[name] = function () {
      var obj = this._wrapped;
      if (obj != null) { obj = method.apply(obj, arguments); }
      return chainResult(this, obj);
    };
  }

  var mutators = ['pop', 'push', 'reverse', 'shift', 'sort', 'splice', 'unshift'];
  for (var m = 0; m < mutators.length; m++) { addMutator(mutators[m]); }
  var accessors = ['concat', 'join', 'slice'];
  for (var a = 0; a < accessors.length; a++) { addAccessor(accessors[a]); }

  _.prototype.value = function () { return this._wrapped; };
  _.prototype.valueOf = _.prototype.value;
  _.prototype.toJSON = _.prototype.value;
  _.prototype.toString = function () { return String(this._wrapped); };

  return _;
})()
