// Staff accounts: the happy paths, pagination and search, and the center scoping of
// managers (a town manager manages only their town).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, dbSnapshot, sqlite } from './lib/server.mjs';

const U = '/api/v1/users';

async function allUsers(c, query = '') {
  const r = await c.get(`${U}?limit=500${query}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.next, null);
  return r.body.items;
}

test('users: create, list, get, patch, roles, password reset', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  // Departments 1-3 for the department roles (首席代表, 后台审批人员).
  for (const [name, credit_code] of [['县人力资源和社会保障局', '114103265346409776'],
    ['县市场监督管理局', '11410326302466332W'], ['县民政局', '11410326629923128W']]) {
    assert.equal((await admin.post('/api/v1/departments', { name, credit_code })).status, 201);
  }

  await t.test('create answers 201 with the user and no secrets', async () => {
    const r = await admin.post(U, {
      username: 'zhang.min', display_name: '张敏', password: 'Init2026pass',
      roles: [{ role: 'clerk', center_id: 1 }, { role: 'reviewer', center_id: 1, department_id: 3 }],
    });
    assert.equal(r.status, 201, r.text);
    const u = r.body;
    assert.ok(Number.isInteger(u.id) && u.id > 1);
    assert.equal(u.username, 'zhang.min');
    assert.equal(u.display_name, '张敏');
    assert.equal(u.disabled, false);
    assert.equal(u.must_change_password, true, 'an initial password must be changed');
    assert.deepEqual(u.roles.map((x) => [x.role, x.center_id, x.department_id]), [['clerk', 1, null], ['reviewer', 1, 3]]);
    assert.ok(u.roles.every((x) => typeof x.center_name === 'string' && x.center_name));
    assert.match(u.created_at, /\+08:00$/);
    for (const k of ['password', 'password_hash', 'failed_logins', 'locked_until']) assert.ok(!(k in u), k);
    const row = sqlite(s.db, `SELECT password_hash FROM users WHERE id = ${u.id}`).trim();
    assert.match(row, /^\$argon2id\$/);
    assert.ok(!row.includes('Init2026pass'));
  });

  await t.test('get and list show the same user', async () => {
    const list = await allUsers(admin);
    const mine = list.find((x) => x.username === 'zhang.min');
    assert.ok(mine);
    const g = await admin.get(`${U}/${mine.id}`);
    assert.equal(g.status, 200);
    assert.deepEqual(g.body, mine);
    assert.deepEqual(list.map((x) => x.id), [...list.map((x) => x.id)].sort((a, b) => a - b), 'ordered by id');
  });

  await t.test('patch changes the name, disables and enables', async () => {
    const id = (await allUsers(admin)).find((x) => x.username === 'zhang.min').id;
    let r = await admin.patch(`${U}/${id}`, { display_name: '张敏敏' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.display_name, '张敏敏');
    assert.equal(r.body.disabled, false);
    r = await admin.patch(`${U}/${id}`, { disabled: true });
    assert.equal(r.body.disabled, true);
    assert.equal(r.body.display_name, '张敏敏');
    r = await admin.patch(`${U}/${id}`, { disabled: false, display_name: '张敏' });
    assert.equal(r.body.disabled, false);
    assert.equal(r.body.display_name, '张敏');
    assertError(await admin.patch(`${U}/${id}`, {}), 400, 'BODY_EMPTY');
  });

  await t.test('roles are replaced as a whole', async () => {
    const id = (await allUsers(admin)).find((x) => x.username === 'zhang.min').id;
    let r = await admin.put(`${U}/${id}/roles`, { roles: [{ role: 'guide', center_id: 1 }] });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.roles.map((x) => x.role), ['guide']);
    r = await admin.put(`${U}/${id}/roles`, { roles: [] });
    assert.deepEqual(r.body.roles, []);
    r = await admin.put(`${U}/${id}/roles`, { roles: [{ role: 'clerk', center_id: 1 }] });
    assert.deepEqual(r.body.roles.map((x) => x.role), ['clerk']);
    assertError(await admin.put(`${U}/${id}/roles`, { roles: [{ role: 'kiosk', center_id: 1 }] }), 400, 'ROLE_UNKNOWN', 'roles[0].role');
    assertError(await admin.put(`${U}/${id}/roles`, { roles: [{ role: 'clerk' }] }), 400, 'FIELD_REQUIRED', 'roles[0].center_id');
    assertError(await admin.put(`${U}/${id}/roles`, { roles: [{ role: 'clerk', center_id: 1, department_id: 2 }] }), 400, 'FIELD_FORBIDDEN', 'roles[0].department_id');
    assertError(await admin.put(`${U}/${id}/roles`, { roles: [{ role: 'reviewer', center_id: 1 }] }), 400, 'FIELD_REQUIRED', 'roles[0].department_id');
    assertError(await admin.put(`${U}/${id}/roles`, { roles: [{ role: 'chief_rep', center_id: 1, department_id: 99 }] }), 404, 'DEPARTMENT_NOT_FOUND', 'roles[0].department_id');
    assertError(await admin.put(`${U}/${id}/roles`, { roles: [{ role: 'applicant', center_id: 1 }] }), 400, 'FIELD_FORBIDDEN', 'roles[0].center_id');
    assertError(await admin.put(`${U}/${id}/roles`, { roles: [{ role: 'clerk', center_id: 999 }] }), 404, 'CENTER_NOT_FOUND', 'roles[0].center_id');
    assert.deepEqual((await admin.get(`${U}/${id}`)).body.roles.map((x) => x.role), ['clerk']);
  });

  await t.test('password reset: 204, old password dead, new one must be changed', async () => {
    const id = (await allUsers(admin)).find((x) => x.username === 'zhang.min').id;
    assertError(await admin.post(`${U}/${id}/password-reset`, { new_password: 'short' }), 400, 'PASSWORD_WEAK', 'new_password');
    const r = await admin.post(`${U}/${id}/password-reset`, { new_password: 'Reset2026pass' });
    assert.equal(r.status, 204, r.text);
    assertError(await s.client().post('/api/v1/session', { username: 'zhang.min', password: 'Init2026pass' }), 401, 'AUTH_INVALID_CREDENTIALS');
    const c = await s.login('zhang.min', 'Reset2026pass');
    assert.equal((await c.get('/api/v1/session')).body.user.must_change_password, true);
    const acts = sqlite(s.db, "SELECT action FROM audit_log WHERE object_type = 'user' AND actor_name = 'admin' ORDER BY seq").trim().split('\n');
    assert.deepEqual(acts, ['user_create', 'user_update', 'user_update', 'user_update',
      'user_roles', 'user_roles', 'user_roles', 'user_password_reset']);
  });

  await t.test('username rules: taken 409, format and length 400', async () => {
    const base = { display_name: '某人', password: 'Init2026pass', roles: [] };
    assertError(await admin.post(U, { ...base, username: 'zhang.min' }), 409, 'USERNAME_TAKEN', 'username');
    assertError(await admin.post(U, { ...base, username: 'admin' }), 409, 'USERNAME_TAKEN', 'username');
    assertError(await admin.post(U, { ...base, username: '张三' }), 400, 'FIELD_FORMAT', 'username');
    assertError(await admin.post(U, { ...base, username: 'a b' }), 400, 'FIELD_FORMAT', 'username');
    assertError(await admin.post(U, { ...base, username: 'x' }), 400, 'FIELD_LENGTH', 'username');
    assertError(await admin.post(U, { ...base, username: 'x'.repeat(33) }), 400, 'FIELD_LENGTH', 'username');
    assertError(await admin.post(U, { ...base, username: 'weakpw', password: 'password' }), 400, 'PASSWORD_WEAK', 'password');
    assert.equal(sqlite(s.db, "SELECT COUNT(*) FROM users WHERE username = 'zhang.min'").trim(), '1');
  });

  await t.test('cannot disable self (409) nor change own roles (409)', async () => {
    const snap = dbSnapshot(s.db);
    assertError(await admin.patch(`${U}/1`, { disabled: true }), 409, 'CANNOT_DISABLE_SELF', 'disabled');
    assertError(await admin.put(`${U}/1/roles`, { roles: [] }), 409, 'CANNOT_CHANGE_OWN_ROLES', 'roles');
    assert.equal(dbSnapshot(s.db), snap);
    assert.equal((await admin.get('/api/v1/session')).status, 200);
  });
});

test('users: pagination with limit, cursor and next; q filter', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  const names = [['wang.a', '王建国'], ['li.b', '李清'], ['zhao.c', '赵德明'], ['sun.d', '孙丽'],
    ['chen.e', '陈晓燕'], ['liu.f', '刘芳'], ['wu.g', '吴婷']];
  for (const [username, display_name] of names) {
    const r = await admin.post(U, { username, display_name, password: 'Init2026pass', roles: [{ role: 'clerk', center_id: 1 }] });
    assert.equal(r.status, 201, r.text);
  }
  const all = await allUsers(admin);
  assert.equal(all.length, 8);

  await t.test('pages of 3 walk the whole list once, in order', async () => {
    const seen = [];
    let cursor = '';
    const pages = [];
    for (let i = 0; i < 10; i++) {
      const r = await admin.get(`${U}?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(Object.keys(r.body).sort(), ['items', 'next']);
      pages.push(r.body.items.length);
      seen.push(...r.body.items.map((x) => x.id));
      if (r.body.next === null) break;
      assert.equal(typeof r.body.next, 'string');
      cursor = encodeURIComponent(r.body.next);
    }
    assert.deepEqual(pages, [3, 3, 2]);
    assert.deepEqual(seen, all.map((x) => x.id));
  });

  await t.test('a full last page has a next that leads to an empty page', async () => {
    const r = await admin.get(`${U}?limit=8`);
    assert.equal(r.body.items.length, 8);
    assert.notEqual(r.body.next, null);
    const r2 = await admin.get(`${U}?limit=8&cursor=${r.body.next}`);
    assert.deepEqual(r2.body, { items: [], next: null });
  });

  await t.test('default limit 50, bounds checked', async () => {
    const r = await admin.get(U);
    assert.equal(r.body.items.length, 8);
    assert.equal(r.body.next, null);
    for (const bad of ['0', '501', '-1', 'abc', '2.5', '']) {
      assertError(await admin.get(`${U}?limit=${bad}`), 400, 'FIELD_RANGE', 'limit');
    }
    for (const bad of ['abc', '-5', '1x']) {
      assertError(await admin.get(`${U}?cursor=${bad}`), 400, 'FIELD_FORMAT', 'cursor');
    }
    assert.equal((await admin.get(`${U}?limit=500`)).status, 200);
  });

  await t.test('q filters by username or display name, and paginates too', async () => {
    const byName = async (q) => (await allUsers(admin, `&q=${encodeURIComponent(q)}`)).map((x) => x.username);
    assert.deepEqual(await byName('li'), ['li.b', 'liu.f']);
    assert.deepEqual(await byName('晓燕'), ['chen.e']);
    assert.deepEqual(await byName('.g'), ['wu.g']);
    assert.deepEqual(await byName('nobody'), []);
    assert.deepEqual(await byName('%'), [], 'no LIKE wildcards');
    assert.deepEqual(await byName('_'), [], 'no LIKE wildcards');
    assert.equal((await byName('')).length, 8, 'empty q = no filter');
    const p1 = await admin.get(`${U}?q=${encodeURIComponent('.')}&limit=4`);
    assert.equal(p1.body.items.length, 4);
    const p2 = await admin.get(`${U}?q=${encodeURIComponent('.')}&limit=4&cursor=${p1.body.next}`);
    assert.deepEqual([...p1.body.items, ...p2.body.items].map((x) => x.username), names.map((x) => x[0]));
    assertError(await admin.get(`${U}?q=${'x'.repeat(65)}`), 400, 'FIELD_LENGTH', 'q');
  });
});

