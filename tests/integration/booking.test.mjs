// Appointments against the real binary: slots from hours, windows and the calendar;
// booking, cancelling and rescheduling by the applicant and by phone staff; no
// overbooking under parallel requests; check-in turning a booking into a priority
// ticket (and a second check-in refused); the no-show rule; reminders through the
// outbox, delivered to a local webhook receiver that checks the signature and fails
// once to prove the retry; and a booking that survives kill -9.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { startServer, assertError, sqlite } from './lib/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const DAY = 864e5;

/** A valid 居民身份证号 (GB 11643 check character) for sequence n. */
export function idNumber(n, birth = '19850315') {
  const body = `110105${birth}${String(n % 1000).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}
const mobile = (n) => `139${String(10000000 + n).slice(-8)}`;

/** China-time date n days from now, YYYY-MM-DD. */
const cstDate = (n = 0) => new Date(Date.now() + 8 * 3600e3 + n * DAY).toISOString().slice(0, 10);
const cstMinutes = () => { const d = new Date(Date.now() + 8 * 3600e3); return d.getUTCHours() * 60 + d.getUTCMinutes(); };

/** The SMS verification code the server sent to mobile m for request id: read where the
 * default file sender delivers SMS (DATA/outbox.jsonl), the applicant's phone here. */
export async function deliveredCode(dir, id) {
  const file = `${dir}/outbox.jsonl`;
  for (let i = 0; i < 200; i++) {
    const lines = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
    const line = lines.find((l) => l.ref === `sms_code:${id}`);
    if (line) return /验证码(\d{6})/.exec(line.body)[1];
    await sleep(50);
  }
  throw new Error(`SMS code ${id} was not delivered`);
}

/** Center 1 open every day 00:00–12:00 and 12:00–23:30, two windows on duty every day of
 * every kind, line A served by both. Slot 30 min, handling 10 min, book_pct 50: capacity
 * 2 × 30 / 10 × 50 % = 3 per slot. */
async function setup(t, extraArgs = []) {
  const s = await startServer({ t, extraArgs: ['--outbox-poll-ms', '100', '--outbox-retry-s', '1', ...extraArgs] });
  const admin = await s.login();
  const days = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, am_open: '00:00', am_close: '12:00', pm_open: '12:00', pm_close: '23:30' }));
  const h = await admin.put('/api/v1/centers/1/hours', { days });
  assert.equal(h.status, 200, h.text);
  const windows = [];
  for (const n of [1, 2]) {
    const w = await admin.post('/api/v1/windows', { center_id: 1, number: n, name: `综合受理${n}`, kind: 'general', duty_lunch: true, duty_weekend: true, duty_holiday: true });
    assert.equal(w.status, 201, w.text);
    windows.push(w.body.id);
  }
  const A = (await admin.post('/api/v1/hall/1/lines', { prefix: 'A', name: '社保医保', window_ids: windows })).body.id;
  const set = await admin.put('/api/v1/hall/1/booking-settings', { slot_min: 30, default_handle_min: 10, book_pct: 50 });
  assert.equal(set.status, 200, set.text);
  const pub = s.client();
  // A code serves its mobile for 10 minutes: ask once per mobile, as an applicant would.
  const codes = new Map();
  const smsCode = async (m) => {
    if (!codes.has(m)) {
      const r = await pub.post('/api/v1/booking/sms-code', { mobile: m });
      assert.equal(r.status, 201, r.text);
      codes.set(m, deliveredCode(s.dir, r.body.id));
    }
    return codes.get(m);
  };
  const book = async (n, date, start, line_id = A, by = pub, path = '/api/v1/bookings') => {
    const body = { line_id, date, start, name: `申请人${n}`, id_number: idNumber(n), mobile: mobile(n) };
    if (path === '/api/v1/bookings') body.sms_code = await smsCode(mobile(n));
    return by.post(path, body);
  };
  return { s, admin, windows, A, pub, book, smsCode };
}

test('slots: capacity from windows and handling time, the calendar, bad input', async (t) => {
  const { s, admin, A, pub, smsCode } = await setup(t);
  const r = await pub.get(`/api/v1/booking/lines/${A}/slots?from=${cstDate(1)}&days=2`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.days.length, 2);
  const d = r.body.days[0];
  assert.equal(d.date, cstDate(1));
  assert.equal(d.slots.length, 24 + 23, 'every half hour 00:00–12:00 and 12:00–23:30');
  assert.deepEqual({ ...d.slots[0] }, { start: '00:00', end: '00:30', windows: 2, capacity: 3, taken: 0, available: 3, open: true });
  // One window less: capacity 1 × 30 / 10 × 50 % = 1 (floor of 1.5).
  await admin.patch(`/api/v1/hall/lines/${A}`, { window_ids: [(await admin.get('/api/v1/windows?center_id=1')).body.items[0].id] });
  assert.equal((await pub.get(`/api/v1/booking/lines/${A}/slots?from=${cstDate(1)}&days=1`)).body.days[0].slots[0].capacity, 1);
  // A local 闭厅 day has no slots, and says why.
  const closed = await admin.post('/api/v1/calendar-overrides', { center_id: 1, date: cstDate(2), kind: 'closed', reason: '设备检修' });
  assert.equal(closed.status, 201, closed.text);
  const c = (await pub.get(`/api/v1/booking/lines/${A}/slots?from=${cstDate(2)}&days=1`)).body.days[0];
  assert.equal(c.slots.length, 0);
  assert.match(c.note, /闭厅/);
  assertError(await pub.post('/api/v1/bookings', { line_id: A, date: cstDate(2), start: '09:00', name: '张三', id_number: idNumber(1), mobile: mobile(1), sms_code: await smsCode(mobile(1)) }), 400, 'DAY_CLOSED', 'date');
  // Lines open for booking, public.
  const lines = await pub.get('/api/v1/booking/lines?center_id=1');
  assert.deepEqual(lines.body.items.map((l) => l.name), ['社保医保']);
  assertError(await pub.get(`/api/v1/booking/lines/${A}/slots?from=2026-13-01`), 400, 'FIELD_FORMAT', 'from');
  assertError(await pub.get(`/api/v1/booking/lines/${A}/slots?days=99`), 400, 'FIELD_RANGE', 'days');
  assertError(await pub.get('/api/v1/booking/lines/999/slots'), 404, 'LINE_NOT_FOUND');
  void s;
});

test('book, bad input changes nothing, duplicate, full slot under parallel requests', async (t) => {
  const { s, pub, A, book, smsCode } = await setup(t);
  const date = cstDate(3);
  const b = await book(1, date, '09:00');
  assert.equal(b.status, 201, b.text);
  assert.match(b.body.code, /^\d{8}$/);
  assert.match(b.body.token, /^[0-9a-f]{32}$/);
  assert.equal(b.body.status, 'booked');
  assert.equal(b.body.slot_end, '09:30');
  assert.equal(b.body.mobile_masked, '139****0001');
  assert.ok(!('mobile_cipher' in b.body) && !('person_id' in b.body));
  const code2 = await smsCode(mobile(2)), code3 = await smsCode(mobile(3)), code4 = await smsCode(mobile(4));
  const before = sqlite(s.db, 'SELECT COUNT(*) FROM bookings; SELECT COUNT(*) FROM outbox;');
  const bad = [
    [{ id_number: '110105198503150010' }, 400, 'ID_NUMBER_CHECK', 'id_number'],
    [{ mobile: '12345' }, 400, undefined, 'mobile'],
    [{ start: '09:10' }, 400, 'SLOT_NOT_FOUND', 'start'],
    [{ start: '9:00' }, 400, 'FIELD_LENGTH', 'start'],
    [{ date: cstDate(-1) }, 400, 'BOOKING_OUT_OF_RANGE', 'date'],
    [{ date: cstDate(40) }, 400, 'BOOKING_OUT_OF_RANGE', 'date'],
    [{ line_id: 999 }, 404, 'LINE_NOT_FOUND', 'line_id'],
  ];
  for (const [patch, status, code, field] of bad) {
    const r = await pub.post('/api/v1/bookings', { line_id: A, date, start: '10:00', name: '李四', id_number: idNumber(2), mobile: mobile(2), sms_code: code2, ...patch });
    assert.equal(r.status, status, `${JSON.stringify(patch)}: ${r.text}`);
    if (code) assert.equal(r.body.code, code, r.text);
    assert.equal(r.body.field, field, r.text);
  }
  assert.equal(sqlite(s.db, 'SELECT COUNT(*) FROM bookings; SELECT COUNT(*) FROM outbox;'), before, 'bad input wrote nothing');
  // One live booking per person, line and day.
  assertError(await book(1, date, '10:00'), 409, 'BOOKING_DUPLICATE');
  // A retry with the Idempotency-Key of a lost answer gets that booking, not an error;
  // the same key from another person is another request.
  const once = { headers: { 'Idempotency-Key': 'bk-retry-0001' } };
  const codes = { 3: code3, 4: code4 };
  const body = (n) => ({ line_id: A, date, start: '11:00', name: `申请人${n}`, id_number: idNumber(n), mobile: mobile(n), sms_code: codes[n] });
  const k1 = await pub.post('/api/v1/bookings', body(3), once);
  const k2 = await pub.post('/api/v1/bookings', body(3), once);
  assert.equal(k1.status, 201, k1.text);
  assert.equal(k2.status, 201, k2.text);
  assert.equal(k2.body.id, k1.body.id);
  const k3 = await pub.post('/api/v1/bookings', body(4), once);
  assert.equal(k3.status, 201, k3.text);
  assert.notEqual(k3.body.id, k1.body.id);
  assert.equal(sqlite(s.db, `SELECT COUNT(*) FROM outbox WHERE ref = 'booking:${k1.body.id}:booking_confirm'`).trim(), '1');
  // 20 people race for the 2 places left at 09:00: exactly 2 win.
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => book(100 + i, date, '09:00')));
  const won = results.filter((r) => r.status === 201);
  assert.equal(won.length, 2, results.map((r) => r.status).join(','));
  for (const r of results.filter((x) => x.status !== 201)) assertError(r, 409, 'SLOT_FULL', 'start');
  assert.equal(sqlite(s.db, `SELECT COUNT(*) FROM bookings WHERE service_day = '${date}' AND slot_start = '09:00' AND status = 'booked'`).trim(), '3');
  const slots = (await pub.get(`/api/v1/booking/lines/${A}/slots?from=${date}&days=1`)).body.days[0].slots;
  assert.deepEqual(slots.find((x) => x.start === '09:00').available, 0);
});

test('lookup, cancel and reschedule by the applicant and by phone staff; reminders queued and cancelled', async (t) => {
  const { s, admin, pub, A, book, smsCode } = await setup(t);
  const b = (await book(7, cstDate(4), '10:00')).body;
  // The applicant finds the booking with ID number + mobile; the wrong mobile finds nothing.
  const found = await pub.post('/api/v1/bookings/lookup', { id_number: idNumber(7), mobile: mobile(7), sms_code: await smsCode(mobile(7)) });
  assert.equal(found.status, 200, found.text);
  assert.deepEqual(found.body.items.map((x) => x.code), [b.code]);
  assert.equal((await pub.post('/api/v1/bookings/lookup', { id_number: idNumber(7), mobile: mobile(8), sms_code: await smsCode(mobile(8)) })).body.items.length, 0);
  // Without the code sent to that mobile, nothing.
  assertError(await pub.post('/api/v1/bookings/lookup', { id_number: idNumber(7), mobile: mobile(7) }), 400, 'FIELD_REQUIRED', 'sms_code');
  // Confirmation now, the evening before and 30 minutes before.
  const q = async (ref) => (await admin.get(`/api/v1/outbox?ref=${ref}&limit=100`)).body.items;
  let rows = await q(`booking:${b.id}:`);
  assert.deepEqual(rows.map((r) => r.topic).sort(), ['booking_confirm', 'remind_30', 'remind_eve']);
  const eve = rows.find((r) => r.topic === 'remind_eve');
  assert.equal(eve.due_at.slice(11, 16), '18:00', eve.due_at);
  assert.equal(eve.due_at.slice(0, 10), cstDate(3));
  assert.equal(rows.find((r) => r.topic === 'remind_30').due_at.slice(11, 16), '09:30');
  assert.ok(rows.every((r) => r.to_masked === '139****0007' && !JSON.stringify(r).includes(mobile(7))));
  // Reschedule by the token: a new code, the old booking 'rescheduled', its reminders cancelled.
  const moved = await pub.post(`/api/v1/bookings/t/${b.token}/reschedule`, { date: cstDate(5), start: '11:00' });
  assert.equal(moved.status, 200, moved.text);
  assert.notEqual(moved.body.code, b.code);
  assert.equal(moved.body.replaces_id, b.id);
  assert.equal((await pub.get(`/api/v1/bookings/t/${b.token}`)).body.status, 'rescheduled');
  rows = await q(`booking:${b.id}:`);
  assert.ok(rows.filter((r) => r.topic.startsWith('remind')).every((r) => r.status === 'cancelled'), JSON.stringify(rows));
  assert.ok(rows.some((r) => r.topic === 'booking_cancel' && r.body.includes('改约')));
  assertError(await pub.post(`/api/v1/bookings/t/${b.token}/cancel`), 409, 'BOOKING_RESCHEDULED');
  // Cancel the new one: its place comes back.
  const c = await pub.post(`/api/v1/bookings/t/${moved.body.token}/cancel`);
  assert.equal(c.status, 200, c.text);
  assert.equal(c.body.status, 'cancelled');
  assertError(await pub.post(`/api/v1/bookings/t/${moved.body.token}/cancel`), 409, 'BOOKING_CANCELLED');
  // Phone staff book for a caller, see the day, cancel on their behalf.
  const guide = await s.makeUser(admin, 'guide1', [{ role: 'guide', center_id: 1 }]);
  const ph = await book(9, cstDate(4), '14:00', A, guide, '/api/v1/hall/1/bookings');
  assert.equal(ph.status, 201, ph.text);
  assert.equal(ph.body.channel, 'phone');
  const day = await guide.get(`/api/v1/hall/1/bookings?date=${cstDate(4)}`);
  assert.equal(day.status, 200, day.text);
  assert.ok(day.body.items.some((x) => x.code === ph.body.code && !('token' in x)));
  const sc = await guide.post(`/api/v1/hall/bookings/${ph.body.id}/cancel`);
  assert.equal(sc.status, 200, sc.text);
  // Another center's staff cannot.
  const town = (await admin.post('/api/v1/centers', { name: '城关镇便民服务中心', level: 'town', parent_id: 1 })).body.id;
  const other = await s.makeUser(admin, 'guide2', [{ role: 'guide', center_id: town }]);
  const ph2 = (await book(10, cstDate(4), '15:00', A, guide, '/api/v1/hall/1/bookings')).body;
  assertError(await other.post(`/api/v1/hall/bookings/${ph2.id}/cancel`), 403, 'CENTER_FORBIDDEN');
  assertError(await book(11, cstDate(4), '15:00', A, other, `/api/v1/hall/${town}/bookings`), 400, 'LINE_NOT_FOUND', 'line_id');
  // Every change is in the action log, with the mobile masked.
  const log = sqlite(s.db, "SELECT summary FROM audit_log WHERE action LIKE 'booking_%'");
  assert.match(log, /139\*\*\*\*0007/);
  assert.ok(!log.includes(mobile(7)) && !log.includes(idNumber(7)));
});

test('check-in: a priority ticket once; wrong day, other center, bad code; the no-show rule', async (t) => {
  const { s, admin, pub, A, book } = await setup(t);
  await admin.put('/api/v1/hall/1/booking-settings', { early_min: 240 });
  const kiosk = await s.makeDevice(admin, 'kiosk', 1);
  // A booking tomorrow cannot be checked in today.
  const tomorrow = (await book(20, cstDate(1), '10:00')).body;
  assertError(await kiosk.post('/api/v1/hall/1/checkin', { code: tomorrow.code }), 409, 'BOOKING_NOT_TODAY');
  assertError(await kiosk.post('/api/v1/hall/1/checkin', { code: 'ZZZZZZZZ' }), 404, 'BOOKING_NOT_FOUND', 'code');
  assertError(await kiosk.post('/api/v1/hall/1/checkin', {}), 400, 'FIELD_REQUIRED');
  // A kiosk of another center is refused.
  const town = (await admin.post('/api/v1/centers', { name: '城关镇便民服务中心', level: 'town', parent_id: 1 })).body.id;
  const townKiosk = await s.makeDevice(admin, 'kiosk', town);
  assertError(await townKiosk.post('/api/v1/hall/1/checkin', { code: tomorrow.code }), 403, 'DEVICE_OTHER_CENTER');
  // Today: the next slot that has not begun (none after 23:00 China time).
  const slots = (await pub.get(`/api/v1/booking/lines/${A}/slots?days=1`)).body.days[0].slots.filter((x) => x.open);
  if (slots.length) {
    const today = (await book(21, cstDate(0), slots[0].start)).body;
    const r = await kiosk.post('/api/v1/hall/1/checkin', { code: today.code.toLowerCase() });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.priority, 'appointment');
    assert.equal(r.body.source, 'booking');
    assert.equal(r.body.booking.code, today.code);
    assert.equal(r.body.booking.late, false);
    assert.match(r.body.number, /^A\d{3}$/);
    const again = await kiosk.post('/api/v1/hall/1/checkin', { id_number: idNumber(21) });
    assertError(again, 404, 'BOOKING_NOT_FOUND', 'id_number');
    const twice = await kiosk.post('/api/v1/hall/1/checkin', { code: today.code });
    assertError(twice, 409, 'BOOKING_CHECKED_IN');
    assert.ok(twice.body.message.includes(r.body.number), twice.text);
    assert.equal((await pub.get(`/api/v1/bookings/t/${today.token}`)).body.status, 'checked_in');
    // The 30-minute reminder is moot once checked in.
    const rows = (await admin.get(`/api/v1/outbox?ref=booking:${today.id}:remind_30`)).body.items;
    assert.ok(rows.every((x) => x.status === 'cancelled'));
    // Check-in by ID number finds today's booking too.
    const second = slots[1] || slots[0];
    const other = (await book(22, cstDate(0), second.start)).body;
    const byId = await kiosk.post('/api/v1/hall/1/checkin', { id_number: idNumber(22) });
    assert.equal(byId.status, 201, byId.text);
    assert.equal(byId.body.booking.code, other.code);
  } else {
    t.diagnostic('after 23:00 China time: no slot left today, the check-in part is not run');
  }
  // No-shows: three missed bookings within 30 days suspend booking for 30 days. The
  // bookings are made for later days and then moved into the past in the database, as
  // time passing would; the server's sweep marks them missed.
  const missed = [];
  for (const n of [1, 2, 3]) missed.push((await book(30, cstDate(n), '08:00')).body.id);
  const now = Date.now();
  sqlite(s.db, `UPDATE bookings SET start_at = ${now} - 86400000 * id, end_at = ${now} - 86400000 * id + 1800000 WHERE id IN (${missed.join(',')})`);
  let st = '';
  for (let i = 0; i < 100 && st !== 'no_show|no_show|no_show'; i++) {
    await sleep(100);
    st = sqlite(s.db, `SELECT group_concat(status, '|') FROM bookings WHERE id IN (${missed.join(',')})`).trim();
  }
  assert.equal(st, 'no_show|no_show|no_show', 'the sweep marks missed bookings');
  const refused = await book(30, cstDate(5), '09:00');
  assertError(refused, 403, 'BOOKING_SUSPENDED', 'id_number');
  assert.match(refused.body.message, /暂停至\d{4}-\d{2}-\d{2}/);
  // Someone else books as before.
  assert.equal((await book(31, cstDate(5), '09:00')).status, 201);
});

test('outbox: reminders reach a webhook receiver, signed, retried after a failure; file sender by default', async (t) => {
  const got = [];
  let failFirst = true;
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      if (failFirst) { failFirst = false; res.writeHead(503); res.end(); return; }
      got.push({ body, headers: req.headers });
      res.writeHead(200);
      res.end('{}');
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  t.after(() => receiver.close());
  const url = `http://127.0.0.1:${receiver.address().port}/sms`;
  const secret = 'webhook-secret-1';
  const { s, admin, A, book } = await setup(t, ['--outbox-sender', 'webhook', '--outbox-webhook-url', url, '--outbox-webhook-secret', secret]);
  // Booked by phone staff: the first message out is its confirmation.
  const b = (await book(40, cstDate(2), '09:00', A, admin, '/api/v1/hall/1/bookings')).body;
  for (let i = 0; i < 100 && !got.length; i++) await sleep(100);
  assert.equal(got.length, 1, 'the confirmation arrives after one failed attempt');
  const m = JSON.parse(got[0].body);
  assert.equal(m.to, mobile(40), 'the gateway gets the number in clear');
  assert.equal(m.topic, 'booking_confirm');
  assert.ok(m.body.includes(b.code) && m.body.includes('社保医保'), m.body);
  assert.equal(got[0].headers['idempotency-key'], `booking:${b.id}:booking_confirm`);
  const sig = createHmac('sha256', secret).update(got[0].body).digest('hex');
  assert.equal(got[0].headers['x-yichuang-signature'], `sha256=${sig}`);
  // The worker marks the row sent after the receiver's answer: wait for that commit.
  let row;
  for (let i = 0; i < 100; i++) {
    row = (await admin.get(`/api/v1/outbox?ref=booking:${b.id}:booking_confirm`)).body.items[0];
    if (row.status === 'sent') break;
    await sleep(50);
  }
  assert.equal(row.status, 'sent');
  assert.equal(row.attempts, 2);
  assert.match(row.last_error, /503/);
  // Not-yet-due reminders wait.
  assert.equal((await admin.get(`/api/v1/outbox?ref=booking:${b.id}:remind_eve`)).body.items[0].status, 'pending');
  // Restart with the default file sender: messages land in DATA/outbox.jsonl, masked.
  await s.stop();
  await s.start(['--outbox-poll-ms', '100']);
  const b2 = (await book(41, cstDate(2), '09:30', undefined, s.client())).body;
  const file = `${s.dir}/outbox.jsonl`;
  let lines = [];
  for (let i = 0; i < 100; i++) {
    if (existsSync(file)) lines = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    if (lines.some((l) => l.ref === `booking:${b2.id}:booking_confirm`)) break;
    await sleep(100);
  }
  const line = lines.find((l) => l.ref === `booking:${b2.id}:booking_confirm`);
  assert.ok(line, 'the file sender wrote the confirmation');
  assert.equal(line.to, '139****0041');
  assert.ok(!readFileSync(file, 'utf8').includes(mobile(41)), 'no mobile in clear in the file');
});

