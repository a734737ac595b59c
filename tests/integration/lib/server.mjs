// Start the real yichuang binary on a free loopback port against a fresh data
// directory, and talk to it over HTTP. Shared by every integration test.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = join(here, '..', '..', '..');
export const BIN = process.env.YICHUANG_BIN || join(repo, 'build', 'debug', 'yichuang');
export const WEB = process.env.YICHUANG_WEB || join(repo, 'web');
export const ADMIN_PASSWORD = 'Admin#2026pw';

let deviceSeq = 0;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Text that means a sanitizer caught something (ASan/LSan/UBSan builds). */
export const SANITIZER_RE = /AddressSanitizer|LeakSanitizer|runtime error:/;

/** Run a yichuang subcommand to completion; returns {status, stdout, stderr}.
 * Throws if the sanitizers reported anything on stderr. */
export function runCli(args, opts = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', ...opts });
  if (r.error) throw new Error(`cannot run ${BIN} ${args.join(' ')}: ${r.error.message}`);
  if (SANITIZER_RE.test(r.stderr || '')) {
    throw new Error(`sanitizer report from yichuang ${args.join(' ')}:\n${r.stderr}`);
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** sqlite3 CLI against a database file (for checks and for tampering in tests). It waits
 * up to 10 s for the lock: a running server's writer may hold it for a commit. */
export function sqlite(dbPath, sql) {
  const r = spawnSync('sqlite3', ['-batch', '-cmd', '.timeout 10000', dbPath, sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  return r.stdout;
}

/** A stable digest of every table's content: equal before and after = nothing written.
 * One sqlite3 run: the schema and every row, as `.dump` prints them. */
export function dbSnapshot(dbPath) {
  return sqlite(dbPath, '.dump');
}

/** True if s contains CJK characters (user-facing messages are Chinese). */
export function hasCJK(s) {
  return typeof s === 'string' && /[\u3400-\u9fff]/.test(s);
}

/** Assert an API error answer: the status, the code, the exact shape
 * {code, message, field?} with a Chinese message, and the field when given
 * (field: undefined = do not check, null = must be absent). */
export function assertError(res, status, code, field) {
  const where = `${res.status} ${res.text}`;
  assert.equal(res.status, status, `status: ${where}`);
  assert.ok(res.body && typeof res.body === 'object' && !Array.isArray(res.body), `JSON object body: ${where}`);
  assert.equal(res.body.code, code, `code: ${where}`);
  const keys = Object.keys(res.body).sort();
  const allowed = ['code', 'field', 'message'];
  assert.ok(keys.every((k) => allowed.includes(k)) && keys.includes('code') && keys.includes('message'),
    `error shape {code,message,field?}: ${where}`);
  assert.ok(hasCJK(res.body.message), `Chinese message: ${where}`);
  if ('field' in res.body) assert.equal(typeof res.body.field, 'string', `field is a string: ${where}`);
  if (field === null) assert.ok(!('field' in res.body), `no field expected: ${where}`);
  else if (field !== undefined) assert.equal(res.body.field, field, `field: ${where}`);
  const ct = res.headers && res.headers.get ? res.headers.get('content-type') : '';
  assert.match(ct || '', /^application\/json/, `JSON content type: ${where}`);
  return res.body;
}

/** Send raw bytes over one connection (for what fetch will not send: unnormalized
 * paths, broken encodings). Returns {status, headers (lower-case keys), body, text}. */
export function rawRequest(port, data, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const sock = connect({ port, host });
    const chunks = [];
    sock.on('connect', () => sock.write(data));
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', reject);
    sock.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] || '');
      const headers = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      const body = rest.join('\r\n\r\n');
      let json = null;
      try { json = body ? JSON.parse(body) : null; } catch { /* not JSON */ }
      resolve({ status: m ? Number(m[1]) : 0, headers, text: body, body: json });
    });
  });
}

/** Create a data dir with `init`, then start `serve`. Returns a Server.
 * With t (a node:test context) the server is cleaned up after that test, and its
 * log is printed if the test failed. */
export async function startServer({ init = true, extraArgs = [], dataDir, t } = {}) {
  const dir = dataDir || mkdtempSync(join(tmpdir(), 'yc-it-'));
  const s = new Server(dir);
  if (t) t.after(() => s.cleanup(t));
  if (init && !existsSync(join(dir, 'yichuang.db'))) {
    const r = runCli(['init', '--data', dir, '--admin-password', ADMIN_PASSWORD]);
    if (r.status !== 0) throw new Error(`init failed: ${r.stderr}`);
  }
  await s.start(extraArgs);
  return s;
}

export class Server {
  constructor(dir) {
    this.dir = dir;
    this.db = join(dir, 'yichuang.db');
    this.log = '';
  }

