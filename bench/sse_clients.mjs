// bench/sse_clients.mjs - the screens of bench/sse_fanout.sh (plain node:http, no packages).
//
//   node sse_clients.mjs run URL CENTER TOKEN N PROCS OUTDIR
//     N hall display screens: GET /api/v1/hall/CENTER/events with the display device's
//     bearer token, spread over PROCS child processes (so one event loop is not the
//     bottleneck). Writes OUTDIR/ready once every stream is open (200, text/event-stream);
//     when OUTDIR/stop appears, waits GRACE_MS (2000) for late events, then each child
//     writes OUTDIR/recv-K.bin (per event received: id as float64, receive time as
//     float64 ms since the epoch) and OUTDIR/clients-K.json (per stream: events, first
//     and last id, ids out of sequence; its event-loop delay p99/max) and exits.
//
//   node sse_clients.mjs analyze EVENTS.txt OUTDIR
//     EVENTS.txt: "id at_ms" of every hall event of the run (from the database; at is
//     the server's time of the action). Prints JSON: receipts, delivery latency
//     (receive time - at) p50/p99/max in ms, and the missed events: per stream, every
//     event from the first of the run to the last must have arrived once, in order.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const [mode, ...args] = process.argv.slice(2);
const GRACE_MS = Number(process.env.GRACE_MS || 2000);
const nowMs = () => performance.timeOrigin + performance.now();

function child() {
  const [base, center, token, n, k, outdir] = args;
  const url = new URL(base);
  const streams = [];
  let recvIds = new Float64Array(1 << 16), recvAt = new Float64Array(1 << 16), nrecv = 0;
  const push = (id, at) => {
    if (nrecv === recvIds.length) {
      const a = new Float64Array(recvIds.length * 2); a.set(recvIds); recvIds = a;
      const b = new Float64Array(recvAt.length * 2); b.set(recvAt); recvAt = b;
    }
    recvIds[nrecv] = id; recvAt[nrecv++] = at;
  };
  const h = monitorEventLoopDelay({ resolution: 5 });
  const open = (i) => new Promise((resolve, reject) => {
    const st = { events: 0, first: 0, last: 0, out_of_sequence: 0, status: 0, ended: false };
    streams.push(st);
    const r = http.get({
      host: url.hostname, port: url.port, path: `/api/v1/hall/${center}/events`,
      headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' }, agent: false,
    }, (res) => {
      st.status = res.statusCode;
      if (res.statusCode !== 200 || !String(res.headers['content-type']).startsWith('text/event-stream')) {
        reject(new Error(`stream ${i}: ${res.statusCode} ${res.headers['content-type']}`));
        return;
      }
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk) => {
        const t = nowMs();
        buf += chunk;
        let j;
        while ((j = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, j);
          buf = buf.slice(j + 2);
          if (!block.startsWith('id: ')) continue; // a comment (heartbeat) or retry:
          const id = Number(block.slice(4, block.indexOf('\n')));
          if (st.last && id !== st.last + 1) st.out_of_sequence++;
          if (!st.first) st.first = id;
          st.last = id;
          st.events++;
          push(id, t);
        }
      });
      res.on('end', () => { st.ended = true; });
      resolve();
    });
    r.on('error', reject);
  });
  (async () => {
    const per = Number(n);
    for (let i = 0; i < per; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, per - i) }, (_, j) => open(i + j)));
    }
    h.enable();
    process.send({ ready: true });
  })().catch((e) => { console.error(`sse_clients: ${e.message}`); process.exit(1); });
  process.on('message', (m) => {
    if (!m.stop) return;
    h.disable();
    fs.writeFileSync(path.join(outdir, `recv-${k}.bin`),
      Buffer.concat([Buffer.from(recvIds.buffer, 0, nrecv * 8), Buffer.from(recvAt.buffer, 0, nrecv * 8)]));
    fs.writeFileSync(path.join(outdir, `clients-${k}.json`), JSON.stringify({
      n: nrecv, streams, loop_delay_p99_ms: h.percentile(99) / 1e6, loop_delay_max_ms: h.max / 1e6,
    }));
    process.exit(0);
  });
}

async function run() {
  const [base, center, token, n, procs, outdir] = args;
  const P = Number(procs), N = Number(n);
  const kids = [];
  let ready = 0;
  await new Promise((resolve, reject) => {
    for (let k = 0; k < P; k++) {
      const per = Math.floor(N / P) + (k < N % P ? 1 : 0);
      const c = fork(new URL(import.meta.url).pathname, ['child', base, center, token, String(per), String(k), outdir]);
      c.on('message', (m) => { if (m.ready && ++ready === P) resolve(); });
      c.on('exit', (code) => { if (code) reject(new Error(`child ${k} exited ${code}`)); });
      kids.push(c);
    }
  });
  fs.writeFileSync(path.join(outdir, 'ready'), '');
  while (!fs.existsSync(path.join(outdir, 'stop'))) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, GRACE_MS));
  await Promise.all(kids.map((c) => new Promise((r) => { c.on('exit', r); c.send({ stop: true }); })));
}

function analyze() {
  const [eventsFile, outdir] = args;
  const at = new Map();
  for (const line of fs.readFileSync(eventsFile, 'utf8').split('\n')) {
    const [id, t] = line.trim().split(/\s+/);
    if (id) at.set(Number(id), Number(t));
  }
  const ids = [...at.keys()].sort((a, b) => a - b);
  const lo = ids[0], hi = ids[ids.length - 1];
  const lat = [];
  let streams = 0, badStreams = 0, outOfSeq = 0, loopP99 = 0, loopMax = 0, unknown = 0;
  for (const f of fs.readdirSync(outdir)) {
    if (f.startsWith('clients-')) {
      const c = JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8'));
      loopP99 = Math.max(loopP99, c.loop_delay_p99_ms);
      loopMax = Math.max(loopMax, c.loop_delay_max_ms);
      for (const s of c.streams) {
        streams++;
        // Every event of the run, once each and in order.
        if (s.first > lo || s.last < hi || s.out_of_sequence || s.ended) badStreams++;
        outOfSeq += s.out_of_sequence;
      }
    } else if (f.startsWith('recv-')) {
      const b = fs.readFileSync(path.join(outdir, f));
      const m = b.length / 16;
      const idv = new Float64Array(b.buffer, b.byteOffset, m);
      const tv = new Float64Array(b.buffer, b.byteOffset + m * 8, m);
      for (let i = 0; i < m; i++) {
        const a = at.get(idv[i]);
        if (a === undefined) { unknown++; continue; }
        lat.push(tv[i] - a);
      }
    }
  }
  const s = Float64Array.from(lat).sort();
  const pct = (p) => (s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))] : null);
  console.log(JSON.stringify({
    events: ids.length, first_id: lo, last_id: hi, streams, receipts: s.length, expected_receipts: ids.length * streams,
    p50_ms: pct(0.5), p99_ms: pct(0.99), max_ms: s.length ? s[s.length - 1] : null,
    missed: ids.length * streams - s.length, streams_missing_events: badStreams, out_of_sequence: outOfSeq, receipts_outside_run: unknown,
    client_loop_delay_p99_ms: loopP99, client_loop_delay_max_ms: loopMax,
  }));
}

const modes = { run, child, analyze };
if (!modes[mode]) { console.error('usage: sse_clients.mjs run|analyze ...'); process.exit(2); }
Promise.resolve(modes[mode]()).catch((e) => { console.error(`sse_clients: ${e.stack || e}`); process.exit(1); });