test('a booking acknowledged survives kill -9 with its reminders', async (t) => {
  const { s, book } = await setup(t);
  const b = await book(50, cstDate(3), '16:00');
  assert.equal(b.status, 201, b.text);
  await s.stop('SIGKILL');
  await s.start();
  const again = await s.client().get(`/api/v1/bookings/t/${b.body.token}`);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.body.code, b.body.code);
  assert.equal(sqlite(s.db, `SELECT COUNT(*) FROM outbox WHERE ref LIKE 'booking:${b.body.id}:%'`).trim(), '3');
});

test('"your turn is near": one SMS when at most 3 are ahead after a call', async (t) => {
  const { s, admin, windows, A } = await setup(t);
  const kiosk = await s.makeDevice(admin, 'kiosk', 1);
  assertError(await kiosk.post('/api/v1/hall/1/tickets', { line_id: A, mobile: '1234' }), 400, 'MOBILE_LENGTH', 'mobile');
  const tickets = [];
  for (let i = 0; i < 6; i++) {
    const r = await kiosk.post('/api/v1/hall/1/tickets', { line_id: A, ...(i === 5 ? { mobile: mobile(60) } : {}) });
    assert.equal(r.status, 201, r.text);
    tickets.push(r.body);
  }
  const near = async () => (await admin.get(`/api/v1/outbox?ref=ticket:${tickets[5].id}:near`)).body.items;
  await admin.post(`/api/v1/hall/windows/${windows[0]}/open`);
  const call = async () => {
    const r = await admin.post(`/api/v1/hall/windows/${windows[0]}/call`);
    assert.equal(r.status, 200, r.text);
    assert.equal((await admin.post(`/api/v1/hall/windows/${windows[0]}/finish`)).status, 200);
  };
  await call(); // 4 ahead
  assert.equal((await near()).length, 0);
  await call(); // 3 ahead
  const rows = await near();
  assert.equal(rows.length, 1);
  assert.equal(rows[0].topic, 'turn_near');
  assert.equal(rows[0].to_masked, '139****0060');
  assert.match(rows[0].body, /A006前面还有3人/);
  await call(); // 2 ahead: no second message
  assert.equal((await admin.get('/api/v1/outbox?ref=ticket:&limit=100')).body.items.filter((x) => x.topic === 'turn_near').length, 1);
});

