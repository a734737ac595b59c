// bench/hall_load.mjs - the HTTP side of bench/hall_cycle.sh and bench/sse_fanout.sh
// (plain node:http, no packages).
//
//   node hall_load.mjs setup URL WINDOWS LINES OUT.json
//     As the admin: WINDOWS windows (numbers 1..N) of center 1, LINES service lines
//     (prefixes A, B, ...) each served by every window, a kiosk and a display device, a
//     clerk posted at each window (user bench_clerkN, staff record with window_id; the
//     first password changed as required), who opens it. Writes {line_ids, window_ids,
//     clerks, kiosk_token, display_token}.
//
//   node hall_load.mjs cycle URL SETUP.json SECONDS TAKERS OUT.json
//     One session per clerk (the window's own clerk acts there, as in the hall). One
//     loop per window: call -> start -> finish, retrying a call after 2 ms when the queue is
//     empty. TAKERS kiosk loops take tickets (lines in turn) while fewer than 4 per
//     window are waiting. Writes the latencies per action (p50/p99 ms), the cycles
//     (finishes) per second, and every acknowledged ticket id with its number and the
//     ids the client got a 200 finish for.
//
//   node hall_load.mjs caller URL SETUP.json SECONDS RATE OUT.json
//     RATE tickets a second: take (kiosk), call, finish at the windows in turn, paced
//     from one loop; the number of call requests in flight is bounded by the windows.
//     The clerks log in first (argon2id); then the file $READY_FILE (if set) is made.
//     Writes the acknowledged calls and this process's CPU seconds (cpu_s).
//     bench/hall_caller.c is the same caller in C (the default of sse_fanout.sh).
import http from 'node:http';
import fs from 'node:fs';

const [mode, base, ...args] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const url = new URL(base);

/** One HTTP request; resolves {status, body, text}. */
function req(method, path, { body, cookie, csrf, bearer } = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const headers = {};
    if (data) { headers['Content-Type'] = 'application/json'; headers['Content-Length'] = data.length; }
    if (cookie) headers.Cookie = cookie;
    if (csrf) headers['X-CSRF-Token'] = csrf;
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    const r = http.request({ host: url.hostname, port: url.port, method, path, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let parsed = null;
        try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
        resolve({ status: res.statusCode, body: parsed, text, headers: res.headers });
      });
    });
    r.on('error', reject);
    if (data) r.write(data);
    r.end();
  });
}

async function login(username = 'admin', password = 'Admin#2026pw') {
  const r = await req('POST', '/api/v1/session', { body: { username, password } });
  if (r.status !== 201) throw new Error(`login ${username}: ${r.status} ${r.text}`);
  const cookie = String(r.headers['set-cookie']).match(/yc_session=[^;]*/)[0];
  return { cookie, csrf: r.body.csrf_token };
}

