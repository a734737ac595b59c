// The action log (操作日志): what it records, who may read it, the hash chain that
// catches tampering, the triggers that refuse edits, and masking of personal numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, copyFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, runCli, sqlite, assertError } from './lib/server.mjs';

/** A fresh data dir holding a copy of the (closed, checkpointed) database. */
function copyDb(db) {
  const dir = mkdtempSync(join(tmpdir(), 'yc-audit-'));
  copyFileSync(db, join(dir, 'yichuang.db'));
  if (existsSync(`${db}-wal`)) copyFileSync(`${db}-wal`, join(dir, 'yichuang.db-wal'));
  return dir;
}

function verify(dir) {
  return runCli(['audit', 'verify', '--data', dir]);
}

test('the action log lists actions newest first with actor, role and address; verify is ok', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  const town = (await admin.post('/api/v1/centers', { name: '城关镇便民服务中心', level: 'town', parent_id: 1 })).body.id;
  const sup = await s.makeUser(admin, 'sup', [{ role: 'supervisor', center_id: 1 }]);
  const n = await admin.post('/api/v1/announcements', { center_id: 1, title: '县中心通知', body: '正文' });
  assert.equal(n.status, 201);
  const nt = await admin.post('/api/v1/announcements', { center_id: town, title: '镇通知', body: '正文' });
  assert.equal(nt.status, 201);
  const d = await admin.post('/api/v1/devices', { kind: 'display', name: '叫号屏', center_id: town });
  assert.equal(d.status, 201);

  const r = await admin.get('/api/v1/audit');
  assert.equal(r.status, 200, r.text);
  const items = r.body.items;
  const seqs = items.map((x) => x.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a), 'newest first');
  assert.equal(seqs[0], Number(sqlite(s.db, 'SELECT MAX(seq) FROM audit_log').trim()));
  assert.equal(items.length, Number(sqlite(s.db, 'SELECT COUNT(*) FROM audit_log').trim()));
  const [dev, notice2, notice1] = items;
  assert.equal(dev.action, 'device_create');
  assert.equal(dev.actor_kind, 'user');
  assert.equal(dev.actor_name, 'admin');
  assert.equal(dev.actor_id, 1);
  assert.equal(dev.role, 'admin');
  assert.equal(dev.client_addr, '127.0.0.1');
  assert.equal(dev.center_id, town);
  assert.equal(dev.center_name, '城关镇便民服务中心');
  assert.equal(dev.object_type, 'device');
  assert.equal(dev.object_id, String(d.body.id));
  assert.match(dev.at, /\+08:00$/);
  assert.match(dev.hash, /^[0-9a-f]{64}$/);
  assert.equal(notice2.action, 'notice_create');
  assert.match(notice2.summary, /镇通知/);
  assert.equal(notice1.center_id, 1);
  assert.ok(!('prev_hash' in dev) || typeof dev.prev_hash === 'string');
  const actions = items.map((x) => x.action).reverse();
  assert.deepEqual(actions, ['init', 'login', 'center_create', 'user_create', 'login', 'password_change',
    'notice_create', 'notice_create', 'device_create']);
  const first = items[items.length - 1];
  assert.equal(first.actor_kind, 'system');
  assert.equal(first.client_addr, '');

  await t.test('pages with limit and cursor', async () => {
    const p1 = await admin.get('/api/v1/audit?limit=4');
    assert.deepEqual(p1.body.items.map((x) => x.seq), seqs.slice(0, 4));
    assert.equal(p1.body.next, String(seqs[3]));
    const p2 = await admin.get(`/api/v1/audit?limit=4&cursor=${p1.body.next}`);
    assert.deepEqual(p2.body.items.map((x) => x.seq), seqs.slice(4, 8));
    const p3 = await admin.get(`/api/v1/audit?limit=4&cursor=${p2.body.next}`);
    assert.deepEqual(p3.body.items.map((x) => x.seq), seqs.slice(8));
    assert.equal(p3.body.next, null);
  });

  await t.test('verify through the API and the command line', async () => {
    const v = await admin.get('/api/v1/audit/verify');
    assert.equal(v.status, 200);
    const rows = Number(sqlite(s.db, 'SELECT COUNT(*) FROM audit_log').trim());
    assert.deepEqual(v.body, { ok: true, rows });
    const sv = await sup.get('/api/v1/audit/verify');
    assert.equal(sv.body.ok, true);
    const c = verify(s.dir);
    assert.equal(c.status, 0, c.stdout + c.stderr);
    assert.match(c.stdout, new RegExp(`共 ${rows} 条记录`));
  });

  await t.test('a supervisor reads the log; a town supervisor only rows of the town', async () => {
    const all = await sup.get('/api/v1/audit?limit=500');
    assert.equal(all.status, 200);
    assert.ok(all.body.items.some((x) => x.action === 'login'), 'root supervisor sees rows without a center');
    const tsup = await s.makeUser(admin, 'tsup', [{ role: 'supervisor', center_id: town }]);
    const mine = await tsup.get('/api/v1/audit?limit=500');
    assert.equal(mine.status, 200);
    assert.ok(mine.body.items.length >= 2);
    assert.ok(mine.body.items.every((x) => x.center_id === town), JSON.stringify(mine.body.items.map((x) => [x.action, x.center_id])));
    assertError(await tsup.get('/api/v1/users'), 403, 'FORBIDDEN');
  });

  await t.test('UPDATE and DELETE on audit_log are refused by the triggers', async () => {
    const before = sqlite(s.db, 'SELECT * FROM audit_log ORDER BY seq');
    assert.throws(() => sqlite(s.db, "UPDATE audit_log SET summary = '篡改' WHERE seq = 2"), /append-only/);
    assert.throws(() => sqlite(s.db, 'DELETE FROM audit_log WHERE seq = 2'), /append-only/);
    assert.throws(() => sqlite(s.db, 'DELETE FROM audit_log'), /append-only/);
    assert.equal(sqlite(s.db, 'SELECT * FROM audit_log ORDER BY seq'), before);
    assert.deepEqual((await admin.get('/api/v1/audit/verify')).body.ok, true);
  });
});