test('a center closed today (闭厅) takes no tickets; reopened, it does', async (t) => {
  const { admin, A } = await setup(t);
  const o = await admin.post('/api/v1/calendar-overrides', { center_id: 1, date: cstDate(0), kind: 'closed', reason: '停电检修' });
  assert.equal(o.status, 201, o.text);
  const r = await admin.post('/api/v1/hall/1/tickets', { line_id: A });
  assertError(r, 409, 'CENTER_CLOSED');
  assert.match(r.body.message, /停电检修/);
  assert.equal((await admin.del(`/api/v1/calendar-overrides/${o.body.id}`)).status, 204);
  assert.equal((await admin.post('/api/v1/hall/1/tickets', { line_id: A })).status, 201);
});

test('the phone page asks for a text later: POST /hall/t/{token}/notify', async (t) => {
  const { s, admin, windows, A } = await setup(t);
  const tickets = [];
  for (let i = 0; i < 5; i++) tickets.push((await admin.post('/api/v1/hall/1/tickets', { line_id: A })).body);
  const mine = tickets[4];
  const pub = s.client();
  assertError(await pub.post(`/api/v1/hall/t/${mine.token}/notify`, { mobile: '139' }), 400, 'MOBILE_LENGTH', 'mobile');
  assertError(await pub.post(`/api/v1/hall/t/${'0'.repeat(32)}/notify`, { mobile: mobile(70) }), 404, 'TICKET_NOT_FOUND');
  assert.equal(sqlite(s.db, `SELECT notify_cipher FROM tickets WHERE id = ${mine.id}`).trim(), '', 'bad input stored nothing');
  const ok = await pub.post(`/api/v1/hall/t/${mine.token}/notify`, { mobile: mobile(70) });
  assert.equal(ok.status, 204, ok.text);
  assert.ok(!sqlite(s.db, `SELECT notify_cipher FROM tickets WHERE id = ${mine.id}`).includes(mobile(70)), 'sealed at rest');
  await admin.post(`/api/v1/hall/windows/${windows[0]}/open`);
  await admin.post(`/api/v1/hall/windows/${windows[0]}/call`); // 3 ahead now
  const rows = (await admin.get(`/api/v1/outbox?ref=ticket:${mine.id}:near`)).body.items;
  assert.equal(rows.length, 1);
  assert.equal(rows[0].to_masked, '139****0070');
  // A ticket no longer waiting needs no reminder.
  assertError(await pub.post(`/api/v1/hall/t/${tickets[0].token}/notify`, { mobile: mobile(71) }), 409, 'TICKET_NOT_WAITING');
});

