/* ChatIntegrations JavaScript runtime prelude (ES5.1). Evaluate once per realm, before any lowered script.
 * (a) The helpers that lowered code calls, all on the non-enumerable global `__ci`.
 * (b) Polyfills of the ES2015+ built-ins of SCR-57 that Jint 2.10.4 lacks (not Promise, not regex named groups).
 * Everything is defined non-enumerable so that for-in over objects and arrays is unaffected.
 * Loops are plain ES5 loops: the host bounds them by its statement count. */
(function (global) {
  var defineProperty = Object.defineProperty;
  var hasOwn = Object.prototype.hasOwnProperty;
  var toStr = Object.prototype.toString;

  function define(obj, name, value) {
    if (!hasOwn.call(obj, name)) {
      defineProperty(obj, name, { value: value, writable: true, enumerable: false, configurable: true });
    }
  }

  function isObject(v) { return (typeof v === 'object' && v !== null) || typeof v === 'function'; }

  function toInteger(v) {
    var n = Number(v);
    if (n !== n) { return 0; }
    if (n === 0 || n === Infinity || n === -Infinity) { return n; }
    return n < 0 ? -Math.floor(-n) : Math.floor(n);
  }

  function toLength(v) {
    var n = toInteger(v);
    return n <= 0 ? 0 : Math.min(n, 9007199254740991);
  }

  function sameValueZero(a, b) { return a === b || (a !== a && b !== b); }

  // ------------------------------------------------------------------ Symbol (string-keyed emulation)
  var symbolCounter = 0;
  var symbolRegistry = {};
  function SymbolValue(description, key) {
    this.__key = key;
    defineProperty(this, 'description', { value: description, enumerable: false });
  }
  define(SymbolValue.prototype, 'toString', function () { return this.__key; });
  define(SymbolValue.prototype, 'valueOf', function () { return this; });
  function Symbol(description) {
    if (this instanceof Symbol) { throw new TypeError('Symbol is not a constructor'); }
    var desc = description === undefined ? undefined : String(description);
    symbolCounter++;
    return new SymbolValue(desc, '@@' + (desc === undefined ? '' : desc) + '@' + symbolCounter);
  }
  function wellKnown(name) {
    var s = new SymbolValue('Symbol.' + name, '@@' + name);
    define(Symbol, name, s);
    return s;
  }
  var symIterator = wellKnown('iterator');
  wellKnown('asyncIterator');
  wellKnown('hasInstance');
  wellKnown('toPrimitive');
  wellKnown('toStringTag');
  define(Symbol, 'for', function (key) {
    key = String(key);
    if (!hasOwn.call(symbolRegistry, key)) {
      symbolRegistry[key] = new SymbolValue(key, '@@for:' + key);
    }
    return symbolRegistry[key];
  });
  define(Symbol, 'keyFor', function (sym) {
    for (var k in symbolRegistry) { if (hasOwn.call(symbolRegistry, k) && symbolRegistry[k] === sym) { return k; } }
    return undefined;
  });
  var ITER = '@@iterator';
  function isSymbolKey(k) { return typeof k === 'string' && k.charAt(0) === '@' && k.charAt(1) === '@'; }

  // ------------------------------------------------------------------ iteration
  function makeIterator(next) {
    var it = { next: next };
    define(it, ITER, function () { return this; });
    return it;
  }

  function arrayIterator(a, kind) {
    var i = 0;
    return makeIterator(function () {
      if (a === null || i >= toLength(a.length)) { a = null; return { value: undefined, done: true }; }
      var k = i++;
      if (kind === 'keys') { return { value: k, done: false }; }
      if (kind === 'entries') { return { value: [k, a[k]], done: false }; }
      return { value: a[k], done: false };
    });
  }

  function stringIterator(s) {
    var i = 0;
    return makeIterator(function () {
      if (i >= s.length) { return { value: undefined, done: true }; }
      var c = s.charCodeAt(i);
      var size = (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xDC00 && s.charCodeAt(i + 1) <= 0xDFFF) ? 2 : 1;
      var v = s.substr(i, size);
      i += size;
      return { value: v, done: false };
    });
  }

  function getIterator(x) {
    if (x === null || x === undefined) { throw new TypeError(String(x) + ' is not iterable'); }
    if (typeof x === 'string') { return stringIterator(x); }
    var f = x[ITER];
    if (typeof f === 'function') {
      var it = f.call(x);
      if (!isObject(it)) { throw new TypeError('Result of the Symbol.iterator method is not an object'); }
      return it;
    }
    if (toStr.call(x) === '[object Arguments]') { return arrayIterator(x, 'values'); }
    throw new TypeError((typeof x === 'object' ? 'object' : String(x)) + ' is not iterable');
  }

  function iterableToArray(x, limit) {
    if (Array.isArray(x) && x[ITER] === Array.prototype[ITER]) {
      return x.slice(0);
    }
    if (typeof x === 'string' && limit < 0) {
      var chars = [];
      var sit = stringIterator(x), s;
      while (!(s = sit.next()).done) { chars.push(s.value); }
      return chars;
    }
    var out = [];
    var it = getIterator(x), step;
    while ((limit < 0 || out.length < limit) && !(step = it.next()).done) {
      out.push(step.value);
    }
    if (limit >= 0 && out.length >= limit && typeof it['return'] === 'function') { it['return'](); }
    return out;
  }

  // ------------------------------------------------------------------ __ci helpers (used by lowered code)
  var ci = {};
  defineProperty(global, '__ci', { value: ci, writable: false, enumerable: false, configurable: false });

  ci.iter = getIterator;
  // Closes an iterator left before it was done (break, return, throw out of for-of).
  ci.close = function (it, step) {
    if (it && step && !step.done) {
      var ret = it['return'];
      if (typeof ret === 'function') { ret.call(it); }
    }
  };
  ci.toArr = function (x) { return iterableToArray(x, -1); };
  ci.arr = function (x, n) {
    if (Array.isArray(x)) { return x; }
    return iterableToArray(x, n);
  };
  ci.rest = function (args, start) {
    var out = [];
    for (var i = start; i < args.length; i++) { out.push(args[i]); }
    return out;
  };
  var templateSites = {};
  ci.tpl = function (cooked, raw, site) {
    if (hasOwn.call(templateSites, site)) { return templateSites[site]; }
    defineProperty(cooked, 'raw', { value: Object.freeze(raw), enumerable: false });
    templateSites[site] = Object.freeze(cooked);
    return cooked;
  };
  ci.key = function (k) { return isObject(k) ? String(k) : k; };
  ci.dp = function (obj, key, value) {
    key = String(key);
    defineProperty(obj, key, { value: value, writable: true, enumerable: !isSymbolKey(key), configurable: true });
    return obj;
  };
  ci.accessor = function (obj, key, getter, setter, enumerable) {
    key = String(key);
    var existing = Object.getOwnPropertyDescriptor(obj, key);
    var desc = { enumerable: !!enumerable && !isSymbolKey(key), configurable: true };
    desc.get = getter || (existing && existing.get) || undefined;
    desc.set = setter || (existing && existing.set) || undefined;
    defineProperty(obj, key, desc);
  };
  ci.method = function (obj, key, fn) {
    defineProperty(obj, String(key), { value: fn, writable: true, enumerable: false, configurable: true });
  };
  ci.field = function (obj, key, value) {
    key = String(key);
    defineProperty(obj, key, { value: value, writable: true, enumerable: !isSymbolKey(key), configurable: true });
  };
  ci.priv = function (obj, key, value) {
    defineProperty(obj, key, { value: value, writable: true, enumerable: false, configurable: true });
  };
  ci.hasPriv = function (obj, key) {
    if (!isObject(obj)) { throw new TypeError("Cannot use 'in' operator to search for a private field in a non-object"); }
    return key in obj;
  };
  ci.assign = function (target, source) {
    if (source === null || source === undefined) { return target; }
    if (typeof source === 'string') {
      for (var i = 0; i < source.length; i++) { ci.dp(target, i, source.charAt(i)); }
      return target;
    }
    for (var k in source) {
      if (hasOwn.call(source, k)) { ci.dp(target, k, source[k]); }
    }
    return target;
  };
  ci.objCheck = function (v) {
    if (v === null || v === undefined) { throw new TypeError('Cannot destructure \'' + v + '\' as it is ' + (v === null ? 'null' : 'undefined') + '.'); }
    return v;
  };
  ci.objRest = function (source, excluded) {
    ci.objCheck(source);
    var out = {};
    var skip = {};
    for (var i = 0; i < excluded.length; i++) { skip[String(excluded[i])] = true; }
    for (var k in source) {
      if (hasOwn.call(source, k) && !hasOwn.call(skip, k)) { out[k] = source[k]; }
    }
    return out;
  };
  ci.classCheck = function (self, C) {
    if (!(self instanceof C)) { throw new TypeError('Class constructor ' + C.name + " cannot be invoked without 'new'"); }
  };
  ci.constAssign = function () { throw new TypeError('Assignment to constant variable.'); };
  ci.construct = function (C, args) {
    if (typeof C !== 'function') { throw new TypeError(String(C) + ' is not a constructor'); }
    var bound = Function.prototype.bind.apply(C, [null].concat(args));
    return new bound();
  };

  function findDescriptor(obj, key) {
    for (var o = obj; o !== null && o !== undefined; o = Object.getPrototypeOf(o)) {
      var d = Object.getOwnPropertyDescriptor(o, key);
      if (d) { return d; }
    }
    return undefined;
  }
  ci.superGet = function (home, key, self) {
    var d = findDescriptor(home, String(key));
    if (!d) { return undefined; }
    return d.get ? d.get.call(self) : d.value;
  };
  ci.superSet = function (home, key, value, self) {
    var d = findDescriptor(home, String(key));
    if (d && d.set) { d.set.call(self, value); } else { self[key] = value; }
    return value;
  };

  var nativeErrors = [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError];
  function nativeErrorBase(C) {
    for (var i = 0; i < nativeErrors.length; i++) { if (nativeErrors[i] === C) { return C; } }
    return null;
  }

  ci.inherits = function (subClass, superClass) {
    if (typeof superClass !== 'function' && superClass !== null) {
      throw new TypeError('Class extends value ' + String(superClass) + ' is not a constructor or null');
    }
    subClass.prototype = Object.create(superClass && superClass.prototype, {
      constructor: { value: subClass, writable: true, enumerable: false, configurable: true }
    });
    if (superClass) {
      // Jint 2.10.4 has no Object.setPrototypeOf: copy static members instead.
      var names = Object.getOwnPropertyNames(superClass);
      for (var i = 0; i < names.length; i++) {
        var n = names[i];
        if (n !== 'prototype' && n !== 'length' && n !== 'name' && n !== 'arguments' && n !== 'caller' && !hasOwn.call(subClass, n)) {
          var d = Object.getOwnPropertyDescriptor(superClass, n);
          if (d) { defineProperty(subClass, n, d); }
        }
      }
      define(subClass, '__ci_super', superClass);
    }
  };

  // super(...args) in a derived constructor. Built-in Error constructors ignore `this` (Error.call(this, m)
  // does not set this.message in Jint 2.10.4), so message and stack are set here.
  ci.sup = function (superClass, self, args) {
    if (superClass === null) { throw new TypeError('Super constructor null of anonymous class is not a constructor'); }
    var err = nativeErrorBase(superClass);
    if (err) {
      var message = args.length > 0 ? args[0] : undefined;
      if (message !== undefined) {
        defineProperty(self, 'message', { value: String(message), writable: true, enumerable: false, configurable: true });
      }
      var options = args.length > 1 ? args[1] : undefined;
      if (isObject(options) && 'cause' in options) {
        defineProperty(self, 'cause', { value: options.cause, writable: true, enumerable: false, configurable: true });
      }
      var header = String(self.name === undefined ? 'Error' : self.name);
      var msg = self.message === undefined ? '' : String(self.message);
      defineProperty(self, 'stack', {
        value: (msg ? header + ': ' + msg : header) + '\n    at <anonymous>',
        writable: true, enumerable: false, configurable: true
      });
      return self;
    }
    var result = superClass.apply(self, args);
    return isObject(result) ? result : self;
  };

  // V8's Error.captureStackTrace, which Node-targeted scripts call in custom error constructors.
  define(Error, 'captureStackTrace', function (target) {
    if (!isObject(target)) { throw new TypeError('Invalid argument'); }
    var header = target.name === undefined ? 'Error' : String(target.name);
    var msg = target.message === undefined ? '' : String(target.message);
    defineProperty(target, 'stack', { value: (msg ? header + ': ' + msg : header) + '\n    at <anonymous>', writable: true, enumerable: false, configurable: true });
  });


  // ------------------------------------------------------------------ Promise and the microtask queue (SCR-62)
  // Jobs run in ECMAScript 2022 order. The host drains the queue: __ci.drainMicrotasks() runs jobs until the queue
  // is empty (jobs enqueued meanwhile run in the same drain).
  // The queue array is never replaced, so the host can see from its length alone whether a drain is needed (an
  // empty queue costs the host no call into the engine).
  // Each job is four slots (function, three arguments), so enqueuing allocates no closure.
  var jobs = [], jobHead = 0;
  function enqueueJob(fn, a, b, c) { jobs.push(fn, a, b, c); }
  define(ci, 'jobQueue', jobs);
  define(ci, 'drainMicrotasks', function () {
    while (jobHead < jobs.length) {
      var i = jobHead, fn = jobs[i], a = jobs[i + 1], b = jobs[i + 2], c = jobs[i + 3];
      jobHead = i + 4;
      if (jobHead >= 16384) { jobs.splice(0, jobHead); jobHead = 0; }
      fn(a, b, c);
    }
    jobs.length = 0; jobHead = 0;
  });
  define(ci, 'hasPendingMicrotasks', function () { return jobHead < jobs.length; });
  // One reused descriptor: a hidden slot costs no descriptor object.
  var hiddenDesc = { value: undefined, writable: true, enumerable: false, configurable: true };
  function hidden(o, k, v) { hiddenDesc.value = v; defineProperty(o, k, hiddenDesc); hiddenDesc.value = undefined; }
  var PENDING = 0, FULFILLED = 1, REJECTED = 2;
  // A promise's state is one record in a single hidden slot, __ciP: { s: state, v: value, r: reactions (null, or
  // an array while pending) }. The host reads it natively (ScriptRealm.Async.cs). A reaction is either
  // { f, r, p, cap } (then: p is a prelude promise resolved internally, cap a subclass capability) or the state
  // machine of an awaiting async function (it has a body).
  var slotDesc = { value: undefined, writable: false, enumerable: false, configurable: false };
  function initPromise(p) { slotDesc.value = { s: PENDING, v: undefined, r: null }; defineProperty(p, '__ciP', slotDesc); slotDesc.value = undefined; return p; }
  function newPromise() {
    var p = Object.create(PP);
    slotDesc.value = { s: PENDING, v: undefined, r: null }; defineProperty(p, '__ciP', slotDesc); slotDesc.value = undefined;
    return p;
  }
  function isPromise(p) { return isObject(p) && hasOwn.call(p, '__ciP'); }
  function PromisePolyfill(executor) {
    if (!(this instanceof PromisePolyfill) || isPromise(this)) { throw new TypeError("Promise constructor cannot be invoked without 'new'"); }
    if (typeof executor !== 'function') { throw new TypeError('Promise resolver ' + (isObject(executor) ? '#<Object>' : String(executor)) + ' is not a function'); }
    initPromise(this);
    var r = resolvingFunctions(this);
    try { executor(r.resolve, r.reject); } catch (e) { r.reject(e); }
  }
  var PP = PromisePolyfill.prototype;
  function settle(p, state, value) {
    var rec = p.__ciP;
    if (rec.s !== PENDING) { return; }
    var reactions = rec.r;
    rec.s = state; rec.v = value; rec.r = null;
    if (reactions !== null) {
      for (var i = 0; i < reactions.length; i++) { enqueueReaction(reactions[i], state, value); }
    }
  }
  // The resolve function's steps without the function: callers guarantee that p is resolved at most once.
  function resolvePromise(p, resolution) {
    var rec;
    if (resolution === null || (typeof resolution !== 'object' && typeof resolution !== 'function')) {
      rec = p.__ciP;
      if (rec.r === null) { if (rec.s === PENDING) { rec.s = FULFILLED; rec.v = resolution; } } else { settle(p, FULFILLED, resolution); }
      return;
    }
    if (resolution === p) { settle(p, REJECTED, new TypeError('Chaining cycle detected for promise #<Promise>')); return; }
    var then;
    try { then = resolution.then; } catch (e) { settle(p, REJECTED, e); return; }
    if (typeof then !== 'function') {
      // settle() inlined for the common case of a promise nobody awaits yet (an async function's own promise).
      rec = p.__ciP;
      if (rec.r === null) { if (rec.s === PENDING) { rec.s = FULFILLED; rec.v = resolution; } } else { settle(p, FULFILLED, resolution); }
      return;
    }
    enqueueJob(resolveThenableJob, p, resolution, then);
  }
  function resolveThenableJob(p, thenable, then) {
    var r = resolvingFunctions(p);
    try { then.call(thenable, r.resolve, r.reject); } catch (e) { r.reject(e); }
  }
  function resolvingFunctions(p) {
    var done = false;
    return {
      resolve: function (resolution) {
        if (done) { return; }
        done = true;
        resolvePromise(p, resolution);
      },
      reject: function (reason) {
        if (done) { return; }
        done = true;
        settle(p, REJECTED, reason);
      }
    };
  }
  function enqueueReaction(reaction, state, value) {
    enqueueJob(reaction.body ? runAsync : reactionJob, reaction, state, value);
  }
  function reactionJob(reaction, state, value) {
    var handler = state === FULFILLED ? reaction.f : reaction.r, result, ok = true;
    if (typeof handler !== 'function') { result = value; ok = state === FULFILLED; }
    else { try { result = handler(value); } catch (e) { ok = false; result = e; } }
    if (reaction.p) { if (ok) { resolvePromise(reaction.p, result); } else { settle(reaction.p, REJECTED, result); } }
    else if (reaction.cap) { if (ok) { reaction.cap.resolve(result); } else { reaction.cap.reject(result); } }
  }
  function addReaction(p, reaction) {
    var rec = p.__ciP;
    if (rec.s === PENDING) { if (rec.r === null) { rec.r = [reaction]; } else { rec.r.push(reaction); } }
    else { enqueueReaction(reaction, rec.s, rec.v); }
  }
  function performThen(p, onF, onR, cap) {
    addReaction(p, { f: onF, r: onR, p: undefined, cap: cap });
    return cap ? cap.promise : undefined;
  }
  function newCapability(C) {
    if (C === undefined || C === PromisePolyfill) {
      var p = newPromise();
      var r = resolvingFunctions(p);
      return { promise: p, resolve: r.resolve, reject: r.reject };
    }
    var cap = { promise: undefined, resolve: undefined, reject: undefined };
    cap.promise = new C(function (res, rej) {
      if (cap.resolve !== undefined || cap.reject !== undefined) { throw new TypeError('Promise executor has already been invoked with non-undefined arguments'); }
      cap.resolve = res; cap.reject = rej;
    });
    if (typeof cap.resolve !== 'function' || typeof cap.reject !== 'function') { throw new TypeError('Promise resolve or reject function is not callable'); }
    return cap;
  }
  function promiseResolve(C, x) {
    if (isPromise(x) && x.constructor === C) { return x; }
    if (C === PromisePolyfill) { var p = newPromise(); resolvePromise(p, x); return p; }
    var cap = newCapability(C);
    cap.resolve(x);
    return cap.promise;
  }
  define(PP, 'then', function (onFulfilled, onRejected) {
    if (!isPromise(this)) { throw new TypeError('Method Promise.prototype.then called on incompatible receiver ' + String(this)); }
    var C = this.constructor;
    if (C === undefined || !isObject(C) || C === PromisePolyfill) {
      // The derived promise is resolved internally: no resolving functions are created.
      var derived = newPromise();
      addReaction(this, { f: onFulfilled, r: onRejected, p: derived, cap: undefined });
      return derived;
    }
    return performThen(this, onFulfilled, onRejected, newCapability(C));
  });
  define(PP, 'catch', function (onRejected) { return this.then(undefined, onRejected); });
  define(PP, 'finally', function (onFinally) {
    if (typeof onFinally !== 'function') { return this.then(onFinally, onFinally); }
    var C = (isObject(this) && typeof this.constructor === 'function') ? this.constructor : PromisePolyfill;
    return this.then(function (value) {
      return promiseResolve(C, onFinally()).then(function () { return value; });
    }, function (reason) {
      return promiseResolve(C, onFinally()).then(function () { throw reason; });
    });
  });
  define(PP, '@@toStringTag', 'Promise');
  define(PromisePolyfill, 'resolve', function (x) { return promiseResolve(this === undefined ? PromisePolyfill : this, x); });
  define(PromisePolyfill, 'reject', function (r) { var cap = newCapability(this === PromisePolyfill ? undefined : this); cap.reject(r); return cap.promise; });
  function combinator(C, iterable, start, onValue, finish) {
    var cap = newCapability(C === PromisePolyfill ? undefined : C);
    try {
      var resolveFn = C.resolve;
      if (typeof resolveFn !== 'function') { throw new TypeError('Promise resolve is not a function'); }
      var it = getIterator(iterable), step, index = 0, state = start(cap);
      while (!(step = it.next()).done) {
        var next;
        try { next = resolveFn.call(C, step.value); } catch (e) { closeQuietly(it); throw e; }
        onValue(next, index++, state, cap);
      }
      finish(state, index, cap);
    } catch (e) { cap.reject(e); }
    return cap.promise;
  }
  function closeQuietly(it) { try { var r = it['return']; if (typeof r === 'function') { r.call(it); } } catch (ignored) { /* keep the first error */ } }
  function aggregateFinish(mode) {
    return function (state, count, cap) {
      state.remaining--;
      if (state.remaining === 0) {
        if (mode === 'any') { cap.reject(new AggregateErrorPolyfill(state.values, 'All promises were rejected')); } else { cap.resolve(state.values); }
      }
    };
  }
  function elementFunction(state, index, cap, kind, mode) {
    var called = false;
    return function (x) {
      if (called) { return; }
      called = true;
      state.values[index] = kind === 'settled' ? (mode === 'f' ? { status: 'fulfilled', value: x } : { status: 'rejected', reason: x }) : x;
      state.remaining--;
      if (state.remaining === 0) {
        if (kind === 'any') { cap.reject(new AggregateErrorPolyfill(state.values, 'All promises were rejected')); } else { cap.resolve(state.values); }
      }
    };
  }
  function startState() { return { values: [], remaining: 1 }; }
  define(PromisePolyfill, 'all', function (iterable) {
    return combinator(this, iterable, startState, function (next, index, state, cap) {
      state.values[index] = undefined; state.remaining++;
      next.then(elementFunction(state, index, cap, 'all', 'f'), cap.reject);
    }, aggregateFinish('all'));
  });
  define(PromisePolyfill, 'allSettled', function (iterable) {
    return combinator(this, iterable, startState, function (next, index, state, cap) {
      state.values[index] = undefined; state.remaining++;
      var shared = { called: false };
      var f = elementFunction(state, index, cap, 'settled', 'f'), r = elementFunction(state, index, cap, 'settled', 'r');
      next.then(function (x) { if (shared.called) { return; } shared.called = true; f(x); }, function (x) { if (shared.called) { return; } shared.called = true; r(x); });
    }, aggregateFinish('allSettled'));
  });
  define(PromisePolyfill, 'any', function (iterable) {
    return combinator(this, iterable, startState, function (next, index, state, cap) {
      state.values[index] = undefined; state.remaining++;
      next.then(cap.resolve, elementFunction(state, index, cap, 'any', 'r'));
    }, aggregateFinish('any'));
  });
  define(PromisePolyfill, 'race', function (iterable) {
    return combinator(this, iterable, function () { return null; }, function (next, index, state, cap) {
      next.then(cap.resolve, cap.reject);
    }, function () {});
  });
  function AggregateErrorPolyfill(errors, message) {
    if (!(this instanceof AggregateErrorPolyfill)) { return new AggregateErrorPolyfill(errors, message); }
    if (message !== undefined) { hidden(this, 'message', String(message)); }
    hidden(this, 'errors', iterableToArray(errors, -1));
    hidden(this, 'stack', 'AggregateError' + (message === undefined ? '' : ': ' + String(message)));
  }
  AggregateErrorPolyfill.prototype = Object.create(Error.prototype);
  define(AggregateErrorPolyfill.prototype, 'constructor', AggregateErrorPolyfill);
  define(AggregateErrorPolyfill.prototype, 'name', 'AggregateError');
  define(AggregateErrorPolyfill.prototype, 'message', '');
  if (typeof global.Promise === 'undefined') { define(global, 'Promise', PromisePolyfill); }
  if (typeof global.AggregateError === 'undefined') { define(global, 'AggregateError', AggregateErrorPolyfill); }
  function callMicrotask(callback) { callback(); }
  if (typeof global.queueMicrotask === 'undefined') {
    define(global, 'queueMicrotask', function (callback) {
      if (typeof callback !== 'function') { throw new TypeError('The "callback" argument must be of type function.'); }
      enqueueJob(callMicrotask, callback, undefined, undefined);
    });
  }
  // Host access: the state of a promise, and promises the host settles when its I/O completes.
  define(ci, 'promiseState', function (p) {
    if (!isPromise(p)) { return { state: 'fulfilled', value: p }; }
    var rec = p.__ciP;
    return { state: rec.s === PENDING ? 'pending' : rec.s === FULFILLED ? 'fulfilled' : 'rejected', value: rec.v };
  });
  define(ci, 'isPromise', isPromise);
  define(ci, 'newDeferred', function () { return newCapability(undefined); });

  // ------------------------------------------------------------------ generators and async functions (state machines)
  // Lowered bodies are `while (1) switch (_context.p = _context.n) { … }`; see Lowering/Lowerer.Async.cs.
  var CONT = {};
  // Completion records are replaced, never mutated, so the normal one is shared.
  var NORMAL = { type: 'normal' };
  var EMPTY_TRIES = [];
  function GenContext(body, tries) {
    if (tries === undefined) { tries = EMPTY_TRIES; }
    this.body = body; this.n = 0; this.p = 0; this.sent = undefined; this.done = false; this.rval = undefined;
    this.dg = null; this.st = 0; this.ap = undefined;
    this.t = [{ tryLoc: 'root', completion: NORMAL }];
    for (var i = 0; i < tries.length; i++) {
      var e = tries[i];
      this.t.push({ tryLoc: e[0], catchLoc: e[1], finallyLoc: e[2], afterLoc: e[3], completion: NORMAL });
    }
  }
  var GC = GenContext.prototype;
  GC.resume = function (method, arg) {
    if (this.st === 2) { throw new TypeError('Generator is already running'); }
    if (this.st === 3) {
      if (method === 'throw') { throw arg; }
      return { value: method === 'return' ? arg : undefined, done: true };
    }
    if (this.st === 0 && method !== 'next') {
      this.st = 3; this.done = true;
      if (method === 'throw') { throw arg; }
      return { value: arg, done: true };
    }
    this.st = 2;
    var action = method, value = arg;
    for (;;) {
      if (this.dg) {
        var d = this.dg, m = action || 'next', res = null;
        try {
          var fn = d.it[m];
          if (fn == null) {
            this.dg = null;
            if (m === 'throw') { closeQuietly(d.it); action = 'throw'; value = new TypeError("The iterator does not provide a 'throw' method"); }
          } else {
            res = fn.call(d.it, value);
            if (!isObject(res)) { throw new TypeError('Iterator result ' + String(res) + ' is not an object'); }
          }
        } catch (e) { this.dg = null; action = 'throw'; value = e; res = null; }
        if (res) {
          if (!res.done) { this.st = 1; return res; }
          this.dg = null;
          if (m === 'return') { action = 'return'; value = res.value; } else { this.n = d.loc; action = 'next'; value = res.value; }
        }
      }
      if (action === 'next') { this.sent = value; }
      else if (action === 'throw') {
        if (this.done) { this.st = 3; throw value; }
        this.dispatch(value);
      } else if (action === 'return') { this.abrupt('return', value); }
      action = ''; value = undefined;
      var out;
      try { out = this.body(this); } catch (e) { action = 'throw'; value = e; continue; }
      if (out === CONT) { continue; }
      this.st = this.done ? 3 : 1;
      return { value: out, done: this.done };
    }
  };
  GC.dispatch = function (exception) {
    for (var i = this.t.length - 1; i >= 0; i--) {
      var entry = this.t[i];
      if (entry.tryLoc === 'root') { entry.completion = { type: 'throw', arg: exception }; this.n = 'end'; return; }
      if (entry.tryLoc <= this.p) {
        if (entry.catchLoc != null && this.p < entry.catchLoc) { entry.completion = { type: 'throw', arg: exception }; this.n = entry.catchLoc; return; }
        if (entry.finallyLoc != null && this.p < entry.finallyLoc) { entry.completion = { type: 'throw', arg: exception }; this.n = entry.finallyLoc; return; }
      }
    }
  };
  GC.abrupt = function (type, arg) {
    var fe = null;
    for (var i = this.t.length - 1; i > 0; i--) {
      var entry = this.t[i];
      if (entry.tryLoc <= this.p && entry.finallyLoc != null && this.p < entry.finallyLoc) { fe = entry; break; }
    }
    if (fe && (type === 'break' || type === 'continue') && fe.tryLoc <= arg && arg <= fe.finallyLoc) { fe = null; }
    if (fe) { fe.completion = { type: type, arg: arg }; this.n = fe.finallyLoc; return CONT; }
    if (type === 'return') {
      // No finally to run: finish here (what complete() and then stop() would do) instead of another turn.
      this.rval = arg; this.n = 'end'; this.done = true;
      return arg;
    }
    return this.complete({ type: type, arg: arg });
  };
  GC.complete = function (record) {
    if (record.type === 'throw') { throw record.arg; }
    if (record.type === 'return') { this.rval = record.arg; this.n = 'end'; } else { this.n = record.arg; }
    return CONT;
  };
  GC.finish = function (finallyLoc) {
    for (var i = this.t.length - 1; i > 0; i--) {
      var entry = this.t[i];
      if (entry.finallyLoc === finallyLoc) {
        var rec = entry.completion;
        entry.completion = NORMAL;
        if (rec.type === 'normal') { this.n = entry.afterLoc; return CONT; }
        if (rec.type === 'throw') { throw rec.arg; }
        return this.abrupt(rec.type, rec.arg);
      }
    }
    return CONT;
  };
  GC.caught = function (tryLoc) {
    for (var i = this.t.length - 1; i > 0; i--) {
      var entry = this.t[i];
      if (entry.tryLoc === tryLoc) {
        var rec = entry.completion;
        entry.completion = NORMAL;
        return rec.arg;
      }
    }
    return undefined;
  };
  GC.stop = function () {
    this.done = true;
    var root = this.t[0].completion;
    if (root.type === 'throw') { throw root.arg; }
    return this.rval;
  };
  GC.delegate = function (iterator, loc) { this.dg = { it: iterator, loc: loc }; return CONT; };
  // `await v` in a lowered body: aw(v, n) moves the machine to n, keeps v in `sent` and answers whether the body may go on at once. This one
  // always answers no (the body returns v to the driver); a host may replace it with one that answers yes when the
  // continuation would be the very next job (an empty queue), which is the same program without the queue turn.
  define(GC, 'aw', function (v, n) { this.n = n; this.sent = v; return false; });
  // `return v` in a lowered async body with no enclosing finally: what abrupt('return', v) does then.
  define(GC, 'ret', function (v) { this.rval = v; this.n = 'end'; this.done = true; return v; });
  function GeneratorObject(context) { hidden(this, '__ciGen', context); }
  var GP = GeneratorObject.prototype;
  define(GP, 'next', function (v) { return this.__ciGen.resume('next', v); });
  define(GP, 'throw', function (e) { return this.__ciGen.resume('throw', e); });
  define(GP, 'return', function (v) { return this.__ciGen.resume('return', v); });
  define(GP, ITER, function () { return this; });
  define(GP, '@@toStringTag', 'Generator');
  define(ci, 'gen', function (body, tries) { return new GeneratorObject(new GenContext(body, tries)); });
  // Async functions: the state machine is driven here directly (no generator object, no closures). The function's
  // promise is resolved internally (it has no resolving functions). `await v` is Await(v) of ECMAScript 2022:
  // PromiseResolve(%Promise%, v), then PerformPromiseThen with the state machine itself as the reaction, so a
  // non-thenable or a settled promise enqueues exactly one job that resumes the body (runAsync).
  // The state machine, its promise and the first step of runAsync are inlined here (each call into a script function
  // costs the engine an environment): a body that runs to its first await or return makes no other prelude call.
  // A host may provide native helpers (hidden global __ciNative, taken here): newAsync(body) builds the state machine
  // of a body without try blocks and its promise, exactly as below.
  // async(body, tries) itself, when provided, replaces the function below (the same steps, natively).
  // A body without try blocks is lowered without the table (tries undefined).
  var nativeHelpers = global.__ciNative, nativeNewAsync, nativeAsync;
  if (nativeHelpers !== undefined) {
    delete global.__ciNative;
    nativeHelpers.init(GC, PP, NORMAL, runAsync, awaitValue, resolvePromise, CONT, jobs, awaitThenable);
    nativeNewAsync = nativeHelpers.newAsync;
    nativeAsync = nativeHelpers.async;
    // asyncAt(i, tries): the same start for the state function the host took out of the code (index i).
    if (nativeHelpers.asyncAt !== undefined) { define(ci, 'asyncAt', nativeHelpers.asyncAt); }
  }
  define(ci, 'async', nativeAsync !== undefined ? nativeAsync : function (body, tries) {
    var g, ap;
    if (tries === undefined) { tries = EMPTY_TRIES; }
    if (nativeNewAsync !== undefined && tries.length === 0) {
      g = nativeNewAsync(body); ap = g.ap;
    } else {
      g = Object.create(GC);
      g.body = body; g.n = 0; g.p = 0; g.sent = undefined; g.done = false; g.rval = undefined;
      g.dg = null; g.st = 0;
      g.t = [{ tryLoc: 'root', completion: NORMAL }];
      for (var i = 0; i < tries.length; i++) {
        var e = tries[i];
        g.t.push({ tryLoc: e[0], catchLoc: e[1], finallyLoc: e[2], afterLoc: e[3], completion: NORMAL });
      }
      ap = Object.create(PP);
      slotDesc.value = { s: PENDING, v: undefined, r: null }; defineProperty(ap, '__ciP', slotDesc); slotDesc.value = undefined;
      g.ap = ap;
    }
    var out;
    try { out = g.body(g); } catch (e1) { runAsync(g, REJECTED, e1); return ap; }
    if (out === CONT) { runAsync(g, FULFILLED, g.sent); return ap; }
    if (g.done) { resolvePromise(ap, out); return ap; }
    // awaitValue(g, out) inlined for a value that is not a prelude promise (no constructor check to throw).
    if (out === null || (typeof out !== 'object' && typeof out !== 'function')) { jobs.push(runAsync, g, FULFILLED, out); return ap; }
    if (!hasOwn.call(out, '__ciP')) {
      var then;
      try { then = out.then; } catch (e3) { jobs.push(runAsync, g, REJECTED, e3); return ap; }
      if (typeof then !== 'function') { jobs.push(runAsync, g, FULFILLED, out); return ap; }
    }
    try { awaitValue(g, out); } catch (e2) { runAsync(g, REJECTED, e2); }
    return ap;
  });
  // Also the job that resumes an awaiting async function: state FULFILLED resumes with value, REJECTED throws it.
  function runAsync(g, state, value) {
    var out, then, rec, isThrow = state === REJECTED;
    if (!isThrow) { g.sent = value; }
    for (;;) {
      if (isThrow) {
        if (g.done) { settle(g.ap, REJECTED, value); return; }
        g.dispatch(value);
        isThrow = false;
      }
      try { out = g.body(g); } catch (e) { isThrow = true; value = e; continue; }
      if (out === CONT) { continue; }
      if (g.done) {
        // resolvePromise(g.ap, out) inlined for a value that is not a thenable.
        if (out !== null && (typeof out === 'object' || typeof out === 'function')) {
          if (out === g.ap) { resolvePromise(g.ap, out); return; }
          try { then = out.then; } catch (e3) { settle(g.ap, REJECTED, e3); return; }
          if (typeof then === 'function') { enqueueJob(resolveThenableJob, g.ap, out, then); return; }
        }
        rec = g.ap.__ciP;
        if (rec.r === null) { if (rec.s === PENDING) { rec.s = FULFILLED; rec.v = out; } } else { settle(g.ap, FULFILLED, out); }
        return;
      }
      // An abrupt PromiseResolve (a throwing `constructor` getter) throws at the await.
      try { awaitValue(g, out); return; } catch (e2) { isThrow = true; value = e2; }
    }
  }
  // Await of an object that is not a prelude promise, whose callable `then` the caller has already read once.
  function awaitThenable(g, v, then) {
    var p = newPromise();
    enqueueJob(resolveThenableJob, p, v, then);
    addReaction(p, g);
  }
  function awaitValue(g, v) {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) { jobs.push(runAsync, g, FULFILLED, v); return; }
    var p;
    if (hasOwn.call(v, '__ciP') && v.constructor === PromisePolyfill) {
      p = v;
    } else {
      var then;
      try { then = v.then; } catch (e) { enqueueJob(runAsync, g, REJECTED, e); return; }
      if (typeof then !== 'function') { jobs.push(runAsync, g, FULFILLED, v); return; }
      p = newPromise();
      enqueueJob(resolveThenableJob, p, v, then);
    }
    addReaction(p, g);
  }
  define(ci, 'forInKeys', function (o) {
    var keys = [];
    if (o != null) { for (var k in o) { keys.push(k); } }
    return { o: o, k: keys, i: 0 };
  });
  define(ci, 'nextKey', function (state) {
    while (state.i < state.k.length) {
      var k = state.k[state.i++];
      if (k in Object(state.o)) { return k; }
    }
    return undefined;
  });


  // ------------------------------------------------------------------ regular expressions (SCR-61)
  // Named groups are rewritten to unnamed ones (ECMAScript left-to-right numbering) before a pattern reaches the
  // engine's RegExp; the names are kept on the object (__ciNames) so that exec/match/matchAll/replace give `.groups`
  // and `$<n>`. Objects are always built through the global RegExp, so a host wrapper installed on it stays in force.
  function isNamedGroupAt(src, i) {
    return src.charAt(i + 1) === '?' && src.charAt(i + 2) === '<' && src.charAt(i + 3) !== '=' && src.charAt(i + 3) !== '!';
  }
  function parseNamedGroups(src) {
    var names = null, count = 0, inClass = false, i, c;
    for (i = 0; i < src.length; i++) {
      c = src.charAt(i);
      if (c === '\\') { i++; continue; }
      if (inClass) { if (c === ']') { inClass = false; } continue; }
      if (c === '[') { inClass = true; continue; }
      if (c === '(') {
        if (src.charAt(i + 1) !== '?') { count++; }
        else if (isNamedGroupAt(src, i)) {
          count++;
          var end = src.indexOf('>', i);
          var name = src.substring(i + 3, end);
          if (end < 0 || !/^[A-Za-z_$][\w$]*$/.test(name)) { throw new SyntaxError('Invalid regular expression: /' + src + '/: Invalid capture group name'); }
          names = names || {};
          if (hasOwn.call(names, name)) { throw new SyntaxError('Invalid regular expression: /' + src + '/: Duplicate capture group name'); }
          names[name] = count;
        }
      }
    }
    if (!names) { return null; }
    var out = '';
    inClass = false;
    for (i = 0; i < src.length; i++) {
      c = src.charAt(i);
      if (c === '\\') {
        if (!inClass && src.charAt(i + 1) === 'k' && src.charAt(i + 2) === '<') {
          var e = src.indexOf('>', i), ref = src.substring(i + 3, e);
          if (e < 0 || !hasOwn.call(names, ref)) { throw new SyntaxError('Invalid regular expression: /' + src + '/: Invalid named capture referenced'); }
          out += '(?:\\' + names[ref] + ')';
          i = e;
          continue;
        }
        out += c + src.charAt(i + 1);
        i++;
        continue;
      }
      if (inClass) { if (c === ']') { inClass = false; } out += c; continue; }
      if (c === '[') { inClass = true; out += c; continue; }
      if (c === '(' && isNamedGroupAt(src, i)) { out += '('; i = src.indexOf('>', i); continue; }
      out += c;
    }
    return { source: out, names: names };
  }
  function dotAll(src) {
    var out = '', inClass = false;
    for (var i = 0; i < src.length; i++) {
      var c = src.charAt(i);
      if (c === '\\') { out += c + src.charAt(i + 1); i++; continue; }
      if (c === '[') { inClass = true; } else if (c === ']') { inClass = false; }
      out += (c === '.' && !inClass) ? '[\\s\\S]' : c;
    }
    return out;
  }
  function buildGroups(values, names) {
    var groups = Object.create(null);
    for (var n in names) { if (hasOwn.call(names, n)) { groups[n] = values[names[n]]; } }
    return groups;
  }
  var NativeRegExp = global.RegExp;
  var nativeExec = NativeRegExp.prototype.exec;
  function isRegExpObject(v) { return toStr.call(v) === '[object RegExp]'; }
  function makeRegExp(Ctor, src, flags, names) {
    var f = flags === undefined ? '' : String(flags);
    for (var i = 0; i < f.length; i++) {
      var ch = f.charAt(i);
      if (ch === 'u' || ch === 'y' || ch === 'd') { throw new SyntaxError("Regular expression flag '" + ch + "' is not supported"); }
    }
    if (f.indexOf('s') >= 0) { src = dotAll(src); f = f.replace('s', ''); }
    var parsed = parseNamedGroups(src);
    if (parsed) { src = parsed.source; names = parsed.names; }
    var re = Ctor === RegExpWrapper ? new NativeRegExp(src, f) : new Ctor(src, f);
    if (names) { hidden(re, '__ciNames', names); }
    return re;
  }
  function RegExpWrapper(pattern, flags) {
    if (isRegExpObject(pattern)) {
      if (flags === undefined && !(this instanceof RegExpWrapper)) { return pattern; }
      var f = flags === undefined ? (pattern.global ? 'g' : '') + (pattern.ignoreCase ? 'i' : '') + (pattern.multiline ? 'm' : '') : flags;
      return makeRegExp(RegExpWrapper, pattern.source, f, pattern.__ciNames);
    }
    return makeRegExp(RegExpWrapper, pattern === undefined ? '(?:)' : String(pattern), flags, null);
  }
  RegExpWrapper.prototype = NativeRegExp.prototype;
  defineProperty(NativeRegExp.prototype, 'constructor', { value: RegExpWrapper, writable: true, enumerable: false, configurable: true });
  defineProperty(global, 'RegExp', { value: RegExpWrapper, writable: true, enumerable: false, configurable: true });
  // Lowered regex literals with named groups: __ci.re(source, flags) (the `s` flag is already rewritten).
  define(ci, 're', function (src, flags) {
    var parsed = parseNamedGroups(src);
    var re = new global.RegExp(parsed ? parsed.source : src, flags);
    if (parsed) { hidden(re, '__ciNames', parsed.names); }
    return re;
  });
  defineProperty(NativeRegExp.prototype, 'exec', {
    value: function exec(s) {
      var m = nativeExec.call(this, s);
      if (m && this.__ciNames) { m.groups = buildGroups(m, this.__ciNames); }
      return m;
    }, writable: true, enumerable: false, configurable: true
  });
  var StrProto = String.prototype, nativeMatch = StrProto.match, nativeReplace = StrProto.replace;
  defineProperty(StrProto, 'match', {
    value: function match(re) {
      if (isRegExpObject(re) && re.__ciNames && !re.global) { return re.exec(String(this)); }
      return nativeMatch.call(this, re);
    }, writable: true, enumerable: false, configurable: true
  });
  defineProperty(StrProto, 'replace', {
    value: function replace(search, replacement) {
      if (isRegExpObject(search) && search.__ciNames) {
        var names = search.__ciNames;
        if (typeof replacement === 'function') {
          var fn = replacement;
          replacement = function () {
            var args = Array.prototype.slice.call(arguments);
            args.push(buildGroups(args, names));
            return fn.apply(undefined, args);
          };
        } else {
          replacement = nativeReplace.call(String(replacement), /\$<([^>]*)>/g, function (all, n) { return hasOwn.call(names, n) ? '$' + names[n] : ''; });
        }
      }
      return nativeReplace.call(this, search, replacement);
    }, writable: true, enumerable: false, configurable: true
  });

  // ------------------------------------------------------------------ globalThis
  if (typeof global.globalThis === 'undefined') {
    defineProperty(global, 'globalThis', { value: global, writable: true, enumerable: false, configurable: true });
  }
  if (typeof global.Symbol === 'undefined') {
    define(global, 'Symbol', Symbol);
  }

  // ------------------------------------------------------------------ Map / Set / WeakMap
  var idCounter = 0;
  var ID = '__ci_id';
  function hashKey(k) {
    var t = typeof k;
    if (t === 'string') { return 's' + k; }
    if (t === 'number') { return k !== k ? 'NaN' : 'n' + (k === 0 ? 0 : k); }
    if (t === 'boolean') { return 'b' + k; }
    if (k === undefined) { return 'u'; }
    if (k === null) { return 'l'; }
    if (k instanceof SymbolValue) { return 'y' + k.__key; }
    if (!hasOwn.call(k, ID)) {
      if (!Object.isExtensible(k)) { return null; }
      defineProperty(k, ID, { value: 'o' + (++idCounter), enumerable: false });
    }
    return k[ID];
  }

  function Store() { this.keys = []; this.values = []; this.index = {}; this.size = 0; this.frozen = []; }
  Store.prototype.find = function (k) {
    var h = hashKey(k);
    if (h === null) {
      for (var i = 0; i < this.keys.length; i++) { if (this.keys[i] === k && this.frozen[i]) { return i; } }
      return -1;
    }
    return hasOwn.call(this.index, h) ? this.index[h] : -1;
  };
  Store.prototype.set = function (k, v) {
    var i = this.find(k);
    if (i >= 0) { this.values[i] = v; return; }
    var h = hashKey(k);
    if (k === 0) { k = 0; }
    this.keys.push(k);
    this.values.push(v);
    this.frozen.push(h === null);
    if (h !== null) { this.index[h] = this.keys.length - 1; }
    this.size++;
  };
  Store.prototype.remove = function (k) {
    var i = this.find(k);
    if (i < 0) { return false; }
    var h = hashKey(k);
    if (h !== null) { delete this.index[h]; }
    this.keys[i] = Store.HOLE;
    this.values[i] = undefined;
    this.size--;
    return true;
  };
  Store.prototype.clear = function () {
    for (var i = 0; i < this.keys.length; i++) { this.keys[i] = Store.HOLE; this.values[i] = undefined; }
    this.index = {};
    this.size = 0;
  };
  Store.HOLE = {};

  function storeIterator(store, kind) {
    var i = 0;
    return makeIterator(function () {
      while (store !== null && i < store.keys.length) {
        var k = store.keys[i], v = store.values[i];
        i++;
        if (k !== Store.HOLE) {
          if (kind === 'keys') { return { value: k, done: false }; }
          if (kind === 'values') { return { value: v, done: false }; }
          return { value: [k, v], done: false };
        }
      }
      store = null;
      return { value: undefined, done: true };
    });
  }

  function getStore(o, kind) {
    if (!isObject(o) || !o.__ci_store || o.__ci_kind !== kind) {
      throw new TypeError('Method ' + kind + '.prototype function called on incompatible receiver');
    }
    return o.__ci_store;
  }

  function initCollection(self, kind, iterable, adder) {
    if (!(self instanceof global[kind]) || hasOwn.call(self, '__ci_store')) {
      throw new TypeError("Constructor " + kind + " requires 'new'");
    }
    defineProperty(self, '__ci_store', { value: new Store(), enumerable: false });
    defineProperty(self, '__ci_kind', { value: kind, enumerable: false });
    if (iterable !== null && iterable !== undefined) {
      var it = getIterator(iterable), step;
      while (!(step = it.next()).done) { adder(self, step.value); }
    }
  }

  function MapPolyfill(iterable) {
    initCollection(this, 'Map', iterable, function (m, entry) {
      if (!isObject(entry)) { throw new TypeError('Iterator value ' + entry + ' is not an entry object'); }
      m.set(entry[0], entry[1]);
    });
  }
  var MapProto = MapPolyfill.prototype;
  define(MapProto, 'get', function (k) { var s = getStore(this, 'Map'); var i = s.find(k); return i < 0 ? undefined : s.values[i]; });
  define(MapProto, 'set', function (k, v) { getStore(this, 'Map').set(k, v); return this; });
  define(MapProto, 'has', function (k) { return getStore(this, 'Map').find(k) >= 0; });
  define(MapProto, 'delete', function (k) { return getStore(this, 'Map').remove(k); });
  define(MapProto, 'clear', function () { getStore(this, 'Map').clear(); });
  define(MapProto, 'keys', function () { return storeIterator(getStore(this, 'Map'), 'keys'); });
  define(MapProto, 'values', function () { return storeIterator(getStore(this, 'Map'), 'values'); });
  define(MapProto, 'entries', function () { return storeIterator(getStore(this, 'Map'), 'entries'); });
  define(MapProto, ITER, MapProto.entries);
  define(MapProto, 'forEach', function (cb, thisArg) {
    var s = getStore(this, 'Map');
    for (var i = 0; i < s.keys.length; i++) {
      if (s.keys[i] !== Store.HOLE) { cb.call(thisArg, s.values[i], s.keys[i], this); }
    }
  });
  defineProperty(MapProto, 'size', { get: function () { return getStore(this, 'Map').size; }, enumerable: false, configurable: true });
  define(MapProto, '@@toStringTag', 'Map');
  define(MapProto, 'toString', function () { return '[object Map]'; });

  function SetPolyfill(iterable) {
    initCollection(this, 'Set', iterable, function (s, v) { s.add(v); });
  }
  var SetProto = SetPolyfill.prototype;
  define(SetProto, 'add', function (v) { getStore(this, 'Set').set(v, v); return this; });
  define(SetProto, 'has', function (v) { return getStore(this, 'Set').find(v) >= 0; });
  define(SetProto, 'delete', function (v) { return getStore(this, 'Set').remove(v); });
  define(SetProto, 'clear', function () { getStore(this, 'Set').clear(); });
  define(SetProto, 'values', function () { return storeIterator(getStore(this, 'Set'), 'keys'); });
  define(SetProto, 'keys', SetProto.values);
  define(SetProto, 'entries', function () { return storeIterator(getStore(this, 'Set'), 'entries'); });
  define(SetProto, ITER, SetProto.values);
  define(SetProto, 'forEach', function (cb, thisArg) {
    var s = getStore(this, 'Set');
    for (var i = 0; i < s.keys.length; i++) {
      if (s.keys[i] !== Store.HOLE) { cb.call(thisArg, s.keys[i], s.keys[i], this); }
    }
  });
  defineProperty(SetProto, 'size', { get: function () { return getStore(this, 'Set').size; }, enumerable: false, configurable: true });
  define(SetProto, 'toString', function () { return '[object Set]'; });

  function weakKey(k) {
    if (!isObject(k)) { throw new TypeError('Invalid value used as weak map key'); }
    return k;
  }
  function WeakMapPolyfill(iterable) {
    initCollection(this, 'WeakMap', iterable, function (m, entry) { m.set(entry[0], entry[1]); });
  }
  var WeakMapProto = WeakMapPolyfill.prototype;
  define(WeakMapProto, 'get', function (k) { var s = getStore(this, 'WeakMap'); var i = isObject(k) ? s.find(k) : -1; return i < 0 ? undefined : s.values[i]; });
  define(WeakMapProto, 'set', function (k, v) { getStore(this, 'WeakMap').set(weakKey(k), v); return this; });
  define(WeakMapProto, 'has', function (k) { return isObject(k) && getStore(this, 'WeakMap').find(k) >= 0; });
  define(WeakMapProto, 'delete', function (k) { return isObject(k) && getStore(this, 'WeakMap').remove(k); });
  define(WeakMapProto, 'toString', function () { return '[object WeakMap]'; });

  function WeakSetPolyfill(iterable) {
    initCollection(this, 'WeakSet', iterable, function (s, v) { s.add(v); });
  }
  var WeakSetProto = WeakSetPolyfill.prototype;
  define(WeakSetProto, 'add', function (v) { getStore(this, 'WeakSet').set(weakKey(v), true); return this; });
  define(WeakSetProto, 'has', function (v) { return isObject(v) && getStore(this, 'WeakSet').find(v) >= 0; });
  define(WeakSetProto, 'delete', function (v) { return isObject(v) && getStore(this, 'WeakSet').remove(v); });

  if (typeof global.Map === 'undefined') { define(global, 'Map', MapPolyfill); }
  if (typeof global.Set === 'undefined') { define(global, 'Set', SetPolyfill); }
  if (typeof global.WeakMap === 'undefined') { define(global, 'WeakMap', WeakMapPolyfill); }
  if (typeof global.WeakSet === 'undefined') { define(global, 'WeakSet', WeakSetPolyfill); }

  // ------------------------------------------------------------------ Object
  // Symbol-keyed properties are strings starting with '@@' here; keep them out of the name lists.
  var nativeGetOwnPropertyNames = Object.getOwnPropertyNames;
  var privateKey = /^#[^@]+@\d+$/;
  defineProperty(Object, 'getOwnPropertyNames', {
    value: function getOwnPropertyNames(o) {
      var names = nativeGetOwnPropertyNames(o), out = [];
      for (var i = 0; i < names.length; i++) { if (!isSymbolKey(names[i]) && !privateKey.test(names[i]) && names[i] !== ID && names[i] !== '__ci_store' && names[i] !== '__ci_kind') { out.push(names[i]); } }
      return out;
    },
    writable: true, enumerable: false, configurable: true
  });
  define(Object, 'assign', function (target) {
    if (target === null || target === undefined) { throw new TypeError('Cannot convert undefined or null to object'); }
    var to = Object(target);
    for (var i = 1; i < arguments.length; i++) {
      var src = arguments[i];
      if (src === null || src === undefined) { continue; }
      src = Object(src);
      var keys = Object.keys(src);
      for (var j = 0; j < keys.length; j++) { to[keys[j]] = src[keys[j]]; }
    }
    return to;
  });
  define(Object, 'entries', function (o) {
    var keys = Object.keys(Object(o)), out = [];
    for (var i = 0; i < keys.length; i++) { if (!isSymbolKey(keys[i])) { out.push([keys[i], o[keys[i]]]); } }
    return out;
  });
  define(Object, 'values', function (o) {
    var keys = Object.keys(Object(o)), out = [];
    for (var i = 0; i < keys.length; i++) { if (!isSymbolKey(keys[i])) { out.push(o[keys[i]]); } }
    return out;
  });
  define(Object, 'fromEntries', function (iterable) {
    var out = {};
    var it = getIterator(iterable), step;
    while (!(step = it.next()).done) { ci.dp(out, step.value[0], step.value[1]); }
    return out;
  });
  define(Object, 'hasOwn', function (o, k) {
    if (o === null || o === undefined) { throw new TypeError('Cannot convert undefined or null to object'); }
    return hasOwn.call(Object(o), String(k));
  });
  define(Object, 'is', function (a, b) {
    if (a === b) { return a !== 0 || 1 / a === 1 / b; }
    return a !== a && b !== b;
  });

  // ------------------------------------------------------------------ Array
  define(Array, 'from', function (items, mapFn, thisArg) {
    if (items === null || items === undefined) { throw new TypeError(String(items) + ' is not iterable'); }
    var out;
    if (typeof items === 'string' || typeof items[ITER] === 'function' || toStr.call(items) === '[object Arguments]') {
      out = iterableToArray(items, -1);
    } else {
      out = [];
      var len = toLength(items.length);
      for (var i = 0; i < len; i++) { out.push(items[i]); }
    }
    if (typeof mapFn === 'function') {
      for (var j = 0; j < out.length; j++) { out[j] = mapFn.call(thisArg, out[j], j); }
    }
    return out;
  });
  define(Array, 'of', function () { return Array.prototype.slice.call(arguments, 0); });

  var AP = Array.prototype;
  define(AP, 'find', function (pred, thisArg) {
    var len = toLength(this.length);
    for (var i = 0; i < len; i++) { if (pred.call(thisArg, this[i], i, this)) { return this[i]; } }
    return undefined;
  });
  define(AP, 'findIndex', function (pred, thisArg) {
    var len = toLength(this.length);
    for (var i = 0; i < len; i++) { if (pred.call(thisArg, this[i], i, this)) { return i; } }
    return -1;
  });
  define(AP, 'findLast', function (pred, thisArg) {
    for (var i = toLength(this.length) - 1; i >= 0; i--) { if (pred.call(thisArg, this[i], i, this)) { return this[i]; } }
    return undefined;
  });
  define(AP, 'findLastIndex', function (pred, thisArg) {
    for (var i = toLength(this.length) - 1; i >= 0; i--) { if (pred.call(thisArg, this[i], i, this)) { return i; } }
    return -1;
  });
  define(AP, 'includes', function (value, fromIndex) {
    var len = toLength(this.length);
    var i = toInteger(fromIndex);
    if (i < 0) { i = Math.max(len + i, 0); }
    for (; i < len; i++) { if (sameValueZero(this[i], value)) { return true; } }
    return false;
  });
  function flatten(out, source, depth) {
    for (var i = 0; i < source.length; i++) {
      if (!(i in source)) { continue; }
      var v = source[i];
      if (depth > 0 && Array.isArray(v)) { flatten(out, v, depth - 1); } else { out.push(v); }
    }
    return out;
  }
  define(AP, 'flat', function (depth) {
    return flatten([], this, depth === undefined ? 1 : toInteger(depth));
  });
  define(AP, 'flatMap', function (fn, thisArg) {
    var mapped = [];
    for (var i = 0; i < this.length; i++) { if (i in this) { mapped.push(fn.call(thisArg, this[i], i, this)); } }
    return flatten([], mapped, 1);
  });
  define(AP, 'fill', function (value, start, end) {
    var len = toLength(this.length);
    var s = toInteger(start), e = end === undefined ? len : toInteger(end);
    s = s < 0 ? Math.max(len + s, 0) : Math.min(s, len);
    e = e < 0 ? Math.max(len + e, 0) : Math.min(e, len);
    for (var i = s; i < e; i++) { this[i] = value; }
    return this;
  });
  function at(index) {
    var len = toLength(this.length);
    var i = toInteger(index);
    if (i < 0) { i += len; }
    if (i < 0 || i >= len) { return undefined; }
    return typeof this === 'string' ? this.charAt(i) : this[i];
  }
  define(AP, 'at', at);
  define(AP, 'keys', function () { return arrayIterator(this, 'keys'); });
  define(AP, 'values', function () { return arrayIterator(this, 'values'); });
  define(AP, 'entries', function () { return arrayIterator(this, 'entries'); });
  define(AP, ITER, AP.values);
  define(AP, 'copyWithin', function (target, start, end) {
    var len = toLength(this.length);
    var to = toInteger(target), from = toInteger(start), fin = end === undefined ? len : toInteger(end);
    to = to < 0 ? Math.max(len + to, 0) : Math.min(to, len);
    from = from < 0 ? Math.max(len + from, 0) : Math.min(from, len);
    fin = fin < 0 ? Math.max(len + fin, 0) : Math.min(fin, len);
    var copy = this.slice(from, fin);
    for (var i = 0; i < copy.length && to + i < len; i++) { this[to + i] = copy[i]; }
    return this;
  });

  // ------------------------------------------------------------------ String
  var SP = String.prototype;
  function thisString(self, name) {
    if (self === null || self === undefined) { throw new TypeError('String.prototype.' + name + ' called on null or undefined'); }
    return String(self);
  }
  function notRegExp(v, name) {
    if (toStr.call(v) === '[object RegExp]') {
      throw new TypeError('First argument to String.prototype.' + name + ' must not be a regular expression');
    }
    return String(v);
  }
  define(SP, 'startsWith', function (search, pos) {
    var s = thisString(this, 'startsWith'), t = notRegExp(search, 'startsWith');
    var p = Math.min(Math.max(toInteger(pos), 0), s.length);
    return s.substr(p, t.length) === t;
  });
  define(SP, 'endsWith', function (search, endPos) {
    var s = thisString(this, 'endsWith'), t = notRegExp(search, 'endsWith');
    var e = endPos === undefined ? s.length : Math.min(Math.max(toInteger(endPos), 0), s.length);
    var start = e - t.length;
    return start >= 0 && s.substring(start, e) === t;
  });
  define(SP, 'includes', function (search, pos) {
    var s = thisString(this, 'includes'), t = notRegExp(search, 'includes');
    return s.indexOf(t, toInteger(pos)) !== -1;
  });
  define(SP, 'repeat', function (count) {
    var s = thisString(this, 'repeat'), n = toInteger(count);
    if (n < 0 || n === Infinity) { throw new RangeError('Invalid count value: ' + count); }
    var out = '';
    while (n > 0) {
      if (n & 1) { out += s; }
      n = Math.floor(n / 2);
      if (n > 0) { s += s; }
    }
    return out;
  });
  function pad(s, maxLength, fill, atStart) {
    var len = toLength(maxLength);
    var filler = fill === undefined ? ' ' : String(fill);
    if (len <= s.length || filler === '') { return s; }
    var needed = len - s.length;
    var padding = '';
    while (padding.length < needed) { padding += filler; }
    padding = padding.substr(0, needed);
    return atStart ? padding + s : s + padding;
  }
  define(SP, 'padStart', function (maxLength, fill) { return pad(thisString(this, 'padStart'), maxLength, fill, true); });
  define(SP, 'padEnd', function (maxLength, fill) { return pad(thisString(this, 'padEnd'), maxLength, fill, false); });
  var WS = '[\\s\\uFEFF\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]';
  var leadingWs = new RegExp('^' + WS + '+');
  var trailingWs = new RegExp(WS + '+$');
  define(SP, 'trimStart', function () { return thisString(this, 'trimStart').replace(leadingWs, ''); });
  define(SP, 'trimEnd', function () { return thisString(this, 'trimEnd').replace(trailingWs, ''); });
  define(SP, 'trimLeft', SP.trimStart);
  define(SP, 'trimRight', SP.trimEnd);
  define(SP, 'at', function (index) { return at.call(thisString(this, 'at'), index); });
  define(SP, 'codePointAt', function (pos) {
    var s = thisString(this, 'codePointAt'), i = toInteger(pos);
    if (i < 0 || i >= s.length) { return undefined; }
    var first = s.charCodeAt(i);
    if (first >= 0xD800 && first <= 0xDBFF && i + 1 < s.length) {
      var second = s.charCodeAt(i + 1);
      if (second >= 0xDC00 && second <= 0xDFFF) { return (first - 0xD800) * 0x400 + second - 0xDC00 + 0x10000; }
    }
    return first;
  });
  define(String, 'fromCodePoint', function () {
    var out = '';
    for (var i = 0; i < arguments.length; i++) {
      var cp = Number(arguments[i]);
      if (cp !== toInteger(cp) || cp < 0 || cp > 0x10FFFF) { throw new RangeError('Invalid code point ' + arguments[i]); }
      if (cp <= 0xFFFF) {
        out += String.fromCharCode(cp);
      } else {
        cp -= 0x10000;
        out += String.fromCharCode((cp >> 10) + 0xD800, (cp % 0x400) + 0xDC00);
      }
    }
    return out;
  });
  define(String, 'raw', function (strings) {
    var raw = strings.raw, out = '';
    for (var i = 0; i < raw.length; i++) {
      out += raw[i];
      if (i + 1 < raw.length && i + 1 < arguments.length) { out += String(arguments[i + 1]); }
    }
    return out;
  });
  function expandReplacement(replacement, matched, position, str) {
    var out = '';
    for (var i = 0; i < replacement.length; i++) {
      var c = replacement.charAt(i);
      if (c === '$' && i + 1 < replacement.length) {
        var n = replacement.charAt(i + 1);
        if (n === '$') { out += '$'; i++; continue; }
        if (n === '&') { out += matched; i++; continue; }
        if (n === '`') { out += str.substring(0, position); i++; continue; }
        if (n === "'") { out += str.substring(position + matched.length); i++; continue; }
      }
      out += c;
    }
    return out;
  }
  define(SP, 'replaceAll', function (search, replacement) {
    var s = thisString(this, 'replaceAll');
    if (toStr.call(search) === '[object RegExp]') {
      if (!search.global) { throw new TypeError('replaceAll must be called with a global RegExp'); }
      return s.replace(search, replacement);
    }
    var t = String(search);
    var positions = [];
    var advance = Math.max(1, t.length);
    var p = s.indexOf(t, 0);
    while (p !== -1) {
      positions.push(p);
      p = s.indexOf(t, p + advance);
      if (t.length === 0 && p > s.length) { break; }
    }
    var out = '', last = 0;
    for (var i = 0; i < positions.length; i++) {
      var pos = positions[i];
      out += s.substring(last, pos);
      out += typeof replacement === 'function' ? String(replacement(t, pos, s)) : expandReplacement(String(replacement), t, pos, s);
      last = pos + t.length;
    }
    return out + s.substring(last);
  });
  define(SP, 'matchAll', function (regexp) {
    var s = thisString(this, 'matchAll');
    var re;
    if (toStr.call(regexp) === '[object RegExp]') {
      if (!regexp.global) { throw new TypeError('String.prototype.matchAll called with a non-global RegExp argument'); }
      re = new RegExp(regexp.source, (regexp.ignoreCase ? 'i' : '') + (regexp.multiline ? 'm' : '') + 'g');
      if (regexp.__ciNames) { defineProperty(re, '__ciNames', { value: regexp.__ciNames, enumerable: false, writable: true, configurable: true }); }
      re.lastIndex = regexp.lastIndex;
    } else {
      re = new RegExp(regexp === undefined ? '(?:)' : String(regexp), 'g');
    }
    var done = false;
    return makeIterator(function () {
      if (done) { return { value: undefined, done: true }; }
      var m = re.exec(s);
      if (m === null) { done = true; return { value: undefined, done: true }; }
      if (m[0] === '') { re.lastIndex++; }
      return { value: m, done: false };
    });
  });
  define(SP, ITER, function () { return stringIterator(thisString(this, '[Symbol.iterator]')); });

  // ------------------------------------------------------------------ Number and Math
  define(Number, 'EPSILON', Math.pow(2, -52));
  define(Number, 'MAX_SAFE_INTEGER', 9007199254740991);
  define(Number, 'MIN_SAFE_INTEGER', -9007199254740991);
  define(Number, 'isFinite', function (v) { return typeof v === 'number' && isFinite(v); });
  define(Number, 'isNaN', function (v) { return typeof v === 'number' && v !== v; });
  define(Number, 'isInteger', function (v) { return typeof v === 'number' && isFinite(v) && Math.floor(v) === v; });
  define(Number, 'isSafeInteger', function (v) {
    return typeof v === 'number' && isFinite(v) && Math.floor(v) === v && Math.abs(v) <= 9007199254740991;
  });
  define(Number, 'parseFloat', parseFloat);
  define(Number, 'parseInt', parseInt);
  define(Math, 'trunc', function (v) { v = Number(v); return v < 0 ? Math.ceil(v) : Math.floor(v); });
  define(Math, 'sign', function (v) { v = Number(v); return v > 0 ? 1 : v < 0 ? -1 : v; });
  function exactLog(v, base, ln) {
    var r = Math.log(v) / ln;
    var rounded = Math.round(r);
    return Math.pow(base, rounded) === Number(v) ? rounded : r;
  }
  define(Math, 'log2', function (v) { return exactLog(v, 2, Math.LN2); });
  define(Math, 'log10', function (v) { return exactLog(v, 10, Math.LN10); });
  define(Math, 'log1p', function (v) { return Math.log(1 + Number(v)); });
  define(Math, 'expm1', function (v) { return Math.exp(v) - 1; });
  define(Math, 'cbrt', function (v) {
    v = Number(v);
    if (v === 0 || v !== v || v === Infinity || v === -Infinity) { return v; }
    var r = Math.pow(Math.abs(v), 1 / 3);
    var rounded = Math.round(r);
    if (rounded * rounded * rounded === Math.abs(v)) { r = rounded; }
    return v < 0 ? -r : r;
  });
  define(Math, 'hypot', function () {
    var sum = 0;
    for (var i = 0; i < arguments.length; i++) {
      var n = Number(arguments[i]);
      if (n === Infinity || n === -Infinity) { return Infinity; }
      sum += n * n;
    }
    return Math.sqrt(sum);
  });
  define(Math, 'fround', function (v) { return Number(v); });
  define(Math, 'clz32', function (v) {
    var n = v >>> 0;
    if (n === 0) { return 32; }
    var c = 0;
    while ((n & 0x80000000) === 0) { n = n << 1; c++; }
    return c;
  });
})(this);
