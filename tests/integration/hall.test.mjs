// The hall queue against the real binary: numbering, parallel calls, numbers after a
// crash, fairness of the shared queue policy, every window action with its errors, and
// the live event stream with resume from Last-Event-ID.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, dbSnapshot, sqlite } from './lib/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A center with windows 1..nWindows and lines A (all windows) and B (window 1 only). */
async function hall(t, { nWindows = 2, server } = {}) {
  const s = server || await startServer({ t });
  const admin = await s.login();
  const windows = [];
  for (let n = 1; n <= nWindows; n++) {
    const w = await admin.post('/api/v1/windows', { center_id: 1, number: n, name: `综合受理${n}`, kind: 'general' });
    assert.equal(w.status, 201, w.text);
    windows.push(w.body.id);
  }
  const line = async (prefix, name, window_ids) => {
    const r = await admin.post('/api/v1/hall/1/lines', { prefix, name, window_ids });
    assert.equal(r.status, 201, r.text);
    return r.body.id;
  };
  const A = await line('A', '社保医保', windows);
  const B = await line('B', '不动产登记', [windows[0]]);
  const take = async (line_id, priority = 'normal', by = admin) => {
    const r = await by.post('/api/v1/hall/1/tickets', { line_id, priority });
    assert.equal(r.status, 201, r.text);
    return r.body;
  };
  const act = (w, action, body, by = admin) => by.post(`/api/v1/hall/windows/${w}/${action}`, body);
  const ok = async (w, action, body, by) => {
    const r = await act(w, action, body, by);
    assert.equal(r.status, 200, `${action}: ${r.text}`);
    return r.body;
  };
  return { s, admin, windows, A, B, take, act, ok };
}

test('numbering: prefix + daily serial per line, unique per center, position and wait', async (t) => {
  const { s, admin, windows, A, B, take, ok } = await hall(t);
  const a1 = await take(A);
  const a2 = await take(A);
  const b1 = await take(B);
  const a3 = await take(A, 'green');
  assert.deepEqual([a1.number, a2.number, b1.number, a3.number], ['A001', 'A002', 'B001', 'A003']);
  assert.match(a1.token, /^[0-9a-f]{32}$/);
  assert.equal(a1.status, 'waiting');
  assert.equal(a1.source, 'guide');
  assert.equal(a2.people_ahead, 1);
  assert.equal(a3.people_ahead, 0, 'a green ticket goes before the normal ones');
  assert.equal(a2.estimated_wait_min, null, 'no window open: no estimate');
  await ok(windows[0], 'open');
  const a4 = await take(A);
  assert.equal(a4.people_ahead, 3);
  // 5 minutes each by default; one window open and idle: (3 ahead - 1 idle + 1) × 5 / 1.
  assert.equal(a4.estimated_wait_min, 15);
  // Another center has its own numbers.
  const town = (await admin.post('/api/v1/centers', { name: '城关镇便民服务中心', level: 'town', parent_id: 1 })).body.id;
  const tl = await admin.post(`/api/v1/hall/${town}/lines`, { prefix: 'A', name: '综合' });
  const tt = await admin.post(`/api/v1/hall/${town}/tickets`, { line_id: tl.body.id });
  assert.equal(tt.status, 201, tt.text);
  assert.equal(tt.body.number, 'A001');
  // The phone page: by token, no login, nothing internal.
  const pub = await s.client().get(`/api/v1/hall/t/${a4.token}`);
  assert.equal(pub.status, 200, pub.text);
  assert.equal(pub.body.number, 'A004');
  assert.equal(pub.body.people_ahead, 3);
  assert.ok(!('id' in pub.body) && !('token' in pub.body) && !('center_id' in pub.body));
  assertError(await s.client().get(`/api/v1/hall/t/${'0'.repeat(32)}`), 404, 'TICKET_NOT_FOUND');
  // A kiosk retrying with its Idempotency-Key gets its first ticket, not a new number.
  const kiosk = await s.makeDevice(admin, 'kiosk', 1);
  const once = { headers: { 'Idempotency-Key': 'slip-0001' } };
  const k1 = await kiosk.post('/api/v1/hall/1/tickets', { line_id: B }, once);
  const k2 = await kiosk.post('/api/v1/hall/1/tickets', { line_id: B }, once);
  assert.equal(k1.status, 201, k1.text);
  assert.equal(k2.status, 201, k2.text);
  assert.equal(k2.body.id, k1.body.id);
  assert.equal(k1.body.number, 'B002');
  const k3 = await kiosk.post('/api/v1/hall/1/tickets', { line_id: B }, { headers: { 'Idempotency-Key': 'slip-0002' } });
  assert.equal(k3.body.number, 'B003');
  assertError(await kiosk.post('/api/v1/hall/1/tickets', { line_id: B }, { headers: { 'Idempotency-Key': 'x'.repeat(65) } }), 400, 'FIELD_FORMAT');
  const dups = sqlite(s.db, 'SELECT COUNT(*) - COUNT(DISTINCT center_id || service_day || number) FROM tickets').trim();
  assert.equal(dups, '0');
});

