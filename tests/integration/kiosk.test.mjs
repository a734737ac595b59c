// What the hall's devices need besides the queue: call audio from espeak-ng keyed by a
// real call event, QR codes for the kiosk's ticket slip, and the kiosk's item search
// naming the lines that serve an item.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, assertError, dbSnapshot, repo } from './lib/server.mjs';

/** GET with a bearer token or cookie client, body as bytes. */
async function getBytes(s, c, path) {
  const headers = {};
  if (c.bearer) headers.Authorization = `Bearer ${c.bearer}`;
  if (c.cookie) headers.Cookie = c.cookie;
  const res = await fetch(s.base + path, { headers });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

test('call audio: a real WAV for a call event of the center, refused otherwise', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  const town = (await admin.post('/api/v1/centers', { name: '城关镇便民服务中心', level: 'town', parent_id: 1 })).body.id;
  const win = (await admin.post('/api/v1/windows', { center_id: 1, number: 5, name: '综合受理', kind: 'general' })).body.id;
  const line = (await admin.post('/api/v1/hall/1/lines', { prefix: 'A', name: '社保医保', window_ids: [win] })).body.id;
  const display = await s.makeDevice(admin, 'display', 1);
  const otherDisplay = await s.makeDevice(admin, 'display', town);
  const kiosk = await s.makeDevice(admin, 'kiosk', 1);
  const pad = await s.makeDevice(admin, 'rating_pad', 1, { window_no: 5 });

  const before = (await admin.get('/api/v1/hall/1/queue')).body.last_event_id;
  await admin.post('/api/v1/hall/1/tickets', { line_id: line });
  assert.equal((await admin.post(`/api/v1/hall/windows/${win}/open`)).status, 200);
  const called = await admin.post(`/api/v1/hall/windows/${win}/call`);
  assert.equal(called.status, 200, called.text);
  const q = (await admin.get('/api/v1/hall/1/queue')).body;
  const call = q.recent_calls[0];
  assert.equal(call.text, '请A001号到5号窗口办理');
  const callId = call.event_id;
  assert.ok(callId > before);

  const snap = dbSnapshot(s.db);
  for (const who of [display, admin]) {
    const r = await getBytes(s, who, `/api/v1/hall/1/voice/${callId}`);
    assert.equal(r.status, 200, r.bytes.toString());
    assert.equal(r.type, 'audio/wav');
    assert.equal(r.bytes.subarray(0, 4).toString('latin1'), 'RIFF');
    assert.equal(r.bytes.subarray(8, 12).toString('latin1'), 'WAVE');
    assert.equal(r.bytes.readUInt32LE(4), r.bytes.length - 8, 'RIFF size is the real one');
    assert.equal(r.bytes.subarray(36, 40).toString('latin1'), 'data');
    assert.equal(r.bytes.readUInt32LE(40), r.bytes.length - 44, 'data size is the real one');
    // A sentence of some 10 syllables: a second or more of 16-bit mono audio.
    const rate = r.bytes.readUInt32LE(24);
    assert.ok(r.bytes.length - 44 > rate * 2, `${r.bytes.length} bytes at ${rate} Hz`);
    // Not silence.
    let peak = 0;
    for (let i = 44; i + 1 < r.bytes.length; i += 2) peak = Math.max(peak, Math.abs(r.bytes.readInt16LE(i)));
    assert.ok(peak > 1000, `peak ${peak}`);
  }
  assert.equal(dbSnapshot(s.db), snap, 'speaking writes nothing');

  // Only call events are spoken: the take event before it is not.
  assertError(await display.get(`/api/v1/hall/1/voice/${callId - 1}`), 404, 'CALL_NOT_FOUND');
  assertError(await display.get('/api/v1/hall/1/voice/999999'), 404, 'CALL_NOT_FOUND');
  assertError(await display.get('/api/v1/hall/1/voice/abc'), 404, 'NOT_FOUND');
  assertError(await display.get('/api/v1/hall/1/voice/0'), 404, 'NOT_FOUND');
  // An event of center 1 asked for through another center answers nothing.
  assertError(await admin.get(`/api/v1/hall/${town}/voice/${callId}`), 404, 'CALL_NOT_FOUND');
  // Wrong center, wrong device kinds.
  assertError(await otherDisplay.get(`/api/v1/hall/1/voice/${callId}`), 403, 'CENTER_FORBIDDEN');
  assertError(await kiosk.get(`/api/v1/hall/1/voice/${callId}`), 403, 'FORBIDDEN');
  assertError(await pad.get(`/api/v1/hall/1/voice/${callId}`), 403, 'FORBIDDEN');
  assertError(await s.client().get(`/api/v1/hall/1/voice/${callId}`), 401, 'AUTH_REQUIRED');
  assertError(await display.get(`/api/v1/hall/999/voice/${callId}`), 404, 'CENTER_NOT_FOUND');
});

