// The catalog as CSV files (docs/catalog-format.md section 7) through the API and the
// command line: POST /api/v1/catalog/import/csv, GET /api/v1/catalog/export/csv,
// `yichuang import catalog --csv DIR`, `yichuang export catalog [FILE | --csv DIR]`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, assertError, dbSnapshot, runCli, repo } from './lib/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const SMALL = JSON.parse(readFileSync(join(here, 'fixtures', 'catalog-small.json'), 'utf8'));
const DEMO = JSON.parse(readFileSync(join(repo, 'share', 'demo', 'catalog.json'), 'utf8'));
const COUNTY = JSON.parse(readFileSync(join(repo, 'share', 'demo', 'county.json'), 'utf8'));
const LAYOUT = ['items.csv', 'materials.csv', 'questions.csv', 'options.csv', 'steps.csv', 'special_procedures.csv',
  'fees.csv', 'faq.csv', 'bundles.csv', 'bundle_items.csv', 'bundle_fields.csv'];

/** A fresh server with the demo county's departments (all twelve, which the small
 * fixture's three are among); with doc, that catalog imported as JSON. */
async function setup(t, doc) {
  const s = await startServer({ t });
  const admin = await s.login();
  for (const d of COUNTY.departments) {
    const r = await admin.post('/api/v1/departments', { name: d.name, short_name: d.short_name, credit_code: d.credit_code });
    assert.equal(r.status, 201, r.text);
  }
  if (doc) {
    const r = await admin.post('/api/v1/catalog/import', doc);
    assert.equal(r.status, 200, r.text);
  }
  return { s, admin };
}

/** The CATALOG_INVALID answer's problems as "file:line rule field" strings; every
 * problem must carry a file (and, except for whole-file problems, a line). */
function csvProblems(res) {
  assert.equal(res.status, 400, res.text);
  assert.equal(res.body.code, 'CATALOG_INVALID', res.text);
  assert.match(res.body.message, /[\u3400-\u9fff]/);
  assert.ok(res.body.problems.length > 0);
  return res.body.problems.map((p) => {
    assert.equal(typeof p.file, 'string', JSON.stringify(p));
    assert.ok(Number.isInteger(p.line) && p.line >= 1, JSON.stringify(p));
    assert.match(p.message, /[\u3400-\u9fff]/, JSON.stringify(p));
    return `${p.file}:${p.line} ${p.rule} ${p.field}`;
  });
}

/** The 1-based line of the (single-line) record holding needle; text changes to make. */
function lineOf(text, needle) {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `${needle} in ${text}`);
  assert.equal(text.indexOf(needle, i + 1), -1, `${needle} is unique`);
  return text.slice(0, i).split('\n').length;
}

function edit(files, name, from, to) {
  const line = lineOf(files[name], from);
  files[name] = files[name].replace(from, to);
  return line;
}

test('demo catalog: CSV export -> import into a fresh server -> the same JSON export; dry run writes nothing', async (t) => {
  const a = await setup(t, DEMO);
  const json = await a.admin.get('/api/v1/catalog/export');
  assert.equal(json.status, 200);
  assert.equal(json.body.items.length, DEMO.items.length);
  const csv = await a.admin.get('/api/v1/catalog/export/csv');
  assert.equal(csv.status, 200, csv.text);
  assert.deepEqual(Object.keys(csv.body), ['files']);
  assert.deepEqual(Object.keys(csv.body.files), LAYOUT, 'all eleven files, in the layout order');
  for (const [name, text] of Object.entries(csv.body.files)) {
    assert.ok(text.startsWith('\uFEFF'), `${name} starts with a BOM`);
    assert.ok(text.endsWith('\r\n'), `${name} ends with CRLF`);
  }
  assert.equal(csv.body.files['items.csv'].split('\r\n')[0].replace('\uFEFF', '').split(',')[0], 'basic_code');

  const b = await setup(t);
  const before = dbSnapshot(b.s.db);
  let r = await b.admin.post('/api/v1/catalog/import/csv?dry_run=1', csv.body);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, { items_created: DEMO.items.length, items_updated: 0, items_unchanged: 0,
    bundles: DEMO.bundles.length, dry_run: true });
  assert.equal(dbSnapshot(b.s.db), before, 'a dry run writes nothing');

  r = await b.admin.post('/api/v1/catalog/import/csv', csv.body);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, { items_created: DEMO.items.length, items_updated: 0, items_unchanged: 0,
    bundles: DEMO.bundles.length, dry_run: false });
  const again = await b.admin.get('/api/v1/catalog/export');
  assert.equal(again.status, 200);
  assert.equal(again.text, json.text, 'the JSON export of the CSV import equals the first server\'s');
  const csv2 = await b.admin.get('/api/v1/catalog/export/csv');
  assert.equal(csv2.text, csv.text, 'and so does the CSV export');

  // Importing the same files again changes nothing; the import is in the action log.
  r = await b.admin.post('/api/v1/catalog/import/csv', csv.body);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.items_unchanged, DEMO.items.length);
  const audit = await b.admin.get('/api/v1/audit?limit=5');
  assert.ok(audit.body.items.some((x) => x.action === 'catalog_import' && /CSV/.test(x.summary)), audit.text);
});

