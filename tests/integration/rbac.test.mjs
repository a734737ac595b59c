// The route-rule test. It holds its OWN table of who may call what, written here and
// not derived from the code, and fails when:
//   (a) the server registers a route this table has no rule for,
//   (b) a registered route's roles or flags differ from the rule here,
//   (c) calling a route as each role (and anonymously) does not obey the rule,
//   (d) docs/api.md does not mention a registered route.
// A new route therefore cannot ship without a rule written down twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { networkInterfaces } from 'node:os';
import { startServer, runCli, repo } from './lib/server.mjs';

const STAFF = ['admin', 'manager', 'supervisor', 'chief_rep', 'reviewer', 'clerk', 'guide'];
const PEOPLE = [...STAFF, 'applicant'];
const DEVICES = ['kiosk', 'display', 'rating_pad'];
const MANAGERS = ['admin', 'manager'];
const ALL = [...PEOPLE, ...DEVICES, 'anonymous'];
const CATALOG_EDITORS = ['admin', 'manager', 'chief_rep', 'reviewer'];
const PUBLIC = { roles: [], flags: ['public'] };

// method + path -> who may call it. flags: public (no caller needed), loopback (anyone
// on the loopback interface; elsewhere the roles apply), any_session (allowed while a
// password change is pending).
const RULES = {
  'GET /healthz': { roles: [], flags: ['public'] },
  'GET /metrics': { roles: ['admin'], flags: ['loopback'] },

  'POST /api/v1/session': { roles: [], flags: ['public'] },
  'GET /api/v1/session': { roles: PEOPLE, flags: ['any_session'] },
  'DELETE /api/v1/session': { roles: PEOPLE, flags: ['any_session'] },
  'POST /api/v1/session/password': { roles: PEOPLE, flags: ['any_session'] },

  'GET /api/v1/users': { roles: MANAGERS, flags: [] },
  'POST /api/v1/users': { roles: MANAGERS, flags: [] },
  'GET /api/v1/users/{id}': { roles: MANAGERS, flags: [] },
  'PATCH /api/v1/users/{id}': { roles: MANAGERS, flags: [] },
  'PUT /api/v1/users/{id}/roles': { roles: MANAGERS, flags: [] },
  'POST /api/v1/users/{id}/password-reset': { roles: MANAGERS, flags: [] },

  'GET /api/v1/centers': { roles: STAFF, flags: [] },
  'POST /api/v1/centers': { roles: MANAGERS, flags: [] },

  'GET /api/v1/centers/{id}': { roles: STAFF, flags: [] },
  'PATCH /api/v1/centers/{id}': { roles: MANAGERS, flags: [] },
  'GET /api/v1/centers/{id}/zones': { roles: STAFF, flags: [] },
  'POST /api/v1/centers/{id}/zones': { roles: MANAGERS, flags: [] },
  'GET /api/v1/centers/{id}/hours': { roles: STAFF, flags: [] },
  'PUT /api/v1/centers/{id}/hours': { roles: MANAGERS, flags: [] },

  'GET /api/v1/departments': { roles: STAFF, flags: [] },
  'POST /api/v1/departments': { roles: ['admin'], flags: [] },

  'GET /api/v1/windows': { roles: STAFF, flags: [] },
  'POST /api/v1/windows': { roles: MANAGERS, flags: [] },
  'PATCH /api/v1/windows/{id}': { roles: MANAGERS, flags: [] },

  'GET /api/v1/staff': { roles: STAFF, flags: [] },
  'POST /api/v1/staff': { roles: MANAGERS, flags: [] },
  'GET /api/v1/staff/{id}': { roles: STAFF, flags: [] },
  'PATCH /api/v1/staff/{id}': { roles: MANAGERS, flags: [] },
  'GET /api/v1/staff/{id}/authorizations': { roles: STAFF, flags: [] },
  'POST /api/v1/staff/{id}/authorizations': { roles: ['chief_rep'], flags: [] },
  'DELETE /api/v1/authorizations/{id}': { roles: ['chief_rep'], flags: [] },

  'GET /api/v1/items': { roles: STAFF, flags: [] },
  'POST /api/v1/items': { roles: MANAGERS, flags: [] },

  'GET /api/v1/catalog/items': { roles: STAFF, flags: [] },
  'POST /api/v1/catalog/items': { roles: CATALOG_EDITORS, flags: [] },
  'GET /api/v1/catalog/items/{code}': { roles: STAFF, flags: [] },
  'POST /api/v1/catalog/items/{code}/retire': { roles: MANAGERS, flags: [] },
  'POST /api/v1/catalog/items/{code}/versions': { roles: CATALOG_EDITORS, flags: [] },
  'GET /api/v1/catalog/items/{code}/versions/{n}': { roles: STAFF, flags: [] },
  'PUT /api/v1/catalog/items/{code}/versions/{n}': { roles: CATALOG_EDITORS, flags: [] },
  'POST /api/v1/catalog/items/{code}/versions/{n}/submit': { roles: CATALOG_EDITORS, flags: [] },
  'POST /api/v1/catalog/items/{code}/versions/{n}/approve': { roles: MANAGERS, flags: [] },
  'POST /api/v1/catalog/items/{code}/versions/{n}/publish': { roles: MANAGERS, flags: [] },
  'POST /api/v1/catalog/items/{code}/versions/{n}/reject': { roles: MANAGERS, flags: [] },
  'GET /api/v1/catalog/review': { roles: CATALOG_EDITORS, flags: [] },
  'GET /api/v1/catalog/bundles': { roles: STAFF, flags: [] },
  'GET /api/v1/catalog/bundles/{code}': { roles: STAFF, flags: [] },
  'PUT /api/v1/catalog/bundles/{code}': { roles: MANAGERS, flags: [] },
  'POST /api/v1/catalog/import': { roles: ['admin'], flags: [] },
  'GET /api/v1/catalog/export': { roles: MANAGERS, flags: [] },
  'POST /api/v1/catalog/import/csv': { roles: ['admin'], flags: [] },
  'GET /api/v1/catalog/export/csv': { roles: MANAGERS, flags: [] },
  'GET /api/v1/catalog/adjustments': { roles: CATALOG_EDITORS, flags: [] },
  'POST /api/v1/catalog/adjustments': { roles: CATALOG_EDITORS, flags: [] },
  'POST /api/v1/catalog/adjustments/{id}/report': { roles: CATALOG_EDITORS, flags: [] },
  'POST /api/v1/catalog/adjustments/{id}/done': { roles: MANAGERS, flags: [] },
  'GET /api/v1/catalog/stats': { roles: [...MANAGERS, 'supervisor'], flags: [] },

  'GET /api/v1/public/search': PUBLIC,
  'GET /api/v1/public/facets': PUBLIC,
  'GET /api/v1/public/items/{code}': PUBLIC,
  'POST /api/v1/public/items/{code}/checklist': PUBLIC,
  'GET /api/v1/public/bundles/{code}': PUBLIC,

  'GET /guide/items/{code}': PUBLIC,
  'GET /guide/items/{code}/print': PUBLIC,
  'GET /guide/items/{code}/forms/{material}': PUBLIC,
  'GET /guide/items/{code}/samples/{material}': PUBLIC,
  'GET /guide/bundles/{code}': PUBLIC,
  'GET /guide/bundles/{code}/print': PUBLIC,

  'GET /api/v1/people': { roles: STAFF, flags: [] },
  'POST /api/v1/people': { roles: ['admin', 'manager', 'clerk', 'guide'], flags: [] },
  'GET /api/v1/people/{id}': { roles: STAFF, flags: [] },
  'PATCH /api/v1/people/{id}': { roles: ['admin', 'manager', 'clerk', 'guide'], flags: [] },

  'GET /api/v1/calendar/{year}': { roles: STAFF, flags: [] },
  'POST /api/v1/calendar/import': { roles: ['admin'], flags: [] },
  'GET /api/v1/calendar-overrides': { roles: STAFF, flags: [] },
  'POST /api/v1/calendar-overrides': { roles: MANAGERS, flags: [] },
  'DELETE /api/v1/calendar-overrides/{id}': { roles: MANAGERS, flags: [] },

  'GET /api/v1/devices': { roles: MANAGERS, flags: [] },
  'POST /api/v1/devices': { roles: MANAGERS, flags: [] },
  'DELETE /api/v1/devices/{id}': { roles: MANAGERS, flags: [] },
  'GET /api/v1/device': { roles: DEVICES, flags: [] },

  'GET /api/v1/announcements': { roles: [...STAFF, 'display'], flags: [] },
  'POST /api/v1/announcements': { roles: MANAGERS, flags: [] },
  'GET /api/v1/announcements/{id}': { roles: [...STAFF, 'display'], flags: [] },
  'DELETE /api/v1/announcements/{id}': { roles: MANAGERS, flags: [] },

  'GET /api/v1/hall/{id}/lines': { roles: [...STAFF, 'kiosk', 'display'], flags: [] },
  'POST /api/v1/hall/{id}/lines': { roles: MANAGERS, flags: [] },
  'PATCH /api/v1/hall/lines/{id}': { roles: MANAGERS, flags: [] },
  'GET /api/v1/hall/{id}/settings': { roles: STAFF, flags: [] },
  'PUT /api/v1/hall/{id}/settings': { roles: MANAGERS, flags: [] },
  'POST /api/v1/hall/{id}/tickets': { roles: ['kiosk', 'guide', 'clerk', ...MANAGERS], flags: [] },
  'GET /api/v1/hall/{id}/queue': { roles: [...STAFF, 'display', 'kiosk'], flags: [] },
  'GET /api/v1/hall/{id}/stats': { roles: STAFF, flags: [] },
  'GET /api/v1/hall/{id}/events': { roles: [...STAFF, 'display', 'rating_pad'], flags: [] },
  'GET /api/v1/hall/{id}/voice/{event}': { roles: [...STAFF, 'display'], flags: [] },
  'GET /api/v1/hall/{id}/kiosk-search': { roles: [...STAFF, 'kiosk'], flags: [] },
  'GET /api/v1/qr.svg': PUBLIC,
  'GET /api/v1/hall/{id}/staffing': { roles: MANAGERS, flags: [] },
  'POST /api/v1/hall/{id}/tidal': { roles: MANAGERS, flags: [] },
  'POST /api/v1/hall/{id}/tidal/{id}/close': { roles: MANAGERS, flags: [] },
  'GET /api/v1/hall/tickets/{id}': { roles: STAFF, flags: [] },
  'POST /api/v1/hall/tickets/{id}/rejoin': { roles: ['kiosk', 'guide', 'clerk', ...MANAGERS], flags: [] },
  'GET /api/v1/hall/t/{token}': { roles: [], flags: ['public'] },
  'POST /api/v1/hall/t/{token}/notify': PUBLIC,
  'GET /api/v1/hall/t/{token}/events': PUBLIC,
  'GET /api/v1/hall/windows/{id}': { roles: STAFF, flags: [] },
  'POST /api/v1/hall/windows/{id}/{action}': { roles: ['clerk', ...MANAGERS], flags: [] },

  'GET /api/v1/booking/lines': PUBLIC,
  'GET /api/v1/booking/lines/{id}/slots': PUBLIC,
  'POST /api/v1/booking/sms-code': PUBLIC,
  'POST /api/v1/bookings': PUBLIC,
  'POST /api/v1/bookings/lookup': PUBLIC,
  'GET /api/v1/bookings/t/{token}': PUBLIC,
  'POST /api/v1/bookings/t/{token}/cancel': PUBLIC,
  'POST /api/v1/bookings/t/{token}/reschedule': PUBLIC,
  'GET /api/v1/hall/{id}/bookings': { roles: STAFF, flags: [] },
  'POST /api/v1/hall/{id}/bookings': { roles: ['guide', 'clerk', ...MANAGERS], flags: [] },
  'POST /api/v1/hall/bookings/{id}/cancel': { roles: ['guide', 'clerk', ...MANAGERS], flags: [] },
  'POST /api/v1/hall/bookings/{id}/reschedule': { roles: ['guide', 'clerk', ...MANAGERS], flags: [] },
  'POST /api/v1/hall/{id}/checkin': { roles: ['kiosk', 'guide', 'clerk', ...MANAGERS], flags: [] },
  'GET /api/v1/hall/{id}/booking-settings': { roles: STAFF, flags: [] },
  'PUT /api/v1/hall/{id}/booking-settings': { roles: MANAGERS, flags: [] },
  'GET /api/v1/outbox': { roles: MANAGERS, flags: [] },

  'GET /api/v1/audit': { roles: ['admin', 'supervisor'], flags: [] },
  'GET /api/v1/audit/verify': { roles: ['admin', 'supervisor'], flags: [] },
};

