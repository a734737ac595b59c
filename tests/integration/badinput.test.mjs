// Bad input on every write endpoint: broken JSON, wrong shapes and types, unknown and
// missing fields, lengths and ranges, bad ids, other centers' ids, oversized bodies,
// broken encodings. Every refusal has the error shape {code, message, field?} with a
// Chinese message, and leaves the database byte-for-byte as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ADMIN_PASSWORD, assertError, dbSnapshot, rawRequest } from './lib/server.mjs';

// Each write endpoint with a valid body and the rules of its fields.
//   type: string | int | bool | array; req: required; min/max: characters or value.
function endpoints(ids) {
  return [
    {
      method: 'POST', path: '/api/v1/session', valid: { username: 'admin', password: ADMIN_PASSWORD },
      fields: { username: { type: 'string', req: true, min: 1, max: 64 }, password: { type: 'string', req: true, min: 1, max: 256 } },
    },
    {
      method: 'POST', path: '/api/v1/session/password', valid: { current_password: ADMIN_PASSWORD, new_password: 'Next2026pass' },
      fields: { current_password: { type: 'string', req: true, min: 1, max: 256 }, new_password: { type: 'string', req: true, min: 1, max: 256 } },
    },
    {
      method: 'POST', path: '/api/v1/users',
      valid: { username: 'new.user', display_name: '新用户', password: 'Init2026pass', roles: [{ role: 'clerk', center_id: 1 }] },
      fields: {
        username: { type: 'string', req: true, min: 2, max: 32 }, display_name: { type: 'string', req: true, min: 1, max: 32 },
        password: { type: 'string', req: true, min: 1, max: 256 }, roles: { type: 'array', req: true, max: 16 },
      },
    },
    {
      method: 'PATCH', path: `/api/v1/users/${ids.user}`, valid: { display_name: '改后的名字', disabled: false },
      fields: { display_name: { type: 'string', min: 1, max: 32 }, disabled: { type: 'bool' } },
    },
    {
      method: 'PUT', path: `/api/v1/users/${ids.user}/roles`, valid: { roles: [{ role: 'guide', center_id: 1 }] },
      fields: { roles: { type: 'array', req: true, max: 16 } },
    },
    {
      method: 'POST', path: `/api/v1/users/${ids.user}/password-reset`, valid: { new_password: 'Reset2026pass' },
      fields: { new_password: { type: 'string', req: true, min: 1, max: 256 } },
    },
    {
      method: 'POST', path: '/api/v1/centers', valid: { name: '新设镇便民服务中心', level: 'town', parent_id: 1 },
      fields: { name: { type: 'string', req: true, min: 2, max: 64 }, level: { type: 'string', req: true, min: 1, max: 16 }, parent_id: { type: 'int', req: true, min: 1 } },
    },
    {
      method: 'POST', path: '/api/v1/devices', valid: { kind: 'rating_pad', name: '评价器', center_id: 1, window_no: 7 },
      fields: {
        kind: { type: 'string', req: true, min: 1, max: 16 }, name: { type: 'string', req: true, min: 1, max: 64 },
        center_id: { type: 'int', req: true, min: 1 }, window_no: { type: 'int', min: 1, max: 999 },
      },
    },
    {
      method: 'POST', path: '/api/v1/announcements', valid: { center_id: 1, title: '关于调整办公时间的通知', body: '自下周一起……' },
      fields: { center_id: { type: 'int', req: true, min: 1 }, title: { type: 'string', req: true, min: 1, max: 100 }, body: { type: 'string', req: true, min: 1, max: 5000 } },
    },
  ];
}

const WRONG = {
  string: [123, true, [], {}, 1.5],
  int: ['1', 1.5, true, [], {}, 1e300],
  bool: ['true', 1, 0, [], {}],
  array: ['x', 1, {}, true],
};