test('tampering with the log is caught and the first bad row named', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  for (let i = 1; i <= 4; i++) {
    assert.equal((await admin.post('/api/v1/announcements', { center_id: 1, title: `通知${i}`, body: '正文' })).status, 201);
  }
  const stopped = await s.stop();
  assert.equal(stopped.code, 0);
  assert.match(s.log, /database closed cleanly/);
  const last = Number(sqlite(s.db, 'SELECT MAX(seq) FROM audit_log').trim());
  assert.equal(last, 6); // init, login, 4 announcements
  const dirs = [];
  t.after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const tampered = (sql) => {
    const dir = copyDb(s.db);
    dirs.push(dir);
    sqlite(join(dir, 'yichuang.db'), sql);
    return dir;
  };

  await t.test('an untouched copy verifies', () => {
    const dir = copyDb(s.db);
    dirs.push(dir);
    const r = verify(dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  await t.test('an edited summary', () => {
    const r = verify(tampered("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET summary = '发布公告“无害”' WHERE seq = 4"));
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /第 4 条/);
    assert.match(r.stdout, /修改/);
  });

  await t.test('an edited actor', () => {
    const r = verify(tampered("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor_name = 'someone' WHERE seq = 3"));
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /第 3 条/);
  });

  await t.test('a deleted middle row', () => {
    const r = verify(tampered('DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 3'));
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /第 3 条/);
    assert.match(r.stdout, /缺失|删除/);
  });

  await t.test('a deleted first row', () => {
    const r = verify(tampered('DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 1'));
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /第 1 条/);
  });

  await t.test('two rows swapped (reordered)', () => {
    const r = verify(tampered('DROP TRIGGER audit_log_no_update; UPDATE audit_log SET seq = -1 WHERE seq = 4;' +
      ' UPDATE audit_log SET seq = 4 WHERE seq = 5; UPDATE audit_log SET seq = 5 WHERE seq = -1'));
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /第 4 条/);
  });

  await t.test('two rows swapped in content, seq kept', () => {
    const cols = 'at, actor_kind, actor_id, actor_name, role, center_id, window_no, client_addr, action, object_type, object_id, summary, prev_hash, hash';
    const r = verify(tampered('DROP TRIGGER audit_log_no_update; CREATE TEMP TABLE t AS SELECT * FROM audit_log WHERE seq IN (3, 4);' +
      ` UPDATE audit_log SET (${cols}) = (SELECT ${cols} FROM t WHERE t.seq = 7 - audit_log.seq) WHERE seq IN (3, 4)`));
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /第 3 条/);
  });

  await t.test('the last row deleted (the chain head in meta disagrees)', () => {
    const r = verify(tampered(`DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = ${last}`));
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, new RegExp(`第 ${last} 条`));
    assert.match(r.stdout, /末尾/);
  });

  await t.test('a row appended without going through the program', () => {
    const r = verify(tampered("INSERT INTO audit_log (seq, at, actor_kind, action, prev_hash, hash) SELECT MAX(seq) + 1, 0, 'user', 'x', hash, hash FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)"));
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, new RegExp(`第 ${last + 1} 条`));
  });

  await t.test('the server reports the same through GET /api/v1/audit/verify', async (t2) => {
    const dir = tampered('DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 3');
    const s2 = await startServer({ t: t2, dataDir: dir });
    const a = await s2.login();
    const v = await a.get('/api/v1/audit/verify');
    assert.equal(v.status, 200);
    assert.equal(v.body.ok, false);
    assert.equal(v.body.first_bad_seq, 3);
    assert.match(v.body.problem, /第3条/);
  });

  await t.test('a missing database is exit 2, not a verdict', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yc-audit-'));
    dirs.push(dir);
    assert.equal(verify(dir).status, 2);
    assert.equal(runCli(['audit']).status, 2);
    assert.equal(runCli(['audit', 'check']).status, 2);
  });
});

