// Sessions: login, the cookie, lockout and throttling, logout, CSRF, password
// change and reset, disabled users, expiry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { startServer, ADMIN_PASSWORD, assertError, dbSnapshot, sqlite } from './lib/server.mjs';

const S = '/api/v1/session';

/** A non-loopback IPv4 address of this machine, or null. */
function otherAddress() {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list || []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

function userRow(s, username) {
  const [failed, locked] = sqlite(s.db, `SELECT failed_logins, locked_until FROM users WHERE username='${username}'`)
    .trim().split('|').map(Number);
  return { failed, locked };
}

test('login sets an HttpOnly SameSite=Strict cookie and GET /session answers the same shape', async (t) => {
  const s = await startServer({ t });
  const c = s.client();
  const r = await c.post(S, { username: 'admin', password: ADMIN_PASSWORD });
  assert.equal(r.status, 201, r.text);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /^yc_session=[A-Za-z0-9_-]{20,};/);
  const attrs = cookie.split(';').map((x) => x.trim());
  assert.ok(attrs.includes('HttpOnly'), cookie);
  assert.ok(attrs.includes('SameSite=Strict'), cookie);
  assert.ok(attrs.includes('Path=/'), cookie);
  assert.ok(!attrs.includes('Secure'), 'no Secure flag unless configured');
  assert.equal(typeof r.body.csrf_token, 'string');
  assert.ok(r.body.csrf_token.length >= 20);
  assert.match(r.body.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  const u = r.body.user;
  assert.equal(u.username, 'admin');
  assert.equal(u.disabled, false);
  assert.equal(u.must_change_password, false);
  assert.deepEqual(u.roles.map((x) => [x.role, x.role_name, x.center_id]), [['admin', '系统管理员', 1]]);
  assert.ok(u.roles[0].center_name);
  assert.ok(!('password_hash' in u));

  // Only a hash of the token is stored.
  const token = c.cookie.split('=')[1];
  const stored = sqlite(s.db, 'SELECT token_hash FROM sessions').trim();
  assert.notEqual(stored, token);
  assert.ok(!stored.includes(token));

  const g = await c.get(S);
  assert.equal(g.status, 200, g.text);
  assert.deepEqual(g.body, r.body, 'GET /session = the login answer');

  assertError(await s.client().get(S), 401, 'AUTH_REQUIRED');
  const bogus = s.client();
  bogus.cookie = 'yc_session=not-a-real-session-token-at-all';
  assertError(await bogus.get(S), 401, 'AUTH_REQUIRED');
});

test('wrong password and unknown user answer the same 401', async (t) => {
  const s = await startServer({ t });
  const a = await s.client().post(S, { username: 'admin', password: 'Wrong2026pass' });
  assertError(a, 401, 'AUTH_INVALID_CREDENTIALS', null);
  const b = await s.client().post(S, { username: 'nobody', password: 'Wrong2026pass' });
  assertError(b, 401, 'AUTH_INVALID_CREDENTIALS', null);
  assert.equal(a.body.message, b.body.message, 'no hint which names exist');
  assert.equal(a.headers.get('set-cookie'), null);
  assert.equal(sqlite(s.db, 'SELECT COUNT(*) FROM sessions').trim(), '0');
  assert.equal(userRow(s, 'admin').failed, 1);
});

test('5 wrong passwords lock the account; the right password is refused while locked', async (t) => {
  const s = await startServer({ t });
  for (let i = 1; i <= 4; i++) {
    assertError(await s.client().post(S, { username: 'admin', password: `Wrong${i}pass` }), 401, 'AUTH_INVALID_CREDENTIALS');
  }
  const before = Date.now();
  assertError(await s.client().post(S, { username: 'admin', password: 'Wrong5pass' }), 429, 'AUTH_LOCKED');
  const after = Date.now();
  const { locked } = userRow(s, 'admin');
  assert.ok(locked >= before + 15 * 60000 && locked <= after + 15 * 60000, `locked 15 min: ${locked}`);
  assertError(await s.client().post(S, { username: 'admin', password: ADMIN_PASSWORD }), 429, 'AUTH_LOCKED');
  assert.equal(sqlite(s.db, 'SELECT COUNT(*) FROM sessions').trim(), '0');
  const actions = sqlite(s.db, "SELECT action FROM audit_log WHERE action LIKE 'login%' ORDER BY seq").trim().split('\n');
  assert.deepEqual(actions, ['login_failed', 'login_failed', 'login_failed', 'login_failed', 'login_locked']);

  // Once the lock has run out, the right password works and the count starts over.
  sqlite(s.db, "UPDATE users SET locked_until = 1 WHERE username = 'admin'");
  await s.login();
  assert.deepEqual(userRow(s, 'admin'), { failed: 0, locked: 0 });
});

test('lockout is configurable: --max-failed-logins 3 --lockout-minutes 1', async (t) => {
  const s = await startServer({ t, extraArgs: ['--max-failed-logins', '3', '--lockout-minutes', '1'] });
  for (let i = 1; i <= 2; i++) {
    assertError(await s.client().post(S, { username: 'admin', password: `Wrong${i}pass` }), 401, 'AUTH_INVALID_CREDENTIALS');
  }
  const before = Date.now();
  const r = await s.client().post(S, { username: 'admin', password: 'Wrong3pass' });
  const after = Date.now();
  assertError(r, 429, 'AUTH_LOCKED');
  assert.match(r.body.message, /3次/);
  const { locked } = userRow(s, 'admin');
  assert.ok(locked >= before + 60000 && locked <= after + 60000, `locked 1 min: ${locked}`);
  assertError(await s.client().post(S, { username: 'admin', password: ADMIN_PASSWORD }), 429, 'AUTH_LOCKED');
});

test('parallel wrong guesses cannot undo the lock', async (t) => {
  // Each guess is checked on a worker thread, then counted in the writer; a guess that
  // was checked before the lock was written must not reset it.
  const s = await startServer({ t, extraArgs: ['--max-failed-logins', '3'] });
  const rs = await Promise.all(Array.from({ length: 12 }, (_, i) =>
    s.client().post(S, { username: 'admin', password: `Wrong${i}pass` })));
  for (const r of rs) {
    assert.ok([401, 429].includes(r.status), r.text);
    assertError(r, r.status, r.status === 401 ? 'AUTH_INVALID_CREDENTIALS' : 'AUTH_LOCKED');
  }
  assert.equal(rs.filter((r) => r.status === 401).length, 2, 'exactly max-1 guesses answered 401');
  const { locked } = userRow(s, 'admin');
  assert.ok(locked > Date.now(), 'still locked after every guess is done');
  assertError(await s.client().post(S, { username: 'admin', password: ADMIN_PASSWORD }), 429, 'AUTH_LOCKED');
  const locks = sqlite(s.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'login_locked'").trim();
  assert.equal(locks, '1', 'the lock was set once, never reset and set again');
});

test('per-address throttle: 20 failures in 10 minutes refuse every login from that address', async (t) => {
  const other = otherAddress();
  const s = await startServer({ t, extraArgs: other ? ['--bind', '0.0.0.0'] : [] });
  // Spread over many names so no single account locks.
  for (let i = 0; i < 20; i++) {
    const r = await s.client().post(S, { username: `ghost${i}`, password: 'Wrong2026pass' });
    assertError(r, 401, 'AUTH_INVALID_CREDENTIALS');
  }
  assertError(await s.client().post(S, { username: 'ghost99', password: 'Wrong2026pass' }), 429, 'AUTH_THROTTLED');
  assertError(await s.client().post(S, { username: 'admin', password: ADMIN_PASSWORD }), 429, 'AUTH_THROTTLED');
  assert.equal(sqlite(s.db, 'SELECT COUNT(*) FROM sessions').trim(), '0');
  assert.equal(userRow(s, 'admin').failed, 0, 'throttled attempts are not password checks');
  if (other) {
    // Another address is not affected.
    const c = s.client();
    const saved = s.base;
    s.base = `http://${other}:${s.port}`;
    try {
      const r = await c.post(S, { username: 'admin', password: ADMIN_PASSWORD });
      assert.equal(r.status, 201, r.text);
    } finally {
      s.base = saved;
    }
  }
});

test('logout revokes the session on the server: the old cookie is dead when replayed', async (t) => {
  const s = await startServer({ t });
  const c = await s.login();
  const oldCookie = c.cookie;
  const oldCsrf = c.csrf;
  const r = await c.del(S);
  assert.equal(r.status, 204);
  assert.match(r.headers.get('set-cookie'), /^yc_session=;.*Max-Age=0/);
  assert.notEqual(sqlite(s.db, 'SELECT revoked_at FROM sessions').trim(), '');
  const replay = s.client();
  replay.cookie = oldCookie;
  replay.csrf = oldCsrf;
  assertError(await replay.get(S), 401, 'AUTH_REQUIRED');
  assertError(await replay.get('/api/v1/users'), 401, 'AUTH_REQUIRED');
  assertError(await replay.post('/api/v1/announcements', { center_id: 1, title: 't', body: 'b' }), 401, 'AUTH_REQUIRED');
  assertError(await replay.del(S), 401, 'AUTH_REQUIRED');
});

test('CSRF: cookie-authenticated writes without or with a wrong X-CSRF-Token are refused and change nothing', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  const other = await s.login(); // a second session: its token is valid, but not for admin's session
  const clerk = await s.makeUser(admin, 'clerk1', [{ role: 'clerk', center_id: 1 }]);
  const n = await admin.post('/api/v1/announcements', { center_id: 1, title: '通知', body: '正文' });
  assert.equal(n.status, 201, n.text);
  const dev = await admin.post('/api/v1/devices', { kind: 'kiosk', name: '取号机1', center_id: 1 });
  assert.equal(dev.status, 201);
  const uid = clerk.user.id;
  const writes = [
    ['POST', '/api/v1/announcements', { center_id: 1, title: '新通知', body: '正文' }],
    ['POST', '/api/v1/users', { username: 'x1', display_name: 'x', password: 'Abcd1234efg', roles: [] }],
    ['PATCH', `/api/v1/users/${uid}`, { disabled: true }],
    ['PUT', `/api/v1/users/${uid}/roles`, { roles: [] }],
    ['POST', `/api/v1/users/${uid}/password-reset`, { new_password: 'Reset2026pass' }],
    ['POST', '/api/v1/centers', { name: '新镇中心', level: 'town', parent_id: 1 }],
    ['DELETE', `/api/v1/announcements/${n.body.id}`, undefined],
    ['DELETE', `/api/v1/devices/${dev.body.id}`, undefined],
    ['POST', '/api/v1/session/password', { current_password: ADMIN_PASSWORD, new_password: 'Other2026pass' }],
    ['DELETE', S, undefined],
  ];
  const snap = dbSnapshot(s.db);
  for (const [method, path, body] of writes) {
    for (const token of [undefined, '', 'x'.repeat(admin.csrf.length), other.csrf, admin.csrf + 'x']) {
      const headers = token === undefined ? {} : { 'X-CSRF-Token': token };
      const saved = admin.csrf;
      admin.csrf = null; // send exactly the header given
      try {
        const r = await admin.req(method, path, body, { headers });
        assertError(r, 403, 'CSRF_INVALID');
      } finally {
        admin.csrf = saved;
      }
    }
    assert.equal(dbSnapshot(s.db), snap, `${method} ${path} changed the database`);
  }
  // The same session with its own token goes through.
  const ok = await admin.patch(`/api/v1/users/${uid}`, { display_name: '张三' });
  assert.equal(ok.status, 200, ok.text);
  // GET needs no token.
  const g = s.client();
  g.cookie = admin.cookie;
  assert.equal((await g.get('/api/v1/users')).status, 200);
});

test('password change: mismatch, weak, reuse; success keeps this session and revokes the others', async (t) => {
  const s = await startServer({ t });
  const a = await s.login();
  const b = await s.login();
  const p = `${S}/password`;
  assertError(await a.post(p, { current_password: 'Wrong2026pass', new_password: 'Next2026pass' }), 400, 'PASSWORD_MISMATCH', 'current_password');
  for (const weak of ['short1', 'onlyletterslong', '1234567890123', 'a1'.repeat(65)]) {
    assertError(await a.post(p, { current_password: ADMIN_PASSWORD, new_password: weak }), 400, 'PASSWORD_WEAK', 'new_password');
  }
  assertError(await a.post(p, { current_password: ADMIN_PASSWORD, new_password: ADMIN_PASSWORD }), 400, 'PASSWORD_REUSED', 'new_password');
  assertError(await a.post(p, { current_password: ADMIN_PASSWORD }), 400, 'FIELD_REQUIRED', 'new_password');
  // Nothing changed so far.
  assert.equal((await b.get(S)).status, 200);

  const r = await a.post(p, { current_password: ADMIN_PASSWORD, new_password: 'Next2026pass' });
  assert.equal(r.status, 204, r.text);
  assert.equal((await a.get(S)).status, 200, 'the session that changed the password lives on');
  assert.equal((await a.get('/api/v1/users')).status, 200);
  assertError(await b.get(S), 401, 'AUTH_REQUIRED');
  assertError(await s.client().post(S, { username: 'admin', password: ADMIN_PASSWORD }), 401, 'AUTH_INVALID_CREDENTIALS');
  await s.login('admin', 'Next2026pass');
  assert.ok(sqlite(s.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'password_change'").trim() === '1');
});

test('admin password reset: sessions die and every non-session route answers PASSWORD_CHANGE_REQUIRED until changed', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  const m = await s.makeUser(admin, 'mgr', [{ role: 'manager', center_id: 1 }]);
  assert.equal((await m.get('/api/v1/users')).status, 200);

  // Newly created users must change their initial password.
  const created = await admin.post('/api/v1/users', { username: 'fresh', display_name: '新人', password: 'Init2026pass', roles: [{ role: 'clerk', center_id: 1 }] });
  assert.equal(created.status, 201);
  assert.equal(created.body.must_change_password, true);

  const r = await admin.post(`/api/v1/users/${m.user.id}/password-reset`, { new_password: 'Reset2026pass' });
  assert.equal(r.status, 204, r.text);
  assertError(await m.get(S), 401, 'AUTH_REQUIRED');
  assertError(await s.client().post(S, { username: 'mgr', password: m.password }), 401, 'AUTH_INVALID_CREDENTIALS');

  const m2 = s.client();
  const l = await m2.post(S, { username: 'mgr', password: 'Reset2026pass' });
  assert.equal(l.status, 201);
  assert.equal(l.body.user.must_change_password, true);
  const u = await admin.get(`/api/v1/users/${m.user.id}`);
  assert.equal(u.body.must_change_password, true);

  const blocked = [
    ['GET', '/api/v1/users'], ['GET', '/api/v1/centers'], ['GET', '/api/v1/devices'],
    ['GET', '/api/v1/announcements?center_id=1'], ['POST', '/api/v1/announcements'],
    ['GET', `/api/v1/users/${m.user.id}`], ['POST', '/api/v1/users'],
  ];
  for (const [method, path] of blocked) {
    const res = await m2.req(method, path, method === 'GET' ? undefined : { center_id: 1, title: 't', body: 'b' });
    assertError(res, 403, 'PASSWORD_CHANGE_REQUIRED');
  }
  assert.equal((await m2.get(S)).status, 200, 'GET /session is allowed');
  const ch = await m2.post(`${S}/password`, { current_password: 'Reset2026pass', new_password: 'Mine2026pass' });
  assert.equal(ch.status, 204, ch.text);
  assert.equal((await m2.get('/api/v1/users')).status, 200);
  assert.equal((await m2.get(S)).body.user.must_change_password, false);
});

test('a disabled user cannot log in and their sessions die; re-enabled they can', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  const c = await s.makeUser(admin, 'clerk1', [{ role: 'clerk', center_id: 1 }]);
  const c2 = await s.login('clerk1', c.password);
  const d = await admin.patch(`/api/v1/users/${c.user.id}`, { disabled: true });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.body.disabled, true);
  assertError(await c.get(S), 401, 'AUTH_REQUIRED');
  assertError(await c2.get('/api/v1/centers'), 401, 'AUTH_REQUIRED');
  assertError(await s.client().post(S, { username: 'clerk1', password: c.password }), 403, 'AUTH_DISABLED');
  assertError(await s.client().post(S, { username: 'clerk1', password: 'Wrong2026pass' }), 401, 'AUTH_INVALID_CREDENTIALS');
  // Re-enabling does not resurrect the sessions that died.
  const e = await admin.patch(`/api/v1/users/${c.user.id}`, { disabled: false });
  assert.equal(e.body.disabled, false);
  assertError(await c.get(S), 401, 'AUTH_REQUIRED');
  await s.login('clerk1', c.password);
});

