// Devices: kiosks, hall displays and rating pads with bearer tokens bound to one
// center; what a token may and may not do; revocation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, dbSnapshot, sqlite } from './lib/server.mjs';

const D = '/api/v1/devices';

test('devices: registration, tokens, what a device may do, revocation', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  const center = async (name, level, parent_id) => {
    const r = await admin.post('/api/v1/centers', { name, level, parent_id });
    assert.equal(r.status, 201, r.text);
    return r.body.id;
  };
  const townA = await center('城关镇便民服务中心', 'town', 1);
  const townB = await center('洛北街道便民服务中心', 'town', 1);
  const tokens = {};
  const made = {};

  await t.test('kiosk, display and rating pad: 201 with the token shown once', async () => {
    const specs = [
      ['kiosk', { kind: 'kiosk', name: '一楼取号机', center_id: 1 }],
      ['display', { kind: 'display', name: '大厅叫号屏', center_id: townA }],
      ['rating_pad', { kind: 'rating_pad', name: '3号窗口评价器', center_id: townA, window_no: 3 }],
      ['display_b', { kind: 'display', name: '洛北叫号屏', center_id: townB }],
      ['display_county', { kind: 'display', name: '县中心叫号屏', center_id: 1 }],
    ];
    for (const [key, body] of specs) {
      const r = await admin.post(D, body);
      assert.equal(r.status, 201, r.text);
      assert.equal(r.body.kind, body.kind);
      assert.equal(r.body.name, body.name);
      assert.equal(r.body.center_id, body.center_id);
      assert.equal(r.body.window_no, body.window_no ?? null);
      assert.equal(r.body.revoked_at, null);
      assert.ok(r.body.center_name);
      assert.match(r.body.token, /^ycd_[A-Za-z0-9_-]{40,}$/);
      assert.ok(!('center_path' in r.body) && !('token_hash' in r.body));
      tokens[key] = r.body.token;
      made[key] = r.body;
    }
    assert.equal(new Set(Object.values(tokens)).size, specs.length, 'tokens differ');
    // Only hashes are stored; the list never shows a token.
    const stored = sqlite(s.db, 'SELECT token_hash FROM devices');
    for (const tok of Object.values(tokens)) assert.ok(!stored.includes(tok));
    const list = await admin.get(D);
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, specs.length);
    for (const d of list.body.items) {
      assert.deepEqual(Object.keys(d).sort(), ['center_id', 'center_name', 'created_at', 'id', 'kind', 'name', 'revoked_at', 'window_no']);
    }
    assert.ok(!list.text.includes('ycd_'));
  });

  await t.test('bad registrations are refused and write nothing', async () => {
    const snap = dbSnapshot(s.db);
    assertError(await admin.post(D, { kind: 'rating_pad', name: '评价器', center_id: townA }), 400, 'FIELD_REQUIRED', 'window_no');
    assertError(await admin.post(D, { kind: 'printer', name: '打印机', center_id: 1 }), 400, 'FIELD_ENUM', 'kind');
    assertError(await admin.post(D, { kind: 'admin', name: '冒充', center_id: 1 }), 400, 'FIELD_ENUM', 'kind');
    assertError(await admin.post(D, { kind: 'kiosk', name: '取号机', center_id: 999 }), 404, 'CENTER_NOT_FOUND', 'center_id');
    assertError(await admin.post(D, { kind: 'rating_pad', name: '评价器', center_id: 1, window_no: 0 }), 400, 'FIELD_RANGE', 'window_no');
    assertError(await admin.post(D, { kind: 'rating_pad', name: '评价器', center_id: 1, window_no: 1000 }), 400, 'FIELD_RANGE', 'window_no');
    assert.equal(dbSnapshot(s.db), snap);
  });

  await t.test('GET /api/v1/device answers the device itself', async () => {
    for (const key of ['kiosk', 'display', 'rating_pad']) {
      const c = s.client();
      c.bearer = tokens[key];
      const r = await c.get('/api/v1/device');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.id, made[key].id);
      assert.equal(r.body.kind, made[key].kind);
      assert.equal(r.body.center_id, made[key].center_id);
      assert.equal(r.body.window_no, made[key].window_no);
      assert.ok(!('token' in r.body) && !('center_path' in r.body));
    }
  });

  await t.test('a device token cannot call staff routes nor the session', async () => {
    const c = s.client();
    c.bearer = tokens.kiosk;
    const snap = dbSnapshot(s.db);
    for (const [m, p, b] of [
      ['GET', '/api/v1/session'], ['DELETE', '/api/v1/session'],
      ['POST', '/api/v1/session/password', { current_password: 'x', new_password: 'y' }],
      ['GET', '/api/v1/users'], ['GET', '/api/v1/users/1'], ['GET', '/api/v1/centers'],
      ['GET', D], ['POST', D, { kind: 'kiosk', name: 'x', center_id: 1 }],
      ['DELETE', `${D}/${made.display.id}`], ['GET', '/api/v1/audit'],
      ['POST', '/api/v1/announcements', { center_id: 1, title: 't', body: 'b' }],
    ]) {
      assertError(await c.req(m, p, b), 403, 'FORBIDDEN');
    }
    assert.equal(dbSnapshot(s.db), snap);
    // A person's session cannot use the device route.
    assertError(await admin.get('/api/v1/device'), 403, 'FORBIDDEN');
  });

  await t.test('bad or malformed bearer tokens answer 401 AUTH_INVALID_TOKEN', async () => {
    for (const h of ['Bearer ycd_nope', 'Bearer ', 'Bearer', 'Basic YWRtaW46YWRtaW4=', `Bearer ${tokens.kiosk}x`,
      `Bearer ${'a'.repeat(300)}`, `bearer ${tokens.kiosk}`]) {
      const r = await s.client().get('/api/v1/device', { headers: { Authorization: h } });
      assertError(r, 401, 'AUTH_INVALID_TOKEN');
    }
  });

  await t.test('a display reads announcements of its own center only', async () => {
    const post = async (center_id, title) => {
      const r = await admin.post('/api/v1/announcements', { center_id, title, body: '正文' });
      assert.equal(r.status, 201, r.text);
      return r.body.id;
    };
    const nA = await post(townA, '城关镇通知');
    const nB = await post(townB, '洛北通知');
    const nCounty = await post(1, '县中心通知');
    const disp = s.client();
    disp.bearer = tokens.display; // at town A
    const l = await disp.get(`/api/v1/announcements?center_id=${townA}`);
    assert.equal(l.status, 200, l.text);
    assert.deepEqual(l.body.items.map((x) => x.id), [nA]);
    const g = await disp.get(`/api/v1/announcements/${nA}`);
    assert.equal(g.status, 200);
    assert.equal(g.body.title, '城关镇通知');
    assertError(await disp.get(`/api/v1/announcements?center_id=${townB}`), 403, 'CENTER_FORBIDDEN', 'center_id');
    assertError(await disp.get('/api/v1/announcements?center_id=1'), 403, 'CENTER_FORBIDDEN', 'center_id');
    assertError(await disp.get(`/api/v1/announcements/${nB}`), 404, 'NOTICE_NOT_FOUND');
    assertError(await disp.get(`/api/v1/announcements/${nCounty}`), 404, 'NOTICE_NOT_FOUND');
    // A device is bound to one center, not a subtree: the county hall's display does
    // not show a town's announcements.
    const cd = s.client();
    cd.bearer = tokens.display_county;
    assert.deepEqual((await cd.get('/api/v1/announcements?center_id=1')).body.items.map((x) => x.id), [nCounty]);
    assertError(await cd.get(`/api/v1/announcements?center_id=${townA}`), 403, 'CENTER_FORBIDDEN', 'center_id');
    assertError(await cd.get(`/api/v1/announcements/${nA}`), 404, 'NOTICE_NOT_FOUND');
    // A display cannot write.
    assertError(await disp.post('/api/v1/announcements', { center_id: townA, title: 't', body: 'b' }), 403, 'FORBIDDEN');
    assertError(await disp.del(`/api/v1/announcements/${nA}`), 403, 'FORBIDDEN');
  });

  await t.test('a kiosk and a rating pad cannot read announcements at all', async () => {
    for (const key of ['kiosk', 'rating_pad']) {
      const c = s.client();
      c.bearer = tokens[key];
      assertError(await c.get(`/api/v1/announcements?center_id=${made[key].center_id}`), 403, 'FORBIDDEN');
      assertError(await c.get('/api/v1/announcements/1'), 403, 'FORBIDDEN');
    }
  });

  await t.test('a town manager sees and revokes only devices of their town', async () => {
    const mgr = await s.makeUser(admin, 'mgr.a', [{ role: 'manager', center_id: townA }]);
    const list = await mgr.get(D);
    assert.deepEqual(list.body.items.map((x) => x.id).sort(), [made.display.id, made.rating_pad.id].sort());
    const snap = dbSnapshot(s.db);
    assertError(await mgr.del(`${D}/${made.kiosk.id}`), 403, 'CENTER_FORBIDDEN');
    assertError(await mgr.del(`${D}/${made.display_b.id}`), 403, 'CENTER_FORBIDDEN');
    assertError(await mgr.post(D, { kind: 'kiosk', name: '取号机', center_id: townB }), 403, 'CENTER_FORBIDDEN', 'center_id');
    assert.equal(dbSnapshot(s.db), snap);
    const k = s.client();
    k.bearer = tokens.kiosk;
    assert.equal((await k.get('/api/v1/device')).status, 200, 'still valid');
  });

  await t.test('a revoked token answers 401; revoking twice is 404', async () => {
    const c = s.client();
    c.bearer = tokens.rating_pad;
    assert.equal((await c.get('/api/v1/device')).status, 200);
    const r = await admin.del(`${D}/${made.rating_pad.id}`);
    assert.equal(r.status, 204, r.text);
    assertError(await c.get('/api/v1/device'), 401, 'AUTH_INVALID_TOKEN');
    assertError(await c.get('/healthz'), 401, 'AUTH_INVALID_TOKEN');
    assertError(await admin.del(`${D}/${made.rating_pad.id}`), 404, 'DEVICE_NOT_FOUND');
    assertError(await admin.del(`${D}/99999`), 404, 'DEVICE_NOT_FOUND');
    assertError(await admin.del(`${D}/abc`), 404, 'NOT_FOUND');
    const row = (await admin.get(D)).body.items.find((x) => x.id === made.rating_pad.id);
    assert.match(row.revoked_at, /\+08:00$/);
    // Other devices keep working.
    const k = s.client();
    k.bearer = tokens.kiosk;
    assert.equal((await k.get('/api/v1/device')).status, 200);
    const acts = sqlite(s.db, "SELECT action || ':' || object_id FROM audit_log WHERE object_type = 'device' ORDER BY seq").trim().split('\n');
    assert.equal(acts.length, 6);
    assert.equal(acts[5], `device_revoke:${made.rating_pad.id}`);
  });
});