test('CSV import: every problem in every file with its file and line, nothing written', async (t) => {
  const { s, admin } = await setup(t, SMALL);
  const exported = (await admin.get('/api/v1/catalog/export/csv')).body.files;
  // An open draft in the database: the import would overtake it (a database check).
  const pub = (await admin.get('/api/v1/catalog/items/1102000099')).body.published;
  let r = await admin.post('/api/v1/catalog/items/1102000099/versions', pub);
  assert.equal(r.status, 201, r.text);
  const before = dbSnapshot(s.db);

  // Rule problems in five files (and one from the database).
  const files = { ...exported };
  const want = [
    `items.csv:${edit(files, 'items.csv', ',人社局,', ',不存在局,')} REFERENCE department`,
    `materials.csv:${edit(files, 'materials.csv', '1102000001,id_card,居民身份证,original,', '1102000001,id_card,居民身份证,scan,')} ENUM kind`,
    `options.csv:${edit(files, 'options.csv', 'proxy;agent_id,q2', 'proxy;nosuch,q2')} REFERENCE materials`,
    `bundles.csv:${edit(files, 'bundles.csv', ',餐饮,市场监管局,', ',餐饮,不存在局,')} REFERENCE lead_department`,
    `bundle_fields.csv:${edit(files, 'bundle_fields.csv', '1102000001;1102000002', '1102000001;1109999999')} REFERENCE items`,
    `items.csv:${lineOf(files['items.csv'], '1102000002,')} SHARES steps`,
    `items.csv:${lineOf(files['items.csv'], '1102000099,')} STATE basic_code`,
  ];
  edit(files, 'steps.csv', '1102000002,审查,8,', '1102000002,审查,7,');
  r = await admin.post('/api/v1/catalog/import/csv', { files });
  let got = csvProblems(r);
  for (const w of want) assert.ok(got.includes(w), `${w} in\n${got.join('\n')}`);
  assert.equal(dbSnapshot(s.db), before, 'a refused import writes nothing');
  r = await admin.post('/api/v1/catalog/import/csv?dry_run=1', { files });
  assert.deepEqual(csvProblems(r), got, 'a dry run answers the same');

  // Structural problems in four files: all of them at once.
  const broken = { ...exported };
  const want2 = [
    `steps.csv:${edit(broken, 'steps.csv', '1102000001,审查,1,', '1102000001,审查,x,')} TYPE share`,
    `materials.csv:${edit(broken, 'materials.csv', '1102000099,form,', '1102999999,form,')} REFERENCE item`,
    `bundle_items.csv:${edit(broken, 'bundle_items.csv', 'YJS001,1102000099', 'YJS001,1102000099,extra')} COLUMNS `,
    'faq.csv:1 UNKNOWN_FIELD answer',
  ];
  broken['faq.csv'] = broken['faq.csv'].replace('item,q,a', 'item,q,answer');
  r = await admin.post('/api/v1/catalog/import/csv', { files: broken });
  got = csvProblems(r);
  for (const w of want2) assert.ok(got.includes(w), `${w} in\n${got.join('\n')}`);
  assert.equal(dbSnapshot(s.db), before);

  // A file outside the layout (it alone is reported: nothing else is read), a broken CSV.
  r = await admin.post('/api/v1/catalog/import/csv', { files: { ...exported, 'item.csv': 'x\n' } });
  assert.equal(r.status, 400);
  assert.deepEqual(r.body.problems.map((p) => [p.file, p.rule]), [['item.csv', 'UNKNOWN_FIELD']]);
  r = await admin.post('/api/v1/catalog/import/csv', { files: { 'faq.csv': 'item,q,a\n1102000002,"问,答\n' } });
  assert.deepEqual(csvProblems(r).map((p) => p.replace(/:\d+/, '')), ['faq.csv CSV ']);
  // JSON text is UTF-8 (jansson checks); a NUL in a file is refused with the body.
  r = await admin.post('/api/v1/catalog/import/csv', { files: { 'faq.csv': 'item,q,a\n1102000002,问\u0000,答\n' } });
  assertError(r, 400, 'BAD_JSON');
  assert.equal(dbSnapshot(s.db), before);

  // The body itself.
  assertError(await admin.post('/api/v1/catalog/import/csv', {}), 400, 'FIELD_REQUIRED', 'files');
  assertError(await admin.post('/api/v1/catalog/import/csv', { files: {} }), 400, 'FIELD_REQUIRED', 'files');
  assertError(await admin.post('/api/v1/catalog/import/csv', { files: [] }), 400, 'FIELD_TYPE', 'files');
  assertError(await admin.post('/api/v1/catalog/import/csv', { files: { 'items.csv': 1 } }), 400, 'FIELD_TYPE', 'files.items.csv');
  assertError(await admin.post('/api/v1/catalog/import/csv', { files: exported, format: 'x' }), 400, 'FIELD_UNKNOWN', 'format');
  assertError(await admin.post('/api/v1/catalog/import/csv', undefined, { raw: '{"files":' }), 400, 'BAD_JSON');
  assert.equal(dbSnapshot(s.db), before);

  // Admin only imports; managers export.
  const manager = await s.makeUser(admin, 'cat_mgr', [{ role: 'manager', center_id: 1 }]);
  assertError(await manager.post('/api/v1/catalog/import/csv', { files: exported }), 403, 'FORBIDDEN');
  assert.equal((await manager.get('/api/v1/catalog/export/csv')).status, 200);
});

