// The organization: centers in detail, zones, hours, departments, windows, staff,
// items and authorizations -- happy paths, the town minimum, center scoping, and the
// rule that only a department's chief representative grants its items.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, dbSnapshot } from './lib/server.mjs';

// Real-format 统一社会信用代码 (GB 32100 check characters computed).
const CODES = ['114103265346409776', '11410326302466332W', '11410326629923128W'];

async function setup(t) {
  const s = await startServer({ t });
  const admin = await s.login();
  const town = async (name) => {
    const r = await admin.post('/api/v1/centers', { name, level: 'town', parent_id: 1 });
    assert.equal(r.status, 201, r.text);
    return r.body.id;
  };
  const townA = await town('城关镇便民服务中心');
  const townB = await town('洛北街道党政综合便民服务中心');
  const dept = async (name, code) => {
    const r = await admin.post('/api/v1/departments', { name, short_name: name.slice(1, 4), credit_code: code });
    assert.equal(r.status, 201, r.text);
    return r.body.id;
  };
  const hrss = await dept('县人力资源和社会保障局', CODES[0]);
  const market = await dept('县市场监督管理局', CODES[1]);
  return { s, admin, townA, townB, hrss, market };
}

test('departments: credit codes are checked, names and codes are unique', async (t) => {
  const { s, admin } = await setup(t);
  const before = dbSnapshot(s.db);
  let r = await admin.post('/api/v1/departments', { name: '县民政局', credit_code: '114103265346409775' });
  const e = assertError(r, 400, 'CREDIT_CODE_CHECK', 'credit_code');
  assert.match(e.message, /校验/);
  r = await admin.post('/api/v1/departments', { name: '县民政局', credit_code: '11410326534640977' });
  assert.match(r.body.code, /^CREDIT_CODE_/);
  assertError(r, 400, r.body.code, 'credit_code');
  r = await admin.post('/api/v1/departments', { name: '县民政局', credit_code: CODES[0] });
  assertError(r, 409, 'DEPARTMENT_TAKEN');
  assert.equal(dbSnapshot(s.db), before, 'nothing written by refused requests');
  r = await admin.post('/api/v1/departments', { name: '县民政局', credit_code: CODES[2] });
  assert.equal(r.status, 201, r.text);
  const list = await admin.get('/api/v1/departments');
  assert.deepEqual(list.body.items.map((d) => d.name), ['县人力资源和社会保障局', '县市场监督管理局', '县民政局']);
});

test('windows: kinds, domains, numbers, and the town minimum', async (t) => {
  const { s, admin, townA, market } = await setup(t);
  let d = await admin.get(`/api/v1/centers/${townA}`);
  assert.equal(d.status, 200, d.text);
  assert.equal(d.body.minimum.met, false);
  assert.equal(d.body.minimum.problems.length, 3);

  const win = (body) => admin.post('/api/v1/windows', { center_id: townA, ...body });
  for (let n = 1; n <= 4; n++) assert.equal((await win({ number: n, name: '综合受理窗口', kind: 'general' })).status, 201);
  let r = await win({ number: 5, name: '社保医保综合窗口', kind: 'domain', domain: '社保医保', duty_lunch: true });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.is_duty_lunch, true);
  assert.equal((await win({ number: 6, name: '统一出证窗口', kind: 'certificate' })).status, 201);
  d = await admin.get(`/api/v1/centers/${townA}`);
  assert.deepEqual(d.body.window_counts, { comprehensive: 5, certificate: 1, consult: 0 });
  assert.deepEqual(d.body.minimum.problems, ['缺少帮办咨询窗口']);
  const consult = await win({ number: 7, name: '帮办咨询窗口', kind: 'consult' });
  d = await admin.get(`/api/v1/centers/${townA}`);
  assert.equal(d.body.minimum.met, true);

  // Deactivating a window counts against the minimum again.
  r = await admin.patch(`/api/v1/windows/${consult.body.id}`, { active: false });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.is_active, false);
  d = await admin.get(`/api/v1/centers/${townA}`);
  assert.equal(d.body.minimum.met, false);

  const before = dbSnapshot(s.db);
  assertError(await win({ number: 1, name: '重复', kind: 'general' }), 409, 'WINDOW_NUMBER_TAKEN', 'number');
  assertError(await win({ number: 8, name: '坏类型', kind: 'vip' }), 400, 'FIELD_ENUM', 'kind');
  assertError(await win({ number: 8, name: '无领域', kind: 'domain' }), 400, 'FIELD_ENUM', 'domain');
  assertError(await win({ number: 8, name: '错领域', kind: 'domain', domain: '餐饮' }), 400, 'FIELD_ENUM', 'domain');
  assertError(await win({ number: 8, name: '多余领域', kind: 'general', domain: '社保医保' }), 400, 'FIELD_FORBIDDEN', 'domain');
  assertError(await win({ number: 8, name: '专窗', kind: 'dedicated' }), 400, 'FIELD_REQUIRED', 'department_id');
  assertError(await win({ number: 8, name: '专窗', kind: 'dedicated', department_id: 999 }), 404, 'DEPARTMENT_NOT_FOUND', 'department_id');
  assertError(await win({ number: 0, name: '零号', kind: 'general' }), 400, 'FIELD_RANGE', 'number');
  assertError(await win({ number: 8, name: 'x', kind: 'general', extra: 1 }), 400, 'FIELD_UNKNOWN', 'extra');
  assertError(await admin.post('/api/v1/windows', { center_id: 999, number: 8, name: 'x', kind: 'general' }), 404, 'CENTER_NOT_FOUND', 'center_id');
  assert.equal(dbSnapshot(s.db), before);
  assert.equal((await win({ number: 8, name: '市场监管专窗', kind: 'dedicated', department_id: market })).status, 201);
  // null clears only what may be empty; elsewhere it is a type error, not a conflict.
  const before2 = dbSnapshot(s.db);
  assertError(await admin.patch(`/api/v1/windows/${consult.body.id}`, { name: null }), 400, 'FIELD_TYPE', 'name');
  assertError(await admin.patch(`/api/v1/windows/${consult.body.id}`, { kind: 'general', domain: null }), 400, 'FIELD_TYPE', 'domain');
  assert.equal(dbSnapshot(s.db), before2);
  const list = await admin.get(`/api/v1/windows?center_id=${townA}`);
  assert.deepEqual(list.body.items.map((w) => w.number), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(list.body.items[7].department_name, '县市场监督管理局');
});

