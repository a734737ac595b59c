// Operations: health and metrics, the access log, security headers, static pages,
// shutdown under load, online backup, and the command line (init, serve, config,
// --help).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync, rmSync, mkdirSync, copyFileSync, symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startServer, runCli, sqlite, dbSnapshot, assertError, rawRequest, BIN, WEB, ADMIN_PASSWORD,
} from './lib/server.mjs';

function tempDir(t, prefix = 'yc-ops-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Run a subcommand without blocking the event loop (the server keeps being talked to). */
function runAsync(args) {
  return new Promise((resolve) => {
    const p = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/** GET /metrics, again until `until(text)` holds: a request is counted when MHD reports
 * it complete, which can be just after its client has the answer. */
async function metrics(s, until = () => true) {
  for (let i = 0; ; i++) {
    const r = await s.client().get('/metrics');
    if (until(r.text) || i === 200) return r;
    await new Promise((res) => setTimeout(res, 10));
  }
}

function metricValue(text, re) {
  const line = text.split('\n').find((l) => re.test(l));
  return line ? Number(line.split(' ').pop()) : 0;
}

function httpLines(log) {
  return log.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).filter((o) => o.event === 'http');
}

test('/healthz and /metrics', async (t) => {
  const s = await startServer({ t });
  const h = await s.client().get('/healthz');
  assert.equal(h.status, 200);
  assert.deepEqual(h.body, { status: 'ok', db: 'ok' });

  const m0 = await metrics(s, (x) => metricValue(x, /^yichuang_http_requests_total\{method="GET",route="\/healthz"/) === 1);
  assert.equal(m0.status, 200, m0.text);
  assert.match(m0.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const healthRe = /^yichuang_http_requests_total\{method="GET",route="\/healthz",status="200"\} /;
  const commitsRe = /^yichuang_db_commits_total /;
  const before = metricValue(m0.text, healthRe);
  const commits0 = metricValue(m0.text, commitsRe);
  for (let i = 0; i < 3; i++) assert.equal((await s.client().get('/healthz')).status, 200);
  const admin = await s.login(); // one write: the session and its log row, one commit
  const loginRe = /^yichuang_http_requests_total\{method="POST",route="\/api\/v1\/session",status="201"\} /;
  const m1 = (await metrics(s, (x) => metricValue(x, healthRe) >= before + 3 && metricValue(x, loginRe) >= 1)).text;
  assert.equal(metricValue(m1, healthRe), before + 3);
  assert.equal(metricValue(m1, commitsRe), commits0 + 1);
  for (const name of ['yichuang_http_requests_total', 'yichuang_http_request_duration_seconds_bucket',
    'yichuang_http_request_duration_seconds_sum', 'yichuang_http_request_duration_seconds_count',
    'yichuang_db_commits_total', 'yichuang_db_write_jobs_total', 'yichuang_http_inflight']) {
    assert.ok(m1.split('\n').some((l) => l.startsWith(name)), `${name} missing`);
  }
  assert.match(m1, /yichuang_http_request_duration_seconds_bucket\{method="GET",route="\/healthz",le="\+Inf"\} \d+/);
  assert.match(m1, /yichuang_http_requests_total\{method="POST",route="\/api\/v1\/session",status="201"\} 1\n/);
  // Every line is a comment or `name{labels} number`.
  for (const l of m1.split('\n').filter(Boolean)) {
    assert.match(l, /^(# (HELP|TYPE) \w+ .+|[a-z_]+(\{[^}]*\})? -?[0-9.e+]+)$/, l);
  }
  // Histogram buckets never decrease.
  const buckets = m1.split('\n').filter((l) => l.includes('route="/healthz",le=')).map((l) => Number(l.split(' ').pop()));
  assert.deepEqual(buckets, [...buckets].sort((a, b) => a - b));
  assert.equal(buckets.at(-1), metricValue(m1, /^yichuang_http_request_duration_seconds_count\{method="GET",route="\/healthz"\}/));
  assert.equal((await admin.get('/metrics')).status, 200);
});

test('access log: one JSON object a line, with personal numbers masked in paths and queries', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  assert.equal((await admin.get('/api/v1/users?q=13812345678')).status, 200);
  assertError(await admin.get('/api/v1/users/110101199003071234'), 404, 'USER_NOT_FOUND');
  assert.equal((await admin.get('/api/v1/users?q=%E5%BC%A0&limit=5')).status, 200);
  await s.client().get('/no-such-page');
  await s.stop();
  assert.ok(!s.log.includes('13812345678'), 'full mobile number in the log');
  assert.ok(!s.log.includes('110101199003071234'), 'full ID number in the log');
  const lines = s.log.split('\n').filter(Boolean);
  for (const l of lines) assert.doesNotThrow(() => JSON.parse(l), `not JSON: ${l}`);
  const http = httpLines(s.log);
  const q = http.find((o) => o.path === '/api/v1/users' && /138/.test(o.query || ''));
  assert.ok(q, 'the request with ?q= is logged with its query');
  assert.equal(q.query, 'q=138****5678');
  assert.equal(q.method, 'GET');
  assert.equal(q.status, 200);
  assert.equal(q.actor, 'admin');
  assert.equal(q.route, '/api/v1/users');
  assert.equal(q.addr, '127.0.0.1');
  assert.equal(typeof q.ms, 'number');
  const id = http.find((o) => o.path.startsWith('/api/v1/users/110'));
  assert.equal(id.path, '/api/v1/users/110***********1234');
  assert.equal(id.status, 404);
  assert.ok(http.some((o) => o.query === 'q=张&limit=5'));
  const login = http.find((o) => o.method === 'POST' && o.path === '/api/v1/session');
  assert.equal(login.status, 201);
  assert.ok(http.some((o) => o.path === '/no-such-page' && o.status === 404));
  assert.ok(!s.log.includes(ADMIN_PASSWORD), 'password in the log');
});

test('security headers on every kind of answer', async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  const answers = [
    await s.client().get('/healthz'), await admin.get('/api/v1/users'), await s.client().get('/api/v1/users'),
    await s.client().get('/'), await s.client().get('/nope.html'), await admin.del('/api/v1/devices/99'),
    await admin.post('/api/v1/announcements', { bad: 1 }),
  ];
  for (const r of answers) {
    const csp = r.headers.get('content-security-policy') || '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /object-src 'none'/);
    assert.ok(!/unsafe-inline|unsafe-eval/.test(csp), csp);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('x-frame-options'), 'DENY');
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
  }
  assert.equal(answers[1].headers.get('cache-control'), 'no-store', 'API answers are not cached');
  const big = await rawRequest(s.port, 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    'Content-Length: 99999999\r\nConnection: close\r\n\r\n');
  assert.equal(big.status, 413);
  assert.equal(big.headers['x-content-type-options'], 'nosniff');
  assert.equal(big.headers['x-frame-options'], 'DENY');
});

test('static pages: index, types, caching, and no way out of the web root', async (t) => {
  const s = await startServer({ t });
  const c = s.client();
  const index = readFileSync(join(WEB, 'index.html'), 'utf8');
  const r = await c.get('/');
  assert.equal(r.status, 200);
  assert.equal(r.text, index);
  assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/);
  const etag = r.headers.get('etag');
  assert.ok(etag);
  const again = await c.get('/', { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  assert.equal(again.text, '');
  const direct = await c.get('/index.html');
  assert.equal(direct.text, index);
  const css = readdirSync(join(WEB, 'css')).find((f) => f.endsWith('.css'));
  if (css) assert.match((await c.get(`/css/${css}`)).headers.get('content-type'), /^text\/css/);

  // Traversal, sent raw (fetch would normalize the dots away).
  for (const p of ['/../etc/passwd', '/%2e%2e/etc/passwd', '/%2E%2E%2Fetc%2Fpasswd', '/..%2f..%2fetc%2fpasswd',
    '/app/../../etc/passwd', '/./../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..\\etc\\passwd',
    '/%5c..%5cetc%5cpasswd', '//etc/passwd', '/index.html%00.png', '/etc/passwd', '/app', '/%00']) {
    const res = await rawRequest(s.port, `GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.equal(res.status, 404, `${p}: ${res.status} ${res.text.slice(0, 80)}`);
    assert.ok(!res.text.includes('root:'), p);
    assert.equal(res.body?.code, 'NOT_FOUND', p);
  }
  assertError(await c.post('/', {}), 405, 'METHOD_NOT_ALLOWED');
  assertError(await c.get('/api'), 404, 'NOT_FOUND');

  // A directory with an index.html is reached without its trailing slash
  // (/portal → /portal/); one without (/app) stays 404 above.
  const dir = await rawRequest(s.port, 'GET /portal HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(dir.status, 301);
  assert.equal(dir.headers.location, '/portal/');
  const portal = await c.get('/portal/');
  assert.equal(portal.status, 200);
  assert.equal(portal.text, readFileSync(join(WEB, 'portal', 'index.html'), 'utf8'));
});

test('static pages: / without an index.html is a 404', async (t) => {
  const web = tempDir(t, 'yc-web-');
  mkdirSync(join(web, 'sub'));
  writeFileSync(join(web, 'sub', 'page.txt'), '你好');
  const s = await startServer({ t, extraArgs: ['--web', web] });
  assertError(await s.client().get('/'), 404, 'NOT_FOUND');
  const p = await s.client().get('/sub/page.txt');
  assert.equal(p.text, '你好');
  assert.match(p.headers.get('content-type'), /^text\/plain; charset=utf-8/);
});

test('SIGTERM while writes are in flight: every 201 is in the database, exit 0, clean close', { timeout: 120000 }, async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  let answered = 0;
  const post = async (i) => {
    try {
      const r = await admin.post('/api/v1/announcements', { center_id: 1, title: `停机测试${i}`, body: '正文' });
      if (++answered === 50) {
        // Mid-way: signal, and keep sending while the server shuts down.
        s.proc.kill('SIGTERM');
        wave2 = Promise.all(Array.from({ length: 100 }, (_, k) => post(1000 + k)));
      }
      return { i, status: r.status, body: r.body };
    } catch (e) {
      return { i, status: 0, error: String(e.cause?.code || e.message) };
    }
  };
  let wave2 = null;
  const wave1 = await Promise.all(Array.from({ length: 300 }, (_, i) => post(i)));
  assert.ok(wave2, 'the signal was sent');
  const results = [...wave1, ...(await wave2)];
  const exit = await s.exited;
  assert.deepEqual(exit, { code: 0, sig: null }, s.log.slice(-2000));
  assert.match(s.log, /database closed cleanly/);
  const ok = results.filter((r) => r.status === 201);
  assert.ok(ok.length >= 50, `${ok.length} answered 201`);
  // A request that arrives once the server is stopping is refused, clearly, and does nothing.
  const refused = results.filter((r) => r.status === 503);
  for (const r of refused) assert.equal(r.body?.code, 'SERVICE_STOPPING', JSON.stringify(r.body));
  for (const r of results) assert.ok([0, 201, 503].includes(r.status), `unexpected answer ${r.status} ${JSON.stringify(r.body)}`);
  const rows = new Map(sqlite(s.db, 'SELECT id, title FROM announcements').trim().split('\n').map((l) => l.split('|')).map(([id, title]) => [Number(id), title]));
  for (const r of ok) assert.equal(rows.get(r.body.id), `停机测试${r.i}`, `201 for ${r.i} but not in the database`);
  const titles = new Set(rows.values());
  for (const r of refused) assert.ok(!titles.has(`停机测试${r.i}`), `503 for ${r.i} but it was written`);
  // Nothing half-done either: each announcement has its log row, and the chain holds.
  const logged = Number(sqlite(s.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'notice_create'").trim());
  assert.equal(logged, rows.size);
  assert.equal(runCli(['audit', 'verify', '--data', s.dir]).status, 0);
  assert.ok(!existsSync(`${s.db}-wal`) || readFileSync(`${s.db}-wal`).length === 0, 'WAL checkpointed at close');
});

test('online backup while the server is writing', { timeout: 120000 }, async (t) => {
  const s = await startServer({ t });
  const admin = await s.login();
  const out = join(tempDir(t), 'backup.db');
  let stop = false;
  let written = 0;
  const writer = (async () => {
    while (!stop) {
      const r = await admin.post('/api/v1/announcements', { center_id: 1, title: `备份中${written}`, body: '正文'.repeat(200) });
      assert.equal(r.status, 201, r.text);
      written++;
    }
  })();
  while (written < 20) await new Promise((res) => setTimeout(res, 5));
  const before = written;
  const b = await runAsync(['backup', '--data', s.dir, '--out', out]);
  const during = written;
  stop = true;
  await writer;
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /已备份到/);
  assert.ok(during > before || during === before, 'writes went on');
  assert.equal(sqlite(out, 'PRAGMA integrity_check').trim(), 'ok');
  assert.equal(sqlite(out, 'PRAGMA journal_mode').trim(), 'delete');
  const n = Number(sqlite(out, 'SELECT COUNT(*) FROM announcements').trim());
  assert.ok(n >= before && n <= written, `backup has ${n} of ${before}..${written}`);
  const logged = Number(sqlite(out, "SELECT COUNT(*) FROM audit_log WHERE action = 'notice_create'").trim());
  assert.equal(logged, n, 'a consistent snapshot: each announcement with its log row');
  // The copy is a working database: its chain verifies and a server starts on it.
  const dir = tempDir(t);
  copyFileSync(out, join(dir, 'yichuang.db'));
  const v = runCli(['audit', 'verify', '--data', dir]);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.equal(runCli(['backup', '--data', dir]).status, 2, '--out is required');
  // Backing up onto the live database itself (however spelled) is refused, and loses nothing.
  symlinkSync(s.db, join(dir, 'link.db'));
  for (const target of [s.db, join(s.dir, '.', 'yichuang.db'), join(dir, 'link.db')]) {
    const self = runCli(['backup', '--data', s.dir, '--out', target]);
    assert.equal(self.status, 2, self.stderr);
    assert.match(self.stderr, /不能是数据库本身/);
  }
  const last = await admin.post('/api/v1/announcements', { center_id: 1, title: '最后一条', body: '正文' });
  assert.equal(last.status, 201);
  await s.stop();
  assert.equal(sqlite(s.db, `SELECT title FROM announcements WHERE id = ${last.body.id}`).trim(), '最后一条');
  assert.equal(runCli(['backup', '--data', join(dir, 'nothing'), '--out', join(dir, 'x.db')]).status, 1);
});

test('init twice refuses and changes nothing', async (t) => {
  const dir = tempDir(t);
  const r1 = runCli(['init', '--data', dir, '--admin-password', ADMIN_PASSWORD]);
  assert.equal(r1.status, 0, r1.stderr);
  const files = () => readdirSync(dir).sort();
  const digest = () => files().map((f) => `${f}:${createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')}`).join('\n');
  const before = digest();
  const snap = dbSnapshot(join(dir, 'yichuang.db'));
  const r2 = runCli(['init', '--data', dir, '--admin-password', 'Other2026pass', '--admin-user', 'root']);
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /已经初始化过/);
  assert.equal(digest(), before);
  assert.equal(dbSnapshot(join(dir, 'yichuang.db')), snap);
  // A weak admin password is refused before anything is created.
  const dir2 = tempDir(t);
  const w = runCli(['init', '--data', dir2, '--admin-password', 'weak']);
  assert.notEqual(w.status, 0);
  assert.match(w.stderr, /密码/);
  // Without --admin-password a random one is printed and must be changed.
  const dir3 = tempDir(t);
  const g = runCli(['init', '--data', dir3]);
  assert.equal(g.status, 0);
  const pw = /初始密码：(\S+?)（/.exec(g.stdout)?.[1];
  assert.ok(pw && pw.length >= 12, g.stdout);
  const s = await startServer({ t, dataDir: dir3 });
  const c = await s.login('admin', pw);
  assertError(await c.get('/api/v1/users'), 403, 'PASSWORD_CHANGE_REQUIRED');
  const key = readFileSync(join(dir3, 'secret.key'), 'utf8');
  assert.match(key, /^[0-9a-f]{64}\n$/);
});

test('serve on an uninitialized data dir refuses with a clear message', async (t) => {
  const dir = tempDir(t);
  const r = runCli(['serve', '--data', dir, '--port', '0', '--bind', '127.0.0.1']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /尚未初始化/);
  assert.match(r.stderr, /yichuang init --data/);
  // And init still works there afterwards.
  assert.equal(runCli(['init', '--data', dir, '--admin-password', ADMIN_PASSWORD]).status, 0);
});

test('config file: unknown keys and bad values stop serve naming the line; good ones apply', async (t) => {
  const dir = tempDir(t);
  assert.equal(runCli(['init', '--data', dir, '--admin-password', ADMIN_PASSWORD]).status, 0);
  const conf = join(dir, 'yichuang.conf');
  const serve = (extra = []) => runCli(['serve', '--data', dir, '--port', '0', '--bind', '127.0.0.1', ...extra]);
  writeFileSync(conf, '# 配置\nthreads = 2\n\nmax_logins = 3\n');
  let r = serve();
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /第4行/);
  assert.match(r.stderr, /max_logins/);
  writeFileSync(conf, 'threads = lots\n');
  r = serve();
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /第1行/);
  assert.match(r.stderr, /threads/);
  writeFileSync(conf, 'port 8080\n');
  r = serve();
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /第1行/);
  rmSync(conf);
  r = serve(['--config', join(dir, 'missing.conf')]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /missing\.conf/);
  r = serve(['--no-such-flag', '1']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--no-such-flag/);

  // A good file applies: two failures lock the account.
  writeFileSync(conf, 'max_failed_logins = 2\nlockout_minutes = 5\naccess_log = off\n');
  const s = await startServer({ t, dataDir: dir });
  assertError(await s.client().post('/api/v1/session', { username: 'admin', password: 'Wrong1pass' }), 401, 'AUTH_INVALID_CREDENTIALS');
  assertError(await s.client().post('/api/v1/session', { username: 'admin', password: 'Wrong2pass' }), 429, 'AUTH_LOCKED');
  await s.stop();
  assert.equal(httpLines(s.log).length, 0, 'access_log = off');
});

test('--help works for every subcommand', () => {
  for (const cmd of ['init', 'demo', 'serve', 'backup', 'audit', 'routes', 'import', 'export']) {
    const r = runCli([cmd, '--help']);
    assert.equal(r.status, 0, `${cmd} --help: ${r.stderr}`);
    assert.match(r.stdout, /用法: yichuang/, cmd);
    assert.ok(r.stdout.includes(cmd), cmd);
  }
  const v = runCli(['audit', 'verify', '--help']);
  assert.equal(v.status, 0);
  assert.match(v.stdout, /用法/);
  const top = runCli(['--help']);
  assert.equal(top.status, 0);
  for (const cmd of ['init', 'demo', 'serve', 'backup', 'audit', 'routes', 'import', 'export']) assert.ok(top.stdout.includes(cmd));
  assert.equal(runCli([]).status, 2);
  const unknown = runCli(['frobnicate']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /frobnicate/);
});