function must(r, status, what) {
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${r.text}`);
  return r.body;
}

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : null);
function summary(lat) {
  const s = Float64Array.from(lat).sort();
  return { n: s.length, p50_ms: pct(s, 0.5), p99_ms: pct(s, 0.99), max_ms: s.length ? s[s.length - 1] : null };
}
const CLERK_PW = 'Work2026pass';
// The session of the clerk posted at each window (in window order).
async function clerkSessions(cfg) {
  const out = [];
  for (const u of cfg.clerks) out.push(await login(u, CLERK_PW));
  return out;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function setup() {
  const [nWindows, nLines, out] = [Number(args[0]), Number(args[1]), args[2]];
  const a = await login();
  const window_ids = [];
  for (let n = 1; n <= nWindows; n++) {
    const w = must(await req('POST', '/api/v1/windows', { ...a, body: { center_id: 1, number: n, name: `综合受理${n}`, kind: 'general' } }), 201, 'window');
    window_ids.push(w.id);
  }
  const line_ids = [];
  for (let k = 0; k < nLines; k++) {
    const prefix = String.fromCharCode(65 + k);
    const l = must(await req('POST', '/api/v1/hall/1/lines', { ...a, body: { prefix, name: `综合业务${prefix}`, window_ids } }), 201, 'line');
    line_ids.push(l.id);
  }
  const device = async (kind) => must(await req('POST', '/api/v1/devices', { ...a, body: { kind, name: `${kind}-bench`, center_id: 1 } }), 201, kind).token;
  const kiosk_token = await device('kiosk');
  const display_token = await device('display');
  // A clerk posted at each window (staff.window_id), who opens it.
  const clerks = [];
  for (const [i, w] of window_ids.entries()) {
    const username = `bench_clerk${i + 1}`;
    const u = must(await req('POST', '/api/v1/users', { ...a, body: { username, display_name: `窗口${i + 1}工作人员`, password: 'Init2026pass', roles: [{ role: 'clerk', center_id: 1 }] } }), 201, 'user');
    must(await req('POST', '/api/v1/staff', { ...a, body: { user_id: u.id, staff_no: `BK${String(i + 1).padStart(4, '0')}`, center_id: 1, window_id: w } }), 201, 'staff');
    const c = await login(username, 'Init2026pass');
    const p = await req('POST', '/api/v1/session/password', { ...c, body: { current_password: 'Init2026pass', new_password: CLERK_PW } });
    if (p.status !== 204) throw new Error(`password ${username}: ${p.status} ${p.text}`);
    const c2 = await login(username, CLERK_PW);
    must(await req('POST', `/api/v1/hall/windows/${w}/open`, { ...c2, body: {} }), 200, 'open');
    clerks.push(username);
  }
  fs.writeFileSync(out, JSON.stringify({ line_ids, window_ids, clerks, kiosk_token, display_token }));
}

async function cycle() {
  const [setupFile, seconds, takers, out] = [args[0], Number(args[1]), Number(args[2]), args[3]];
  const cfg = JSON.parse(fs.readFileSync(setupFile, 'utf8'));
  const sessions = await clerkSessions(cfg);
  const lat = { take: [], call: [], start: [], finish: [] };
  const taken = []; // [id, number]
  const finished = [];
  const other = {};
  let waiting = 0, empty = 0, quotaFull = false;
  const note = (what, r) => { const k = `${what} ${r.status} ${r.body?.code || ''}`; other[k] = (other[k] || 0) + 1; };
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  const timed = async (kind, method, path, opts) => {
    const s = performance.now();
    const r = await req(method, path, opts);
    if (r.status === 200 || r.status === 201) lat[kind].push(performance.now() - s);
    return r;
  };
  const taker = async (k) => {
    let i = k;
    while (performance.now() < end && !quotaFull) {
      if (waiting >= 4 * cfg.window_ids.length) { await sleep(1); continue; }
      const line_id = cfg.line_ids[i++ % cfg.line_ids.length];
      waiting++;
      const r = await timed('take', 'POST', '/api/v1/hall/1/tickets', { bearer: cfg.kiosk_token, body: { line_id } });
      if (r.status === 201) taken.push([r.body.id, r.body.number]);
      else {
        waiting--;
        if (r.body?.code === 'TICKET_QUOTA_FULL') quotaFull = true;
        note('take', r);
      }
    }
  };
  const window = async (w, a) => {
    const act = (kind, body) => timed(kind, 'POST', `/api/v1/hall/windows/${w}/${kind}`, { ...a, body });
    while (performance.now() < end) {
      const c = await act('call', {});
      if (c.status !== 200) {
        if (c.body?.code === 'QUEUE_EMPTY') { empty++; await sleep(2); } else note('call', c);
        continue;
      }
      waiting--;
      const id = c.body.current.id;
      const s = await act('start', { ticket_id: id });
      if (s.status !== 200) { note('start', s); continue; }
      const f = await act('finish', { ticket_id: id });
      if (f.status !== 200) { note('finish', f); continue; }
      finished.push(id);
    }
  };
  await Promise.all([
    ...Array.from({ length: takers }, (_, k) => taker(k)),
    ...cfg.window_ids.map((w, i) => window(w, sessions[i])),
  ]);
  const secs = (performance.now() - t0) / 1000;
  const res = {
    seconds: secs, cycles: finished.length, cycles_per_s: finished.length / secs,
    take: summary(lat.take), call: summary(lat.call), start: summary(lat.start), finish: summary(lat.finish),
    queue_empty_retries: empty, quota_full: quotaFull, other_statuses: other,
    taken, finished,
  };
  fs.writeFileSync(out, JSON.stringify(res));
}

async function caller() {
  const [setupFile, seconds, rate, out] = [args[0], Number(args[1]), Number(args[2]), args[3]];
  const cfg = JSON.parse(fs.readFileSync(setupFile, 'utf8'));
  const sessions = await clerkSessions(cfg);
  const clerkOf = new Map(cfg.window_ids.map((w, i) => [w, sessions[i]]));
  if (process.env.READY_FILE) fs.writeFileSync(process.env.READY_FILE, ''); // logged in; the clock starts
  const busy = new Set();
  const calls = [];
  const callLat = [];
  const other = {};
  const note = (what, r) => { const k = `${what} ${r.status} ${r.body?.code || ''}`; other[k] = (other[k] || 0) + 1; };
  let sent = 0, skipped = 0, k = 0;
  const one = async (w, line_id) => {
    const a = clerkOf.get(w);
    busy.add(w);
    try {
      const t = await req('POST', '/api/v1/hall/1/tickets', { bearer: cfg.kiosk_token, body: { line_id } });
      if (t.status !== 201) return note('take', t);
      const s = performance.now();
      const c = await req('POST', `/api/v1/hall/windows/${w}/call`, { ...a, body: {} });
      if (c.status !== 200) return note('call', c);
      callLat.push(performance.now() - s);
      calls.push(c.body.current.id);
      const f = await req('POST', `/api/v1/hall/windows/${w}/finish`, { ...a, body: { ticket_id: c.body.current.id } });
      if (f.status !== 200) note('finish', f);
    } finally { busy.delete(w); }
  };
  const t0 = performance.now();
  const pending = [];
  for (let i = 0; performance.now() - t0 < seconds * 1000; i++) {
    const due = t0 + (i * 1000) / rate;
    const now = performance.now();
    if (due > now) await sleep(due - now);
    let free;
    for (let j = 0; j < cfg.window_ids.length && free === undefined; j++) {
      const w = cfg.window_ids[(j + k) % cfg.window_ids.length];
      if (!busy.has(w)) free = w;
    }
    k++;
    if (free === undefined) { skipped++; continue; }
    sent++;
    pending.push(one(free, cfg.line_ids[i % cfg.line_ids.length]));
  }
  await Promise.all(pending);
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage();
  fs.writeFileSync(out, JSON.stringify({ seconds: secs, sent, skipped_all_windows_busy: skipped, calls: calls.length, calls_per_s: calls.length / secs, call: summary(callLat), other_statuses: other, cpu_s: (cpu.user + cpu.system) / 1e6 }));
}

const modes = { setup, cycle, caller };
if (!modes[mode]) { console.error('usage: hall_load.mjs setup|cycle|caller URL ...'); process.exit(2); }
modes[mode]().then(() => agent.destroy(), (e) => { console.error(`hall_load: ${e.stack || e}`); process.exit(1); });
