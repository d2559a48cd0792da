// ChatIntegrations dashboard. Served with a strict CSP: no inline script or style, no eval, DOM built with
// textContent only (never innerHTML), so integration names or history data cannot inject markup.
(function () {
  'use strict';

  var root = document.querySelector('meta[name="chatintegrations-root"]').content;
  var csrf = document.querySelector('meta[name="chatintegrations-csrf"]').content;
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
    ['list-view', 'edit-view', 'history-view', 'pending-view'].forEach(function (v) { $(v).hidden = v !== view; });
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
      var total = a.json.total || 0;
      var shown = (a.json.integrations || []).length;
      $('page-info').textContent = total === 0 ? 'No integrations' : (listOffset + 1) + '–' + (listOffset + shown) + ' of ' + total;
      $('prev-page').disabled = listOffset === 0;
      $('next-page').disabled = listOffset + shown >= total;
      $('integrations').dataset.total = String(total);
    });
  }

  // ---- edit ----
  var fields = ['name', 'channel', 'username', 'alias', 'avatar', 'emoji', 'event', 'token', 'targetRoom', 'retryDelay', 'retryCount', 'script'];
  var flags = ['enabled', 'scriptEnabled', 'impersonateUser', 'triggerWordAnywhere', 'runOnEdits', 'retryFailedCalls'];

  function fill(doc, type) {
    editing = doc;
    $('f-id').value = doc ? doc._id : '';
    $('f-type').value = type;
    $('edit-title').textContent = (doc ? 'Edit ' : 'New ') + (type === 'webhook-outgoing' ? 'outgoing' : 'incoming') + ' webhook';
    $('outgoing-fields').hidden = type !== 'webhook-outgoing';
    $('outgoing-fields').disabled = type !== 'webhook-outgoing';
    var d = doc || { enabled: true, event: 'sendMessage', retryDelay: 'powers-of-ten', retryCount: 6 };
    fields.forEach(function (f) {
      var v = d[f];
      $('f-' + f).value = f === 'channel' ? channelText(v) : (v === undefined || v === null ? '' : String(v));
    });
    flags.forEach(function (f) { $('f-' + f).checked = !!d[f]; });
    $('f-triggerWords').value = (d.triggerWords || []).join(', ');
    $('f-urls').value = (d.urls || []).join('\n');
    showDiagnostics([]);
    updateGutter();
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

  function collect() {
    var type = $('f-type').value;
    var doc = {};
    fields.forEach(function (f) {
      if (type !== 'webhook-outgoing' && ['event', 'token', 'targetRoom', 'retryDelay', 'retryCount'].indexOf(f) >= 0) return;
      var v = $('f-' + f).value;
      if (f === 'retryCount') { if (v !== '') doc[f] = Number(v); return; }
      doc[f] = v;
    });
    flags.forEach(function (f) {
      if (type !== 'webhook-outgoing' && ['impersonateUser', 'triggerWordAnywhere', 'runOnEdits', 'retryFailedCalls'].indexOf(f) >= 0) return;
      doc[f] = $('f-' + f).checked;
    });
    if (type === 'webhook-outgoing') {
      doc.triggerWords = $('f-triggerWords').value.split(',').map(function (s) { return s.trim(); }).filter(Boolean);
      doc.urls = $('f-urls').value.split('\n').map(function (s) { return s.trim(); }).filter(Boolean);
      if (!doc.token) delete doc.token;
    }
    return doc;
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
    wirePending();
    loadList();
  });
})();