test('ID numbers and mobiles in summaries are stored masked', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  const titles = ['身份证110101199003071234', '联系电话13812345678', '证件11010119900307123X号'];
  for (const title of titles) {
    const r = await admin.post('/api/v1/announcements', { center_id: 1, title, body: '正文' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.title, title, 'the announcement itself keeps its text');
  }
  const rows = (await admin.get('/api/v1/audit?limit=3')).body.items.map((x) => x.summary).reverse();
  assert.deepEqual(rows, ['发布公告“身份证110***********1234”', '发布公告“联系电话138****5678”', '发布公告“证件110***********123X号”']);
  // People type their ID number or mobile as a user name: the failed login is logged masked.
  for (const username of ['110101199003071234', '13812345678']) {
    assertError(await s.client().post('/api/v1/session', { username, password: 'Wrong2026pass' }), 401, 'AUTH_INVALID_CREDENTIALS');
  }
  const failed = (await admin.get('/api/v1/audit?limit=2')).body.items.map((x) => [x.action, x.actor_kind, x.actor_name]).reverse();
  assert.deepEqual(failed, [['login_failed', 'anonymous', '110***********1234'], ['login_failed', 'anonymous', '138****5678']]);
  const table = sqlite(s.db, 'SELECT * FROM audit_log');
  for (const raw of ['110101199003071234', '13812345678', '11010119900307123X']) assert.ok(!table.includes(raw), raw);
  assert.equal((await admin.get('/api/v1/audit/verify')).body.ok, true);
  // Longer digit runs are not ID numbers and stay as they are.
  const r = await admin.post('/api/v1/announcements', { center_id: 1, title: '流水号1234567890123456789', body: '正文' });
  assert.equal(r.status, 201);
  assert.equal((await admin.get('/api/v1/audit?limit=1')).body.items[0].summary, '发布公告“流水号1234567890123456789”');
});
