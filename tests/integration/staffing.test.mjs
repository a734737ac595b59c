// 窗口调度 against the real binary: the staffing figures of a constructed day (tickets and
// window events written straight into the database for 2026-03-02, a Monday, since the
// server has no injectable clock), and opening / releasing tidal windows (潮汐窗口) with
// their errors, audit rows and hall events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, dbSnapshot, sqlite } from './lib/server.mjs';

const DAY = '2026-03-02';
const DS = Date.UTC(2026, 2, 1, 16, 0, 0); // 2026-03-02 00:00 +08:00
const at = (h, m = 0) => DS + h * 3600000 + m * 60000;

/** Center 1 with windows 1, 2 (general) and 3, 4 (tidal); lines A (windows 1, 2),
 * B (window 1) and C (no window). */
async function setup(t) {
  const s = await startServer({ t });
  const admin = await s.login();
  const win = {};
  for (const [n, kind] of [[1, 'general'], [2, 'general'], [3, 'tidal'], [4, 'tidal']]) {
    const r = await admin.post('/api/v1/windows', { center_id: 1, number: n, name: kind === 'tidal' ? '潮汐窗口' : `综合受理${n}`, kind });
    assert.equal(r.status, 201, r.text);
    win[n] = r.body.id;
  }
  const line = async (prefix, name, window_ids) => {
    const r = await admin.post('/api/v1/hall/1/lines', { prefix, name, window_ids });
    assert.equal(r.status, 201, r.text);
    return r.body.id;
  };
  const A = await line('A', '社保医保', [win[1], win[2]]);
  const B = await line('B', '不动产登记', [win[1]]);
  const C = await line('C', '公积金', []);
  return { s, admin, win, A, B, C };
}

let serial = 0;
function ticketSql({ line, prefix, day = DAY, taken, started, finished, window }) {
  serial++;
  const done = finished != null;
  const v = (x) => (x == null ? 'NULL' : x);
  return `INSERT INTO tickets (center_id, service_day, line_id, serial, number, priority, source, status,`
    + ` queued_at, taken_at, called_at, started_at, finished_at, served_by_window_id, token)`
    + ` VALUES (1, '${day}', ${line}, ${serial}, '${prefix}${String(serial).padStart(3, '0')}', 'normal', 'kiosk',`
    + ` '${done ? 'done' : 'waiting'}', ${taken}, ${taken}, ${v(started)}, ${v(started)}, ${v(finished)},`
    + ` ${v(window)}, '${serial.toString(16).padStart(32, '0')}');`;
}

function eventSql(window, kind, when) {
  return `INSERT INTO hall_events (center_id, kind, payload, at) VALUES (1, '${kind}',`
    + ` '{"window_id":${window},"window_no":0,"window_name":"","state":""}', ${when});`;
}

/** The constructed day (see the expectations in the test below). */
function constructDay(s, { win, A, B, C }) {
  const sql = ['BEGIN;'];
  // Line A, 09:00-10:00: 12 tickets every 5 minutes, each started a minute after taking
  // and handled 10 minutes; window 2 serves every third, window 1 the rest.
  for (let i = 0; i < 12; i++) {
    const taken = at(9, 5 * i);
    sql.push(ticketSql({ line: A, prefix: 'A', taken, started: taken + 60000, finished: taken + 660000, window: i % 3 === 2 ? win[2] : win[1] }));
  }
  // Line A, 10:00-11:00: 3 tickets, window 1, 10 minutes each.
  for (const m of [0, 20, 40]) {
    const taken = at(10, m);
    sql.push(ticketSql({ line: A, prefix: 'A', taken, started: taken + 60000, finished: taken + 660000, window: win[1] }));
  }
  // Line B, 14:00-15:00: 2 tickets never served (B never finished a ticket: default 5 min).
  sql.push(ticketSql({ line: B, prefix: 'B', taken: at(14) }));
  sql.push(ticketSql({ line: B, prefix: 'B', taken: at(14, 30) }));
  // Line C: one ticket done on an earlier day in 7 minutes (its history), one waiting today.
  const earlier = DS - 3 * 86400000 + 9 * 3600000;
  sql.push(ticketSql({ line: C, prefix: 'C', day: '2026-02-27', taken: earlier, started: earlier, finished: earlier + 420000, window: win[1] }));
  sql.push(ticketSql({ line: C, prefix: 'C', taken: at(11) }));
  // Window 1 open 08:00-12:00; window 2 open 09:00-12:00 with a pause 10:00-10:30.
  sql.push(eventSql(win[1], 'window_open', at(8)));
  sql.push(eventSql(win[2], 'window_open', at(9)));
  sql.push(eventSql(win[2], 'window_pause', at(10)));
  sql.push(eventSql(win[2], 'window_resume', at(10, 30)));
  sql.push(eventSql(win[1], 'window_close', at(12)));
  sql.push(eventSql(win[2], 'window_close', at(12)));
  sql.push('COMMIT;');
  sqlite(s.db, sql.join('\n'));
}