test('20 windows calling at once over 200 tickets: every ticket called exactly once', async (t) => {
  const { s, admin, windows, A, ok, act } = await hall(t, { nWindows: 20 });
  // 200 tickets taken by 20 clients at once: 200 distinct numbers, no gap.
  const takers = [];
  for (let k = 0; k < 20; k++) {
    takers.push((async () => {
      const got = [];
      for (let i = 0; i < 10; i++) {
        const r = await admin.post('/api/v1/hall/1/tickets', { line_id: A });
        assert.equal(r.status, 201, r.text);
        got.push(r.body.number);
      }
      return got;
    })());
  }
  const numbers = (await Promise.all(takers)).flat().sort();
  const want = Array.from({ length: 200 }, (_, i) => `A${String(i + 1).padStart(3, '0')}`);
  assert.deepEqual(numbers, want);
  for (const w of windows) await ok(w, 'open');
  // Each window: call, finish, call ... until the queue is empty.
  const called = [];
  const workers = windows.map(async (w) => {
    for (;;) {
      const r = await act(w, 'call');
      if (r.status === 409 && r.body.code === 'QUEUE_EMPTY') return;
      assert.equal(r.status, 200, r.text);
      called.push({ w, id: r.body.current.id });
      const f = await act(w, 'finish', { ticket_id: r.body.current.id });
      assert.equal(f.status, 200, f.text);
    }
  });
  await Promise.all(workers);
  assert.equal(called.length, 200);
  assert.equal(new Set(called.map((c) => c.id)).size, 200, 'no ticket called twice');
  assert.equal(sqlite(s.db, "SELECT COUNT(*) FROM tickets WHERE status = 'done'").trim(), '200');
  assert.equal(sqlite(s.db, "SELECT COUNT(*) FROM hall_events WHERE kind = 'call'").trim(), '200');
  const stats = await admin.get('/api/v1/hall/1/stats');
  assert.equal(stats.status, 200, stats.text);
  assert.equal(stats.body.windows.reduce((n, w) => n + w.served, 0), 200);
  assert.equal(stats.body.lines.find((l) => l.prefix === 'A').done, 200);
});

test('no number is issued twice across kill -9 and restart', async (t) => {
  const { s, A, take } = await hall(t);
  const before = [];
  for (let i = 0; i < 5; i++) before.push((await take(A)).number);
  s.proc.kill('SIGKILL');
  await s.exited;
  await s.start();
  const admin = await s.login();
  const after = [];
  for (let i = 0; i < 3; i++) {
    const r = await admin.post('/api/v1/hall/1/tickets', { line_id: A });
    assert.equal(r.status, 201, r.text);
    after.push(r.body.number);
  }
  assert.deepEqual(before, ['A001', 'A002', 'A003', 'A004', 'A005']);
  assert.deepEqual(after, ['A006', 'A007', 'A008']);
  // The events from before the restart are not in the new server's memory: a stream
  // from the beginning catches up from the database, then goes on from memory.
  const es = await stream(s, '/api/v1/hall/1/events?last_event_id=0', { cookie: admin.cookie });
  await es.waitFor(8);
  assert.deepEqual(es.events.map((e) => e.data.number), [...before, ...after]);
  await admin.post('/api/v1/hall/1/tickets', { line_id: A });
  await es.waitFor(9);
  assert.equal(es.events[8].data.number, 'A009');
  await es.close();
});

