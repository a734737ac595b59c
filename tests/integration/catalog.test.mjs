// The item catalog (issue 5): versions and their review workflow, all-or-nothing
// import with every problem listed, export round trip, public search and checklist,
// adjustment deadlines on the real holiday calendar, department scoping, statistics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, assertError, dbSnapshot, rawRequest, runCli, repo, BIN, WEB, Server, SANITIZER_RE } from './lib/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURE = JSON.parse(readFileSync(join(here, 'fixtures', 'catalog-small.json'), 'utf8'));
const fixture = () => structuredClone(FIXTURE);
const food = () => fixture().items.find((i) => i.basic_code === '1102000002');

const DEPTS = [
  ['县人力资源和社会保障局', '人社局', '11410326259880000B'],
  ['县市场监督管理局', '市场监管局', '11410326774465223A'],
  ['县税务局', '税务局', '114103262377568424'],
];

async function setup(t, { load = true } = {}) {
  const s = await startServer({ t });
  const admin = await s.login();
  const dept = {};
  for (const [name, short_name, credit_code] of DEPTS) {
    const r = await admin.post('/api/v1/departments', { name, short_name, credit_code });
    assert.equal(r.status, 201, r.text);
    dept[short_name] = r.body.id;
  }
  if (load) {
    const r = await admin.post('/api/v1/catalog/import', fixture());
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { items_created: 4, items_updated: 0, items_unchanged: 0, bundles: 1, dry_run: false });
  }
  return { s, admin, dept };
}

/** The CATALOG_INVALID answer: every problem as {where, field, rule, message}. */
function assertInvalid(res) {
  assert.equal(res.status, 400, res.text);
  assert.equal(res.body.code, 'CATALOG_INVALID', res.text);
  assert.match(res.body.message, /[\u3400-\u9fff]/);
  assert.ok(Array.isArray(res.body.problems) && res.body.problems.length > 0);
  for (const p of res.body.problems) {
    assert.equal(typeof p.where, 'string');
    assert.equal(typeof p.rule, 'string');
    assert.match(p.message, /[\u3400-\u9fff]/, JSON.stringify(p));
  }
  return res.body.problems;
}