const hourOf = (line, h) => line.hours.find((x) => x.hour === h);

test('staffing: needed against open windows per line and hour, and the balance across windows', async (t) => {
  const ctx = await setup(t);
  const { s, admin, win, A, B, C } = ctx;
  constructDay(s, ctx);
  const r = await admin.get(`/api/v1/hall/1/staffing?day=${DAY}`);
  assert.equal(r.status, 200, r.text);
  const v = r.body;
  assert.equal(v.service_day, DAY);
  assert.equal(v.target_pct, 80);
  assert.equal(v.target_min, 15);
  assert.equal(v.patience_min, null);
  assert.equal(v.model, 'erlang_c');
  // No opening hours stored for the center: 8-18.
  assert.deepEqual(v.hours, [8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
  const la = v.lines.find((l) => l.id === A);
  const lb = v.lines.find((l) => l.id === B);
  const lc = v.lines.find((l) => l.id === C);
  assert.equal(la.arrivals, 15);
  assert.equal(la.handle_s, 600);
  assert.equal(la.handle_source, 'day');
  // 09:00: 12 x 600 s = 2 Erlangs; 2 windows can never keep up -> 3 needed, 2 open.
  assert.deepEqual(hourOf(la, 9), { hour: 9, arrivals: 12, load: 2, needed: 3, open: 2, service_level: 0, short: true });
  // 10:00: 0.5 Erlangs; 1 window reaches 1 - 0.5 e^-0.75 = 76.4% < 80% -> 2 needed.
  // Window 2 was paused for half the hour: 1.5 window-hours open.
  const h10 = hourOf(la, 10);
  assert.equal(h10.arrivals, 3);
  assert.equal(h10.load, 0.5);
  assert.equal(h10.needed, 2);
  assert.equal(h10.open, 1.5);
  assert.equal(h10.service_level, Math.round((1 - 0.5 * Math.exp(-0.75)) * 100) / 100);
  assert.equal(h10.short, true);
  assert.deepEqual(hourOf(la, 8), { hour: 8, arrivals: 0, load: 0, needed: 0, open: 1, service_level: 1, short: false });
  assert.equal(hourOf(la, 11).open, 2);
  assert.equal(hourOf(la, 12).open, 0);
  assert.equal(la.short_hours, 2);
  // Line B: no handling time ever -> 5 minutes; 2 arrivals at 14:00 with no window open.
  assert.equal(lb.handle_s, 300);
  assert.equal(lb.handle_source, 'default');
  assert.deepEqual(hourOf(lb, 14), { hour: 14, arrivals: 2, load: 0.17, needed: 1, open: 0, service_level: 0, short: true });
  assert.equal(lb.short_hours, 1);
  // Line C: its history (7 minutes on an earlier day); no window serves it.
  assert.equal(lc.handle_s, 420);
  assert.equal(lc.handle_source, 'history');
  assert.equal(hourOf(lc, 11).needed, 1);
  assert.equal(hourOf(lc, 11).short, true);
  // Windows: 1 served 11 (110 min busy, open 08-12), 2 served 4 (40 min, open 150 min).
  assert.deepEqual(v.windows.map((w) => w.number), [1, 2], 'the idle tidal windows are not listed');
  const [w1, w2] = v.windows;
  assert.equal(w1.id, win[1]);
  assert.deepEqual([w1.served, w1.busy_min, w1.open_min, w1.utilization, w1.avg_handle_s], [11, 110, 240, 0.46, 600]);
  assert.deepEqual([w2.served, w2.busy_min, w2.open_min, w2.utilization, w2.avg_handle_s], [4, 40, 150, 0.27, 600]);
  // Balance: served 11 and 4: mean 7.5, sd 3.5, cv 0.47; most / fewest 2.75.
  assert.deepEqual(v.balance, { windows: 2, mean_served: 7.5, max_served: 11, min_served: 4, cv: 0.47, max_min: 2.75, level: 'very_uneven' });
  assert.deepEqual(v.tidal.map((w) => [w.number, w.state, w.line_ids]), [[3, 'closed', []], [4, 'closed', []]]);

  // A laxer target needs fewer windows: 50% within 60 minutes at 09:00 still needs 3
  // (2 Erlangs on 2 windows never settle), but 10:00 needs 1.
  const lax = (await admin.get(`/api/v1/hall/1/staffing?day=${DAY}&target_pct=50&target_min=60`)).body;
  const laxA = lax.lines.find((l) => l.id === A);
  assert.equal(hourOf(laxA, 9).needed, 3);
  assert.equal(hourOf(laxA, 10).needed, 1);
  assert.equal(hourOf(laxA, 10).short, false);
  // Erlang A: impatient applicants leave, so 2 windows at 2 Erlangs do call some in time.
  const ea = (await admin.get(`/api/v1/hall/1/staffing?day=${DAY}&patience_min=5`)).body;
  assert.equal(ea.model, 'erlang_a');
  assert.equal(ea.patience_min, 5);
  const eaA = ea.lines.find((l) => l.id === A);
  assert.ok(hourOf(eaA, 9).needed <= 3 && hourOf(eaA, 9).needed >= 2, JSON.stringify(hourOf(eaA, 9)));
  assert.ok(hourOf(eaA, 9).service_level > 0);

  // Opening hours of the weekday set the columns: Monday 08:30-17:30 -> 8..17; a
  // ticket taken at 19:10 widens them to 19.
  const days = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, am_open: '08:30', am_close: '12:00', pm_open: '14:00', pm_close: '17:30' }));
  assert.equal((await admin.put('/api/v1/centers/1/hours', { days })).status, 200);
  sqlite(s.db, ticketSql({ line: A, prefix: 'A', taken: at(19, 10) }));
  const wide = (await admin.get(`/api/v1/hall/1/staffing?day=${DAY}`)).body;
  assert.deepEqual(wide.hours, [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  assert.equal(hourOf(wide.lines.find((l) => l.id === A), 19).arrivals, 1);

  // Bad input.
  assertError(await admin.get('/api/v1/hall/1/staffing?day=2026-02-30'), 400, 'FIELD_FORMAT', 'day');
  assertError(await admin.get('/api/v1/hall/1/staffing?day=yesterday'), 400, 'FIELD_FORMAT', 'day');
  assertError(await admin.get('/api/v1/hall/1/staffing?target_pct=100'), 400, 'FIELD_RANGE', 'target_pct');
  assertError(await admin.get('/api/v1/hall/1/staffing?target_min=0'), 400, 'FIELD_RANGE', 'target_min');
  assertError(await admin.get('/api/v1/hall/1/staffing?patience_min=abc'), 400, 'FIELD_RANGE', 'patience_min');
  assertError(await admin.get('/api/v1/hall/999/staffing'), 404, 'CENTER_NOT_FOUND');
});

test('tidal windows: open for a line, serve, release; errors write nothing', async (t) => {
  const { s, admin, win, A, B } = await setup(t);
  const town = (await admin.post('/api/v1/centers', { name: '城关镇便民服务中心', level: 'town', parent_id: 1 })).body.id;
  const townWin = (await admin.post('/api/v1/windows', { center_id: town, number: 1, name: '潮汐窗口', kind: 'tidal' })).body.id;
  const townLine = (await admin.post(`/api/v1/hall/${town}/lines`, { prefix: 'A', name: '综合' })).body.id;
  const manager = await s.makeUser(admin, 'mgr1', [{ role: 'manager', center_id: 1 }]);
  const townMgr = await s.makeUser(admin, 'mgr2', [{ role: 'manager', center_id: town }]);

  // Refusals first: each answers in Chinese and writes nothing.
  const before = dbSnapshot(s.db);
  assertError(await manager.post('/api/v1/hall/1/tidal', { line_id: A, window_id: win[1] }), 400, 'WINDOW_NOT_TIDAL', 'window_id');
  assertError(await manager.post('/api/v1/hall/1/tidal', { line_id: 99999 }), 404, 'LINE_NOT_FOUND', 'line_id');
  assertError(await manager.post('/api/v1/hall/1/tidal', { line_id: townLine }), 404, 'LINE_NOT_FOUND', 'line_id');
  assertError(await manager.post('/api/v1/hall/1/tidal', { line_id: A, window_id: townWin }), 404, 'WINDOW_NOT_FOUND', 'window_id');
  assertError(await manager.post('/api/v1/hall/1/tidal', {}), 400, 'FIELD_REQUIRED', 'line_id');
  assertError(await manager.post('/api/v1/hall/1/tidal', { line_id: A, extra: 1 }), 400, 'FIELD_UNKNOWN');
  assertError(await townMgr.post('/api/v1/hall/1/tidal', { line_id: A }), 403, 'CENTER_FORBIDDEN');
  assertError(await townMgr.get('/api/v1/hall/1/staffing'), 403, 'CENTER_FORBIDDEN');
  assertError(await townMgr.post(`/api/v1/hall/1/tidal/${win[3]}/close`), 403, 'CENTER_FORBIDDEN');
  assertError(await manager.post(`/api/v1/hall/1/tidal/${win[3]}/close`), 409, 'WINDOW_CLOSED');
  assertError(await manager.post(`/api/v1/hall/1/tidal/${win[1]}/close`), 400, 'WINDOW_NOT_TIDAL');
  assertError(await manager.post(`/api/v1/hall/1/tidal/${townWin}/close`), 404, 'WINDOW_NOT_FOUND');
  assert.equal(dbSnapshot(s.db), before, 'refused requests wrote nothing');
  // The county manager's subtree covers the town.
  assert.equal((await manager.get(`/api/v1/hall/${town}/staffing`)).status, 200);

  // Open without naming a window: the closed tidal window with the lowest number.
  const lastEvent = (await admin.get('/api/v1/hall/1/queue')).body.last_event_id;
  const o1 = await manager.post('/api/v1/hall/1/tidal', { line_id: A });
  assert.equal(o1.status, 200, o1.text);
  assert.equal(o1.body.id, win[3]);
  assert.equal(o1.body.state, 'open');
  const lines = (await admin.get('/api/v1/hall/1/lines')).body.items;
  assert.ok(lines.find((l) => l.id === A).window_ids.includes(win[3]));
  assert.ok(!lines.find((l) => l.id === B).window_ids.includes(win[3]));
  // Audit rows and hall events, in the same transaction.
  const kinds = sqlite(s.db, `SELECT kind FROM hall_events WHERE center_id = 1 AND id > ${lastEvent} ORDER BY id`).trim().split('\n');
  assert.deepEqual(kinds, ['tidal_open', 'window_open']);
  const ev = JSON.parse(sqlite(s.db, "SELECT payload FROM hall_events WHERE kind = 'tidal_open'").trim());
  assert.equal(ev.window_id, win[3]);
  assert.equal(ev.line_id, A);
  assert.equal(ev.line_name, '社保医保');
  const audit = sqlite(s.db, "SELECT action || '|' || summary FROM audit_log WHERE action IN ('tidal_open', 'window_open') ORDER BY rowid").trim().split('\n');
  assert.deepEqual(audit, ['tidal_open|开潮汐窗口：3号窗口调往“社保医保”（A）', 'window_open|开窗']);

  // The same window again: busy. The next free one is window 4; then none is left.
  assertError(await manager.post('/api/v1/hall/1/tidal', { line_id: B, window_id: win[3] }), 409, 'WINDOW_BUSY', 'window_id');
  const o2 = await admin.post('/api/v1/hall/1/tidal', { line_id: B });
  assert.equal(o2.status, 200, o2.text);
  assert.equal(o2.body.id, win[4]);
  assertError(await manager.post('/api/v1/hall/1/tidal', { line_id: A }), 409, 'TIDAL_NONE_FREE');

  // The staffing view of today lists them as open with their line.
  const today = (await manager.get('/api/v1/hall/1/staffing')).body;
  assert.deepEqual(today.tidal.map((w) => [w.number, w.state, w.line_ids]), [[3, 'open', [A]], [4, 'open', [B]]]);

  // The tidal window serves line A: take and call there; with a ticket at it, it cannot close.
  const tk = await admin.post('/api/v1/hall/1/tickets', { line_id: A });
  assert.equal(tk.status, 201, tk.text);
  const call = await manager.post(`/api/v1/hall/windows/${win[3]}/call`);
  assert.equal(call.status, 200, call.text);
  assert.equal(call.body.ticket.number, tk.body.number);
  const busy = dbSnapshot(s.db);
  const refused = await manager.post(`/api/v1/hall/1/tidal/${win[3]}/close`);
  assertError(refused, 409, 'WINDOW_BUSY');
  assert.match(refused.body.message, /A001/);
  assert.equal(dbSnapshot(s.db), busy);
  assert.equal((await manager.post(`/api/v1/hall/windows/${win[3]}/start`)).status, 200);
  assert.equal((await manager.post(`/api/v1/hall/windows/${win[3]}/finish`)).status, 200);

  // Release: off every line and closed, with its audit row and events.
  const mark = (await admin.get('/api/v1/hall/1/queue')).body.last_event_id;
  const c1 = await manager.post(`/api/v1/hall/1/tidal/${win[3]}/close`);
  assert.equal(c1.status, 200, c1.text);
  assert.equal(c1.body.state, 'closed');
  assert.deepEqual(c1.body.lines, []);
  assert.ok(!(await admin.get('/api/v1/hall/1/lines')).body.items.find((l) => l.id === A).window_ids.includes(win[3]));
  assert.deepEqual(sqlite(s.db, `SELECT kind FROM hall_events WHERE center_id = 1 AND id > ${mark} ORDER BY id`).trim().split('\n'), ['tidal_close', 'window_close']);
  assert.equal(sqlite(s.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'tidal_close'").trim(), '1');
  assertError(await manager.post(`/api/v1/hall/1/tidal/${win[3]}/close`), 409, 'WINDOW_CLOSED');
  // Free again: the next open without a window takes it.
  const o3 = await manager.post('/api/v1/hall/1/tidal', { line_id: B });
  assert.equal(o3.status, 200, o3.text);
  assert.equal(o3.body.id, win[3]);
  // Staffing of today now counts window 3's open time and its served ticket.
  const after = (await manager.get('/api/v1/hall/1/staffing')).body;
  const w3 = after.windows.find((w) => w.id === win[3]);
  assert.equal(w3.served, 1);
  assert.ok(w3.open_min >= 0 && w3.utilization !== undefined);
});