test('fairness: green first, a normal ticket still called within the interleave and the wait bound', async (t) => {
  const { admin, windows, A, take, ok, act } = await hall(t, { nWindows: 1 });
  await ok(windows[0], 'open');
  const normal = await take(A, 'normal');
  for (let i = 0; i < 12; i++) await take(A, 'green');
  const order = [];
  for (let i = 0; i < 6; i++) {
    const r = await ok(windows[0], 'call');
    order.push(r.current.priority);
    await ok(windows[0], 'finish');
  }
  assert.equal(order[0], 'green', 'the green channel goes first');
  assert.ok(order.includes('normal'), `3:2:1 calls a normal ticket within 6 calls: ${order}`);
  const n = await admin.get(`/api/v1/hall/tickets/${normal.id}`);
  assert.equal(n.body.status, 'done');

  // Bounded wait: with normal tickets weighted 0, a normal ticket that has waited
  // max_wait_s is still called before fresh green ones.
  for (;;) {
    const r = await act(windows[0], 'call');
    if (r.status === 409) break;
    await ok(windows[0], 'finish');
  }
  const set = await admin.put('/api/v1/hall/1/settings', { pattern: '1:0:0', max_wait_s: 2, aging_s: 3600 });
  assert.equal(set.status, 200, set.text);
  assertError(await admin.put('/api/v1/hall/1/settings', { pattern: '0:0:0' }), 400, 'FIELD_FORMAT', 'pattern');
  const late = await take(A, 'normal');
  await sleep(2300);
  const g1 = await take(A, 'green');
  const g2 = await take(A, 'green');
  let r = await ok(windows[0], 'call');
  assert.equal(r.current.id, late.id, 'the normal ticket past the wait bound goes first');
  await ok(windows[0], 'finish');
  r = await ok(windows[0], 'call');
  assert.equal(r.current.id, g1.id);
  // Within the bound, 1:0:0 never calls a normal ticket while a green one waits.
  const n2 = await take(A, 'normal');
  await ok(windows[0], 'finish');
  r = await ok(windows[0], 'call');
  assert.equal(r.current.id, g2.id);
  await ok(windows[0], 'finish');
  r = await ok(windows[0], 'call');
  assert.equal(r.current.id, n2.id);
});