/** Every bad body for one endpoint: [label, body (object or raw string), status, code, field]. */
function badBodies(ep) {
  const cases = [];
  const v = ep.valid;
  const raw = (label, text, status, code, field) => cases.push([label, { raw: text }, status, code, field]);
  raw('truncated JSON', '{"a":', 400, 'BAD_JSON', null);
  raw('not JSON', 'username=admin', 400, 'BAD_JSON', null);
  raw('trailing garbage', `${JSON.stringify(v)} x`, 400, 'BAD_JSON', null);
  raw('single quotes', "{'a': 1}", 400, 'BAD_JSON', null);
  raw('duplicate key', `{${Object.entries(v).map(([k, x]) => `"${k}":${JSON.stringify(x)}`).join(',')},"${Object.keys(v)[0]}":${JSON.stringify(Object.values(v)[0])}}`, 400, 'BAD_JSON', null);
  raw('NUL escape', '{"x":"a\\u0000b"}', 400, 'BAD_JSON', null);
  raw('lone surrogate', '{"x":"\\ud800"}', 400, 'BAD_JSON', null);
  raw('integer overflow', '{"x":99999999999999999999999}', 400, 'BAD_JSON', null);
  raw('array body', '[]', 400, 'BODY_NOT_OBJECT', null);
  raw('array of the valid body', JSON.stringify([v]), 400, 'BODY_NOT_OBJECT', null);
  raw('string body', '"hello"', 400, 'BODY_NOT_OBJECT', null);
  raw('number body', '42', 400, 'BODY_NOT_OBJECT', null);
  raw('null body', 'null', 400, 'BODY_NOT_OBJECT', null);
  raw('empty body', '', 400, 'BODY_REQUIRED', null);
  cases.push(['unknown field', { ...v, zzz_extra: 1 }, 400, 'FIELD_UNKNOWN', 'zzz_extra']);
  cases.push(['unknown field with a Chinese name', { ...v, 备注: 'x' }, 400, 'FIELD_UNKNOWN', '备注']);
  for (const [name, f] of Object.entries(ep.fields)) {
    if (f.req) {
      const { [name]: _, ...without } = v;
      cases.push([`${name} missing`, without, 400, 'FIELD_REQUIRED', name]);
      cases.push([`${name} null`, { ...v, [name]: null }, 400, 'FIELD_REQUIRED', name]);
    }
    for (const w of WRONG[f.type]) cases.push([`${name} = ${JSON.stringify(w)}`, { ...v, [name]: w }, 400, 'FIELD_TYPE', name]);
    if (f.type === 'string') {
      cases.push([`${name} too long`, { ...v, [name]: 'x'.repeat(f.max + 1) }, 400, 'FIELD_LENGTH', name]);
      cases.push([`${name} too long in characters`, { ...v, [name]: '长'.repeat(f.max + 1) }, 400, 'FIELD_LENGTH', name]);
      cases.push([`${name} too short`, { ...v, [name]: 'x'.repeat(f.min - 1) }, 400, 'FIELD_LENGTH', name]);
      cases.push([`${name} control character`, { ...v, [name]: 'a\u0001b' }, 400, 'FIELD_FORMAT', name]);
    }
    if (f.type === 'int') {
      cases.push([`${name} below range`, { ...v, [name]: f.min - 1 }, 400, 'FIELD_RANGE', name]);
      cases.push([`${name} negative`, { ...v, [name]: -5 }, 400, 'FIELD_RANGE', name]);
      if (f.max) cases.push([`${name} above range`, { ...v, [name]: f.max + 1 }, 400, 'FIELD_RANGE', name]);
    }
    if (f.type === 'array') {
      cases.push([`${name} too many`, { ...v, [name]: Array.from({ length: f.max + 1 }, () => ({ role: 'clerk', center_id: 1 })) }, 400, 'FIELD_LENGTH', name]);
      if (name === 'roles') {
        cases.push(['roles[0] not an object', { ...v, roles: [1] }, 400, 'BODY_NOT_OBJECT', 'roles[0]']);
        cases.push(['roles[1] unknown field', { ...v, roles: [{ role: 'clerk', center_id: 1 }, { role: 'clerk', center_id: 1, x: 1 }] }, 400, 'FIELD_UNKNOWN', 'roles[1].x']);
        cases.push(['roles[0].role missing', { ...v, roles: [{ center_id: 1 }] }, 400, 'FIELD_REQUIRED', 'roles[0].role']);
        cases.push(['roles[0].role wrong type', { ...v, roles: [{ role: 1, center_id: 1 }] }, 400, 'FIELD_TYPE', 'roles[0].role']);
        cases.push(['roles[0].center_id wrong type', { ...v, roles: [{ role: 'clerk', center_id: '1' }] }, 400, 'FIELD_TYPE', 'roles[0].center_id']);
        cases.push(['roles[0].center_id zero', { ...v, roles: [{ role: 'clerk', center_id: 0 }] }, 400, 'FIELD_RANGE', 'roles[0].center_id']);
        cases.push(['roles[0].role unknown', { ...v, roles: [{ role: 'root', center_id: 1 }] }, 400, 'ROLE_UNKNOWN', 'roles[0].role']);
        cases.push(['roles[0].role a device', { ...v, roles: [{ role: 'display', center_id: 1 }] }, 400, 'ROLE_UNKNOWN', 'roles[0].role']);
        cases.push(['roles[0] no such center', { ...v, roles: [{ role: 'clerk', center_id: 424242 }] }, 404, 'CENTER_NOT_FOUND', 'roles[0].center_id']);
      }
    }
  }
  return cases;
}