test('scoping: a town manager manages only their own town', async (t) => {
  const { s, admin, townA, townB } = await setup(t);
  const mgr = await s.makeUser(admin, 'town_mgr', [{ role: 'manager', center_id: townA }]);
  const wB = await admin.post('/api/v1/windows', { center_id: townB, number: 1, name: '综合受理窗口', kind: 'general' });
  const before = dbSnapshot(s.db);
  assertError(await mgr.post('/api/v1/windows', { center_id: townB, number: 2, name: 'x', kind: 'general' }), 403, 'CENTER_FORBIDDEN', 'center_id');
  assertError(await mgr.patch(`/api/v1/windows/${wB.body.id}`, { name: '改名' }), 403, 'CENTER_FORBIDDEN');
  assertError(await mgr.get(`/api/v1/windows?center_id=${townB}`), 403, 'CENTER_FORBIDDEN', 'center_id');
  assertError(await mgr.get(`/api/v1/centers/${townB}`), 403, 'CENTER_FORBIDDEN');
  assertError(await mgr.patch('/api/v1/centers/1', { phone: '110' }), 403, 'CENTER_FORBIDDEN');
  assertError(await mgr.put(`/api/v1/centers/${townB}/hours`, { days: [] }), 403, 'CENTER_FORBIDDEN');
  assertError(await mgr.post('/api/v1/departments', { name: '县某局', credit_code: CODES[2] }), 403, 'FORBIDDEN');
  assert.equal(dbSnapshot(s.db), before);
  const centers = await mgr.get('/api/v1/centers');
  assert.deepEqual(centers.body.items.map((c) => c.id), [townA]);
  assert.equal((await mgr.post('/api/v1/windows', { center_id: townA, number: 1, name: '综合受理窗口', kind: 'general' })).status, 201);
  const v = await mgr.post('/api/v1/centers', { name: '东关村便民服务站', level: 'village', parent_id: townA });
  assert.equal(v.status, 201, v.text);
  assert.equal((await mgr.get(`/api/v1/centers/${v.body.id}`)).status, 200);
});