test('users: a town manager manages only their own town', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  const mkCenter = async (body) => {
    const r = await admin.post('/api/v1/centers', body);
    assert.equal(r.status, 201, r.text);
    return r.body.id;
  };
  const townA = await mkCenter({ name: '城关镇便民服务中心', level: 'town', parent_id: 1 });
  const townB = await mkCenter({ name: '洛北街道便民服务中心', level: 'town', parent_id: 1 });
  const villageA = await mkCenter({ name: '东关村便民服务站', level: 'village', parent_id: townA });
  const mgrA = await s.makeUser(admin, 'mgr.a', [{ role: 'manager', center_id: townA }]);
  const mk = async (username, roles) => {
    const r = await admin.post(U, { username, display_name: username, password: 'Init2026pass', roles });
    assert.equal(r.status, 201, r.text);
    return r.body.id;
  };
  const clerkA = await mk('clerk.a', [{ role: 'clerk', center_id: townA }]);
  const clerkV = await mk('clerk.v', [{ role: 'clerk', center_id: villageA }]);
  const clerkB = await mk('clerk.b', [{ role: 'clerk', center_id: townB }]);
  const both = await mk('both', [{ role: 'clerk', center_id: townA }, { role: 'guide', center_id: townB }]);
  const county = await mk('county.clerk', [{ role: 'clerk', center_id: 1 }]);

  await t.test('the list holds only users of town A and below', async () => {
    const names = (await allUsers(mgrA)).map((x) => x.username);
    assert.ok(names.includes('mgr.a') && names.includes('clerk.a') && names.includes('clerk.v'), names.join());
    for (const n of ['admin', 'clerk.b', 'county.clerk']) assert.ok(!names.includes(n), `${n} listed`);
    const q = (await allUsers(mgrA, '&q=clerk')).map((x) => x.username);
    assert.ok(!q.includes('clerk.b') && !q.includes('county.clerk'), q.join());
  });

  await t.test('users outside town A cannot be read or changed (403 USER_FORBIDDEN)', async () => {
    const snap = dbSnapshot(s.db);
    for (const id of [1, clerkB, county, both]) {
      assertError(await mgrA.get(`${U}/${id}`), 403, 'USER_FORBIDDEN');
      assertError(await mgrA.patch(`${U}/${id}`, { display_name: '改名' }), 403, 'USER_FORBIDDEN');
      assertError(await mgrA.patch(`${U}/${id}`, { disabled: true }), 403, 'USER_FORBIDDEN');
      assertError(await mgrA.put(`${U}/${id}/roles`, { roles: [{ role: 'clerk', center_id: townA }] }), 403, 'USER_FORBIDDEN');
      assertError(await mgrA.post(`${U}/${id}/password-reset`, { new_password: 'Taken2026over' }), 403, 'USER_FORBIDDEN');
    }
    assert.equal(dbSnapshot(s.db), snap);
    assert.equal((await mgrA.get(`${U}/${clerkA}`)).status, 200);
    assert.equal((await mgrA.get(`${U}/${clerkV}`)).status, 200);
  });

  await t.test('roles can be granted only inside town A, never admin', async () => {
    const snap = dbSnapshot(s.db);
    const body = (roles) => ({ username: 'new.one', display_name: '新人', password: 'Init2026pass', roles });
    assertError(await mgrA.post(U, body([{ role: 'clerk', center_id: townB }])), 403, 'CENTER_FORBIDDEN', 'roles[0].center_id');
    assertError(await mgrA.post(U, body([{ role: 'clerk', center_id: 1 }])), 403, 'CENTER_FORBIDDEN', 'roles[0].center_id');
    assertError(await mgrA.post(U, body([{ role: 'clerk', center_id: townA }, { role: 'guide', center_id: townB }])), 403, 'CENTER_FORBIDDEN', 'roles[1].center_id');
    assertError(await mgrA.post(U, body([{ role: 'admin', center_id: townA }])), 403, 'ROLE_FORBIDDEN', 'roles[0].role');
    assertError(await mgrA.put(`${U}/${clerkA}/roles`, { roles: [{ role: 'clerk', center_id: townB }] }), 403, 'CENTER_FORBIDDEN', 'roles[0].center_id');
    assertError(await mgrA.put(`${U}/${clerkA}/roles`, { roles: [{ role: 'admin', center_id: townA }] }), 403, 'ROLE_FORBIDDEN', 'roles[0].role');
    assert.equal(dbSnapshot(s.db), snap);

    const ok = await mgrA.post(U, body([{ role: 'clerk', center_id: villageA }]));
    assert.equal(ok.status, 201, ok.text);
    const moved = await mgrA.put(`${U}/${clerkA}/roles`, { roles: [{ role: 'guide', center_id: villageA }] });
    assert.equal(moved.status, 200, moved.text);
    // The county admin can grant admin at a town.
    const adm = await admin.put(`${U}/${clerkA}/roles`, { roles: [{ role: 'admin', center_id: townA }] });
    assert.equal(adm.status, 200, adm.text);
  });

  await t.test('centers: a town manager sees and extends only their subtree', async () => {
    const list = await mgrA.get('/api/v1/centers');
    assert.deepEqual(list.body.items.map((x) => x.id).sort(), [townA, villageA].sort());
    assertError(await mgrA.post('/api/v1/centers', { name: '另一镇中心', level: 'town', parent_id: 1 }), 403, 'CENTER_FORBIDDEN', 'parent_id');
    assertError(await mgrA.post('/api/v1/centers', { name: '洛北某村', level: 'village', parent_id: townB }), 403, 'CENTER_FORBIDDEN', 'parent_id');
    const v = await mgrA.post('/api/v1/centers', { name: '西街社区便民服务站', level: 'village', parent_id: townA });
    assert.equal(v.status, 201, v.text);
    assert.equal(v.body.path, `/1/${townA}/${v.body.id}/`);
    assertError(await admin.post('/api/v1/centers', { name: '西街社区便民服务站', level: 'village', parent_id: townA }), 409, 'CENTER_NAME_TAKEN', 'name');
    assertError(await admin.post('/api/v1/centers', { name: '村下之村', level: 'village', parent_id: villageA }), 400, 'CENTER_LEVEL', 'level');
    assertError(await admin.post('/api/v1/centers', { name: '第二个县', level: 'county', parent_id: 1 }), 400, 'FIELD_ENUM', 'level');
  });

  await t.test('a manager cannot disable self', async () => {
    assertError(await mgrA.patch(`${U}/${mgrA.user.id}`, { disabled: true }), 409, 'CANNOT_DISABLE_SELF', 'disabled');
    assert.equal((await mgrA.get('/api/v1/session')).status, 200);
  });
});