test('window actions: recall, no-show and rejoin, hold and call back, transfer, back office, finish', async (t) => {
  const { s, admin, windows, A, B, take, act, ok } = await hall(t);
  const [w1, w2] = windows;
  const item = await (async () => {
    const d = await admin.post('/api/v1/departments', { name: '县人力资源和社会保障局', credit_code: '114103265346409776' });
    const i = await admin.post('/api/v1/items', { basic_code: '1105000001', name: '城乡居民养老保险参保登记', department_id: d.body.id });
    return i.body.id;
  })();
  await ok(w1, 'open');
  await ok(w2, 'open');
  const t1 = await take(A);
  const t2 = await take(A);

  // Recall up to the limit (3 by default), then no-show.
  let r = await ok(w1, 'call');
  assert.equal(r.current.number, t1.number);
  for (let i = 0; i < 3; i++) await ok(w1, 'recall');
  const before = dbSnapshot(s.db);
  let e = assertError(await act(w1, 'recall'), 409, 'RECALL_LIMIT');
  assert.match(e.message, /A001/);
  assert.equal(dbSnapshot(s.db), before, 'a refused action writes nothing');
  r = await ok(w1, 'noshow');
  assert.equal(r.ticket.status, 'no_show');
  assert.equal(r.current, null);
  // Rejoin once, at the back (behind t2 and t3).
  const t3 = await take(A);
  r = await admin.post(`/api/v1/hall/tickets/${t1.id}/rejoin`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'waiting');
  assert.equal(r.body.people_ahead, 2);
  assertError(await admin.post(`/api/v1/hall/tickets/${t1.id}/rejoin`), 409, 'TICKET_NOT_NO_SHOW');
  // Window 2 calls t2; window 1 cannot act on it.
  r = await ok(w2, 'call');
  assert.equal(r.current.id, t2.id);
  r = await ok(w1, 'call');
  assert.equal(r.current.id, t3.id);
  e = assertError(await act(w1, 'finish', { ticket_id: t2.id }), 409, 'TICKET_OTHER_WINDOW', 'ticket_id');
  assert.match(e.message, /2号窗口/);
  assertError(await act(w1, 'call'), 409, 'WINDOW_BUSY');
  // Hold t3 (filling a form), serve t1 meanwhile, then call t3 back.
  r = await ok(w1, 'hold');
  assert.equal(r.held.length, 1);
  assertError(await act(w2, 'callback', { ticket_id: t3.id }), 409, 'WINDOW_BUSY');
  r = await ok(w1, 'call');
  assert.equal(r.current.id, t1.id, 'the rejoined ticket is the last one waiting');
  await ok(w1, 'start');
  assertError(await act(w1, 'start'), 409, 'TICKET_STATE');
  r = await ok(w1, 'finish', { item_id: item });
  assert.equal(r.ticket.status, 'done');
  assert.equal(r.ticket.item_id, item);
  // No-show after a rejoin: no second rejoin.
  assertError(await act(w1, 'callback', {}), 400, 'FIELD_REQUIRED', 'ticket_id');
  r = await ok(w1, 'callback', { ticket_id: t3.id });
  assert.equal(r.current.id, t3.id);
  assert.equal(r.held.length, 0);
  // Parked and ready (qp_unpark): the window's next call takes it before the queue.
  await ok(w1, 'hold');
  const t4 = await take(A);
  assertError(await act(w2, 'ready', { ticket_id: t3.id }), 409, 'TICKET_OTHER_WINDOW', 'ticket_id');
  r = await ok(w1, 'ready', { ticket_id: t3.id });
  assert.equal(r.ticket.status, 'waiting');
  assert.equal(r.held.length, 0);
  r = await ok(w2, 'finish');
  r = await ok(w2, 'call');
  assert.equal(r.current.id, t4.id, 'a ready ticket belongs to its window only');
  r = await ok(w1, 'call');
  assert.equal(r.current.id, t3.id);
  await ok(w2, 'finish');
  // Transfer t3 to line B by window 1, to the front; window 2 does not serve B.
  assertError(await act(w1, 'transfer', { line_id: B, window_id: w2 }), 400, 'WINDOW_NOT_SERVING_LINE', 'window_id');
  assertError(await act(w1, 'transfer', { line_id: 999 }), 404, 'LINE_NOT_FOUND', 'line_id');
  assertError(await act(w1, 'transfer', {}), 400, 'FIELD_REQUIRED');
  const b1 = await take(B);
  r = await ok(w1, 'transfer', { line_id: B, to_front: true });
  assert.equal(r.ticket.status, 'transferred');
  r = await ok(w1, 'call');
  assert.equal(r.current.id, t3.id, 'to the front: before the B ticket taken earlier');
  // Transfer to window 2 by arrival: only window 2 may call it.
  r = await ok(w1, 'transfer', { line_id: A, window_id: w2 });
  r = await ok(w1, 'call');
  assert.equal(r.current.id, b1.id, 'window 1 does not get the ticket sent to window 2');
  r = await ok(w2, 'call');
  assert.equal(r.current.id, t3.id);
  // Back office: an event for reviewers.
  r = await ok(w2, 'backoffice', { note: '材料需后台确认' });
  const ev = sqlite(s.db, "SELECT payload FROM hall_events WHERE kind = 'backoffice'");
  assert.match(ev, /材料需后台确认/);
  assert.match(ev, new RegExp(t3.number));
  // Statistics and the window view.
  await ok(w2, 'finish');
  await ok(w1, 'finish');
  const view = await admin.get(`/api/v1/hall/windows/${w1}`);
  assert.equal(view.status, 200, view.text);
  assert.equal(view.body.served_today, 2);
  assert.equal(typeof view.body.avg_handle_s, 'number');
  const audit = sqlite(s.db, "SELECT COUNT(*) FROM audit_log WHERE action IN ('call','recall','noshow','hold','callback','transfer','finish','start','backoffice_call','ticket_take','ticket_rejoin')").trim();
  assert.ok(Number(audit) >= 20, `action log rows: ${audit}`);
});