test('SMS verification codes: required, counted wrong tries, resend gap, expiry, never kept in clear', async (t) => {
  const { s, admin, A, pub } = await setup(t);
  const date = cstDate(3);
  const body = (n, code) => ({ line_id: A, date, start: '10:00', name: `申请人${n}`, id_number: idNumber(n), mobile: mobile(n), ...(code === undefined ? {} : { sms_code: code }) });
  // No code, a code never asked for, a malformed mobile: clear errors, nothing written.
  assertError(await pub.post('/api/v1/bookings', body(60)), 400, 'FIELD_REQUIRED', 'sms_code');
  assertError(await pub.post('/api/v1/bookings', body(60, '123456')), 400, 'SMS_CODE_NONE', 'sms_code');
  assertError(await pub.post('/api/v1/booking/sms-code', { mobile: '1234' }), 400, 'MOBILE_LENGTH', 'mobile');
  assert.equal(sqlite(s.db, 'SELECT COUNT(*) FROM sms_codes; SELECT COUNT(*) FROM bookings;'), '0\n0\n');
  // Ask: 201 with the masked number and no code (not the demo); again at once: 429.
  const r = await pub.post('/api/v1/booking/sms-code', { mobile: mobile(60) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.mobile_masked, '139****0060');
  assert.equal(r.body.resend_after_s, 60);
  assert.ok(!('demo_code' in r.body) && !/\d{6}/.test(JSON.stringify({ ...r.body, expires_at: '' })), r.text);
  assertError(await pub.post('/api/v1/booking/sms-code', { mobile: mobile(60) }), 429, 'SMS_TOO_SOON', 'mobile');
  const code = await deliveredCode(s.dir, r.body.id);
  // Not in the database in clear: neither in sms_codes nor, once sent, in the outbox;
  // operators see the row but not the code.
  assert.ok(!sqlite(s.db, '.dump sms_codes').includes(code));
  let row;
  for (let i = 0; i < 100; i++) {
    row = sqlite(s.db, `SELECT status, body FROM outbox WHERE ref = 'sms_code:${r.body.id}'`);
    if (row.startsWith('sent')) break;
    await sleep(50);
  }
  assert.ok(row.startsWith('sent') && !row.includes(code), row);
  const listed = (await admin.get(`/api/v1/outbox?ref=sms_code:${r.body.id}`)).body.items[0];
  assert.equal(listed.to_masked, '139****0060');
  assert.ok(!listed.body.includes(code), listed.body);
  // Another mobile's code does not open this one; a wrong code is counted, and the
  // count survives the failed request: after 5 wrong tries even the right code fails.
  const wrong = code === '000000' ? '111111' : '000000';
  const w1 = await pub.post('/api/v1/bookings', body(60, wrong));
  assertError(w1, 400, 'SMS_CODE_WRONG', 'sms_code');
  assert.match(w1.body.message, /还可以再试4次/);
  assert.equal(sqlite(s.db, 'SELECT attempts FROM sms_codes').trim(), '1');
  for (let i = 0; i < 3; i++) assertError(await pub.post('/api/v1/bookings', body(60, wrong)), 400, 'SMS_CODE_WRONG');
  assertError(await pub.post('/api/v1/bookings', body(60, wrong)), 400, 'SMS_CODE_LOCKED', 'sms_code');
  assertError(await pub.post('/api/v1/bookings', body(60, code)), 400, 'SMS_CODE_LOCKED', 'sms_code');
  assertError(await pub.post('/api/v1/bookings/lookup', { id_number: idNumber(60), mobile: mobile(60), sms_code: code }), 400, 'SMS_CODE_LOCKED');
  assert.equal(sqlite(s.db, 'SELECT COUNT(*) FROM bookings').trim(), '0');
  // A new code (after the gap) replaces it and works for booking, then for lookup.
  sqlite(s.db, 'UPDATE sms_codes SET created_at = created_at - 61000');
  const r2 = await pub.post('/api/v1/booking/sms-code', { mobile: mobile(60) });
  assert.equal(r2.status, 201, r2.text);
  const code2 = await deliveredCode(s.dir, r2.body.id);
  const ok = await pub.post('/api/v1/bookings', body(60, code2));
  assert.equal(ok.status, 201, ok.text);
  const mine = await pub.post('/api/v1/bookings/lookup', { id_number: idNumber(60), mobile: mobile(60), sms_code: code2 });
  assert.deepEqual(mine.body.items.map((x) => x.code), [ok.body.code]);
  // Expired: refused.
  sqlite(s.db, `UPDATE sms_codes SET expires_at = ${Date.now() - 1} WHERE id = ${r2.body.id}`);
  assertError(await pub.post('/api/v1/bookings/lookup', { id_number: idNumber(60), mobile: mobile(60), sms_code: code2 }), 400, 'SMS_CODE_NONE');
  // Phone staff book without a code (they are logged in and talk to the applicant).
  const staff = await admin.post('/api/v1/hall/1/bookings', body(61));
  assert.equal(staff.status, 201, staff.text);
  // One address asking for codes for many mobiles is slowed down: 30 per 10 minutes.
  let last;
  for (let n = 0; n < 30 && (!last || last.status === 201); n++) last = await pub.post('/api/v1/booking/sms-code', { mobile: mobile(200 + n) });
  assertError(last, 429, 'TOO_MANY_ATTEMPTS');
});
