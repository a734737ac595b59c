// Start the real yichuang binary on a free loopback port against a fresh data
// directory, and talk to it over HTTP. Shared by every integration test.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = join(here, '..', '..', '..');
export const BIN = process.env.YICHUANG_BIN || join(repo, 'build', 'debug', 'yichuang');
export const WEB = process.env.YICHUANG_WEB || join(repo, 'web');
export const ADMIN_PASSWORD = 'Admin#2026pw';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Run a yichuang subcommand to completion; returns {status, stdout, stderr}. */
export function runCli(args, opts = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', ...opts });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** sqlite3 CLI against a database file (for checks and for tampering in tests). */
export function sqlite(dbPath, sql) {
  const r = spawnSync('sqlite3', ['-batch', dbPath, sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  return r.stdout;
}

/** A stable digest of every table's content: equal before and after = nothing written. */
export function dbSnapshot(dbPath) {
  const tables = sqlite(dbPath, "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
    .split('\n').filter(Boolean);
  return tables.map((t) => `${t}:${sqlite(dbPath, `SELECT * FROM "${t}" ORDER BY 1`)}`).join('\n');
}

/** Create a data dir with `init`, then start `serve`. Returns a Server. */
export async function startServer({ init = true, extraArgs = [], dataDir } = {}) {
  const dir = dataDir || mkdtempSync(join(tmpdir(), 'yc-it-'));
  if (init && !existsSync(join(dir, 'yichuang.db'))) {
    const r = runCli(['init', '--data', dir, '--admin-password', ADMIN_PASSWORD]);
    if (r.status !== 0) throw new Error(`init failed: ${r.stderr}`);
  }
  const s = new Server(dir);
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
    this.exited = new Promise((res) => this.proc.on('exit', (code, sig) => res({ code, sig })));
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

  async cleanup() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
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