test('hours and zones', async (t) => {
  const { s, admin, townA } = await setup(t);
  const day = (weekday, am_open = '08:30', am_close = '12:00', pm_open = '14:00', pm_close = '17:30') => ({ weekday, am_open, am_close, pm_open, pm_close });
  let r = await admin.put(`/api/v1/centers/${townA}/hours`, { days: [1, 2, 3, 4, 5].map((d) => day(d)) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.days.length, 5);
  const before = dbSnapshot(s.db);
  assertError(await admin.put(`/api/v1/centers/${townA}/hours`, { days: [day(1), day(1)] }), 400, 'FIELD_DUPLICATE', 'days[1].weekday');
  assertError(await admin.put(`/api/v1/centers/${townA}/hours`, { days: [day(2, '12:00', '08:30')] }), 400, 'HOURS_INVALID', 'days[0].am_open');
  assertError(await admin.put(`/api/v1/centers/${townA}/hours`, { days: [day(2, '8:30')] }), 400, 'FIELD_LENGTH', 'days[0].am_open');
  assertError(await admin.put(`/api/v1/centers/${townA}/hours`, { days: [day(2, '25:00')] }), 400, 'HOURS_INVALID', 'days[0].am_open');
  assertError(await admin.put(`/api/v1/centers/${townA}/hours`, { days: [day(8)] }), 400, 'FIELD_RANGE', 'days[0].weekday');
  assertError(await admin.patch(`/api/v1/centers/${townA}`, { region_code: '41032' }), 400, 'FIELD_FORMAT', 'region_code');
  assertError(await admin.post(`/api/v1/centers/${townA}/zones`, { kind: 'lounge', name: 'x' }), 400, 'FIELD_ENUM', 'kind');
  assert.equal(dbSnapshot(s.db), before);
  r = await admin.post(`/api/v1/centers/${townA}/zones`, { kind: 'self_service', name: '24小时自助服务区', always_open: true });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.is_always_open, true);
  assertError(await admin.post(`/api/v1/centers/${townA}/zones`, { kind: 'self_service', name: '24小时自助服务区' }), 409, 'ZONE_NAME_TAKEN', 'name');
  r = await admin.patch(`/api/v1/centers/${townA}`, { address: '城关镇人民路1号', phone: '0379-12345', region_code: '410326100' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.address, '城关镇人民路1号');
  assert.equal(r.body.region_code, '410326100');
});

test('staff, AB backups, and authorizations granted only by the chief representative', async (t) => {
  const { s, admin, townA, townB, hrss, market } = await setup(t);
  const w1 = (await admin.post('/api/v1/windows', { center_id: townA, number: 1, name: '综合受理窗口', kind: 'general' })).body.id;
  const wB = (await admin.post('/api/v1/windows', { center_id: townB, number: 1, name: '综合受理窗口', kind: 'general' })).body.id;
  const clerk = await s.makeUser(admin, 'clerk_a', [{ role: 'clerk', center_id: townA }]);
  const clerk2 = await s.makeUser(admin, 'clerk_b', [{ role: 'clerk', center_id: townA }]);
  const chief = await s.makeUser(admin, 'chief_hrss', [{ role: 'chief_rep', center_id: 1, department_id: hrss }]);
  const chiefM = await s.makeUser(admin, 'chief_market', [{ role: 'chief_rep', center_id: 1, department_id: market }]);

  let r = await admin.post('/api/v1/staff', { user_id: clerk.user.id, staff_no: 'CG0001', center_id: townA, window_id: w1, posts: '综合受理岗', posted_since: '2024-03-01' });
  assert.equal(r.status, 201, r.text);
  const st1 = r.body;
  assert.equal(st1.window_id, w1);
  const before = dbSnapshot(s.db);
  assertError(await admin.post('/api/v1/staff', { user_id: clerk2.user.id, staff_no: 'CG0001', center_id: townA }), 409, 'STAFF_TAKEN', 'staff_no');
  assertError(await admin.post('/api/v1/staff', { user_id: clerk2.user.id, staff_no: 'CG0002', center_id: townA, window_id: wB }), 400, 'WINDOW_NOT_IN_CENTER', 'window_id');
  assertError(await admin.post('/api/v1/staff', { user_id: clerk2.user.id, staff_no: 'CG 02', center_id: townA }), 400, 'FIELD_FORMAT', 'staff_no');
  assertError(await admin.post('/api/v1/staff', { user_id: clerk2.user.id, staff_no: 'CG0002', center_id: townA, posted_since: '2024-02-30' }), 400, 'FIELD_FORMAT', 'posted_since');
  assertError(await admin.post('/api/v1/staff', { user_id: 9999, staff_no: 'CG0002', center_id: townA }), 404, 'USER_NOT_FOUND', 'user_id');
  assertError(await admin.patch(`/api/v1/staff/${st1.id}`, { backup_staff_id: st1.id }), 400, 'BACKUP_INVALID', 'backup_staff_id');
  assertError(await admin.patch(`/api/v1/staff/${st1.id}`, { posted_since: null }), 400, 'FIELD_TYPE', 'posted_since');
  assert.equal(dbSnapshot(s.db), before);
  const st2 = (await admin.post('/api/v1/staff', { user_id: clerk2.user.id, staff_no: 'CG0002', center_id: townA })).body;
  r = await admin.patch(`/api/v1/staff/${st1.id}`, { backup_staff_id: st2.id });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.backup_staff_id, st2.id);

  const item = (await admin.post('/api/v1/items', { basic_code: '1105000001', name: '城乡居民养老保险参保登记', department_id: hrss })).body;
  const itemM = (await admin.post('/api/v1/items', { basic_code: '1102000001', name: '企业设立登记', department_id: market })).body;
  assertError(await admin.post('/api/v1/items', { basic_code: '1105000001', name: '重复', department_id: hrss }), 409, 'ITEM_CODE_TAKEN', 'basic_code');
  assertError(await admin.post('/api/v1/items', { basic_code: 'abc', name: '小写', department_id: hrss }), 400, 'FIELD_FORMAT', 'basic_code');
  assertError(await admin.post('/api/v1/items', { basic_code: '1234567890123', name: '过长', department_id: hrss }), 400, 'FIELD_LENGTH', 'basic_code');

  const nextYear = new Date(Date.now() + 365 * 864e5).toISOString().slice(0, 10);
  const grant = (c, staff, body) => c.post(`/api/v1/staff/${staff}/authorizations`, { expires_on: nextYear, ...body });
  const before2 = dbSnapshot(s.db);
  // Not a chief representative at all: the route's rule refuses.
  assertError(await grant(admin, st1.id, { item_id: item.id, action: 'receive' }), 403, 'FORBIDDEN');
  // A chief representative, but of another department.
  assertError(await grant(chiefM, st1.id, { item_id: item.id, action: 'receive' }), 403, 'NOT_CHIEF_REP', 'item_id');
  assertError(await grant(chief, st1.id, { item_id: item.id, action: 'sign' }), 400, 'FIELD_ENUM', 'action');
  assertError(await grant(chief, st1.id, { item_id: item.id, action: 'receive', expires_on: '2020-01-01' }), 400, 'FIELD_RANGE', 'expires_on');
  assertError(await grant(chief, st1.id, { item_id: item.id, action: 'receive', expires_on: '2099-13-01' }), 400, 'FIELD_FORMAT', 'expires_on');
  assertError(await grant(chief, st1.id, { item_id: 999, action: 'receive' }), 404, 'ITEM_NOT_FOUND', 'item_id');
  assertError(await grant(chief, 999, { item_id: item.id, action: 'receive' }), 404, 'STAFF_NOT_FOUND');
  assert.equal(dbSnapshot(s.db), before2);

  r = await grant(chief, st1.id, { item_id: item.id, action: 'receive' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.item_name, '城乡居民养老保险参保登记');
  assert.equal(r.body.granted_by_name, 'chief_hrss');
  assert.equal(r.body.expires_on, nextYear);
  assertError(await grant(chief, st1.id, { item_id: item.id, action: 'receive' }), 409, 'AUTHORIZATION_EXISTS', 'item_id');
  assert.equal((await grant(chiefM, st1.id, { item_id: itemM.id, action: 'accept' })).status, 201);
  const detail = await admin.get(`/api/v1/staff/${st1.id}`);
  assert.deepEqual(detail.body.authorizations.map((a) => [a.basic_code, a.action]).sort(), [['1102000001', 'accept'], ['1105000001', 'receive']]);

  // Revoke: only the item's chief representative.
  const authId = r.body.id;
  assertError(await chiefM.del(`/api/v1/authorizations/${authId}`), 403, 'NOT_CHIEF_REP');
  assert.equal((await chief.del(`/api/v1/authorizations/${authId}`)).status, 204);
  assertError(await chief.del(`/api/v1/authorizations/${authId}`), 409, 'AUTHORIZATION_REVOKED');
  const live = await admin.get(`/api/v1/staff/${st1.id}/authorizations`);
  assert.deepEqual(live.body.items.map((a) => a.basic_code), ['1102000001']);
  const all = await admin.get(`/api/v1/staff/${st1.id}/authorizations?all=1`);
  assert.equal(all.body.items.length, 2);
  // Everything above is in the action log.
  const audit = await admin.get('/api/v1/audit?limit=500');
  const actions = audit.body.items.map((a) => a.action);
  for (const a of ['department_create', 'window_create', 'staff_create', 'staff_update', 'item_create', 'authorization_grant', 'authorization_revoke']) {
    assert.ok(actions.includes(a), a);
  }
  assert.equal((await admin.get('/api/v1/audit/verify')).body.ok, true);
});