test('users: applicants (no center) are managed from the root center only', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  const town = (await admin.post('/api/v1/centers', { name: '城关镇便民服务中心', level: 'town', parent_id: 1 })).body.id;
  const mgrT = await s.makeUser(admin, 'mgr.t', [{ role: 'manager', center_id: town }]);
  const ap = await s.makeUser(admin, 'qian', [{ role: 'applicant' }]);
  assert.deepEqual(ap.user.roles.map((x) => [x.role, x.center_id]), [['applicant', null]]);
  // The county admin can find, read and disable an applicant account.
  assert.ok((await allUsers(admin)).some((x) => x.username === 'qian'));
  assert.equal((await admin.get(`${U}/${ap.user.id}`)).status, 200);
  const d = await admin.patch(`${U}/${ap.user.id}`, { disabled: true });
  assert.equal(d.status, 200, d.text);
  assertError(await ap.get('/api/v1/session'), 401, 'AUTH_REQUIRED');
  // A town manager cannot.
  assert.ok(!(await allUsers(mgrT)).some((x) => x.username === 'qian'));
  assertError(await mgrT.get(`${U}/${ap.user.id}`), 403, 'USER_FORBIDDEN');
  assertError(await mgrT.post(`${U}/${ap.user.id}/password-reset`, { new_password: 'Taken2026over' }), 403, 'USER_FORBIDDEN');
});