test('errors: unknown line, closed and paused windows, other clerks, devices of another center', async (t) => {
  const { s, admin, windows, A, take, act, ok } = await hall(t);
  const [w1, w2] = windows;
  const town = (await admin.post('/api/v1/centers', { name: '城关镇便民服务中心', level: 'town', parent_id: 1 })).body.id;
  const kioskHere = await s.makeDevice(admin, 'kiosk', 1);
  const kioskThere = await s.makeDevice(admin, 'kiosk', town);
  const clerk = await s.makeUser(admin, 'clerk1', [{ role: 'clerk', center_id: 1 }]);
  const st = await admin.post('/api/v1/staff', { user_id: clerk.user.id, staff_no: 'CK0001', center_id: 1, window_id: w1 });
  assert.equal(st.status, 201, st.text);
  const guide = await s.makeUser(admin, 'guide1', [{ role: 'guide', center_id: 1 }]);
  await take(A);

  const before = dbSnapshot(s.db);
  assertError(await admin.post('/api/v1/hall/1/tickets', { line_id: 999 }), 404, 'LINE_NOT_FOUND', 'line_id');
  assertError(await admin.post('/api/v1/hall/1/tickets', { line_id: A, priority: 'vip' }), 400, 'FIELD_ENUM', 'priority');
  assertError(await admin.post('/api/v1/hall/1/tickets', { line_id: A, extra: 1 }), 400, 'FIELD_UNKNOWN', 'extra');
  let e = assertError(await kioskThere.post('/api/v1/hall/1/tickets', { line_id: A }), 403, 'DEVICE_OTHER_CENTER');
  assert.match(e.message, /其他中心/);
  assertError(await act(w1, 'call'), 409, 'WINDOW_CLOSED');
  assertError(await act(w1, 'resume'), 409, 'WINDOW_CLOSED');
  assertError(await act(w1, 'dance'), 404, 'ACTION_UNKNOWN');
  e = assertError(await act(w2, 'open', undefined, clerk), 403, 'WINDOW_FORBIDDEN');
  assert.match(e.message, /2号窗口/);
  assertError(await act(w1, 'open', undefined, guide), 403, 'FORBIDDEN');
  assertError(await act(w1, 'open', { ticket_id: 'x' }), 400, 'FIELD_TYPE', 'ticket_id');
  assertError(await admin.post('/api/v1/hall/1/lines', { prefix: 'a', name: '小写' }), 400, 'FIELD_FORMAT', 'prefix');
  assertError(await admin.post('/api/v1/hall/1/lines', { prefix: 'A', name: '重复' }), 409, 'LINE_PREFIX_TAKEN', 'prefix');
  assertError(await admin.post('/api/v1/hall/1/lines', { prefix: 'C', name: '外窗', window_ids: [w1, 999] }), 400, 'WINDOW_NOT_IN_CENTER', 'window_ids[1]');
  assert.equal(dbSnapshot(s.db), before, 'refused requests wrote nothing');

  // The kiosk of this center and the clerk at window 1 work.
  const k = await kioskHere.post('/api/v1/hall/1/tickets', { line_id: A, priority: 'green' });
  assert.equal(k.status, 201, k.text);
  assert.equal(k.body.source, 'kiosk');
  await ok(w1, 'open', undefined, clerk);
  await ok(w1, 'pause', undefined, clerk);
  const paused = dbSnapshot(s.db);
  assertError(await act(w1, 'call', undefined, clerk), 409, 'WINDOW_PAUSED');
  assertError(await act(w1, 'pause', undefined, clerk), 409, 'WINDOW_PAUSED');
  assert.equal(dbSnapshot(s.db), paused);
  await ok(w1, 'resume', undefined, clerk);
  const r = await ok(w1, 'call', undefined, clerk);
  assert.equal(r.current.number, 'A002', 'the green kiosk ticket first');
  assertError(await act(w1, 'close', undefined, clerk), 409, 'WINDOW_BUSY');
  // An inactive line takes no tickets.
  assert.equal((await admin.patch(`/api/v1/hall/lines/${A}`, { active: false })).status, 200);
  assertError(await admin.post('/api/v1/hall/1/tickets', { line_id: A }), 409, 'LINE_INACTIVE', 'line_id');
});

