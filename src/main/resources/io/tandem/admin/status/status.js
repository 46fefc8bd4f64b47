// Tandem status page: polls /api/status every 2 s with the session cookie; no framework.
'use strict';
(function () {
  const REFRESH_MS = 2000;
  const MAX_EVENTS = 50;
  const HEADERS = { 'X-Tandem-Request': '1', 'Accept': 'application/json' };
  let prev = null;          // the previous /api/status answer
  let prevAt = 0;           // when it arrived (ms)
  let timer = null;

  const $ = (id) => document.getElementById(id);

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function badge(value) {
    const v = value === true ? 'yes' : value === false ? 'no' : String(value);
    return el('span', v, 'state s-' + v);
  }

  function held(v) { return el('span', v ? 'held' : 'not held', 'state s-' + (v ? 'yes' : 'no')); }

  function cell(row, content, cls) {
    const td = el('td', null, cls);
    if (content instanceof Node) td.appendChild(content); else td.textContent = content == null ? '' : String(content);
    row.appendChild(td);
    return td;
  }

  function setText(id, v) { $(id).textContent = v == null ? '' : String(v); }
  function setBadge(id, v) { const e = $(id); e.textContent = ''; e.appendChild(badge(v)); }

  function rate(now, before, dtSec) {
    if (before == null || dtSec <= 0) return '';
    const r = (now - before) / dtSec;
    return r < 0 ? '' : r.toFixed(r < 10 ? 1 : 0);
  }

  function ago(ms) {
    if (ms == null || ms < 0) return '';
    return ms < 1000 ? ms + ' ms ago' : (ms / 1000).toFixed(1) + ' s ago';
  }

  function duration(s) {
    const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + m + 'm ' + (s % 60) + 's';
  }

  // The node's own record of its role changes (kept by the node, so it survives a reload).
  function history(list) {
    const ol = $('history');
    if (!ol) return;
    while (ol.firstChild) ol.removeChild(ol.firstChild);
    (list || []).forEach((c) => {
      const li = el('li');
      li.appendChild(el('time', new Date(c.at_ms).toLocaleTimeString()));
      li.appendChild(document.createTextNode(c.from + ' → ' + c.to + ', epoch ' + c.epoch + (c.reason ? ' (' + c.reason + ')' : '')));
      ol.appendChild(li);
    });
  }

  function event(text) {
    const li = el('li');
    li.appendChild(el('time', new Date().toLocaleTimeString()));
    li.appendChild(document.createTextNode(text));
    const list = $('events');
    list.insertBefore(li, list.firstChild);
    while (list.children.length > MAX_EVENTS) list.removeChild(list.lastChild);
  }

  // Compares two snapshots and logs what changed: the node's state and epoch, members, backends.
  function diff(a, b) {
    if (!a) { event('page opened: ' + b.node + ' is ' + b.state + ', epoch ' + b.epoch); return; }
    if (a.state !== b.state) event(b.node + ': ' + a.state + ' → ' + b.state + (b.reason ? ' (' + b.reason + ')' : ''));
    if (a.epoch !== b.epoch) event('epoch ' + a.epoch + ' → ' + b.epoch);
    if (a.vip_held !== b.vip_held) event(b.node + (b.vip_held ? ' took the VIP' : ' let go of the VIP'));
    const before = {};
    (a.members || []).forEach((m) => { before[m.name] = m; });
    (b.members || []).forEach((m) => {
      const o = before[m.name];
      if (!o) event('member ' + m.name + ' appeared (' + m.state + ')');
      else if (o.state !== m.state) event('member ' + m.name + ': ' + o.state + ' → ' + m.state);
      delete before[m.name];
    });
    Object.keys(before).forEach((n) => event('member ' + n + ' gone'));
    const bb = {};
    (a.backends || []).forEach((x) => { bb[x.id] = x; });
    (b.backends || []).forEach((x) => {
      const o = bb[x.id];
      if (o && o.state !== x.state) event('backend ' + x.id + ': ' + o.state + ' → ' + x.state);
    });
  }

  function renderPair(s) {
    setText('node-name', s.node);
    setText('pair-node', s.node + ' (priority ' + s.priority + ', pid ' + s.pid + ', ' + s.version + ')');
    setBadge('pair-state', s.state);
    setText('pair-epoch', s.epoch);
    setText('pair-reason', s.reason || '');
    const vip = $('pair-vip');
    vip.textContent = (s.vip || 'none') + ' ';
    vip.appendChild(held(s.vip_held));
    setBadge('pair-in-sync', s.in_sync);
    setText('sticky-entries', s.sticky ? s.sticky.entries : '');
    setText('pair-uptime', s.uptime_s != null ? duration(s.uptime_s) : '');
    const body = $('members').tBodies[0];
    body.textContent = '';
    const members = s.members || [];
    $('members-none').hidden = members.length > 0;
    $('members').hidden = members.length === 0;
    members.forEach((m) => {
      const tr = el('tr');
      tr.dataset.member = m.name;
      cell(tr, m.name + (m.name === s.node ? ' (this node)' : ''));
      cell(tr, badge(m.state));
      cell(tr, m.priority, 'num');
      cell(tr, m.epoch, 'num');
      cell(tr, badge(m.healthy));
      cell(tr, badge(m.in_sync));
      cell(tr, m.vip_held ? held(true) : '');
      cell(tr, m.usable_backends, 'num');
      cell(tr, m.name === s.node ? '' : ago(m.last_heard_ms));
      body.appendChild(tr);
    });
  }

  function renderBackends(s, dtSec) {
    const before = {};
    if (prev) (prev.backends || []).forEach((b) => { before[b.id] = b; });
    const body = $('backends').tBodies[0];
    body.textContent = '';
    (s.backends || []).forEach((b) => {
      const o = before[b.id] || {};
      const tr = el('tr');
      tr.dataset.backend = b.id;
      tr.dataset.state = b.state;
      cell(tr, b.id);
      cell(tr, b.url, 'muted');
      cell(tr, badge(b.state), 'backend-state');
      cell(tr, b.admin_state, 'backend-admin');
      cell(tr, b.weight, 'num');
      cell(tr, b.in_flight, 'num');
      cell(tr, rate(b.requests_total, o.requests_total, dtSec), 'num');
      cell(tr, rate(b.errors_total, o.errors_total, dtSec), 'num');
      cell(tr, b.requests_total, 'num');
      cell(tr, b.errors_total, 'num');
      const actions = cell(tr, null, 'actions');
      [['drain', 'Drain', 'DRAIN'], ['enable', 'Enable', 'ENABLED']].forEach(([action, label, admin]) => {
        const btn = el('button', label);
        btn.type = 'button';
        btn.dataset.action = action;
        btn.dataset.backend = b.id;
        btn.disabled = b.admin_state === admin;
        actions.appendChild(btn);
      });
      body.appendChild(tr);
    });
  }

  function showError(text) {
    const e = $('error');
    e.textContent = text || '';
    e.hidden = !text;
  }

  async function refresh() {
    clearTimeout(timer);
    try {
      const r = await fetch('/api/status', { credentials: 'same-origin', headers: HEADERS, cache: 'no-store' });
      if (r.status === 401) { location.reload(); return; }   // token changed or logged out: back to the form
      if (!r.ok) throw new Error('HTTP ' + r.status);
      const s = await r.json();
      const now = Date.now();
      diff(prev, s);
      renderPair(s);
      history(s.history);
      renderBackends(s, prev ? (now - prevAt) / 1000 : 0);
      prev = s;
      prevAt = now;
      setText('updated', 'updated ' + new Date(now).toLocaleTimeString() + ', every ' + REFRESH_MS / 1000 + ' s');
      showError('');
    } catch (e) {
      showError('refresh failed: ' + e.message);
    } finally {
      timer = setTimeout(refresh, REFRESH_MS);
    }
  }

  async function act(backend, action, btn) {
    btn.disabled = true;
    try {
      const r = await fetch('/api/backends/' + encodeURIComponent(backend) + '/' + action,
        { method: 'POST', credentials: 'same-origin', headers: HEADERS });
      if (r.status === 401) { location.reload(); return; }
      if (!r.ok) {
        let msg = 'HTTP ' + r.status;
        try { msg = (await r.json()).error || msg; } catch (ignored) { /* not JSON */ }
        throw new Error(msg);
      }
      event(action + ' ' + backend + ' (from this page)');
      showError('');
    } catch (e) {
      showError(action + ' ' + backend + ' failed: ' + e.message);
    }
    refresh();
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('backends').addEventListener('click', (ev) => {
      const btn = ev.target.closest('button[data-action]');
      if (btn) act(btn.dataset.backend, btn.dataset.action, btn);
    });
    refresh();
  });
})();