test('CSV export refuses a catalog CSV cannot carry exactly', async (t) => {
  const doc = structuredClone(SMALL);
  doc.items[0].aliases = ['开公司;办公司'];
  const { admin } = await setup(t, doc);
  assertError(await admin.get('/api/v1/catalog/export/csv'), 409, 'CATALOG_NOT_CSV');
  assert.equal((await admin.get('/api/v1/catalog/export')).status, 200, 'the JSON export still works');
});

test('yichuang export catalog [FILE | --csv DIR] and import catalog --csv DIR: a round trip', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'yc-csv-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = await setup(t, SMALL);
  const api = await a.admin.get('/api/v1/catalog/export');
  const apiCsv = (await a.admin.get('/api/v1/catalog/export/csv')).body.files;
  await a.s.stop();

  // Export as CSV files, as a JSON file, and to standard output.
  const out = join(dir, 'out');
  let r = runCli(['export', 'catalog', '--csv', out, '--data', a.s.dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /已导出事项目录：事项4项、一件事1项，11个CSV文件/);
  assert.deepEqual(readdirSync(out).sort(), [...LAYOUT].sort());
  for (const name of LAYOUT) assert.equal(readFileSync(join(out, name), 'utf8'), apiCsv[name], name);
  r = runCli(['export', 'catalog', join(dir, 'catalog.json'), '--data', a.s.dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(join(dir, 'catalog.json'), 'utf8'), api.text);
  r = runCli(['export', 'catalog', '--data', a.s.dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, api.text);
  r = runCli(['export', 'catalog', join(dir, 'x.json'), '--csv', out, '--data', a.s.dir]);
  assert.equal(r.status, 2);
  r = runCli(['export', 'catalog', '--data', join(dir, 'nothing')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /数据库尚未初始化/);

  // Import into a fresh database: first with problems (every one with its file and
  // line, nothing written), then as exported.
  const b = await setup(t);
  await b.s.stop();
  const before = dbSnapshot(b.s.db);
  const bad = join(dir, 'bad');
  mkdirSync(bad);
  for (const name of LAYOUT) writeFileSync(join(bad, name), apiCsv[name]);
  writeFileSync(join(bad, 'items.csv'), apiCsv['items.csv'].replace(',人社局,', ',不存在局,'));
  writeFileSync(join(bad, 'steps.csv'), apiCsv['steps.csv'].replace('1102000002,审查,8,', '1102000002,审查,7,'));
  writeFileSync(join(bad, 'README.txt'), 'not a table');
  r = runCli(['import', 'catalog', '--csv', bad, '--data', b.s.dir]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /目录CSV文件有2处问题，未导入任何内容/);
  assert.match(r.stderr, /items\.csv 第5行 items\[3\] department \[REFERENCE\] 实施部门“不存在局”不存在/);
  assert.match(r.stderr, /items\.csv 第3行 items\[1\] steps \[SHARES\]/);
  writeFileSync(join(bad, 'extra.csv'), 'a\n');
  r = runCli(['import', 'catalog', '--csv', bad, '--data', b.s.dir]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /extra\.csv  \[UNKNOWN_FIELD\] 不认识的文件“extra\.csv”/);
  r = runCli(['import', 'catalog', '--csv', join(dir, 'missing'), '--data', b.s.dir]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /无法读取/);
  r = runCli(['import', 'catalog', '--csv', dir, '--data', b.s.dir]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /没有CSV文件/);
  r = runCli(['import', 'catalog', join(dir, 'catalog.json'), '--csv', out, '--data', b.s.dir]);
  assert.equal(r.status, 2);
  r = runCli(['import', 'calendar', '--csv', out, '--data', b.s.dir]);
  assert.equal(r.status, 2);
  assert.equal(dbSnapshot(b.s.db), before, 'nothing written');

  r = runCli(['import', 'catalog', '--csv', out, '--data', b.s.dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /已导入事项目录：新增4项、更新0项、未变0项、一件事1项/);
  r = runCli(['export', 'catalog', '--data', b.s.dir]);
  assert.equal(r.stdout, api.text, 'the same catalog as the first database');
  await b.s.start();
  const admin = await b.s.login();
  const audit = await admin.get('/api/v1/audit?limit=5');
  assert.ok(audit.body.items.some((x) => x.action === 'catalog_import' && x.actor_kind === 'system' && /CSV/.test(x.summary)),
    audit.text);

  for (const args of [['import', 'catalog', '--help'], ['export', '--help'], ['export', 'catalog', '--help']]) {
    r = runCli(args);
    assert.equal(r.status, 0, args.join(' '));
    assert.match(r.stdout, /用法: yichuang/);
    assert.match(r.stdout, /--csv DIR/);
  }
});
