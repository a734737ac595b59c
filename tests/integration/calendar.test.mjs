// The working-day calendar over HTTP and the command line: national data imported at
// init, a year view per center, local overrides, imports that are all or nothing --
// and the demo county loader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, assertError, dbSnapshot, runCli, repo, BIN, WEB, Server, SANITIZER_RE } from './lib/server.mjs';

const dayOf = (cal, date) => cal.days.find((d) => d.date === date);

test('calendar: national data from init, a year per center, overrides', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  let r = await admin.get('/api/v1/calendar/2025?center_id=1');
  assert.equal(r.status, 200, r.text);
  const y = r.body;
  assert.equal(y.national_data, true);
  assert.equal(y.days.length, 365);
  assert.equal(y.working_days, 248); // 2025: 261 weekdays - 18 holidays on weekdays + 5 makeup days
  assert.deepEqual(dayOf(y, '2025-01-28'), { date: '2025-01-28', weekday: 2, working: false, source: 'national', name: '春节' });
  assert.deepEqual(dayOf(y, '2025-01-26'), { date: '2025-01-26', weekday: 7, working: true, source: 'national', name: '春节' });
  assert.equal(dayOf(y, '2025-03-03').working, true);
  assert.equal(dayOf(y, '2025-03-08').source, 'week');
  r = await admin.get('/api/v1/calendar/2099?center_id=1');
  assert.equal(r.body.national_data, false, 'a year without published data says so');
  assertError(await admin.get('/api/v1/calendar/1999?center_id=1'), 404, 'CALENDAR_YEAR_INVALID', 'year');
  assertError(await admin.get('/api/v1/calendar/2025'), 400, 'FIELD_REQUIRED', 'center_id');

  // Overrides: a town closes one working day and opens one Saturday.
  const town = (await admin.post('/api/v1/centers', { name: '城关镇便民服务中心', level: 'town', parent_id: 1 })).body.id;
  const mgr = await s.makeUser(admin, 'town_mgr', [{ role: 'manager', center_id: town }]);
  const nextYear = new Date().getUTCFullYear() + 1;
  const mon = `${nextYear}-03-02`;
  const closed = await mgr.post('/api/v1/calendar-overrides', { center_id: town, date: mon, kind: 'closed', reason: '设备检修闭厅' });
  assert.equal(closed.status, 201, closed.text);
  assertError(await mgr.post('/api/v1/calendar-overrides', { center_id: town, date: mon, kind: 'duty', reason: '再来一次' }), 409, 'OVERRIDE_EXISTS', 'date');
  const before = dbSnapshot(s.db);
  assertError(await mgr.post('/api/v1/calendar-overrides', { center_id: 1, date: mon, kind: 'closed', reason: '越权' }), 403, 'CENTER_FORBIDDEN', 'center_id');
  assertError(await mgr.post('/api/v1/calendar-overrides', { center_id: town, date: `${nextYear}-02-30`, kind: 'closed', reason: '坏日期' }), 400, 'FIELD_FORMAT', 'date');
  assertError(await mgr.post('/api/v1/calendar-overrides', { center_id: town, date: `${nextYear}-03-03`, kind: 'holiday', reason: '坏类型' }), 400, 'FIELD_ENUM', 'kind');
  assert.equal(dbSnapshot(s.db), before);
  r = await mgr.get(`/api/v1/calendar/${nextYear}?center_id=${town}`);
  assert.deepEqual(dayOf(r.body, mon), { date: mon, weekday: new Date(`${mon}T00:00:00Z`).getUTCDay() || 7, working: false, source: 'local', name: '设备检修闭厅' });
  r = await admin.get(`/api/v1/calendar/${nextYear}?center_id=1`);
  assert.notEqual(dayOf(r.body, mon).source, 'local', 'an override is the town\'s own');
  r = await mgr.get(`/api/v1/calendar-overrides?center_id=${town}&year=${nextYear}`);
  assert.deepEqual(r.body.items.map((o) => [o.date, o.kind]), [[mon, 'closed']]);
  assert.equal((await mgr.del(`/api/v1/calendar-overrides/${closed.body.id}`)).status, 204);
  r = await mgr.get(`/api/v1/calendar/${nextYear}?center_id=${town}`);
  assert.notEqual(dayOf(r.body, mon).source, 'local');
});