/** Open a hall event stream; collects parsed events. */
async function stream(s, path, { bearer, cookie, lastEventId } = {}) {
  const ac = new AbortController();
  const headers = {};
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (cookie) headers.Cookie = cookie;
  if (lastEventId !== undefined) headers['Last-Event-ID'] = String(lastEventId);
  const res = await fetch(s.base + path, { headers, signal: ac.signal });
  const out = { status: res.status, type: res.headers.get('content-type'), events: [], comments: 0 };
  let buf = '';
  const waiters = [];
  const pump = (async () => {
    const rd = res.body.getReader();
    const dec = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await rd.read();
        if (done) return;
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) out.comments++;
            const m = /^(id|event|data): (.*)$/.exec(line);
            if (m) ev[m[1]] = m[2];
          }
          if (ev.id) out.events.push({ id: Number(ev.id), kind: ev.event, data: JSON.parse(ev.data) });
        }
        for (const w of waiters.splice(0)) w();
      }
    } catch { /* aborted */ }
  })();
  out.waitFor = async (n, ms = 5000) => {
    const end = Date.now() + ms;
    while (out.events.length < n && Date.now() < end) await new Promise((r) => { waiters.push(r); setTimeout(r, 100); });
    assert.ok(out.events.length >= n, `expected ${n} events, got ${out.events.length}`);
  };
  out.close = async () => { ac.abort(); await pump; };
  return out;
}

test('live events: a silent stream gets heartbeat comments', async (t) => {
  const s = await startServer({ t, extraArgs: ['--sse-heartbeat', '1'] });
  const admin = await s.login();
  const es = await stream(s, '/api/v1/hall/1/events', { cookie: admin.cookie });
  await sleep(3500);
  assert.ok(es.comments >= 2, `heartbeats in 3.5 s at 1 s: ${es.comments}`);
  assert.equal(es.events.length, 0);
  await es.close();
});

