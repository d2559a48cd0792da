// ChatIntegrations dashboard. Served with a strict CSP: no inline script or style, no eval, DOM built with
// textContent only (never innerHTML), so integration names or history data cannot inject markup.
(function () {
  'use strict';

  var root = document.querySelector('meta[name="chatintegrations-root"]').content;
  var csrf = document.querySelector('meta[name="chatintegrations-csrf"]').content;
  var hooks = document.querySelector('meta[name="chatintegrations-hooks"]').content;
  var api = root + '/api';
  var pageSize = 25;
  var listOffset = 0;
  var historyOffset = 0;
  var historyId = null;
  var editing = null; // the integration document being edited, or null for a new one

  function $(id) { return document.getElementById(id); }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function button(text, onClick, label) {
    var b = el('button', text);
    b.type = 'button';
    if (label) b.setAttribute('aria-label', label);
    b.addEventListener('click', onClick);
    return b;
  }

  // On a narrow screen the tables show one block per row, each cell headed by its column's name (CSS reads
  // data-label), so nothing is wider than the screen and nothing is hidden.
  function labelCells(tableId) {
    var table = $(tableId);
    var names = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return th.textContent; });
    Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
      Array.prototype.forEach.call(tr.cells, function (td, n) { td.dataset.label = names[n] || ''; });
    });
  }

  function status(text, isError) {
    var s = $('status');
    s.textContent = text || '';
    s.className = isError ? 'error' : '';
  }

  // Every call goes to the dashboard's copy of the admin REST API; state-changing ones carry the CSRF token.
  function call(method, path, body) {
    var headers = { 'Accept': 'application/json' };
    if (method !== 'GET') headers['X-ChatIntegrations-Csrf'] = csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(api + path, {
      method: method,
      headers: headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      return r.text().then(function (t) {
        var json = null;
        try { json = t ? JSON.parse(t) : null; } catch (e) { json = null; }
        return { status: r.status, json: json || {} };
      });
    });
  }

  function describe(answer) {
    if (answer.status === 401 || answer.status === 403) return 'Not allowed (' + answer.status + (answer.json.error ? ', ' + answer.json.error : '') + ').';
    var j = answer.json;
    return 'Failed: ' + (j.error || answer.status) + (j.field ? ' (' + j.field + ')' : '') + (j.message ? ': ' + j.message : '');
  }

  function show(view) {
    ['list-view', 'edit-view', 'history-view', 'pending-view', 'omni-view'].forEach(function (v) { $(v).hidden = v !== view; });
  }

  function channelText(c) {
    if (Array.isArray(c)) return c.join(', ');
    return c || '';
  }

  // ---- list ----
  function loadList() {
    var q = '?offset=' + listOffset + '&count=' + pageSize;
    var name = $('filter-name').value.trim();
    var type = $('filter-type').value;
    var enabled = $('filter-enabled').value;
    if (name) q += '&name=' + encodeURIComponent(name);
    if (type) q += '&type=' + encodeURIComponent(type);
    if (enabled) q += '&enabled=' + encodeURIComponent(enabled);
    return call('GET', q).then(function (a) {
      var body = $('integrations').tBodies[0];
      body.textContent = '';
      if (a.status !== 200) { status(describe(a), true); return; }
      (a.json.integrations || []).forEach(function (i) {
        var tr = document.createElement('tr');
        tr.appendChild(el('td', i.type === 'webhook-outgoing' ? 'Outgoing' : 'Incoming'));
        tr.appendChild(el('td', i.name || i._id));
        tr.appendChild(el('td', i.enabled ? 'Yes' : 'No'));
        tr.appendChild(el('td', channelText(i.channel)));
        tr.appendChild(lastDeliveryCell(i));
        tr.appendChild(failuresCell(i));
        var actions = document.createElement('td');
        actions.appendChild(button('Edit', function () { openEdit(i._id); }, 'Edit ' + (i.name || i._id)));
        actions.appendChild(button('History', function () { openHistory(i); }, 'History of ' + (i.name || i._id)));
        if (i.type === 'webhook-outgoing') actions.appendChild(button('Pending', function () { openPending(i); }, 'Pending deliveries of ' + (i.name || i._id)));
        tr.appendChild(actions);
        body.appendChild(tr);
      });
      labelCells('integrations');
      var total = a.json.total || 0;
      var shown = (a.json.integrations || []).length;
      $('page-info').textContent = total === 0 ? 'No integrations' : (listOffset + 1) + '–' + (listOffset + shown) + ' of ' + total;
      $('prev-page').disabled = listOffset === 0;
      $('next-page').disabled = listOffset + shown >= total;
      $('integrations').dataset.total = String(total);
    });
  }

  // ---- edit ----
  // Every field of the admin API (GEN-9): text and select fields, check boxes, and the numbers. The type-specific
  // ones are sent only for their type.
  var fields = ['name', 'channel', 'username', 'alias', 'avatar', 'emoji', 'script'];
  var flags = ['enabled', 'scriptEnabled'];
  var incomingFlags = ['overrideDestinationChannelEnabled'];
  var outgoingFields = ['event', 'token', 'targetRoom', 'retryDelay', 'retryRules', 'triggerWordMode', 'payloadFormat', 'responseContentMode'];
  var outgoingFlags = ['impersonateUser', 'runOnEdits', 'retryFailedCalls', 'triggerWordsCaseInsensitive', 'useJitter', 'triggerOnIntegrationMessages', 'recordHistory'];
  var outgoingNumbers = ['retryCount', 'timeoutMs'];
  var outgoingDefaults = {
    enabled: true, event: 'sendMessage', retryFailedCalls: true, retryDelay: 'powers-of-ten', retryCount: 6, retryRules: 'standard',
    triggerWordMode: 'prefix', payloadFormat: 'json', responseContentMode: 'parsed', timeoutMs: 20000, recordHistory: true
  };

  function setValue(f, v) { $('f-' + f).value = v === undefined || v === null ? '' : String(v); }

  function fill(doc, type) {
    editing = doc;
    var outgoing = type === 'webhook-outgoing';
    $('f-id').value = doc ? doc._id : '';
    $('f-type').value = type;
    $('edit-title').textContent = (doc ? 'Edit ' : 'New ') + (outgoing ? 'outgoing' : 'incoming') + ' webhook';
    [['outgoing-fields', outgoing], ['signing-fields', outgoing && !!doc], ['incoming-fields', !outgoing], ['webhook-fields', !outgoing && !!doc]].forEach(function (p) {
      $(p[0]).hidden = !p[1];
      $(p[0]).disabled = !p[1];
    });
    var d = doc || (outgoing ? outgoingDefaults : { enabled: true });
    fields.forEach(function (f) { setValue(f, f === 'channel' ? channelText(d[f]) : d[f]); });
    outgoingFields.concat(outgoingNumbers).forEach(function (f) { setValue(f, d[f] === undefined ? outgoingDefaults[f] : d[f]); });
    flags.concat(incomingFlags, outgoingFlags).forEach(function (f) { $('f-' + f).checked = !!d[f]; });
    $('f-triggerWords').value = (d.triggerWords || []).join(', ');
    $('f-urls').value = (d.urls || []).join('\n');
    setValue('maxBodyBytes', d.maxBodyBytes);
    var rl = d.rateLimit || {};
    $('f-rateLimitMode').value = d.rateLimit ? (rl.enabled ? 'on' : 'off') : 'default';
    setValue('rateLimitPermits', rl.permits);
    setValue('rateLimitWindowSeconds', rl.windowSeconds);
    showWebhookUrl(doc && !outgoing ? doc.token : null, false);
    $('signing-count').textContent = doc ? String(doc.signingSecretCount || 0) + ' of 2' : '';
    $('new-secret').textContent = '';
    showDiagnostics([]);
    updateGutter();
    tryReset(doc, type);
    show('edit-view');
    $('f-name').focus();
  }

  function openEdit(id) {
    call('GET', '/' + encodeURIComponent(id)).then(function (a) {
      if (a.status !== 200) { status(describe(a), true); return; }
      var doc = a.json.integration;
      fill(doc, doc.type);
    });
  }

  function numberOrNull(id) {
    var v = $(id).value.trim();
    return v === '' ? null : Number(v);
  }

  function collect() {
    var type = $('f-type').value;
    var doc = {};
    fields.forEach(function (f) { doc[f] = $('f-' + f).value; });
    flags.forEach(function (f) { doc[f] = $('f-' + f).checked; });
    if (type === 'webhook-outgoing') {
      outgoingFields.forEach(function (f) { doc[f] = $('f-' + f).value; });
      outgoingFlags.forEach(function (f) { doc[f] = $('f-' + f).checked; });
      outgoingNumbers.forEach(function (f) { var n = numberOrNull('f-' + f); if (n !== null) doc[f] = n; });
      doc.triggerWords = $('f-triggerWords').value.split(',').map(function (s) { return s.trim(); }).filter(Boolean);
      doc.urls = $('f-urls').value.split('\n').map(function (s) { return s.trim(); }).filter(Boolean);
      if (!doc.token) delete doc.token;
    } else {
      incomingFlags.forEach(function (f) { doc[f] = $('f-' + f).checked; });
      doc.maxBodyBytes = numberOrNull('f-maxBodyBytes');
      var permits = numberOrNull('f-rateLimitPermits');
      var windowSeconds = numberOrNull('f-rateLimitWindowSeconds');
      // "The engine's default" sends null; numbers left empty take the engine's defaults.
      var mode = $('f-rateLimitMode').value;
      if (mode === 'default') {
        doc.rateLimit = null;
      } else {
        doc.rateLimit = { enabled: mode === 'on' };
        if (permits !== null) doc.rateLimit.permits = permits;
        if (windowSeconds !== null) doc.rateLimit.windowSeconds = windowSeconds;
      }
    }
    return doc;
  }

  // ---- incoming webhook URL and token ----
  // The URL is masked until the admin asks for it; after "Regenerate token" the new one is shown once, in full.
  var webhookToken = null;

  function webhookUrl(token) {
    return location.origin + hooks + '/' + encodeURIComponent($('f-id').value) + '/' + token;
  }

  function showWebhookUrl(token, reveal) {
    webhookToken = token;
    var input = $('f-webhookUrl');
    if (!token) { input.value = ''; $('curl-example').textContent = ''; return; }
    var url = webhookUrl(reveal ? encodeURIComponent(token) : '••••••••');
    input.value = url;
    input.dataset.revealed = reveal ? 'true' : 'false';
    $('show-url').textContent = reveal ? 'Hide' : 'Show';
    $('show-url').setAttribute('aria-pressed', reveal ? 'true' : 'false');
    $('curl-example').textContent = "curl -X POST -H 'Content-Type: application/json' --data '{\"text\":\"Example message\"}' " + url;
  }

  function regenerateToken() {
    var id = $('f-id').value;
    if (!id || !window.confirm('Make a new token? The current webhook URL stops working at once.')) return;
    call('POST', '/' + encodeURIComponent(id) + '/token').then(function (a) {
      if (a.status !== 200) { status(describe(a), true); return; }
      if (editing) { editing.version = a.json.version; editing.token = a.json.token; }
      showWebhookUrl(a.json.token, true);
      status('New token made. Copy the new URL now; the old one no longer works.');
      $('f-webhookUrl').focus();
      $('f-webhookUrl').select();
    });
  }

  // ---- signing secrets (outgoing, DLV-40) ----
  function addSecret() {
    var id = $('f-id').value;
    call('POST', '/' + encodeURIComponent(id) + '/signing-secrets').then(function (a) {
      if (a.status !== 200) { status(describe(a), true); return; }
      if (editing) editing.version = a.json.version;
      $('signing-count').textContent = a.json.signingSecretCount + ' of 2';
      $('new-secret').textContent = a.json.secret;
      status('Signing secret added. Copy it now; it is not shown again.');
    });
  }

  function removeOldestSecret() {
    var id = $('f-id').value;
    if (!window.confirm('Remove the oldest signing secret? Receivers that still check it will refuse deliveries.')) return;
    call('DELETE', '/' + encodeURIComponent(id) + '/signing-secrets/oldest').then(function (a) {
      if (a.status !== 200) { status(describe(a), true); return; }
      if (editing) editing.version = a.json.version;
      $('signing-count').textContent = a.json.signingSecretCount + ' of 2';
      $('new-secret').textContent = '';
      status('Oldest signing secret removed.');
    });
  }

  function updateGutter() {
    var lines = $('f-script').value.split('\n').length;
    var gutter = $('gutter');
    var bad = {};
    Array.prototype.forEach.call($('diagnostics').children, function (li) { bad[li.dataset.line] = true; });
    gutter.textContent = '';
    for (var n = 1; n <= lines; n++) gutter.appendChild(el('span', n, bad[n] ? 'bad' : 'line'));
  }

  function showDiagnostics(list) {
    var ul = $('diagnostics');
    ul.textContent = '';
    list.forEach(function (d) {
      var li = el('li', 'Line ' + d.line + ', column ' + d.column + ': ' + d.message);
      li.dataset.line = String(d.line);
      li.dataset.column = String(d.column);
      if (d.codeFrame) li.appendChild(el('pre', d.codeFrame));
      ul.appendChild(li);
    });
    updateGutter();
  }

  function validate() {
    var script = $('f-script').value;
    if (!$('f-scriptEnabled').checked || !script.trim()) { showDiagnostics([]); return Promise.resolve(true); }
    return call('POST', '/validate-script', { script: script, type: $('f-type').value }).then(function (a) {
      var diags = a.json.diagnostics || [];
      showDiagnostics(diags);
      if (a.status === 200 && diags.length === 0) { status('The script compiles.'); return true; }
      status(diags.length ? 'The script has errors; fix them before saving.' : describe(a), true);
      if (diags.length) focusDiagnostic(diags[0]);
      return false;
    });
  }

  // Puts the caret at the diagnostic's line and column.
  function focusDiagnostic(d) {
    var ta = $('f-script');
    var lines = ta.value.split('\n');
    var pos = 0;
    for (var i = 0; i < d.line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
    pos += Math.max(0, (d.column || 1) - 1);
    ta.focus();
    ta.setSelectionRange(pos, pos);
  }

  function save(ev) {
    ev.preventDefault();
    validate().then(function (ok) {
      if (!ok) return; // refuse to save a broken script
      var doc = collect();
      var id = $('f-id').value;
      var request;
      if (id) {
        doc.expectedVersion = editing && typeof editing.version === 'number' ? editing.version : null;
        request = call('PUT', '/' + encodeURIComponent(id), doc);
      } else {
        doc.type = $('f-type').value;
        request = call('POST', '/', doc);
      }
      request.then(function (a) {
        if (a.status !== 200) {
          if (a.json.diagnostics) showDiagnostics(a.json.diagnostics);
          status(describe(a), true);
          return;
        }
        var saved = a.json.integration || {};
        status(id ? 'Saved.' : 'Created ' + (saved.name || saved._id) + '.');
        show('list-view');
        loadList();
      });
    });
  }

  // ---- history ----
  function openHistory(i) {
    historyId = i._id;
    historyOffset = 0;
    $('history-title').textContent = 'Delivery history of ' + (i.name || i._id);
    show('history-view');
    loadHistory();
  }

  function loadHistory() {
    call('GET', '/' + encodeURIComponent(historyId) + '/history?offset=' + historyOffset + '&count=' + pageSize).then(function (a) {
      var body = $('history').tBodies[0];
      body.textContent = '';
      if (a.status !== 200) { status(describe(a), true); return; }
      var items = a.json.history || [];
      items.forEach(function (h) {
        var tr = document.createElement('tr');
        tr.appendChild(el('td', h._updatedAt || h._createdAt || ''));
        tr.appendChild(el('td', h.step || ''));
        tr.appendChild(el('td', h.error ? 'Failed' : (h.finished ? 'Delivered' : 'Pending'), h.error ? 'failed' : 'ok'));
        var details = document.createElement('details');
        details.appendChild(el('summary', 'Show'));
        details.appendChild(el('pre', JSON.stringify(h, null, 2)));
        var td = document.createElement('td');
        td.appendChild(details);
        tr.appendChild(td);
        var actions = document.createElement('td');
        actions.appendChild(button('Replay', function () { replay(h._id); }, 'Replay delivery ' + h._id));
        tr.appendChild(actions);
        body.appendChild(tr);
      });
      labelCells('history');
      var total = a.json.total || 0;
      $('history-info').textContent = total === 0 ? 'No deliveries' : (historyOffset + 1) + '–' + (historyOffset + items.length) + ' of ' + total;
      $('history-prev').disabled = historyOffset === 0;
      $('history-next').disabled = historyOffset + items.length >= total;
    });
  }

  function replay(hid) {
    call('POST', '/' + encodeURIComponent(historyId) + '/history/' + encodeURIComponent(hid) + '/replay').then(function (a) {
      status(a.status === 200 ? 'Replay queued.' : describe(a), a.status !== 200);
      if (a.status === 200) loadHistory();
    });
  }

  // ---- omnichannel webhook (OMNI-1) ----
  // The secret is write-only: the answer only says whether one is set; an empty field keeps the current one.
  var omniToggles = ['onStart', 'onQueued', 'onTaken', 'onForward', 'onClose', 'onVisitorMessage', 'onAgentMessage', 'onOfflineMessage', 'onLeadCapture', 'onEdit', 'sendNavigationHistory'];
  var omniVersion = null;

  function fillOmni(settings) {
    omniVersion = settings.version;
    $('o-url').value = settings.url || '';
    $('o-secretToken').value = '';
    $('o-secretToken').placeholder = settings.secretTokenSet ? 'set; leave empty to keep it' : 'not set';
    $('o-secret-state').textContent = settings.secretTokenSet ? 'A secret token is set.' : 'No secret token.';
    $('o-timeoutMs').value = settings.timeoutMs;
    $('o-retryPolicy').value = settings.retryPolicy;
    $('o-crmDataMode').value = settings.crmDataMode;
    omniToggles.forEach(function (t) { $('o-' + t).checked = !!settings[t]; });
  }

  function openOmni() {
    call('GET', '/omnichannel').then(function (a) {
      if (a.status !== 200) { status(describe(a), true); return; }
      fillOmni(a.json.settings || {});
      show('omni-view');
      $('o-url').focus();
    });
  }

  function saveOmni(ev) {
    ev.preventDefault();
    var body = { url: $('o-url').value.trim(), retryPolicy: $('o-retryPolicy').value, crmDataMode: $('o-crmDataMode').value };
    var timeout = numberOrNull('o-timeoutMs');
    if (timeout !== null) body.timeoutMs = timeout;
    if ($('o-secretToken').value) body.secretToken = $('o-secretToken').value;
    omniToggles.forEach(function (t) { body[t] = $('o-' + t).checked; });
    if (typeof omniVersion === 'number') body.expectedVersion = omniVersion;
    call('PUT', '/omnichannel', body).then(function (a) {
      if (a.status !== 200) { status(describe(a), true); return; }
      fillOmni(a.json.settings || {});
      status('Omnichannel webhook saved.');
    });
  }

  function testOmni() {
    call('POST', '/omnichannel/test').then(function (a) {
      status(a.status === 200 ? 'Test sent; see the history for the answer.' : describe(a), a.status !== 200);
    });
  }

  // ---- try it (issue 15 item 2) ----
  // A dry run of the editor's current script through POST {id}/try: only saved integrations have an id, so a new one
  // shows a hint to save first. Results are rendered with textContent only.
  var tryLimits = ['timeout', 'statement-limit', 'recursion-limit', 'memory-limit', 'invalid-result', 'busy'];

  function tryReset(doc, type) {
    var outgoing = type === 'webhook-outgoing';
    $('try-save-first').hidden = !!doc;
    $('try-form').hidden = !doc;
    $('try-incoming').hidden = outgoing;
    $('try-outgoing').hidden = !outgoing;
    $('try-result').hidden = true;
  }

  // "Name: value" lines to an object; null (with a status message) for a line without a colon.
  function tryHeaders(text) {
    var headers = {};
    var lines = text.split('\n');
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i].trim();
      if (!line) continue;
      var colon = line.indexOf(':');
      if (colon <= 0) { status('Header line ' + (i + 1) + ' must be "Name: value".', true); return null; }
      headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
    return headers;
  }

  function tryInput() {
    var input = { script: $('f-script').value };
    if ($('f-type').value !== 'webhook-outgoing') {
      var headers = tryHeaders($('try-headers').value);
      if (headers === null) return null;
      input.body = $('try-body').value;
      input.headers = headers;
      return input;
    }
    input.message = { text: $('try-text').value, channel: $('try-channel').value.trim() };
    if ($('try-user').value.trim()) input.message.user = $('try-user').value.trim();
    var statusText = $('try-status').value.trim();
    var body = $('try-response').value;
    if (statusText || body.trim()) {
      input.response = { status_code: statusText ? Number(statusText) : 200, content: body, headers: {} };
      try { JSON.parse(body); input.response.headers['content-type'] = 'application/json'; } catch (e) { input.response.headers['content-type'] = 'text/plain'; }
    }
    return input;
  }

  function tryDetail(term, text) {
    var dl = $('try-details');
    dl.appendChild(el('dt', term));
    dl.appendChild(el('dd', text));
  }

  function tryShow(a) {
    var j = a.json;
    $('try-result').hidden = false;
    $('try-details').textContent = '';
    $('try-console').textContent = '';
    if (a.status !== 200) {
      if (j.diagnostics) showDiagnostics(j.diagnostics);
      $('try-error').textContent = describe(a);
      $('try-error').className = 'failed';
      $('try-posted').textContent = 'Nothing ran.';
      status(describe(a), true);
      return;
    }
    var e = j.error;
    $('try-error').textContent = e ? (tryLimits.indexOf(e.reason) >= 0 ? 'Limit hit: ' : 'Script error: ') + e.reason + ' (' + e.message + ')' : 'None.';
    $('try-error').className = e ? 'failed' : 'ok';
    var messages = j.messages || [];
    $('try-posted').textContent = messages.length ? JSON.stringify(messages, null, 2) : 'Nothing would be posted.';
    if (j.type === 'webhook-outgoing') {
      var t = j.trigger || {};
      tryDetail('Trigger', t.event + (t.matched ? ' matched' + (t.triggerWord ? ' by ' + t.triggerWord : '') : ' not matched (the script was tried anyway)'));
      tryDetail('Request that would be sent (not sent)', j.request ? JSON.stringify(j.request, null, 2) : 'None.');
      tryDetail('Outcome', j.outcome || '');
      if (j.replyError) tryDetail('Reply error', j.replyError);
    } else if (j.response) {
      tryDetail('Answer to the sender', j.response.statusCode + ' ' + JSON.stringify(j.response.body));
    }
    if ((j.warnings || []).length) tryDetail('Warnings', j.warnings.join('\n'));
    (j.httpRequests || []).forEach(function (r) { tryDetail('HTTP call not performed', r.method + ' ' + r.url); });
    var logs = j.console || [];
    if (!logs.length) $('try-console').appendChild(el('li', 'No console output.'));
    logs.forEach(function (c) { $('try-console').appendChild(el('li', '[' + c.level + '] ' + c.message)); });
    status('Tried: nothing was posted or sent.');
  }

  function tryRun() {
    var id = $('f-id').value;
    if (!id) { $('try-save-first').hidden = false; return; }
    var input = tryInput();
    if (input === null) return;
    $('try-run').disabled = true;
    call('POST', '/' + encodeURIComponent(id) + '/try', input).then(tryShow).then(function () { $('try-run').disabled = false; }, function () {
      $('try-run').disabled = false;
      status('The dry run could not be sent.', true);
    });
  }

  document.addEventListener('DOMContentLoaded', function () { $('try-run').addEventListener('click', tryRun); });

  // ---- pending deliveries and delivery figures (issue 15, item 2) ----
  // The list answer carries lastDelivery {outcome, at, step} and failuresLastHour for outgoing integrations whose
  // history the user may view; other rows show a dash. GET {id}/deliveries pages the unfinished deliveries.
  var pendingOffset = 0;
  var pendingIntegration = null;

  function timeEl(iso) {
    var t = el('time', iso || '');
    if (iso) t.setAttribute('datetime', iso);
    return t;
  }

  function lastDeliveryCell(i) {
    var td = el('td', null, 'last-delivery');
    if (!Object.prototype.hasOwnProperty.call(i, 'lastDelivery')) { td.textContent = '—'; return td; }
    var d = i.lastDelivery;
    if (!d) { td.textContent = 'None yet'; return td; }
    var failed = d.outcome !== 'success';
    td.appendChild(el('span', failed ? 'Failed' : 'Delivered', failed ? 'failed' : 'ok'));
    if (d.at) { td.appendChild(el('br')); td.appendChild(timeEl(d.at)); }
    if (d.step) td.appendChild(el('span', d.step, 'step'));
    return td;
  }

  function failuresCell(i) {
    var n = i.failuresLastHour;
    return el('td', typeof n === 'number' ? n : '—', typeof n === 'number' && n > 0 ? 'failures failed' : 'failures');
  }

  function openPending(i) {
    pendingIntegration = i;
    pendingOffset = 0;
    $('pending-title').textContent = 'Pending deliveries of ' + (i.name || i._id);
    show('pending-view');
    loadPending();
    $('pending-back').focus();
  }

  function loadPending() {
    var path = '/' + encodeURIComponent(pendingIntegration._id) + '/deliveries?offset=' + pendingOffset + '&count=' + pageSize;
    return call('GET', path).then(function (a) {
      var body = $('pending').tBodies[0];
      body.textContent = '';
      if (a.status !== 200) { status(describe(a), true); return; }
      var items = a.json.deliveries || [];
      items.forEach(function (d) {
        var tr = document.createElement('tr');
        var next = el('td', null, 'next-attempt');
        next.appendChild(timeEl(d.nextAttemptAt));
        tr.appendChild(next);
        var state = d.state === 'leased' ? 'In flight' + (d.leaseExpiresAt ? ' (lease until ' + d.leaseExpiresAt + ')' : '') : (d.attempts > 0 ? 'Scheduled retry' : 'Queued');
        tr.appendChild(el('td', state));
        tr.appendChild(el('td', d.attempts));
        tr.appendChild(el('td', (d.event || '') + (d.triggerWord ? ' (' + d.triggerWord + ')' : '')));
        var error = el('td', d.lastError || '—', d.lastError ? 'failed' : '');
        if (d.lastErrorAt) { error.appendChild(el('br')); error.appendChild(timeEl(d.lastErrorAt)); }
        tr.appendChild(error);
        var created = el('td');
        created.appendChild(timeEl(d._createdAt));
        tr.appendChild(created);
        body.appendChild(tr);
      });
      labelCells('pending');
      var total = a.json.total || 0;
      $('pending-info').textContent = total === 0 ? 'No pending deliveries' : (pendingOffset + 1) + '–' + (pendingOffset + items.length) + ' of ' + total;
      $('pending-prev').disabled = pendingOffset === 0;
      $('pending-next').disabled = pendingOffset + items.length >= total;
    });
  }

  function wirePending() {
    $('pending-prev').addEventListener('click', function () { pendingOffset = Math.max(0, pendingOffset - pageSize); loadPending(); });
    $('pending-next').addEventListener('click', function () { pendingOffset += pageSize; loadPending(); });
    $('pending-refresh').addEventListener('click', function () { loadPending(); });
    $('pending-back').addEventListener('click', function () { show('list-view'); loadList(); });
  }
  // ---- end of pending deliveries ----

  // ---- wiring ----
  document.addEventListener('DOMContentLoaded', function () {
    $('filter').addEventListener('submit', function (ev) { ev.preventDefault(); listOffset = 0; loadList(); });
    $('prev-page').addEventListener('click', function () { listOffset = Math.max(0, listOffset - pageSize); loadList(); });
    $('next-page').addEventListener('click', function () { listOffset += pageSize; loadList(); });
    $('new-incoming').addEventListener('click', function () { fill(null, 'webhook-incoming'); });
    $('new-outgoing').addEventListener('click', function () { fill(null, 'webhook-outgoing'); });
    $('edit-form').addEventListener('submit', save);
    $('cancel').addEventListener('click', function () { show('list-view'); loadList(); });
    $('validate').addEventListener('click', function () { validate(); });
    $('f-script').addEventListener('input', updateGutter);
    $('f-script').addEventListener('scroll', function () { $('gutter').scrollTop = $('f-script').scrollTop; });
    $('diagnostics').addEventListener('click', function (ev) {
      var li = ev.target.closest('li');
      if (li) focusDiagnostic({ line: Number(li.dataset.line), column: Number(li.dataset.column) });
    });
    $('history-prev').addEventListener('click', function () { historyOffset = Math.max(0, historyOffset - pageSize); loadHistory(); });
    $('history-next').addEventListener('click', function () { historyOffset += pageSize; loadHistory(); });
    $('history-back').addEventListener('click', function () { show('list-view'); loadList(); });
    $('show-url').addEventListener('click', function () { showWebhookUrl(webhookToken, $('f-webhookUrl').dataset.revealed !== 'true'); });
    $('regenerate-token').addEventListener('click', regenerateToken);
    $('add-secret').addEventListener('click', addSecret);
    $('remove-oldest-secret').addEventListener('click', removeOldestSecret);
    $('open-omnichannel').addEventListener('click', openOmni);
    $('omni-form').addEventListener('submit', saveOmni);
    $('omni-test').addEventListener('click', testOmni);
    $('omni-history').addEventListener('click', function () { openHistory({ _id: 'omnichannel', name: 'the omnichannel webhook' }); });
    $('omni-back').addEventListener('click', function () { show('list-view'); loadList(); });
    wirePending();
    loadList();
  });
})();