test('sessions expire: --session-hours 1 sets the lifetime, and an expired session is no session', async (t) => {
  const s = await startServer({ t, extraArgs: ['--session-hours', '1'] });
  const c = s.client();
  const before = Date.now();
  const r = await c.post(S, { username: 'admin', password: ADMIN_PASSWORD });
  const after = Date.now();
  assert.equal(r.status, 201);
  assert.match(r.headers.get('set-cookie'), /Max-Age=3600(;|$)/);
  const exp = Number(sqlite(s.db, 'SELECT expires_at FROM sessions').trim());
  assert.ok(exp >= before + 3600000 && exp <= after + 3600000, `expires in 1 h: ${exp}`);
  const shown = Date.parse(r.body.expires_at);
  assert.ok(Math.abs(shown - exp) < 1000, 'expires_at in the answer matches');
  assert.equal((await c.get(S)).status, 200);
  sqlite(s.db, `UPDATE sessions SET expires_at = ${Date.now() - 1000}`);
  assertError(await c.get(S), 401, 'AUTH_REQUIRED');
  assertError(await c.get('/api/v1/users'), 401, 'AUTH_REQUIRED');
});

test('sessions cached by the worker threads die on the very next request after a revoking write', async (t) => {
  const s = await startServer({ t, extraArgs: ['--threads', '4'] });
  const admin = await s.login();
  const c = await s.makeUser(admin, 'clerk2', [{ role: 'clerk', center_id: 1 }]);
  const warm = async (client) => {
    // Parallel requests land on every worker thread, so each one caches the session.
    const rs = await Promise.all(Array.from({ length: 64 }, () => client.get('/api/v1/centers')));
    for (const r of rs) assert.equal(r.status, 200, r.text);
  };
  // A role change: the very next requests see the new roles on every thread.
  await warm(c);
  const roles = await admin.put(`/api/v1/users/${c.user.id}/roles`, { roles: [] });
  assert.equal(roles.status, 200, roles.text);
  const after = await Promise.all(Array.from({ length: 64 }, () => c.get('/api/v1/centers')));
  for (const r of after) assertError(r, 403, 'FORBIDDEN');
  // Logout: the old cookie is dead everywhere at once.
  const c2 = await s.login('clerk2', c.password);
  await admin.put(`/api/v1/users/${c.user.id}/roles`, { roles: [{ role: 'clerk', center_id: 1 }] });
  await warm(c2);
  assert.equal((await c2.del(S)).status, 204);
  const dead = await Promise.all(Array.from({ length: 64 }, () => c2.get('/api/v1/centers')));
  for (const r of dead) assertError(r, 401, 'AUTH_REQUIRED');
});