test('live events: a display receives calls and resumes with Last-Event-ID without a gap', async (t) => {
  const { s, admin, windows, A, take, ok } = await hall(t);
  const display = await s.makeDevice(admin, 'display', 1);
  const town = (await admin.post('/api/v1/centers', { name: '城关镇便民服务中心', level: 'town', parent_id: 1 })).body.id;
  const otherDisplay = await s.makeDevice(admin, 'display', town);
  assertError(await otherDisplay.get('/api/v1/hall/1/events'), 403, 'CENTER_FORBIDDEN');
  assertError(await display.get('/api/v1/hall/1/events?last_event_id=x'), 400, 'FIELD_FORMAT');

  const q = await display.get('/api/v1/hall/1/queue');
  assert.equal(q.status, 200, q.text);
  const es = await stream(s, '/api/v1/hall/1/events', { bearer: display.bearer, lastEventId: q.body.last_event_id });
  assert.equal(es.status, 200);
  assert.match(es.type, /^text\/event-stream/);
  const [w1, w2] = windows;
  await ok(w1, 'open');
  await ok(w2, 'open');
  for (let i = 0; i < 4; i++) await take(A);
  await ok(w1, 'call');
  await ok(w2, 'call');
  await es.waitFor(8);
  const calls = es.events.filter((e) => e.kind === 'call');
  assert.deepEqual(calls.map((c) => c.data.text), ['请A001号到1号窗口办理', '请A002号到2号窗口办理']);
  const ids = es.events.map((e) => e.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'ids ascend');
  const last = ids.at(-1);
  await es.close();

  // Missed while away: events of this center and of another one.
  await ok(w1, 'finish');
  await ok(w1, 'call');
  await ok(w2, 'recall');
  const tl = await admin.post(`/api/v1/hall/${town}/lines`, { prefix: 'A', name: '综合' });
  await admin.post(`/api/v1/hall/${town}/tickets`, { line_id: tl.body.id });
  const missed = sqlite(s.db, `SELECT id FROM hall_events WHERE center_id = 1 AND id > ${last} ORDER BY id`).trim().split('\n').map(Number);
  assert.equal(missed.length, 3);
  const again = await stream(s, '/api/v1/hall/1/events', { bearer: display.bearer, lastEventId: last });
  await again.waitFor(3);
  await sleep(300);
  assert.deepEqual(again.events.map((e) => e.id), missed, 'exactly the missed events, none of the other center');
  assert.deepEqual(again.events.map((e) => e.kind), ['finish', 'call', 'recall']);
  // Live again after the catch-up.
  await ok(w1, 'finish');
  await again.waitFor(4);
  assert.equal(again.events.at(-1).kind, 'finish');
  await again.close();

  // The rating pad of window 1 gets the finish of its window as the prompt to rate.
  const pad = await s.makeDevice(admin, 'rating_pad', 1, { window_no: 1 });
  const padFeed = await stream(s, '/api/v1/hall/1/events', { bearer: pad.bearer });
  await sleep(200);
  await ok(w1, 'call');
  await ok(w1, 'finish');
  await padFeed.waitFor(2);
  const fin = padFeed.events.find((e) => e.kind === 'finish');
  assert.equal(fin.data.window_no, 1);
  await padFeed.close();

  // From the very beginning: every event of the center, in order.
  const all = await stream(s, '/api/v1/hall/1/events?last_event_id=0', { cookie: admin.cookie });
  const total = Number(sqlite(s.db, 'SELECT COUNT(*) FROM hall_events WHERE center_id = 1').trim());
  await all.waitFor(total);
  assert.equal(all.events.length, total);
  assert.deepEqual(all.events.map((e) => e.id),
    sqlite(s.db, 'SELECT id FROM hall_events WHERE center_id = 1 ORDER BY id').trim().split('\n').map(Number));

  // A stream left open does not hold up a clean shutdown.
  const t0 = Date.now();
  const { code } = await s.stop();
  assert.equal(code, 0);
  assert.ok(Date.now() - t0 < 5000, `shutdown took ${Date.now() - t0} ms with a stream open`);
  await all.close();
});

test('live events for the phone page: ids of its hall only, no content, resumable', async (t) => {
  const { s, admin, windows, A, take, ok } = await hall(t);
  const mine = await take(A);
  const pub = s.client();
  assertError(await pub.get(`/api/v1/hall/t/${'0'.repeat(32)}/events`), 404, 'TICKET_NOT_FOUND');
  const es = await stream(s, `/api/v1/hall/t/${mine.token}/events`);
  assert.equal(es.status, 200);
  assert.match(es.type, /^text\/event-stream/);
  const town = (await admin.post('/api/v1/centers', { name: '城关镇便民服务中心', level: 'town', parent_id: 1 })).body.id;
  const tl = await admin.post(`/api/v1/hall/${town}/lines`, { prefix: 'A', name: '综合' });
  await admin.post(`/api/v1/hall/${town}/tickets`, { line_id: tl.body.id }); // another hall: not sent
  await ok(windows[0], 'open');
  await ok(windows[0], 'call');
  await es.waitFor(2);
  await sleep(300);
  const ids = sqlite(s.db, 'SELECT id FROM hall_events WHERE center_id = 1 ORDER BY id').trim().split('\n').map(Number).slice(-2);
  assert.deepEqual(es.events.map((e) => e.id), ids);
  assert.ok(es.events.every((e) => e.kind === 'hall' && JSON.stringify(e.data) === '{}'), 'no content leaks to the public');
  await es.close();
  // Resume after the last id seen: exactly what came since.
  await ok(windows[0], 'finish');
  const again = await stream(s, `/api/v1/hall/t/${mine.token}/events`, { lastEventId: ids.at(-1) });
  await again.waitFor(1);
  assert.equal(again.events[0].id, Number(sqlite(s.db, 'SELECT MAX(id) FROM hall_events WHERE center_id = 1').trim()));
  await again.close();
});
