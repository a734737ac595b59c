// The 办事指南 pages (no login): rendered from the published version, kept in memory
// with an ETag, a new rendering after a publish, gone after a retire; forms and samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, assertError } from './lib/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURE = JSON.parse(readFileSync(join(here, 'fixtures', 'catalog-small.json'), 'utf8'));
const DEPTS = [
  ['县人力资源和社会保障局', '人社局', '11410326259880000B'],
  ['县市场监督管理局', '市场监管局', '11410326774465223A'],
  ['县税务局', '税务局', '114103262377568424'],
];

test('guide pages: HTML from the published version, ETag, re-rendered on publish, gone on retire', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  for (const [name, short_name, credit_code] of DEPTS) {
    assert.equal((await admin.post('/api/v1/departments', { name, short_name, credit_code })).status, 201);
  }
  assert.equal((await admin.post('/api/v1/catalog/import', FIXTURE)).status, 200);
  const pub = s.client();
  let r = await pub.get('/guide/items/1102000002');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/);
  assert.match(r.text, /^<!DOCTYPE html>/i);
  assert.match(r.text, /食品经营许可/);
  assert.match(r.text, /县市场监督管理局/);
  assert.doesNotMatch(r.text, /<script>|style=/, 'strict CSP: no inline script or style');
  assert.match(r.headers.get('content-security-policy'), /default-src 'self'/);
  const etag = r.headers.get('etag');
  assert.match(etag, /^"g[0-9a-f]{16}"$/);
  assert.equal(r.headers.get('cache-control'), 'no-cache');
  const again = await pub.get('/guide/items/1102000002');
  assert.equal(again.text, r.text);
  assert.equal(again.headers.get('etag'), etag);
  r = await pub.get('/guide/items/1102000002', { headers: { 'If-None-Match': etag } });
  assert.equal(r.status, 304);

  r = await pub.get('/guide/items/1102000002/print');
  assert.equal(r.status, 200);
  assert.match(r.text, /layout-print/);
  assert.notEqual(r.headers.get('etag'), etag);

  r = await pub.get('/guide/items/1102000002/forms/plan');
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /经营场所平面图/);
  r = await pub.get('/guide/items/1102000002/samples/plan');
  assert.equal(r.status, 200, r.text);
  assertError(await pub.get('/guide/items/1102000002/forms/nope'), 404, 'MATERIAL_NOT_FOUND');
  assertError(await pub.get('/guide/items/0000000000'), 404, 'ITEM_NOT_FOUND');

  r = await pub.get('/guide/bundles/YJS001');
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /开办餐饮店/);
  assert.match(r.text, /企业设立登记/);
  const betag = r.headers.get('etag');
  assert.equal((await pub.get('/guide/bundles/YJS001/print')).status, 200);
  assertError(await pub.get('/guide/bundles/NOPE'), 404, 'BUNDLE_NOT_FOUND');

  // Every worker thread remembers which page an address resolved to: warm them all.
  const many = (path) => Promise.all(Array.from({ length: 32 }, () => pub.get(path)));
  for (const x of await many('/guide/items/1102000002')) assert.equal(x.headers.get('etag'), etag);
  for (const x of await many('/guide/bundles/YJS001')) assert.equal(x.headers.get('etag'), betag);

  // A new published version: a new page and a new ETag (the member's change shows in
  // the bundle's page too), on every thread at once.
  const doc = structuredClone(FIXTURE.items.find((i) => i.basic_code === '1102000002'));
  doc.place = '县政务服务中心二楼企业开办专区';
  const base = '/api/v1/catalog/items/1102000002';
  assert.equal((await admin.post(`${base}/versions`, doc)).status, 201);
  for (const step of ['submit', 'approve', 'publish']) assert.equal((await admin.post(`${base}/versions/2/${step}`, {})).status, 200);
  r = await pub.get('/guide/items/1102000002', { headers: { 'If-None-Match': etag } });
  assert.equal(r.status, 200);
  assert.notEqual(r.headers.get('etag'), etag);
  assert.match(r.text, /二楼企业开办专区/);
  r = await pub.get('/guide/bundles/YJS001');
  assert.notEqual(r.headers.get('etag'), betag);
  for (const x of await many('/guide/items/1102000002')) assert.match(x.text, /二楼企业开办专区/);
  for (const x of await many('/guide/bundles/YJS001')) assert.notEqual(x.headers.get('etag'), betag);

  assert.equal((await admin.post(`${base}/retire`, { note: '停止办理' })).status, 200);
  assertError(await pub.get('/guide/items/1102000002'), 404, 'ITEM_NOT_FOUND');
  for (const x of await many('/guide/items/1102000002')) assertError(x, 404, 'ITEM_NOT_FOUND');
});