test('QR codes: SVG for this site\'s URLs and short text, refused otherwise', async (t) => {
  const s = await startServer({ t });
  const anon = s.client();
  const host = new URL(s.base).host;
  const ok = async (text) => {
    const r = await getBytes(s, anon, `/api/v1/qr.svg?text=${encodeURIComponent(text)}`);
    assert.equal(r.status, 200, r.bytes.toString());
    assert.equal(r.type, 'image/svg+xml');
    const svg = r.bytes.toString();
    const m = /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 (\d+) \1"/.exec(svg);
    assert.ok(m, svg.slice(0, 120));
    const modules = Number(m[1]) - 8;
    assert.ok(modules >= 21 && (modules - 21) % 4 === 0, `a QR is 21 + 4k modules wide, not ${modules}`);
    // The three finder patterns: 7 dark modules in a row at the top left, top right, bottom left.
    assert.ok(svg.includes('M4 4h7v1h-7z'), 'top-left finder');
    assert.ok(svg.includes(`M${4 + modules - 7} 4h7v1h-7z`), 'top-right finder');
    assert.ok(svg.includes(`M4 ${4 + modules - 1}h7v1h-7z`), 'bottom-left finder');
    assert.ok(!/<script|on\w+=/i.test(svg));
    return { svg, modules };
  };
  const url = `${s.base}/hall/ticket.html?t=${'a'.repeat(32)}`;
  const small = await ok('A001');
  const big = await ok(url);
  assert.ok(big.modules > small.modules, 'more text, more modules');
  await ok('请到5号窗口办理');
  await ok('x'.repeat(256));

  assertError(await anon.get('/api/v1/qr.svg'), 400, 'FIELD_REQUIRED', 'text');
  assertError(await anon.get('/api/v1/qr.svg?text='), 400, 'FIELD_REQUIRED', 'text');
  assertError(await anon.get(`/api/v1/qr.svg?text=${'x'.repeat(257)}`), 400, 'FIELD_LENGTH', 'text');
  assertError(await anon.get('/api/v1/qr.svg?text=a%0Ab'), 400, 'FIELD_FORMAT', 'text');
  assertError(await anon.get('/api/v1/qr.svg?text=%FF%FE'), 400, 'FIELD_FORMAT', 'text');
  for (const foreign of ['https://evil.example/hall/ticket.html', `http://${host}.evil.example/`, 'javascript://x', `ftp://${host}/`]) {
    assertError(await anon.get(`/api/v1/qr.svg?text=${encodeURIComponent(foreign)}`), 400, 'QR_FOREIGN_URL', 'text');
  }
  await ok(`http://${host}`);
});

test('kiosk search: items found by name, each with the lines of this center serving it', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  const dept = await admin.post('/api/v1/departments', { name: '县人力资源和社会保障局', credit_code: '114103265346409776' });
  assert.equal(dept.status, 201, dept.text);
  const fixture = JSON.parse(readFileSync(join(repo, 'tests', 'integration', 'fixtures', 'catalog-small.json'), 'utf8'));
  const pension = fixture.items.find((i) => i.basic_code === '1105000001');
  pension.department = '县人力资源和社会保障局';
  const imported = await admin.post('/api/v1/catalog/import', { format: 'yichuang-catalog', format_version: 1, items: [pension], bundles: [] });
  assert.equal(imported.status, 200, imported.text);
  const itemId = (await admin.get('/api/v1/items')).body.items.find((i) => i.basic_code === '1105000001').id;
  assert.ok(itemId);
  const town = (await admin.post('/api/v1/centers', { name: '城关镇便民服务中心', level: 'town', parent_id: 1 })).body.id;
  const A = (await admin.post('/api/v1/hall/1/lines', { prefix: 'A', name: '社保医保', item_ids: [itemId] })).body.id;
  const C = (await admin.post('/api/v1/hall/1/lines', { prefix: 'C', name: '综合受理', item_ids: [itemId] })).body.id;
  await admin.post('/api/v1/hall/1/lines', { prefix: 'B', name: '不动产登记' });
  assert.equal((await admin.patch(`/api/v1/hall/lines/${C}`, { active: false })).status, 200);
  const kiosk = await s.makeDevice(admin, 'kiosk', 1);
  const townKiosk = await s.makeDevice(admin, 'kiosk', town);
  const display = await s.makeDevice(admin, 'display', 1);

  const r = await kiosk.get(`/api/v1/hall/1/kiosk-search?q=${encodeURIComponent('养老保险')}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.results.length, 1);
  const hit = r.body.results[0];
  assert.equal(hit.code, '1105000001');
  assert.equal(hit.name, '城乡居民养老保险参保登记');
  assert.equal(hit.item_id, itemId);
  assert.deepEqual(hit.lines, [{ id: A, prefix: 'A', name: '社保医保' }], 'active lines only');
  // The same item in a center without such a line: found, with no line.
  const t2 = await admin.get(`/api/v1/hall/${town}/kiosk-search?q=${encodeURIComponent('养老')}`);
  assert.equal(t2.status, 200, t2.text);
  assert.deepEqual(t2.body.results[0].lines, []);
  assert.deepEqual((await kiosk.get(`/api/v1/hall/1/kiosk-search?q=${encodeURIComponent('没有这种事项名')}`)).body.results, []);

  assertError(await kiosk.get('/api/v1/hall/1/kiosk-search'), 400, 'FIELD_LENGTH', 'q');
  assertError(await kiosk.get(`/api/v1/hall/1/kiosk-search?q=${'字'.repeat(101)}`), 400, 'FIELD_LENGTH', 'q');
  assertError(await townKiosk.get('/api/v1/hall/1/kiosk-search?q=abc'), 403, 'CENTER_FORBIDDEN');
  assertError(await display.get('/api/v1/hall/1/kiosk-search?q=abc'), 403, 'FORBIDDEN');
  assertError(await s.client().get('/api/v1/hall/1/kiosk-search?q=abc'), 401, 'AUTH_REQUIRED');
});