test('calendar: imports are all or nothing, in both layouts', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  const imp = (body, q = '') => admin.req('POST', `/api/v1/calendar/import${q}`, undefined, { raw: JSON.stringify(body) });
  const before = dbSnapshot(s.db);
  // A year that is already there needs replace.
  let r = await imp({ year: 2025, days: [{ name: '春节', date: '2025-01-28', isOffDay: true }] });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.body.code, 'CALENDAR_IMPORT_INVALID');
  assert.ok(r.body.problems.some((p) => p.rule === 'YEAR_LOADED'));
  // Several problems at once, each named.
  r = await imp([{ year: 2030, days: [{ name: '元旦', date: '2030-13-01', isOffDay: true }, { name: '春节', date: '2031-02-01', isOffDay: true }] },
    { year: 2030, days: [] }, { year: 2031, days: [{ name: 'x', date: '2031-01-01', isOffDay: 'yes' }], extra: 1 }]);
  assert.equal(r.status, 400);
  const rules = r.body.problems.map((p) => p.rule).sort();
  for (const want of ['DATE_MALFORMED', 'DATE_OUTSIDE_YEAR', 'YEAR_DUPLICATE', 'TYPE', 'UNKNOWN_FIELD']) assert.ok(rules.includes(want), `${want} in ${rules}`);
  assert.ok(r.body.problems.every((p) => /[\u4e00-\u9fff]/.test(p.message)));
  r = await admin.req('POST', '/api/v1/calendar/import', undefined, { raw: '{"year": 2030,' });
  assert.equal(r.body.problems[0].rule, 'JSON_SYNTAX');
  assert.equal(dbSnapshot(s.db), before, 'a refused import writes nothing');

  // The chinese-days layout: 2030 is not in the shipped data.
  r = await imp({ holidays: { '2030-10-01': 'National Day,国庆节,3' }, workdays: { '2030-09-29': 'National Day,国庆节,3' }, inLieuDays: {} }, '?source=test');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.imported_years, 1);
  let y = (await admin.get('/api/v1/calendar/2030?center_id=1')).body;
  assert.equal(y.national_data, true);
  assert.equal(dayOf(y, '2030-10-01').name, '国庆节');
  assert.equal(dayOf(y, '2030-09-29').working, true);
  // Replace it with the per-year layout; the old days go.
  r = await imp({ year: 2030, days: [{ name: '元旦', date: '2030-01-01', isOffDay: true }] }, '?replace=1');
  assert.equal(r.status, 200, r.text);
  y = (await admin.get('/api/v1/calendar/2030?center_id=1')).body;
  assert.equal(dayOf(y, '2030-10-01').source, 'week');
  assert.equal(dayOf(y, '2030-01-01').name, '元旦');

  // The command line does the same, refusing a year twice without --replace.
  await s.stop();
  const file = join(s.dir, 'h.json');
  writeFileSync(file, JSON.stringify({ year: 2030, days: [] }));
  let c = runCli(['import', 'calendar', file, '--data', s.dir]);
  assert.equal(c.status, 1);
  assert.match(c.stderr, /2030年的节假日数据已存在/);
  c = runCli(['import', 'calendar', file, '--data', s.dir, '--replace']);
  assert.equal(c.status, 0, c.stderr);
  assert.match(c.stdout, /已导入1年/);
  c = runCli(['audit', 'verify', '--data', s.dir]);
  assert.equal(c.status, 0, c.stdout);
});

test('demo: the demo county loads, meets the town minimum, and verifies', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'yc-demo-'));
  const portFile = join(dir, 'port');
  const proc = spawn(BIN, ['demo', '--data', dir, '--port', '0', '--bind', '127.0.0.1', '--port-file', portFile, '--web', WEB],
    { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { out += d; });
  const exited = new Promise((res) => proc.on('exit', res));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (let i = 0; i < 1000 && !existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(existsSync(portFile), out);
  proc.kill('SIGTERM');
  await exited;
  assert.ok(!SANITIZER_RE.test(out), out);
  assert.match(out, /演示账号（密码均为 Demo2026yc）/);
  assert.match(out, /节假日数据：已导入\d+年/);

  const s = new Server(dir);
  t.after(() => s.cleanup(t));
  await s.start();
  const admin = await s.login('admin', 'Demo2026yc');
  const centers = (await admin.get('/api/v1/centers')).body.items;
  assert.deepEqual(centers.map((c) => c.level), ['county', 'town', 'town', 'village', 'village', 'village']);
  for (const c of centers.filter((x) => x.level === 'town')) {
    const d = (await admin.get(`/api/v1/centers/${c.id}`)).body;
    assert.equal(d.minimum.met, true, `${c.name}: ${JSON.stringify(d.minimum)}`);
  }
  const county = (await admin.get('/api/v1/windows?center_id=1')).body.items;
  const domains = county.filter((w) => w.kind === 'domain').map((w) => w.domain);
  assert.deepEqual(domains, ['社保医保', '企业开办', '建设项目', '公共服务', '不动产交易', '社会事务']);
  for (const k of ['general', 'certificate', 'consult', 'complaint', 'cross_region']) assert.ok(county.some((w) => w.kind === k), k);
  const depts = (await admin.get('/api/v1/departments')).body.items;
  assert.ok(depts.length >= 10, `${depts.length} departments`);
  const staff = (await admin.get('/api/v1/staff?limit=500')).body.items;
  assert.ok(staff.length >= 35, `${staff.length} staff`);
  const users = (await admin.get('/api/v1/users?limit=500')).body.items;
  const roles = new Set(users.flatMap((u) => u.roles.map((r) => r.role)));
  for (const r of ['admin', 'manager', 'supervisor', 'chief_rep', 'reviewer', 'clerk', 'guide', 'applicant']) assert.ok(roles.has(r), r);
  const clerk = await s.login('clerk', 'Demo2026yc');
  const me = (await clerk.get('/api/v1/staff?limit=500')).body.items.find((x) => x.username === 'clerk');
  const auths = (await clerk.get(`/api/v1/staff/${me.id}/authorizations`)).body.items;
  assert.ok(auths.length > 0, 'demo clerks hold authorizations');
  assert.equal((await admin.get('/api/v1/audit/verify')).body.ok, true);
});
