// Applicants' records: identifiers validated per GB 11643 / GB 32100, stored only
// encrypted, found by exact lookup, shown masked, revealed only to the roles that need
// the full value -- and every reveal is in the action log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, assertError, dbSnapshot, sqlite } from './lib/server.mjs';

const ID = '11010519491231002X'; // the GB 11643 example
const ID2 = '410326198503121238';
const CC = '91350100M000100Y43'; // the GB 32100 example

test('people: create, lookup, mask, reveal, encryption at rest', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  const clerk = await s.makeUser(admin, 'clerk1', [{ role: 'clerk', center_id: 1 }]);
  const guide = await s.makeUser(admin, 'guide1', [{ role: 'guide', center_id: 1 }]);
  const sup = await s.makeUser(admin, 'sup1', [{ role: 'supervisor', center_id: 1 }]);

  let r = await clerk.post('/api/v1/people', { kind: 'citizen', name: '张三', ident: ID.toLowerCase(), mobile: '13812345678' });
  assert.equal(r.status, 201, r.text);
  const p = r.body;
  assert.equal(p.ident, '110***********002X');
  assert.equal(p.mobile, '138****5678');
  r = await guide.post('/api/v1/people', { kind: 'enterprise', name: '示范县好味道餐饮有限公司', ident: CC, mobile: '18637915678' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.ident, CC, 'credit codes are public registrations, not masked');

  // At rest: neither the number nor the phone appears anywhere in the database file.
  const raw = readFileSync(s.db).toString('latin1') + sqlite(s.db, '.dump');
  for (const secret of [ID, '13812345678', '18637915678', '110105194912310021']) assert.ok(!raw.includes(secret), secret);
  const wal = (() => { try { return readFileSync(`${s.db}-wal`).toString('latin1'); } catch { return ''; } })();
  assert.ok(!wal.includes(ID) && !wal.includes('13812345678'), 'not in the WAL either');

  // Exact lookup by ID number (any letter case) and by mobile.
  r = await clerk.get(`/api/v1/people?ident=${ID.toLowerCase()}`);
  assert.deepEqual(r.body.items.map((x) => x.id), [p.id]);
  r = await clerk.get('/api/v1/people?mobile=13812345678');
  assert.deepEqual(r.body.items.map((x) => x.id), [p.id]);
  r = await clerk.get(`/api/v1/people?ident=${ID2}`);
  assert.deepEqual(r.body.items, []);
  assertError(await clerk.get('/api/v1/people?ident=123'), 400, 'IDENT_INVALID', 'ident');

  // Reveal: clerks yes (logged), guides and supervisors no.
  const auditBefore = (await admin.get('/api/v1/audit?limit=500')).body.items.length;
  r = await clerk.get(`/api/v1/people/${p.id}?reveal=ident,mobile`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.ident, ID);
  assert.equal(r.body.mobile, '13812345678');
  const audit = (await admin.get('/api/v1/audit?limit=500')).body.items;
  assert.equal(audit.length, auditBefore + 1);
  assert.equal(audit[0].action, 'person_reveal');
  assert.equal(audit[0].actor_name, 'clerk1');
  assertError(await guide.get(`/api/v1/people/${p.id}?reveal=ident`), 403, 'REVEAL_FORBIDDEN', 'reveal');
  assertError(await sup.get(`/api/v1/people/${p.id}?reveal=mobile`), 403, 'REVEAL_FORBIDDEN', 'reveal');
  assertError(await clerk.get(`/api/v1/people/${p.id}?reveal=password`), 400, 'FIELD_ENUM', 'reveal');
  r = await sup.get(`/api/v1/people/${p.id}`);
  assert.equal(r.body.ident, '110***********002X');

  // Update the mobile: old one no longer finds, new one does.
  r = await clerk.patch(`/api/v1/people/${p.id}`, { mobile: '13900001111' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.mobile, '139****1111');
  assert.deepEqual((await clerk.get('/api/v1/people?mobile=13812345678')).body.items, []);
  assert.equal((await clerk.get('/api/v1/people?mobile=13900001111')).body.items.length, 1);
  assert.equal((await admin.get('/api/v1/audit/verify')).body.ok, true);
});

test('people: bad identifiers are refused with the rule, nothing written', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  await admin.post('/api/v1/people', { kind: 'citizen', name: '张三', ident: ID });
  const before = dbSnapshot(s.db);
  const post = (body) => admin.post('/api/v1/people', { kind: 'citizen', name: '李四', ...body });
  const cases = [
    [{ ident: '11010519491231002' }, /^ID_NUMBER_LENGTH$/, 'ident'],
    [{ ident: '110105194912310029' }, /^ID_NUMBER_CHECK$/, 'ident'],
    [{ ident: '110105199902300021' }, /^ID_NUMBER_BIRTH/, 'ident'],
    [{ ident: '990105194912310021' }, /^ID_NUMBER_REGION$/, 'ident'],
    [{ ident: '11010519491231002Y' }, /^ID_NUMBER_CHARS$/, 'ident'],
    [{ kind: 'enterprise', ident: '91350100M000100Y44' }, /^CREDIT_CODE_CHECK$/, 'ident'],
    [{ kind: 'enterprise', ident: '91350100M000100I43' }, /^CREDIT_CODE_CHARS$/, 'ident'],
    [{ ident: ID, mobile: '1381234567' }, /^MOBILE_/, 'mobile'],
    [{ ident: ID, mobile: '12812345678' }, /^MOBILE_/, 'mobile'],
  ];
  for (const [body, code, field] of cases) {
    const r = await post(body);
    assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
    assert.match(r.body.code, code, JSON.stringify(body));
    assertError(r, 400, r.body.code, field);
  }
  assertError(await post({ ident: ID }), 409, 'PERSON_EXISTS', 'ident');
  assertError(await post({ kind: 'alien', ident: ID }), 400, 'FIELD_ENUM', 'kind');
  const e = await post({ ident: '110105194912310029' });
  assert.match(e.body.message, /校验位/);
  assert.equal(dbSnapshot(s.db), before);
});