test('workflow: draft -> submit -> approve -> publish; reject; one open version; published is immutable', async (t) => {
  const { s, admin, dept } = await setup(t, { load: false });
  const chief = await s.makeUser(admin, 'chief_market', [{ role: 'chief_rep', center_id: 1, department_id: dept['市场监管局'] }]);
  const doc = food();
  let r = await chief.post('/api/v1/catalog/items', doc);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.basic_code, '1102000002');
  assert.equal(r.body.version, 1);
  assert.equal(r.body.status, 'draft');
  assertError(await chief.post('/api/v1/catalog/items', doc), 409, 'ITEM_CODE_TAKEN', 'basic_code');
  // Not public until published.
  assertError(await s.client().get('/api/v1/public/items/1102000002'), 404, 'ITEM_NOT_FOUND');

  const base = '/api/v1/catalog/items/1102000002';
  // Managers cannot approve a draft; the department submits first.
  assertError(await admin.post(`${base}/versions/1/approve`, {}), 409, 'VERSION_STATE');
  assertError(await chief.post(`${base}/versions/1/approve`, {}), 403, 'FORBIDDEN');
  r = await chief.post(`${base}/versions/1/submit`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'submitted');
  // A submitted version is locked; reject sends it back with a note.
  assertError(await chief.put(`${base}/versions/1`, doc), 409, 'VERSION_LOCKED');
  let review = await admin.get('/api/v1/catalog/review');
  assert.deepEqual(review.body.items.map((v) => [v.basic_code, v.version, v.status]), [['1102000002', 1, 'submitted']]);
  assertError(await admin.post(`${base}/versions/1/reject`, {}), 400, 'FIELD_REQUIRED', 'note');
  r = await admin.post(`${base}/versions/1/reject`, { note: '材料清单缺少营业执照' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'draft');
  assert.equal(r.body.note, '材料清单缺少营业执照');
  review = await chief.get('/api/v1/catalog/review');
  assert.equal(review.body.items[0].note, '材料清单缺少营业执照');
  doc.hours = '工作日 8:30-12:00，14:00-17:30';
  r = await chief.put(`${base}/versions/1`, doc);
  assert.equal(r.status, 200, r.text);
  for (const [who, step, status] of [[chief, 'submit', 'submitted'], [admin, 'approve', 'reviewed'], [admin, 'publish', 'published']]) {
    r = await who.post(`${base}/versions/1/${step}`, {});
    assert.equal(r.status, 200, `${step}: ${r.text}`);
    assert.equal(r.body.status, status);
  }
  r = await s.client().get('/api/v1/public/items/1102000002');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.version, 1);
  assert.equal(r.body.item.hours, '工作日 8:30-12:00，14:00-17:30');
  assert.equal(r.body.department_name, '县市场监督管理局');
  assert.match(r.body.published_on, /^\d{4}-\d{2}-\d{2}$/);

  // Published documents never change: edits make a new version, one open at a time.
  assertError(await chief.put(`${base}/versions/1`, doc), 409, 'VERSION_LOCKED');
  doc.hours = '工作日 9:00-17:00';
  doc.aliases = ['开小吃店'];
  r = await chief.post(`${base}/versions`, doc);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.version, 2);
  assertError(await chief.post(`${base}/versions`, doc), 409, 'VERSION_OPEN');
  for (const [who, step] of [[chief, 'submit'], [admin, 'approve'], [admin, 'publish']]) {
    assert.equal((await who.post(`${base}/versions/2/${step}`, {})).status, 200);
  }
  r = await admin.get(base);
  assert.deepEqual(r.body.versions.map((v) => [v.version, v.status]), [[1, 'retired'], [2, 'published']]);
  // The search index follows the published version.
  let hit = await s.client().get(`/api/v1/public/search?q=${encodeURIComponent('开小吃店')}`);
  assert.deepEqual(hit.body.results.map((x) => x.code), ['1102000002']);
  hit = await s.client().get(`/api/v1/public/search?q=${encodeURIComponent('开饭店')}`);
  assert.equal(hit.body.total, 0);
  assert.equal(r.body.published.hours, '工作日 9:00-17:00');
  r = await admin.get(`${base}/versions/1`);
  assert.equal(r.body.document.hours, '工作日 8:30-12:00，14:00-17:30', 'version 1 kept as it was');
  r = await admin.get('/api/v1/catalog/items?q=食品');
  assert.equal(r.body.total, 1);
  assert.equal(r.body.items[0].published_version, 2);
  assert.equal(r.body.items[0].latest_status, 'published');

  // Every write left an action-log row.
  const audit = await admin.get('/api/v1/audit?limit=100');
  const actions = audit.body.items.map((a) => a.action);
  for (const a of ['catalog_draft', 'catalog_submit', 'catalog_reject', 'catalog_approve', 'catalog_publish']) {
    assert.ok(actions.includes(a), `audit has ${a}`);
  }

  // Retire: gone from the public side.
  r = await admin.post(`${base}/retire`, { note: '法规废止' });
  assert.equal(r.status, 200, r.text);
  assertError(await s.client().get('/api/v1/public/items/1102000002'), 404, 'ITEM_NOT_FOUND');
  r = await s.client().get('/api/v1/public/search?q=食品经营');
  assert.equal(r.body.total, 0);
});

test('bad documents are refused field by field and nothing is written', async (t) => {
  const { s, admin } = await setup(t, { load: false });
  const before = dbSnapshot(s.db);
  const doc = food();
  doc.basic_code = '11020000020001'; // 14 > 12
  doc.type_code = '99';
  doc.promised_limit = { value: 30, unit: 'working_day' }; // > statutory 20, shares off
  doc.department = '不存在局';
  doc.situations.questions[1].options[0].next = 'q1'; // q1 -> q2 -> q1
  const problems = assertInvalid(await admin.post('/api/v1/catalog/items', doc));
  const rules = problems.map((p) => `${p.field}:${p.rule}`);
  for (const want of ['basic_code:LENGTH', 'type_code:ENUM', 'promised_limit:LIMITS', 'steps:SHARES',
    'department:REFERENCE', 'questions:CYCLE']) {
    assert.ok(rules.includes(want), `${want} in ${rules.join(', ')}`);
  }
  assert.equal(dbSnapshot(s.db), before);
});