  async start(extraArgs = []) {
    const portFile = join(this.dir, 'port');
    rmSync(portFile, { force: true });
    this.proc = spawn(BIN, ['serve', '--data', this.dir, '--port', '0', '--bind', '127.0.0.1',
      '--port-file', portFile, '--web', WEB, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout.on('data', (d) => { this.log += d; });
    this.proc.stderr.on('data', (d) => { this.log += d; });
    // 'close', not 'exit': it comes after the last of stdout/stderr (a sanitizer's report
    // at exit included) has been read into this.log.
    this.exited = new Promise((res) => this.proc.on('close', (code, sig) => res({ code, sig })));
    for (let i = 0; i < 500; i++) {
      if (existsSync(portFile)) {
        const txt = readFileSync(portFile, 'utf8').trim();
        if (txt) { this.port = Number(txt); this.base = `http://127.0.0.1:${this.port}`; return; }
      }
      if (this.proc.exitCode !== null) break;
      await sleep(20);
    }
    throw new Error(`server did not start:\n${this.log}`);
  }

  /** SIGTERM and wait; returns {code, sig}. */
  async stop(signal = 'SIGTERM') {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode) return this.exited;
    this.proc.kill(signal);
    return this.exited;
  }

  /** Stop the server and remove its data dir. Prints the server's log when the test
   * t failed, and throws (failing the test) if a sanitizer reported anything. */
  async cleanup(t) {
    if (this.cleanedUp) return;
    this.cleanedUp = true;
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
    this.checkLog(t);
  }

  /** The log so far must hold no sanitizer report; print it if t failed. */
  checkLog(t) {
    const bad = SANITIZER_RE.test(this.log);
    if (bad || (t && t.passed === false)) {
      process.stderr.write(`---- yichuang server log (${this.dir}) ----\n${this.log}\n---- end of server log ----\n`);
    }
    if (bad) throw new Error(`sanitizer report in the server log:\n${this.log}`);
  }

  /** Create a user through the API as `by` (an admin/manager Client), change the
   * initial password as that user, and return a logged-in Client with .user (the
   * created user object) and .password. */
  async makeUser(by, username, roles, { display_name, password = 'Init2026pass', final = 'Work2026pass' } = {}) {
    const r = await by.post('/api/v1/users', { username, display_name: display_name || username, password, roles });
    if (r.status !== 201) throw new Error(`create user ${username}: ${r.status} ${r.text}`);
    const c = await this.login(username, password);
    const p = await c.post('/api/v1/session/password', { current_password: password, new_password: final });
    if (p.status !== 204) throw new Error(`password change ${username}: ${p.status} ${p.text}`);
    c.user = r.body;
    c.password = final;
    return c;
  }

  /** Register a device as `by`; returns a Client using its bearer token, with .device. */
  async makeDevice(by, kind, center_id = 1, extra = {}) {
    const r = await by.post('/api/v1/devices', { kind, name: `${kind}-${center_id}-${++deviceSeq}`, center_id, ...extra });
    if (r.status !== 201) throw new Error(`create device ${kind}: ${r.status} ${r.text}`);
    const c = this.client();
    c.bearer = r.body.token;
    c.device = r.body;
    return c;
  }

  /** A client with its own cookie jar and CSRF token. */
  client() { return new Client(this); }

  /** Log in as username/password; returns a Client (throws on failure). */
  async login(username = 'admin', password = ADMIN_PASSWORD) {
    const c = this.client();
    const r = await c.post('/api/v1/session', { username, password });
    if (r.status !== 201) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
    return c;
  }
}

export class Client {
  constructor(server) { this.s = server; this.cookie = null; this.csrf = null; this.bearer = null; }

  async req(method, path, body, { headers = {}, raw } = {}) {
    const h = { ...headers };
    if (this.cookie) h.Cookie = this.cookie;
    if (this.bearer) h.Authorization = `Bearer ${this.bearer}`;
    if (this.csrf && method !== 'GET' && !('X-CSRF-Token' in h)) h['X-CSRF-Token'] = this.csrf;
    let payload;
    if (raw !== undefined) payload = raw;
    else if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined && !('Content-Type' in h)) h['Content-Type'] = 'application/json';
    const res = await fetch(this.s.base + path, { method, headers: h, body: payload });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const m = /^yc_session=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[1] ? `yc_session=${m[1]}` : null;
    }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    if (json && json.csrf_token) this.csrf = json.csrf_token;
    return { status: res.status, body: json, text, headers: res.headers };
  }

  get(p, o) { return this.req('GET', p, undefined, o); }
  post(p, b, o) { return this.req('POST', p, b, o); }
  put(p, b, o) { return this.req('PUT', p, b, o); }
  patch(p, b, o) { return this.req('PATCH', p, b, o); }
  del(p, o) { return this.req('DELETE', p, undefined, o); }
}