const key = (r) => `${r.method} ${r.path}`;

/** A live stream never ends: read its status and first bytes, then hang up. */
async function streamStatus(c, path) {
  const ac = new AbortController();
  const headers = {};
  if (c.cookie) headers.Cookie = c.cookie;
  if (c.bearer) headers.Authorization = `Bearer ${c.bearer}`;
  const res = await fetch(c.s.base + path, { headers, signal: ac.signal });
  let text = '';
  let body = null;
  if (/event-stream/.test(res.headers.get('content-type') || '')) {
    const rd = res.body.getReader();
    text = new TextDecoder().decode((await rd.read()).value);
  } else {
    text = await res.text();
    try { body = JSON.parse(text); } catch { /* not JSON */ }
  }
  ac.abort();
  return { status: res.status, body, text };
}
const sorted = (a) => [...a].sort();

function registeredRoutes() {
  const r = runCli(['routes']);
  assert.equal(r.status, 0, r.stderr);
  const routes = JSON.parse(r.stdout);
  assert.ok(Array.isArray(routes) && routes.length > 0);
  return routes;
}

function otherAddress() {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list || []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

test('every registered route has a rule here, and the rules agree', () => {
  const routes = registeredRoutes();
  const missing = routes.filter((r) => !RULES[key(r)]).map(key);
  assert.deepEqual(missing, [], `routes without a rule in rbac.test.mjs: ${missing.join(', ')}`);
  for (const r of routes) {
    const want = RULES[key(r)];
    assert.deepEqual(sorted(r.roles), sorted(want.roles), `roles of ${key(r)}`);
    assert.deepEqual(sorted(r.flags), sorted(want.flags), `flags of ${key(r)}`);
    assert.match(r.summary, /[\u3400-\u9fff]/, `Chinese summary for ${key(r)}`);
  }
  const stale = Object.keys(RULES).filter((k) => !routes.some((r) => key(r) === k));
  assert.deepEqual(stale, [], `rules for routes the server does not register: ${stale.join(', ')}`);
  const dups = routes.map(key).filter((k, i, a) => a.indexOf(k) !== i);
  assert.deepEqual(dups, [], 'a route registered twice');
});

test('docs/api.md documents every registered route', () => {
  const doc = readFileSync(join(repo, 'docs', 'api.md'), 'utf8');
  const rows = new Set();
  for (const m of doc.matchAll(/^\|\s*(GET|POST|PUT|PATCH|DELETE)\s*\|\s*`([^`]+)`\s*\|/gm)) rows.add(`${m[1]} ${m[2]}`);
  const undocumented = registeredRoutes().map(key).filter((k) => !rows.has(k));
  assert.deepEqual(undocumented, [], `routes missing from docs/api.md: ${undocumented.join(', ')}`);
});

test('calling every route as every role obeys the rule', async (t) => {
  const routes = registeredRoutes();
  const other = otherAddress();
  const s = await startServer({ t, extraArgs: other ? ['--bind', '0.0.0.0'] : [] });
  const admin = await s.login();
  // Department 1, for the department roles and the authorization below.
  const dept = await admin.post('/api/v1/departments', { name: '县人力资源和社会保障局', credit_code: '114103265346409776' });
  assert.equal(dept.status, 201, dept.text);

  // One user per role at the root center, one device per kind.
  const callers = { anonymous: s.client() };
  for (const role of PEOPLE) {
    const spec = role === 'applicant' ? { role }
      : ['chief_rep', 'reviewer'].includes(role) ? { role, center_id: 1, department_id: 1 }
        : { role, center_id: 1 };
    callers[role] = await s.makeUser(admin, `u_${role}`, [spec]);
  }
  for (const kind of DEVICES) {
    callers[kind] = await s.makeDevice(admin, kind, 1, kind === 'rating_pad' ? { window_no: 1 } : {});
  }
  assert.deepEqual(sorted(Object.keys(callers)), sorted(ALL));

  // Objects the {id} routes act on. Deleting routes get their own victims, so a
  // delete that goes through does not pull objects from under the other calls.
  const victimUser = (await admin.post('/api/v1/users', {
    username: 'victim', display_name: '受测用户', password: 'Init2026pass', roles: [{ role: 'clerk', center_id: 1 }],
  })).body.id;
  const victimDevice = (await s.makeDevice(admin, 'kiosk', 1)).device.id;
  const notice = (await admin.post('/api/v1/announcements', { center_id: 1, title: '通知', body: '正文' })).body.id;
  const victimNotice = (await admin.post('/api/v1/announcements', { center_id: 1, title: '待撤下', body: '正文' })).body.id;
  assert.ok(victimUser && victimDevice && notice && victimNotice);
  const window = (await admin.post('/api/v1/windows', { center_id: 1, number: 1, name: '综合受理窗口', kind: 'general' })).body.id;
  // The clerk is posted at the window: window actions need the clerk on duty there.
  const staff = (await admin.post('/api/v1/staff', { user_id: callers.clerk.user.id, staff_no: 'CK0001', center_id: 1, window_id: window })).body.id;
  const line = (await admin.post('/api/v1/hall/1/lines', { prefix: 'A', name: '综合业务', window_ids: [window] })).body.id;
  const ticket = (await admin.post('/api/v1/hall/1/tickets', { line_id: line })).body;
  const item = (await admin.post('/api/v1/items', { basic_code: '1105000001', name: '城乡居民养老保险参保登记', department_id: 1 })).body.id;
  const nextYear = new Date(Date.now() + 365 * 864e5).toISOString().slice(0, 10);
  // Authorizations to revoke: one per chief_rep call (the only role let through).
  const grant = async () => (await callers.chief_rep.post(`/api/v1/staff/${staff}/authorizations`,
    { item_id: item, action: 'receive', expires_on: nextYear })).body.id;
  const person = (await admin.post('/api/v1/people', { kind: 'citizen', name: '张三', ident: '11010519491231002X' })).body.id;
  const override = async () => (await admin.post('/api/v1/calendar-overrides',
    { center_id: 1, date: nextYear, kind: 'closed', reason: '受测闭厅' })).body.id;
  // The catalog: the item above gets a published version through an import.
  const fixture = JSON.parse(readFileSync(join(repo, 'tests', 'integration', 'fixtures', 'catalog-small.json'), 'utf8'));
  const pension = fixture.items.find((i) => i.basic_code === '1105000001');
  pension.department = '县人力资源和社会保障局';
  const imported = await admin.post('/api/v1/catalog/import', { format: 'yichuang-catalog', format_version: 1, items: [pension], bundles: [] });
  assert.equal(imported.status, 200, imported.text);
  const adjustment = (await admin.post('/api/v1/catalog/adjustments', {
    basic_code: '1105000001', kind: 'change', rule_title: '受测文件', rule_published_on: '2025-09-28' })).body.id;
  assert.ok(window && staff && item && person && adjustment && line && ticket.id);
  const victims = { auth: await grant(), override: await override() };

  const target = async (r) => {
    let p = r.path;
    if (p === '/api/v1/authorizations/{id}') {
      // A revoke that goes through uses up its victim: grant another for the next caller.
      const id = victims.auth;
      victims.auth = await grant();
      return p.replace('{id}', id);
    }
    if (p === '/api/v1/calendar-overrides/{id}') {
      const id = victims.override;
      await admin.del(`/api/v1/calendar-overrides/${id}`);
      victims.override = await override();
      return p.replace('{id}', victims.override);
    }
    if (p === '/api/v1/hall/lines/{id}') p = p.replace('{id}', line);
    else if (p.startsWith('/api/v1/hall/tickets/')) p = p.replace('{id}', ticket.id);
    else if (p.startsWith('/api/v1/hall/t/{token}')) p = p.replace('{token}', ticket.token);
    else if (p.startsWith('/api/v1/hall/windows/')) p = p.replace('{id}', window).replace('{action}', 'pause');
    else if (p.startsWith('/api/v1/hall/bookings/')) p = p.replace('{id}', '999999');
    else if (p.startsWith('/api/v1/booking/lines/')) p = p.replace('{id}', line);
    else if (p.startsWith('/api/v1/bookings/t/')) p = p.replace('{token}', '0'.repeat(32));
    else if (p === '/api/v1/hall/{id}/tidal/{id}/close') p = `/api/v1/hall/1/tidal/${window}/close`;
    else if (p.startsWith('/api/v1/hall/')) p = p.replace('{id}', '1').replace('{event}', '1');
    if (p.startsWith('/api/v1/centers/')) p = p.replace('{id}', '1');
    else if (p.startsWith('/api/v1/windows/')) p = p.replace('{id}', window);
    else if (p.startsWith('/api/v1/staff/')) p = p.replace('{id}', staff);
    else if (p.startsWith('/api/v1/people/')) p = p.replace('{id}', person);
    else if (p.startsWith('/api/v1/catalog/adjustments/')) p = p.replace('{id}', adjustment);
    else if (p === '/api/v1/catalog/stats') p += '?center_id=1';
    if (p.includes('/items/{code}')) p = p.replace('{code}', '1105000001').replace('{n}', '1').replace('{material}', 'form');
    else if (p.includes('/bundles/{code}')) p = p.replace('{code}', 'YJS001');
    else if (p === '/api/v1/calendar/{year}') p = '/api/v1/calendar/2025?center_id=1';
    else if (['/api/v1/windows', '/api/v1/calendar-overrides'].includes(p) && r.method === 'GET') p += '?center_id=1';
    if (p.startsWith('/api/v1/users/')) p = p.replace('{id}', victimUser);
    else if (p.startsWith('/api/v1/devices/')) p = p.replace('{id}', victimDevice);
    else if (p === '/api/v1/announcements/{id}') p = p.replace('{id}', r.method === 'DELETE' ? victimNotice : notice);
    else if (p === '/api/v1/announcements') p += r.method === 'GET' ? '?center_id=1' : '';
    assert.ok(!p.includes('{'), `no id for ${key(r)}: add one to this test`);
    return p;
  };

  const allowed = (r, who, loopback) => {
    const rule = RULES[key(r)];
    return rule.flags.includes('public') || (rule.flags.includes('loopback') && loopback) || rule.roles.includes(who);
  };

  const check = async (r, who, loopback) => {
    const c = callers[who];
    // Minimal bodies: none at all. Allowed callers get past the rule and are then
    // stopped by validation (400), which is the point.
    const path = await target(r);
    const res = path.endsWith('/events') ? await streamStatus(c, path) : await c.req(r.method, path);
    const what = `${who} ${r.method} ${path} -> ${res.status} ${res.text.slice(0, 200)}`;
    if (allowed(r, who, loopback)) {
      assert.ok(res.status !== 401 && res.status !== 403, `allowed but refused: ${what}`);
      assert.ok(res.status < 500, `server error: ${what}`);
    } else if (who === 'anonymous') {
      assert.equal(res.status, 401, what);
      assert.equal(res.body?.code, 'AUTH_REQUIRED', what);
    } else {
      assert.equal(res.status, 403, what);
      assert.equal(res.body?.code, 'FORBIDDEN', what);
    }
  };

  // Logging out ends the callers' sessions, so it goes last.
  const order = [...routes].sort((a, b) => (key(a) === 'DELETE /api/v1/session') - (key(b) === 'DELETE /api/v1/session'));
  for (const r of order) {
    await t.test(key(r), async () => {
      for (const who of ALL) await check(r, who, true);
    });
  }

  // Routes open to loopback clients follow the roles from anywhere else.
  const lb = routes.filter((r) => r.flags.includes('loopback'));
  if (other && lb.length) {
    await t.test('loopback routes from a non-loopback address', async () => {
      s.base = `http://${other}:${s.port}`;
      for (const who of PEOPLE) callers[who] = await s.login(`u_${who}`, callers[who].password);
      for (const r of lb) for (const who of ALL) await check(r, who, false);
    });
  }
});