test('import is all-or-nothing and lists every problem; export -> import -> export is byte-identical', async (t) => {
  const { s, admin } = await setup(t, { load: false });
  const before = dbSnapshot(s.db);
  const bad = fixture();
  bad.items[1].steps[0].share = 3; // instant item with a share
  bad.items[2].basic_code = bad.items[0].basic_code; // duplicate across the file
  bad.items[3].department = '不存在局';
  bad.bundles[0].items.push('9999999999');
  let r = await admin.post('/api/v1/catalog/import', bad);
  const problems = assertInvalid(r);
  const got = problems.map((p) => `${p.where}|${p.field}|${p.rule}`);
  for (const want of ['items[1]|steps|SHARES', 'items[2]|basic_code|DUPLICATE', 'items[3]|department|REFERENCE',
    'bundles[0]|items|REFERENCE']) {
    assert.ok(got.includes(want), `${want} in ${got.join(', ')}`);
  }
  assert.equal(dbSnapshot(s.db), before, 'a refused import writes nothing');

  r = await admin.post('/api/v1/catalog/import?dry_run=1', fixture());
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.dry_run, true);
  assert.equal(r.body.items_created, 4);
  assert.equal(dbSnapshot(s.db), before, 'a dry run writes nothing');

  r = await admin.post('/api/v1/catalog/import', fixture());
  assert.equal(r.status, 200, r.text);
  const first = await admin.get('/api/v1/catalog/export');
  assert.equal(first.status, 200);
  assert.deepEqual(first.body.items.map((i) => i.basic_code), ['1102000001', '1102000002', '1102000099', '1105000001']);
  assert.equal(first.body.bundles[0].code, 'YJS001');
  r = await admin.post('/api/v1/catalog/import', first.body);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.items_created, r.body.items_updated, r.body.items_unchanged], [0, 0, 4]);
  const second = await admin.get('/api/v1/catalog/export');
  assert.equal(second.text, first.text, 'byte-identical');

  // A changed item gets a new published version; the others stay.
  const changed = JSON.parse(first.text);
  changed.items[0].hours = '全天';
  r = await admin.post('/api/v1/catalog/import', changed);
  assert.deepEqual([r.body.items_created, r.body.items_updated, r.body.items_unchanged], [0, 1, 3]);
  r = await admin.get('/api/v1/catalog/items/1102000001');
  assert.deepEqual(r.body.versions.map((v) => v.status), ['retired', 'published']);
});