async function send(c, ep, body, headers = {}) {
  if (body && 'raw' in body) return c.req(ep.method, ep.path, undefined, { raw: body.raw, headers: { 'Content-Type': 'application/json', ...headers } });
  return c.req(ep.method, ep.path, body, { headers });
}

test('bad input on every write endpoint is refused with the error shape and writes nothing', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  const victim = await admin.post('/api/v1/users', { username: 'victim', display_name: '受测用户', password: 'Init2026pass', roles: [{ role: 'clerk', center_id: 1 }] });
  assert.equal(victim.status, 201);
  const eps = endpoints({ user: victim.body.id });
  const snap = dbSnapshot(s.db);

  for (const ep of eps) {
    await t.test(`${ep.method} ${ep.path}`, async () => {
      let n = 0;
      for (const [label, body, status, code, field] of badBodies(ep)) {
        const r = await send(admin, ep, body);
        try {
          assertError(r, status, code, field);
          assert.equal(dbSnapshot(s.db), snap, 'the database changed');
        } catch (e) {
          e.message = `${label}: ${e.message}`;
          throw e;
        }
        n++;
      }
      for (const [label, ct] of [['no Content-Type', null], ['text/plain', 'text/plain'], ['form', 'application/x-www-form-urlencoded'],
        ['json-ish', 'application/jsonp'], ['json-seq', 'application/json-seq'], ['empty', '']]) {
        const headers = ct === null ? {} : { 'Content-Type': ct };
        const r = await fetch(s.base + ep.path, {
          method: ep.method, body: ct === null ? new Blob([JSON.stringify(ep.valid)]) : JSON.stringify(ep.valid),
          headers: { Cookie: admin.cookie, 'X-CSRF-Token': admin.csrf, ...headers },
        });
        const text = await r.text();
        assertError({ status: r.status, text, body: JSON.parse(text), headers: r.headers }, 415, 'CONTENT_TYPE', null);
        assert.equal(dbSnapshot(s.db), snap, `${label}: the database changed`);
        n++;
      }
      // Invalid UTF-8 inside a string value.
      const bytes = Buffer.concat([Buffer.from('{"x":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
      assertError(await admin.req(ep.method, ep.path, undefined, { raw: bytes }), 400, 'BAD_JSON', null);
      const overlong = Buffer.concat([Buffer.from('{"x":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]);
      assertError(await admin.req(ep.method, ep.path, undefined, { raw: overlong }), 400, 'BAD_JSON', null);
      assert.ok(n > 20);
      assert.equal(dbSnapshot(s.db), snap, `${ep.method} ${ep.path} wrote to the database`);
    });
  }

  await t.test('values the field rules do not cover are refused by the endpoints', async () => {
    const cases = [
      ['POST', '/api/v1/centers', { name: '某镇', level: 'city', parent_id: 1 }, 400, 'FIELD_ENUM', 'level'],
      ['POST', '/api/v1/centers', { name: '某镇', level: 'town', parent_id: 999999 }, 404, 'CENTER_NOT_FOUND', 'parent_id'],
      ['POST', '/api/v1/devices', { kind: 'toaster', name: 'x', center_id: 1 }, 400, 'FIELD_ENUM', 'kind'],
      ['POST', '/api/v1/devices', { kind: 'kiosk', name: 'x', center_id: 999999 }, 404, 'CENTER_NOT_FOUND', 'center_id'],
      ['POST', '/api/v1/announcements', { center_id: 999999, title: 't', body: 'b' }, 404, 'CENTER_NOT_FOUND', 'center_id'],
      ['POST', '/api/v1/users', { username: 'bad name', display_name: 'x', password: 'Init2026pass', roles: [] }, 400, 'FIELD_FORMAT', 'username'],
      ['POST', '/api/v1/users', { username: 'weak', display_name: 'x', password: 'abcdefgh', roles: [] }, 400, 'PASSWORD_WEAK', 'password'],
      ['PATCH', `/api/v1/users/${victim.body.id}`, {}, 400, 'BODY_EMPTY', null],
    ];
    for (const [method, path, body, status, code, field] of cases) {
      assertError(await admin.req(method, path, body), status, code, field);
      assert.equal(dbSnapshot(s.db), snap, `${method} ${path} changed the database`);
    }
  });

  await t.test('invalid ids in the path answer 404', async () => {
    const bad = ['abc', '0', '-1', '1.5', '1e3', '0x10', '99999999', '9223372036854775808', '99999999999999999999999', '%20', '1%00', '%E4%B8%AD', '%FF'];
    for (const id of bad) {
      for (const [method, path, body] of [
        ['GET', `/api/v1/users/${id}`], ['PATCH', `/api/v1/users/${id}`, { display_name: 'x' }],
        ['PUT', `/api/v1/users/${id}/roles`, { roles: [] }], ['POST', `/api/v1/users/${id}/password-reset`, { new_password: 'Reset2026pass' }],
        ['DELETE', `/api/v1/devices/${id}`], ['GET', `/api/v1/announcements/${id}`], ['DELETE', `/api/v1/announcements/${id}`],
      ]) {
        const r = await admin.req(method, path, body);
        assert.equal(r.status, 404, `${method} ${path}: ${r.status} ${r.text}`);
        assertError(r, 404, r.body.code);
        assert.ok(['NOT_FOUND', 'USER_NOT_FOUND', 'DEVICE_NOT_FOUND', 'NOTICE_NOT_FOUND'].includes(r.body.code), r.text);
        assert.equal(dbSnapshot(s.db), snap, `${method} ${path} changed the database`);
      }
    }
    // Unknown API paths and methods.
    assertError(await admin.get('/api/v1/nothing-here'), 404, 'NOT_FOUND');
    assertError(await admin.get('/api/v1/users/'), 404, 'NOT_FOUND');
    assertError(await admin.get(`/api/v1/users/${victim.body.id}/extra`), 404, 'NOT_FOUND');
    assertError(await admin.req('PUT', '/api/v1/users'), 405, 'METHOD_NOT_ALLOWED');
    assertError(await admin.req('DELETE', '/api/v1/users'), 405, 'METHOD_NOT_ALLOWED');
    assertError(await admin.post('/healthz', {}), 405, 'METHOD_NOT_ALLOWED');
    assert.equal(dbSnapshot(s.db), snap);
  });

  await t.test('query parameters are checked', async () => {
    for (const q of ['', '?center_id=', '?center_id=abc', '?center_id=0', '?center_id=-3', '?center_id=1.0']) {
      const r = await admin.get(`/api/v1/announcements${q}`);
      assert.equal(r.status, 400, `${q}: ${r.text}`);
      assertError(r, 400, r.body.code, 'center_id');
    }
    assertError(await admin.get('/api/v1/announcements?center_id=424242'), 404, 'CENTER_NOT_FOUND', 'center_id');
    for (const p of ['/api/v1/users', '/api/v1/centers', '/api/v1/devices', '/api/v1/audit', '/api/v1/announcements?center_id=1&x=1']) {
      const sep = p.includes('?') ? '&' : '?';
      assertError(await admin.get(`${p}${sep}limit=0`), 400, 'FIELD_RANGE', 'limit');
      assertError(await admin.get(`${p}${sep}limit=9999`), 400, 'FIELD_RANGE', 'limit');
      assertError(await admin.get(`${p}${sep}cursor=x`), 400, 'FIELD_FORMAT', 'cursor');
    }
    assert.equal(dbSnapshot(s.db), snap);
  });

  await t.test('ids of another center answer 403 (users, centers, devices) or 404 (announcements)', async () => {
    const townA = (await admin.post('/api/v1/centers', { name: '城关镇便民服务中心', level: 'town', parent_id: 1 })).body.id;
    const townB = (await admin.post('/api/v1/centers', { name: '洛北街道便民服务中心', level: 'town', parent_id: 1 })).body.id;
    const mgr = await s.makeUser(admin, 'mgr.a', [{ role: 'manager', center_id: townA }]);
    const clerkB = (await admin.post('/api/v1/users', { username: 'clerk.b', display_name: 'B', password: 'Init2026pass', roles: [{ role: 'clerk', center_id: townB }] })).body.id;
    const devB = (await admin.post('/api/v1/devices', { kind: 'kiosk', name: 'B取号机', center_id: townB })).body.id;
    const noticeB = (await admin.post('/api/v1/announcements', { center_id: townB, title: 'B通知', body: '正文' })).body.id;
    const snap2 = dbSnapshot(s.db);
    const cases = [
      ['GET', `/api/v1/users/${clerkB}`, undefined, 403, 'USER_FORBIDDEN', null],
      ['PATCH', `/api/v1/users/${clerkB}`, { display_name: 'x' }, 403, 'USER_FORBIDDEN', null],
      ['PUT', `/api/v1/users/${clerkB}/roles`, { roles: [] }, 403, 'USER_FORBIDDEN', null],
      ['POST', `/api/v1/users/${clerkB}/password-reset`, { new_password: 'Reset2026pass' }, 403, 'USER_FORBIDDEN', null],
      ['POST', '/api/v1/users', { username: 'x.y', display_name: 'x', password: 'Init2026pass', roles: [{ role: 'clerk', center_id: townB }] }, 403, 'CENTER_FORBIDDEN', 'roles[0].center_id'],
      ['POST', '/api/v1/centers', { name: '某村', level: 'village', parent_id: townB }, 403, 'CENTER_FORBIDDEN', 'parent_id'],
      ['POST', '/api/v1/devices', { kind: 'kiosk', name: 'x', center_id: townB }, 403, 'CENTER_FORBIDDEN', 'center_id'],
      ['DELETE', `/api/v1/devices/${devB}`, undefined, 403, 'CENTER_FORBIDDEN', null],
      ['POST', '/api/v1/announcements', { center_id: townB, title: 't', body: 'b' }, 403, 'CENTER_FORBIDDEN', 'center_id'],
      ['GET', `/api/v1/announcements?center_id=${townB}`, undefined, 403, 'CENTER_FORBIDDEN', 'center_id'],
      ['GET', '/api/v1/announcements?center_id=1', undefined, 403, 'CENTER_FORBIDDEN', 'center_id'],
      ['GET', `/api/v1/announcements/${noticeB}`, undefined, 404, 'NOTICE_NOT_FOUND', null],
      ['DELETE', `/api/v1/announcements/${noticeB}`, undefined, 404, 'NOTICE_NOT_FOUND', null],
    ];
    for (const [method, path, body, status, code, field] of cases) {
      assertError(await mgr.req(method, path, body), status, code, field);
      assert.equal(dbSnapshot(s.db), snap2, `${method} ${path} changed the database`);
    }
  });
});

/** Headers announcing a body of n bytes, sent without the body: the server answers a
 * too-large body before reading it. */
function announce(s, c, path, n, extra = '') {
  return rawRequest(s.port, `POST ${path} HTTP/1.1\r\nHost: x\r\nCookie: ${c.cookie}\r\nX-CSRF-Token: ${c.csrf}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${n}\r\n${extra}Connection: close\r\n\r\n`);
}

test('bodies over the limit answer 413 BODY_TOO_LARGE (default 1 MiB)', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  const snap = dbSnapshot(s.db);
  for (const extra of ['', 'Expect: 100-continue\r\n']) {
    const r = await announce(s, admin, '/api/v1/announcements', 1024 * 1024 + 1, extra);
    assertError({ ...r, headers: new Headers(r.headers) }, 413, 'BODY_TOO_LARGE', null);
    const r2 = await announce(s, s.client(), '/api/v1/session', 50 * 1024 * 1024, extra);
    assertError({ ...r2, headers: new Headers(r2.headers) }, 413, 'BODY_TOO_LARGE', null);
  }
  // Exactly the limit is read (and then refused for the body field's own length).
  const overhead = JSON.stringify({ center_id: 1, title: 't', body: '' }).length;
  const exact = JSON.stringify({ center_id: 1, title: 't', body: 'x'.repeat(1024 * 1024 - overhead) });
  assert.equal(Buffer.byteLength(exact), 1024 * 1024);
  assertError(await admin.post('/api/v1/announcements', undefined, { raw: exact }), 400, 'FIELD_LENGTH', 'body');
  // Without a Content-Length (chunked) the limit holds too: the body is read and dropped.
  const chunk = 'x'.repeat(64 * 1024);
  let req = `POST /api/v1/announcements HTTP/1.1\r\nHost: x\r\nCookie: ${admin.cookie}\r\nX-CSRF-Token: ${admin.csrf}\r\n` +
    'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n';
  for (let i = 0; i < 17; i++) req += `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
  req += '0\r\n\r\n';
  const r = await rawRequest(s.port, req);
  assertError({ ...r, headers: new Headers(r.headers) }, 413, 'BODY_TOO_LARGE', null);
  assert.equal(dbSnapshot(s.db), snap);
  // The limit is per request: the server still answers.
  assert.equal((await admin.get('/api/v1/session')).status, 200);
});

test('--body-limit 2048 moves the limit', async (t) => {
  const s = await startServer({ t, extraArgs: ['--body-limit', '2048'] });
  const admin = await s.login();
  const snap = dbSnapshot(s.db);
  const r = await announce(s, admin, '/api/v1/announcements', 2049);
  assertError({ ...r, headers: new Headers(r.headers) }, 413, 'BODY_TOO_LARGE', null);
  assert.match(r.body.message, /2048/);
  assert.equal(dbSnapshot(s.db), snap);
  const overhead = JSON.stringify({ center_id: 1, title: 't', body: '' }).length;
  const body = JSON.stringify({ center_id: 1, title: 't', body: 'x'.repeat(2048 - overhead) });
  assert.equal(Buffer.byteLength(body), 2048);
  const ok = await admin.post('/api/v1/announcements', undefined, { raw: body });
  assert.equal(ok.status, 201, ok.text);
});

test('invalid UTF-8 and odd bytes in paths and queries are answered with valid JSON', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  const snap = dbSnapshot(s.db);
  for (const p of ['/api/v1/users/%FF%FE', '/api/v1/%C3%28', '/api/v1/users?q=%FF', '/api/v1/announcements?center_id=%FF', `/api/v1/users/${'中'.repeat(300)}`]) {
    const r = await admin.get(p);
    assert.ok([200, 400, 404].includes(r.status), `${p}: ${r.status}`);
    if (r.status !== 200) assertError(r, r.status, r.body.code);
  }
  assert.equal(dbSnapshot(s.db), snap);
  // Every one of these requests is in the access log, which stays one JSON object a line.
  await s.stop();
  const lines = s.log.split('\n').filter((l) => l.startsWith('{'));
  for (const l of lines) assert.doesNotThrow(() => JSON.parse(l), l);
  const http = lines.map((l) => JSON.parse(l)).filter((o) => o.event === 'http');
  assert.ok(http.some((o) => o.path === '/api/v1/users/%FF%FE'), 'request with a non-UTF-8 path is logged');
  assert.ok(http.some((o) => o.path === '/api/v1/users' && o.query === 'q=%FF'), 'request with a non-UTF-8 query is logged');
});