test('users: a manager cannot change an admin account (no takeover by password reset)', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  const mgr = await s.makeUser(admin, 'mgr', [{ role: 'manager', center_id: 1 }]);
  const admin2 = await s.makeUser(admin, 'admin2', [{ role: 'admin', center_id: 1 }]);
  const snap = dbSnapshot(s.db);
  for (const id of [1, admin2.user.id]) {
    assert.equal((await mgr.get(`${U}/${id}`)).status, 200, 'reading is fine');
    assertError(await mgr.post(`${U}/${id}/password-reset`, { new_password: 'Stolen2026pw' }), 403, 'USER_FORBIDDEN');
    assertError(await mgr.patch(`${U}/${id}`, { disabled: true }), 403, 'USER_FORBIDDEN');
    assertError(await mgr.patch(`${U}/${id}`, { display_name: '改名' }), 403, 'USER_FORBIDDEN');
    assertError(await mgr.put(`${U}/${id}/roles`, { roles: [{ role: 'clerk', center_id: 1 }] }), 403, 'USER_FORBIDDEN');
  }
  assert.equal(dbSnapshot(s.db), snap);
  assert.equal((await admin2.get('/api/v1/session')).status, 200);
  // An admin may.
  const r = await admin.post(`${U}/${admin2.user.id}/password-reset`, { new_password: 'Reset2026pass' });
  assert.equal(r.status, 204, r.text);
  // And a manager still manages other managers and staff.
  const other = await s.makeUser(admin, 'mgr2', [{ role: 'manager', center_id: 1 }]);
  assert.equal((await mgr.patch(`${U}/${other.user.id}`, { display_name: '另一位' })).status, 200);
});