test('search: ranked Chinese substrings, aliases, short queries, filters, bundles', async (t) => {
  const { s } = await setup(t);
  const pub = s.client();
  let r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent('开饭店')}`);
  assert.equal(r.status, 200, r.text);
  const hits = r.body.results.map((x) => `${x.kind}:${x.code}`);
  assert.ok(hits.includes('item:1102000002'), hits.join());
  assert.ok(hits.includes('bundle:YJS001'), hits.join());
  assert.equal(r.body.results.find((x) => x.code === '1102000002').name, '食品经营许可');
  // Name hits before alias hits before material/FAQ hits.
  r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent('餐饮')}`);
  assert.deepEqual(r.body.results.map((x) => x.code), ['YJS001', '1102000002'], 'name hit first');
  r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent('营业执照')}`);
  assert.deepEqual(r.body.results.map((x) => x.code), ['1102000002'], 'material names are searched');
  r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent('灵活就业人员')}`);
  assert.deepEqual(r.body.results.map((x) => x.code), ['1105000001'], 'FAQ is searched');
  r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent('企业设立登记')}`);
  assert.equal(r.body.results[0].code, '1102000001');
  // Several words: all of them (in any column with three characters or more).
  r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent('食品经营 营业执照')}`);
  assert.deepEqual(r.body.results.map((x) => x.code), ['1102000002']);
  r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent('食品经营　灵活就业人员')}`);
  assert.equal(r.body.total, 0);
  r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent(' 开饭店  餐饮 ')}`);
  assert.deepEqual(r.body.results.map((x) => x.code).sort(), ['1102000002', 'YJS001']);
  // Two characters: LIKE fallback, still substring.
  r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent('养老')}`);
  assert.deepEqual(r.body.results.map((x) => x.code), ['1105000001']);
  r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent('参保')}`);
  assert.equal(r.body.results[0].code, '1105000001');
  // Filters.
  r = await pub.get(`/api/v1/public/search?q=&domain=${encodeURIComponent('社保医保')}`);
  assert.deepEqual(r.body.results.map((x) => x.code), ['1105000001']);
  r = await pub.get(`/api/v1/public/search?q=&department=${encodeURIComponent('市场监管局')}&object=${encodeURIComponent('法人')}`);
  assert.deepEqual(r.body.results.map((x) => x.code).sort(), ['1102000001', '1102000002', 'YJS001']);
  r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent('开饭店')}&department=${encodeURIComponent('县人力资源和社会保障局')}`);
  assert.equal(r.body.total, 0);
  r = await pub.get('/api/v1/public/facets');
  assert.equal(r.status, 200);
  assert.ok(r.body.departments.includes('县市场监督管理局'));
  assert.ok(r.body.domains.includes('企业开办'));
  assert.deepEqual(r.body.objects.sort(), ['法人', '自然人'].sort());
  assertError(await pub.get(`/api/v1/public/search?q=${'长'.repeat(101)}`), 400, 'FIELD_LENGTH', 'q');
});

test('public item, bundle and the situation checklist need no login', async (t) => {
  const { s } = await setup(t);
  const pub = s.client();
  let r = await pub.post('/api/v1/public/items/1102000002/checklist', { answers: {} });
  let e = assertError(r, 400, 'ANSWER_REQUIRED', 'answers.q1');
  assert.equal(e.message, '请回答：是否委托代理人办理？');
  r = await pub.post('/api/v1/public/items/1102000002/checklist', { answers: { q1: 'self' } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.materials.map((m) => m.key), ['license', 'plan']);
  r = await pub.post('/api/v1/public/items/1102000002/checklist', { answers: { q1: 'agent' } });
  assertError(r, 400, 'ANSWER_REQUIRED', 'answers.q2');
  r = await pub.post('/api/v1/public/items/1102000002/checklist', { answers: { q1: 'agent', q2: 'no' } });
  assert.deepEqual(r.body.materials.map((m) => m.key), ['license', 'plan', 'proxy', 'agent_id']);
  r = await pub.get('/api/v1/public/bundles/YJS001');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.bundle.name, '开办餐饮店');
  assert.deepEqual(r.body.items.map((i) => i.basic_code), ['1102000001', '1102000002', '1102000099']);
  assertError(await pub.get('/api/v1/public/bundles/NOPE'), 404, 'BUNDLE_NOT_FOUND');
  assertError(await pub.get('/api/v1/public/items/0000000000'), 404, 'ITEM_NOT_FOUND');
});

test('adjustments: 5 and 10 working days across the 2025 National Day holiday', async (t) => {
  const { s, admin, dept } = await setup(t);
  const chief = await s.makeUser(admin, 'chief_hrss', [{ role: 'chief_rep', center_id: 1, department_id: dept['人社局'] }]);
  // 2025-09-28 is a Sunday worked in exchange; 10-01..10-08 off; 10-11 (Saturday) worked.
  let r = await chief.post('/api/v1/catalog/adjustments', {
    basic_code: '1105000001', kind: 'change', rule_title: '关于调整城乡居民养老保险缴费档次的通知', rule_published_on: '2025-09-28',
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.report_due, '2025-10-11');
  assert.equal(r.body.publish_due, '2025-10-17');
  assert.equal(r.body.status, 'open');
  assert.equal(r.body.overdue, true);
  assert.ok(r.body.days_left < 0);
  const id = r.body.id;
  // Another department's item: refused.
  assertError(await chief.post('/api/v1/catalog/adjustments', {
    basic_code: '1102000002', kind: 'change', rule_title: '食品经营许可管理办法', rule_published_on: '2025-09-28',
  }), 403, 'CATALOG_FORBIDDEN');
  assertError(await chief.post(`/api/v1/catalog/adjustments/${id}/done`, {}), 403, 'FORBIDDEN');
  r = await chief.post(`/api/v1/catalog/adjustments/${id}/report`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'reported');
  assert.equal(r.body.next_due, '2025-10-17');
  r = await admin.post(`/api/v1/catalog/adjustments/${id}/done`, {});
  assert.equal(r.body.status, 'done');
  assert.equal(r.body.overdue, false);
  assertError(await admin.post(`/api/v1/catalog/adjustments/${id}/done`, {}), 409, 'ADJUSTMENT_STATE');
  // A rule published today is not overdue and has days left.
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  r = await admin.post('/api/v1/catalog/adjustments', { basic_code: '1105009999', kind: 'add', rule_title: '新增事项通知', rule_published_on: today, department: '人社局' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.overdue, false);
  assert.ok(r.body.days_left >= 4 && r.body.days_left <= 5, String(r.body.days_left));
  r = await chief.get('/api/v1/catalog/adjustments');
  assert.equal(r.body.items.length, 2);
});

test('scoping: a department cannot edit another department\'s item', async (t) => {
  const { s, admin, dept } = await setup(t);
  const hr = await s.makeUser(admin, 'rev_hrss', [{ role: 'reviewer', center_id: 1, department_id: dept['人社局'] }]);
  const before = dbSnapshot(s.db);
  assertError(await hr.post('/api/v1/catalog/items/1102000002/versions', food()), 403, 'CATALOG_FORBIDDEN');
  const moved = food();
  moved.basic_code = '1102000055';
  assertError(await hr.post('/api/v1/catalog/items', moved), 403, 'CATALOG_FORBIDDEN');
  assert.equal(dbSnapshot(s.db), before);
  // Nor give a first version to another department's item known only by its identity.
  const bare = await admin.post('/api/v1/items', { basic_code: '1102000077', name: '个体工商户登记', department_id: dept['市场监管局'] });
  assert.equal(bare.status, 201, bare.text);
  const before2 = dbSnapshot(s.db);
  const claim = fixture().items.find((i) => i.basic_code === '1105000001');
  claim.basic_code = '1102000077';
  claim.impl_code = '114103261102000077000';
  assertError(await hr.post('/api/v1/catalog/items', claim), 403, 'CATALOG_FORBIDDEN', 'department');
  assert.equal(dbSnapshot(s.db), before2);
  // Its own department's item works.
  const pension = fixture().items.find((i) => i.basic_code === '1105000001');
  pension.hours = '工作日全天';
  const r = await hr.post('/api/v1/catalog/items/1105000001/versions', pension);
  assert.equal(r.status, 201, r.text);
  // A town manager does not run the county's catalog.
  const town = await admin.post('/api/v1/centers', { name: '城关镇便民服务中心', level: 'town', parent_id: 1 });
  const tm = await s.makeUser(admin, 'town_mgr', [{ role: 'manager', center_id: town.body.id }]);
  assertError(await tm.post('/api/v1/catalog/items/1105000001/versions/2/reject', { note: '不行' }), 403, 'CATALOG_FORBIDDEN');
});

test('stats: comprehensive-window share and no-submit share', async (t) => {
  const { s, admin, dept } = await setup(t);
  let r = await admin.get('/api/v1/catalog/stats?center_id=1');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.published, 4);
  assert.equal(r.body.comprehensive_items, 0);
  // 2 items x 2 materials + 4 (food) = 10 ... count from the fixture itself.
  const mats = FIXTURE.items.flatMap((i) => i.materials);
  assert.equal(r.body.materials, mats.length);
  assert.equal(r.body.no_submit_materials, mats.filter((m) => m.source === 'government').length);
  // A clerk at a comprehensive window authorized to receive one item.
  const clerk = await s.makeUser(admin, 'clerk1', [{ role: 'clerk', center_id: 1 }]);
  const chief = await s.makeUser(admin, 'chief_m', [{ role: 'chief_rep', center_id: 1, department_id: dept['市场监管局'] }]);
  const win = await admin.post('/api/v1/windows', { center_id: 1, number: 1, name: '综合受理窗口', kind: 'general' });
  const staff = await admin.post('/api/v1/staff', { user_id: clerk.user.id, staff_no: 'CK0001', center_id: 1, window_id: win.body.id });
  assert.equal(staff.status, 201, staff.text);
  const items = await admin.get('/api/v1/items');
  const food = items.body.items.find((i) => i.basic_code === '1102000002');
  const nextYear = new Date(Date.now() + 365 * 864e5).toISOString().slice(0, 10);
  r = await chief.post(`/api/v1/staff/${staff.body.id}/authorizations`, { item_id: food.id, action: 'receive', expires_on: nextYear });
  assert.equal(r.status, 201, r.text);
  r = await admin.get('/api/v1/catalog/stats?center_id=1');
  assert.equal(r.body.comprehensive_items, 1);
  assert.equal(r.body.comprehensive_share, 0.25);
});

test('demo: a catalog.json next to the county file is imported onto the county\'s items', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'yc-demo-src-'));
  const dir = mkdtempSync(join(tmpdir(), 'yc-demo-'));
  t.after(() => rmSync(src, { recursive: true, force: true }));
  copyFileSync(join(repo, 'share', 'demo', 'county.json'), join(src, 'county.json'));
  copyFileSync(join(here, 'fixtures', 'catalog-small.json'), join(src, 'catalog.json'));
  const portFile = join(dir, 'port');
  const proc = spawn(BIN, ['demo', '--data', dir, '--demo-data', join(src, 'county.json'), '--port', '0',
    '--bind', '127.0.0.1', '--port-file', portFile, '--web', WEB], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { out += d; });
  const exited = new Promise((res) => proc.on('exit', res));
  for (let i = 0; i < 1000 && !existsSync(portFile) && proc.exitCode === null; i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(existsSync(portFile), out);
  proc.kill('SIGTERM');
  await exited;
  assert.ok(!SANITIZER_RE.test(out), out);
  const s = new Server(dir);
  t.after(() => s.cleanup(t));
  await s.start();
  const admin = await s.login('admin', 'Demo2026yc');
  // The county's item keeps its id (authorizations point at it) and gains version 1.
  const before = (await admin.get('/api/v1/items?limit=500')).body.items;
  const food = before.find((i) => i.basic_code === '1102000002');
  assert.ok(food);
  let r = await admin.get('/api/v1/catalog/items/1102000002');
  assert.deepEqual(r.body.versions.map((v) => [v.version, v.status]), [[1, 'published']]);
  r = await admin.get('/api/v1/catalog/items?status=published');
  assert.equal(r.body.total, 4);
  r = await admin.get('/api/v1/catalog/items?limit=500');
  assert.equal(r.body.total, 11, 'ten county items plus one new');
  r = await s.client().get(`/api/v1/public/search?q=${encodeURIComponent('开饭店')}`);
  assert.ok(r.body.results.some((x) => x.code === 'YJS001'));
  r = await admin.get('/api/v1/catalog/stats?center_id=1');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.comprehensive_items >= 1, JSON.stringify(r.body));
});

test('a catalog import may exceed the ordinary 1 MB body limit; other bodies may not', async (t) => {
  const { s, admin } = await setup(t, { load: false });
  const base = fixture().items.find((i) => i.basic_code === '1105000001');
  const items = [];
  for (let i = 0; i < 800; i++) {
    items.push({ ...structuredClone(base), basic_code: String(2000000000 + i), impl_code: `11410326${2000000000 + i}000`, name: `批量事项${i}` });
  }
  const doc = { format: 'yichuang-catalog', format_version: 1, items, bundles: [] };
  assert.ok(Buffer.byteLength(JSON.stringify(doc)) > 1024 * 1024, String(Buffer.byteLength(JSON.stringify(doc))));
  let r = await admin.post('/api/v1/catalog/import?dry_run=1', doc);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.equal(r.body.items_created, 800);
  // Announced sizes over the limits are refused before a byte of the body is read.
  const announce = (path, n) => rawRequest(s.port, `POST ${path} HTTP/1.1\r\nHost: x\r\nCookie: ${admin.cookie}\r\n` +
    `X-CSRF-Token: ${admin.csrf}\r\nContent-Type: application/json\r\nContent-Length: ${n}\r\nConnection: close\r\n\r\n`);
  for (const [path, n] of [['/api/v1/catalog/items', 1024 * 1024 + 1], ['/api/v1/catalog/import', 32 * 1024 * 1024 + 1]]) {
    const big = await announce(path, n);
    assertError({ ...big, headers: new Headers(big.headers) }, 413, 'BODY_TOO_LARGE', null);
  }
});

test('yichuang import catalog FILE: every problem listed, nothing written; then imported', async (t) => {
  const { s } = await setup(t, { load: false });
  const dir = mkdtempSync(join(tmpdir(), 'yc-cat-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bad = fixture();
  bad.items[0].type_code = '99';
  bad.items[1].department = '不存在局';
  writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
  writeFileSync(join(dir, 'good.json'), JSON.stringify(fixture()));
  await s.stop();
  const before = dbSnapshot(s.db);
  let r = runCli(['import', 'catalog', join(dir, 'bad.json'), '--data', s.dir]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /目录文件有2处问题，未导入任何内容/);
  assert.match(r.stderr, /items\[0\] type_code \[ENUM\]/);
  assert.match(r.stderr, /items\[1\] department \[REFERENCE\] 实施部门“不存在局”不存在/);
  assert.equal(dbSnapshot(s.db), before);
  r = runCli(['import', 'catalog', join(dir, 'good.json'), '--data', s.dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /已导入事项目录：新增4项、更新0项、未变0项、一件事1项/);
  await s.start();
  const again = await s.login();
  r = await again.get('/api/v1/catalog/items?status=published');
  assert.equal(r.body.total, 4);
  const audit = await again.get('/api/v1/audit?limit=5');
  assert.ok(audit.body.items.some((a) => a.action === 'catalog_import' && a.actor_kind === 'system'));
});

test('search at scale: short words use the gram index, totals stop at 1000 (total_capped), paging stays ranked', async (t) => {
  const { s, admin } = await setup(t);
  const pub = s.client();
  // 1005 synthetic 燃气 items: every fifth has 燃气 only in an alias (a tier-1 hit).
  const items = [];
  for (let i = 0; i < 1005; i++) {
    const it = food();
    const n = String(i).padStart(4, '0');
    it.basic_code = `190000${n}`;
    it.impl_code = `11410326190000${n}000`;
    it.name = i % 5 ? `燃气经营许可第${i}号` : `供气许可第${i}号`;
    it.aliases = i % 5 ? [] : ['燃气经营许可'];
    it.keywords = [];
    items.push(it);
  }
  let r = await admin.post('/api/v1/catalog/import', { format: 'yichuang-catalog', format_version: 1, items, bundles: [] });
  assert.equal(r.status, 200, r.text);
  for (const q of ['燃', '燃气', '燃气经营', '燃气经营许可']) {
    r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.total, 1000, q);
    assert.equal(r.body.total_capped, true, q);
    assert.equal(r.body.results.length, 20, q);
    assert.ok(r.body.results.every((x) => x.name.includes(q)), `${q}: name hits first`);
  }
  // Short words: shorter names first, then by code.
  r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent('燃气')}&limit=5`);
  assert.deepEqual(r.body.results.map((x) => x.name), ['燃气经营许可第1号', '燃气经营许可第2号', '燃气经营许可第3号', '燃气经营许可第4号', '燃气经营许可第6号']);
  // Paging past the name hits reaches the alias hits, with no entry twice.
  const seen = new Set();
  let aliasHits = 0;
  for (let offset = 780; offset < 860; offset += 20) {
    r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent('燃气')}&offset=${offset}`);
    for (const x of r.body.results) {
      assert.ok(!seen.has(x.code), x.code);
      seen.add(x.code);
      if (!x.name.includes('燃气')) aliasHits++;
      else assert.equal(aliasHits, 0, 'no name hit after an alias hit');
    }
  }
  assert.equal(seen.size, 80);
  assert.equal(aliasHits, 80 - (804 - 780));
  // The same across FTS tiers (offset beyond the 804 name hits).
  r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent('燃气经营许可')}&offset=800&limit=10`);
  assert.deepEqual(r.body.results.map((x) => x.name.includes('燃气')), [true, true, true, true, false, false, false, false, false, false]);
  r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent('燃气经营许可')}&offset=1000&limit=10`);
  assert.equal(r.body.results.length, 5, 'the last 5 of 1005');
  assert.ok(r.body.results.every((x) => x.name.startsWith('供气许可')));
  // A rare exact name: counted exactly.
  r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent('第1003号')}`);
  assert.deepEqual([r.body.total, r.body.total_capped, r.body.results.map((x) => x.name)], [1, false, ['燃气经营许可第1003号']]);
  // Filters answered from the index, on both paths.
  for (const q of ['燃气', '燃气经营']) {
    r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent(q)}&department=${encodeURIComponent('税务局')}`);
    assert.deepEqual([r.body.total, r.body.total_capped], [0, false], q);
    r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent(q)}&department=${encodeURIComponent('县市场监督管理局')}&level=${encodeURIComponent('县级')}&object=${encodeURIComponent('法人')}&domain=${encodeURIComponent('企业开办')}`);
    assert.deepEqual([r.body.total, r.body.total_capped], [1000, true], q);
  }
  // One character in the small catalog, and two words with a short one.
  r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent('饭')}`);
  assert.deepEqual(r.body.results.map((x) => x.code), ['YJS001', '1102000002'], 'the bundle name holds 饭, the item only its aliases');
  r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent('参保 灵活就业人员')}`);
  assert.deepEqual(r.body.results.map((x) => x.code), ['1105000001']);
  r = await pub.get(`/api/v1/public/search?q=${encodeURIComponent('参保 第1003号')}`);
  assert.deepEqual([r.body.total, r.body.total_capped], [0, false]);
});
