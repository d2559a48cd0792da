/* ChatIntegrations `s` helper (SCR-55): an independent ES5.1 implementation of the underscore.string 3.3 functions
 * that integration scripts use, with that library's semantics (`null` and `undefined` count as ""). It is not
 * underscore.string's code.
 * The source is one expression; the host evaluates it lazily, on first access to the global `s` (SCR-50), after the
 * runtime prelude. Loops are plain ES5 loops, bounded by the host's statement count (SCR-42); repeated strings are
 * built with String.prototype.repeat and Array.prototype.join, which the host bounds (SCR-44a).
 * Regular expressions use explicit character classes (never \s, \w, \d, `.` or `$`), so that they mean the same on
 * .NET's Regex as in JavaScript. */
(function () {
  var slice = Array.prototype.slice;
  var hasOwn = Object.prototype.hasOwnProperty;

  // JavaScript's \s: WhiteSpace and LineTerminator.
  var WS = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
  var WORD = 'A-Za-z0-9_';

  function isWs(c) {
    var n = c.charCodeAt(0);
    return (n >= 9 && n <= 13) || n === 32 || n === 0xa0 || n === 0x1680 || (n >= 0x2000 && n <= 0x200a) ||
      n === 0x2028 || n === 0x2029 || n === 0x202f || n === 0x205f || n === 0x3000 || n === 0xfeff;
  }

  function isWordChar(c) {
    var n = c.charCodeAt(0);
    return (n >= 48 && n <= 57) || (n >= 65 && n <= 90) || (n >= 97 && n <= 122) || n === 95;
  }

  function makeString(obj) { return obj == null ? '' : '' + obj; }

  function toPositive(n) { return n < 0 ? 0 : (+n || 0); }

  // ToInt32 (what `~~x` means), computed without bitwise operators, which Jint 2.10.4 gets wrong for some values.
  function toInt32(v) {
    var n = Number(v);
    if (n !== n || n === Infinity || n === -Infinity) { return 0; }
    n = (n < 0 ? -Math.floor(-n) : Math.floor(n)) % 4294967296;
    if (n >= 2147483648) { n -= 4294967296; } else if (n < -2147483648) { n += 4294967296; }
    return n === 0 ? 0 : n;
  }

  function strRepeat(str, qty) {
    if (qty < 1) { return ''; }
    if (typeof str === 'number' || typeof str === 'boolean') {
      // Doubling with `+=` adds numbers numerically; the result stays short.
      var result = '';
      while (qty > 0) {
        if (qty & 1) { result += str; }
        qty >>= 1;
        str += str;
      }
      return result;
    }
    return String(str).repeat(Math.floor(qty));
  }

  function escapeRegExp(str) {
    return makeString(str).replace(/([.*+?^=!:${}()|[\]\/\\])/g, '\\$1');
  }

  // Trims the characters for which `test` holds from the start (`left`) and/or the end (`right`).
  function trimBy(str, test, left, right) {
    var start = 0;
    var end = str.length;
    if (left) { while (start < end && test(str.charAt(start))) { start++; } }
    if (right) { while (end > start && test(str.charAt(end - 1))) { end--; } }
    return str.slice(start, end);
  }

  function trimImpl(str, characters, left, right) {
    str = makeString(str);
    if (!characters) { return trimBy(str, isWs, left, right); }
    if (characters.source) {
      var src = characters.source;
      var pattern = left && right ? '^' + src + '+|' + src + '+$' : left ? '^' + src + '+' : src + '+$';
      return str.replace(new RegExp(pattern, 'g'), '');
    }
    var set = new RegExp('[' + escapeRegExp(characters) + ']');
    return trimBy(str, function (c) { return set.test(c); }, left, right);
  }

  function trim(str, characters) { return trimImpl(str, characters, true, true); }
  function ltrim(str, characters) { return trimImpl(str, characters, true, false); }
  function rtrim(str, characters) { return trimImpl(str, characters, false, true); }

  var multiWs = new RegExp('[' + WS + ']{2,}', 'g');
  function clean(str) { return trim(str).replace(multiWs, ' '); }

  function capitalize(str, lowercaseRest) {
    str = makeString(str);
    var remaining = !lowercaseRest ? str.slice(1) : str.slice(1).toLowerCase();
    return str.charAt(0).toUpperCase() + remaining;
  }

  function decapitalize(str) {
    str = makeString(str);
    return str.charAt(0).toLowerCase() + str.slice(1);
  }

  // Upper-cases a non-space character at the start or after a space or "-" (matches do not overlap).
  function titleize(str) {
    str = makeString(str).toLowerCase();
    var out = '';
    var i = 0;
    var n = str.length;
    while (i < n) {
      var c = str.charAt(i);
      if (i === 0 && !isWs(c)) {
        out += c.toUpperCase();
        i++;
      } else if ((isWs(c) || c === '-') && i + 1 < n && !isWs(str.charAt(i + 1))) {
        out += c + str.charAt(i + 1).toUpperCase();
        i += 2;
      } else {
        out += c;
        i++;
      }
    }
    return out;
  }

  function isSep(c) { return c === '-' || c === '_' || isWs(c); }

  function camelize(str, decap) {
    str = trim(str);
    var out = '';
    var i = 0;
    var n = str.length;
    while (i < n) {
      var c = str.charAt(i);
      if (isSep(c)) {
        while (i < n && isSep(str.charAt(i))) { i++; }
        if (i < n) {
          out += str.charAt(i).toUpperCase();
          i++;
        }
      } else {
        out += c;
        i++;
      }
    }
    return decap === true ? decapitalize(out) : out;
  }

  var nonAlnum = /[^A-Za-z0-9]/g;
  var anyWs = new RegExp('[' + WS + ']', 'g');
  function classify(str) {
    str = makeString(str);
    return capitalize(camelize(str.replace(nonAlnum, ' ')).replace(anyWs, ''));
  }

  var lowerUpper = /([a-z0-9])([A-Z]+)/g;
  var dashWsRun = new RegExp('[-' + WS + ']+', 'g');
  function underscored(str) {
    return trim(str).replace(lowerUpper, '$1_$2').replace(dashWsRun, '_').toLowerCase();
  }

  var upper = /([A-Z])/g;
  var sepRun = new RegExp('[-_' + WS + ']+', 'g');
  function dasherize(str) {
    return trim(str).replace(upper, '-$1').replace(sepRun, '-').toLowerCase();
  }

  function humanize(str) {
    var u = underscored(str);
    if (u.slice(-3) === '_id') { u = u.slice(0, -3); }
    return capitalize(trim(u.replace(/_/g, ' ')));
  }

  var diacriticsFrom = 'ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýÿĂăĄąĆćĈĉČčĘęĜĝĤĥĴĵĽľŁłŃńŇňŐőŚśŜŝŞşŠšŢţŤťŬŭŰűŸŹźŻżŽžȘșȚț';
  var diacriticsTo = ('A|A|A|A|A|A|A|C|E|E|E|E|I|I|I|I|O|N|O|O|O|O|O|O|U|U|U|U|Y|ss|a|a|a|a|a|a|a|c|e|e|e|e|i|i|i|i|o|n|' +
    'o|o|o|o|o|o|u|u|u|u|y|y|A|a|A|a|C|c|C|c|C|c|E|e|G|g|H|h|J|j|L|l|L|l|N|n|N|n|O|o|S|s|S|s|S|s|S|s|T|t|T|t|U|u|U|u|' +
    'Y|Z|z|Z|z|Z|z|S|s|T|t').split('|');

  function cleanDiacritics(str) {
    str = makeString(str);
    var out = '';
    for (var i = 0; i < str.length; i++) {
      var c = str.charAt(i);
      var k = diacriticsFrom.indexOf(c);
      out += k === -1 ? c : diacriticsTo[k];
    }
    return out;
  }

  var nonSlug = new RegExp('[^' + WORD + WS + '-]', 'g');
  function slugify(str) {
    return trim(dasherize(cleanDiacritics(str).replace(nonSlug, '-').toLowerCase()), '-');
  }

  function startsWith(str, starts, position) {
    str = makeString(str);
    starts = '' + starts;
    position = position == null ? 0 : Math.min(toPositive(position), str.length);
    return str.lastIndexOf(starts, position) === position;
  }

  function endsWith(str, ends, position) {
    str = makeString(str);
    ends = '' + ends;
    if (typeof position === 'undefined') {
      position = str.length - ends.length;
    } else {
      position = Math.min(toPositive(position), str.length) - ends.length;
    }
    // Jint 2.10.4's indexOf finds no empty string; an empty suffix matches at any whole position.
    return position >= 0 && (ends === '' ? position % 1 === 0 : str.indexOf(ends, position) === position);
  }

  function include(str, needle) {
    if (needle === '') { return true; }
    return makeString(str).indexOf(needle) !== -1;
  }

  function count(str, substr) {
    str = makeString(str);
    substr = makeString(substr);
    if (str.length === 0 || substr.length === 0) { return 0; }
    var n = 0;
    var at = str.indexOf(substr);
    while (at !== -1) {
      n++;
      at = str.indexOf(substr, at + substr.length);
    }
    return n;
  }

  function lines(str) {
    if (str == null) { return []; }
    return String(str).split(/\r\n?|\n/);
  }

  function isBlank(str) {
    str = makeString(str);
    for (var i = 0; i < str.length; i++) {
      if (!isWs(str.charAt(i))) { return false; }
    }
    return true;
  }

  var wsRun = new RegExp('[' + WS + ']+');
  function words(str, delimiter) {
    if (isBlank(str)) { return []; }
    return trim(str, delimiter).split(delimiter || wsRun);
  }

  function chars(str) { return makeString(str).split(''); }

  function truncate(str, length, truncateStr) {
    str = makeString(str);
    truncateStr = truncateStr || '...';
    length = toInt32(length);
    return str.length > length ? str.slice(0, length) + truncateStr : str;
  }

  function isLineTerminator(c) { return c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029'; }

  function prune(str, length, pruneStr) {
    str = makeString(str);
    length = toInt32(length);
    pruneStr = pruneStr != null ? String(pruneStr) : '...';
    if (str.length <= length) { return str; }
    var head = str.slice(0, length + 1);
    // Every character from just before the trailing "non-word* word*" tail on becomes "A" (a cased letter) or " ".
    var k = head.length;
    while (k > 0 && isWordChar(head.charAt(k - 1))) { k--; }
    while (k > 0 && !isWordChar(head.charAt(k - 1))) { k--; }
    var template = head.slice(0, Math.max(0, k - 1));
    for (var i = Math.max(0, k - 1); i < head.length; i++) {
      var c = head.charAt(i);
      template += isLineTerminator(c) ? c : (c.toUpperCase() !== c.toLowerCase() ? 'A' : ' ');
    }
    var n = template.length;
    if (n >= 2 && isWordChar(template.charAt(n - 2)) && isWordChar(template.charAt(n - 1))) {
      var e = n;
      while (e > 0 && !isWs(template.charAt(e - 1))) { e--; }
      while (e > 0 && isWs(template.charAt(e - 1))) { e--; }
      template = template.slice(0, e);
    } else {
      template = rtrim(template.slice(0, n - 1));
    }
    return (template + pruneStr).length > str.length ? str : str.slice(0, template.length) + pruneStr;
  }

  function pad(str, length, padStr, type) {
    str = makeString(str);
    length = toInt32(length);
    var padlen = length - str.length;
    if (!padStr) {
      padStr = ' ';
    } else if (padStr.length > 1) {
      padStr = padStr.charAt(0);
    }
    switch (type) {
      case 'right':
        return str + strRepeat(padStr, padlen);
      case 'both':
        return strRepeat(padStr, Math.ceil(padlen / 2)) + str + strRepeat(padStr, Math.floor(padlen / 2));
      default:
        return strRepeat(padStr, padlen) + str;
    }
  }

  function lpad(str, length, padStr) { return pad(str, length, padStr); }
  function rpad(str, length, padStr) { return pad(str, length, padStr, 'right'); }
  function lrpad(str, length, padStr) { return pad(str, length, padStr, 'both'); }

  function repeat(str, qty, separator) {
    if (str == null) { return ''; }
    qty = toInt32(qty);
    if (separator == null) { return strRepeat(String(str), qty); }
    if (qty < 1) { return ''; }
    var parts = new Array(qty);
    for (var i = 0; i < qty; i++) { parts[i] = str; }
    return parts.join(separator);
  }

  function reverse(str) { return chars(str).reverse().join(''); }

  function join() {
    var args = slice.call(arguments);
    var separator = args.shift();
    return args.join(makeString(separator));
  }

  function splice(str, i, howmany, substr) {
    var arr = chars(str);
    arr.splice(toInt32(i), toInt32(howmany), substr);
    return arr.join('');
  }

  function insert(str, i, substr) { return splice(str, i, 0, substr); }

  function surround(str, wrapper) { return [wrapper, str, wrapper].join(''); }

  function quote(str, quoteChar) { return surround(str, quoteChar || '"'); }

  function unquote(str, quoteChar) {
    quoteChar = quoteChar || '"';
    if (str[0] === quoteChar && str[str.length - 1] === quoteChar) { return str.slice(1, str.length - 1); }
    return str;
  }

  function strLeft(str, sep) {
    str = makeString(str);
    sep = makeString(sep);
    var pos = !sep ? -1 : str.indexOf(sep);
    return pos !== -1 ? str.slice(0, pos) : str;
  }

  function strRight(str, sep) {
    str = makeString(str);
    sep = makeString(sep);
    var pos = !sep ? -1 : str.indexOf(sep);
    return pos !== -1 ? str.slice(pos + sep.length, str.length) : str;
  }

  function strLeftBack(str, sep) {
    str = makeString(str);
    sep = makeString(sep);
    var pos = str.lastIndexOf(sep);
    return pos !== -1 ? str.slice(0, pos) : str;
  }

  function strRightBack(str, sep) {
    str = makeString(str);
    sep = makeString(sep);
    var pos = !sep ? -1 : str.lastIndexOf(sep);
    return pos !== -1 ? str.slice(pos + sep.length, str.length) : str;
  }

  var escapeNames = { '¢': 'cent', '£': 'pound', '¥': 'yen', '€': 'euro', '©': 'copy', '®': 'reg', '<': 'lt', '>': 'gt',
    '"': 'quot', '&': 'amp', "'": '#39' };
  var escapeChars = /[¢£¥€©®<>"&']/g;
  function escapeHTML(str) {
    return makeString(str).replace(escapeChars, function (c) { return '&' + escapeNames[c] + ';'; });
  }

  var entities = { nbsp: ' ', cent: '¢', pound: '£', yen: '¥', euro: '€', copy: '©', reg: '®', lt: '<', gt: '>',
    quot: '"', amp: '&', apos: "'" };
  function allMatch(str, from, re) {
    if (str.length <= from) { return false; }
    for (var i = from; i < str.length; i++) {
      if (!re.test(str.charAt(i))) { return false; }
    }
    return true;
  }
  function unescapeHTML(str) {
    return makeString(str).replace(/&([^;]{1,10});/g, function (entity, code) {
      if (hasOwn.call(entities, code)) { return entities[code]; }
      if (code.charAt(0) === '#') {
        if (code.charAt(1) === 'x' && allMatch(code, 2, /[0-9a-fA-F]/)) {
          return String.fromCharCode(parseInt(code.slice(2), 16));
        }
        if (allMatch(code, 1, /[0-9]/)) { return String.fromCharCode(toInt32(code.slice(1))); }
      }
      return entity;
    });
  }

  function stripTags(str) { return makeString(str).replace(/<\/?[^>]+>/g, ''); }

  function toNumber(num, precision) {
    if (num == null) { return 0; }
    var factor = Math.pow(10, isFinite(precision) ? precision : 0);
    return Math.round(num * factor) / factor;
  }

  function boolMatch(str, matchers) {
    var down = str.toLowerCase();
    matchers = [].concat(matchers);
    for (var i = 0; i < matchers.length; i++) {
      var m = matchers[i];
      if (!m) { continue; }
      if (m.test && m.test(str)) { return true; }
      if (m.toLowerCase() === down) { return true; }
    }
    return false;
  }

  function toBoolean(str, trueValues, falseValues) {
    if (typeof str === 'number') { str = '' + str; }
    if (typeof str !== 'string') { return !!str; }
    str = trim(str);
    if (boolMatch(str, trueValues || ['true', '1'])) { return true; }
    if (boolMatch(str, falseValues || ['false', '0'])) { return false; }
    return void 0;
  }

  // Number.prototype.toFixed, except that an exact tie rounds away from zero as ECMAScript requires
  // (Jint 2.10.4 rounds ties to even: 2.5 -> "2", 0.125 -> "0.12").
  function toFixed(x, dec) {
    var fixed = x.toFixed(dec);
    var a = x < 0 ? -x : x;
    if (!(a < 1e21) || dec >= 20) { return fixed; }
    var full = a.toFixed(20);
    var point = full.indexOf('.');
    var tail = full.slice(point + 1 + dec);
    if (tail.charAt(0) !== '5' || !/^5[0]*$/.test(tail)) { return fixed; }
    var digits = full.slice(0, dec === 0 ? point : point + 1 + dec).split('');
    var i = digits.length - 1;
    for (; i >= 0; i--) {
      if (digits[i] === '.') { continue; }
      if (digits[i] === '9') { digits[i] = '0'; } else { digits[i] = String.fromCharCode(digits[i].charCodeAt(0) + 1); break; }
    }
    var result = (i < 0 ? '1' : '') + digits.join('');
    return x < 0 ? '-' + result : result;
  }

  function numberFormat(number, dec, dsep, tsep) {
    if (isNaN(number) || number == null) { return ''; }
    dec = toInt32(dec);
    if (dec < 0 || dec > 100) { throw new RangeError('toFixed() digits argument must be between 0 and 100'); }
    number = toFixed(number, dec);
    tsep = typeof tsep === 'string' ? tsep : ',';
    var parts = number.split('.');
    var fnums = parts[0];
    var decimals = parts[1] ? (dsep || '.') + parts[1] : '';
    // A thousands separator after each digit that is followed by a multiple of three digits up to the end.
    var trailing = 0;
    while (trailing < fnums.length && /[0-9]/.test(fnums.charAt(fnums.length - 1 - trailing))) { trailing++; }
    var out = '';
    for (var i = 0; i < fnums.length; i++) {
      out += fnums.charAt(i);
      var after = fnums.length - 1 - i;
      if (after > 0 && after < trailing && after % 3 === 0) { out += tsep; }
    }
    return out + decimals;
  }

  function replaceAll(str, find, replace, ignorecase) {
    var flags = ignorecase === true ? 'gi' : 'g';
    var reg = new RegExp(find, flags);
    return makeString(str).replace(reg, replace);
  }

  function levenshtein(str1, str2) {
    str1 = makeString(str1);
    str2 = makeString(str2);
    if (str1 === str2) { return 0; }
    if (!str1 || !str2) { return Math.max(str1.length, str2.length); }
    var row = new Array(str2.length + 1);
    var j;
    for (j = 0; j <= str2.length; j++) { row[j] = j; }
    for (var i = 0; i < str1.length; i++) {
      var diag = row[0];
      row[0] = i + 1;
      for (j = 0; j < str2.length; j++) {
        var above = row[j + 1];
        var cost = str1.charAt(i) === str2.charAt(j) ? 0 : 1;
        row[j + 1] = Math.min(above + 1, row[j] + 1, diag + cost);
        diag = above;
      }
    }
    return row[str2.length];
  }

  function toSentence(array, separator, lastSeparator, serial) {
    separator = separator || ', ';
    lastSeparator = lastSeparator || ' and ';
    var a = array.slice();
    var lastMember = a.pop();
    if (array.length > 2 && serial) { lastSeparator = rtrim(separator) + lastSeparator; }
    return a.length ? a.join(separator) + lastSeparator + lastMember : lastMember;
  }

  var functions = {
    trim: trim, ltrim: ltrim, rtrim: rtrim, clean: clean, capitalize: capitalize, decapitalize: decapitalize,
    titleize: titleize, camelize: camelize, classify: classify, underscored: underscored, dasherize: dasherize,
    humanize: humanize, slugify: slugify, startsWith: startsWith, endsWith: endsWith, include: include,
    count: count, lines: lines, words: words, chars: chars, truncate: truncate, prune: prune, pad: pad,
    lpad: lpad, rpad: rpad, repeat: repeat, reverse: reverse, join: join, insert: insert, splice: splice,
    surround: surround, quote: quote, unquote: unquote, strLeft: strLeft, strRight: strRight,
    strLeftBack: strLeftBack, strRightBack: strRightBack, escapeHTML: escapeHTML, unescapeHTML: unescapeHTML,
    stripTags: stripTags, isBlank: isBlank, toNumber: toNumber, toBoolean: toBoolean, numberFormat: numberFormat,
    replaceAll: replaceAll, levenshtein: levenshtein, toSentence: toSentence,
    // Optional (SCR-55 MAY): helpers and the library's aliases.
    lrpad: lrpad, cleanDiacritics: cleanDiacritics, escapeRegExp: escapeRegExp,
    strip: trim, lstrip: ltrim, rstrip: rtrim, center: lrpad, rjust: lpad, ljust: rpad, contains: include,
    q: quote, toBool: toBoolean, camelcase: camelize
  };

  // `s(value)` wraps a value: every function becomes a method; string results stay wrapped until value().
  function s(value) {
    if (!(this instanceof s)) { return new s(value); }
    this._wrapped = value;
  }

  function addMethod(name, fn) {
    s[name] = fn;
    s.prototype[name] = function () {
      var args = [this._wrapped];
      for (var i = 0; i < arguments.length; i++) { args.push(arguments[i]); }
      var result = fn.apply(null, args);
      return typeof result === 'string' ? new s(result) : result;
    };
  }

  for (var name in functions) {
    if (hasOwn.call(functions, name)) { addMethod(name, functions[name]); }
  }

  s.prototype.value = function () { return this._wrapped; };
  s.prototype.tap = function (fn) { return new s(fn(this._wrapped)); };

  return s;
})()
