// `yichuang simulate`: the hall day simulator from the command line -- the report's
// sections, what-if answers, reproducibility by seed, and clear errors (exit code 2)
// for bad scenario files and arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, repo, hasCJK } from './lib/server.mjs';

const HALL = join(repo, 'share', 'sim', 'county-hall.json');

test('simulate: the report has its sections and answers a what-if', () => {
  const r = runCli(['simulate', HALL, '--days', '20', '--seed', '3', '--threads', '2',
    '--open', '社保:1:09:00-11:00']);
  assert.equal(r.status, 0, r.stderr);
  for (const s of ['大厅模拟', '【等候与服务水平】', '【窗口利用率】', '【窗口配置建议】', '【假设分析】',
    '社保', '企业开办', '不动产登记', '综合受理', '午间值守窗口', 'Erlang C', '预估误差']) {
    assert.ok(r.stdout.includes(s), `report lacks ${s}`);
  }
  // Staffing advice rows: line, hour, arrivals, handling, traffic, advised, present.
  assert.match(r.stdout, /社保\s+09:00-10:00\s+[\d.]+\s+[\d.]+分\s+[\d.]+\s+\d+\s+[\d.]+/);
  assert.match(r.stdout, /社保\s+[\d.]+ → [\d.]+ 分/);
  assert.equal(r.stderr, '');
  // Erlang A: with patience (60-120 min here) well beyond the 15-minute target, people
  // giving up only shorten the queue, so the advice never asks for more than Erlang C.
  const advice = (out) => Object.fromEntries([...out.matchAll(/^(\S+)\s+(\d\d:00-\d\d:00)\s+[\d.]+\s+[\d.]+分\s+[\d.]+\s+(\d+)/gm)]
    .map((m) => [`${m[1]} ${m[2]}`, Number(m[3])]));
  const c = advice(runCli(['simulate', HALL, '--days', '10', '--seed', '3']).stdout);
  const aOut = runCli(['simulate', HALL, '--days', '10', '--seed', '3', '--erlang-a']);
  assert.equal(aOut.status, 0, aOut.stderr);
  assert.match(aOut.stdout, /Erlang A/);
  const a = advice(aOut.stdout);
  assert.ok(Object.keys(c).length >= 30, 'advice for every line and open hour');
  assert.deepEqual(Object.keys(a), Object.keys(c));
  for (const k of Object.keys(c)) assert.ok(a[k] <= c[k], `${k}: Erlang A ${a[k]} > Erlang C ${c[k]}`);
  assert.ok(c['社保 09:00-10:00'] >= 7, 'the 社保 morning peak needs more than its 5 windows');
});

test('simulate: one more 社保 window at the morning peak shortens the 社保 wait', () => {
  const args = ['simulate', HALL, '--days', '30', '--seed', '7', '--json'];
  const r = runCli([...args, '--open', '社保:1:09:00-11:00']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const before = out.result.lines.find((l) => l.name === '社保');
  const after = out.whatif.lines.find((l) => l.name === '社保');
  assert.ok(after.mean_wait_s < before.mean_wait_s * 0.9, `${before.mean_wait_s} -> ${after.mean_wait_s}`);
  assert.ok(after.service_level > before.service_level);
  assert.ok(after.abandoned_per_day <= before.abandoned_per_day);
  assert.equal(out.whatif.windows.length, out.result.windows.length + 1);
  assert.ok(out.days_per_second > 0);
  assert.ok(before.arrived_per_day > 150 && before.arrived_per_day < 400, 'a county hall day');
  // Two windows help more than one.
  const two = JSON.parse(runCli([...args, '--open', '社保:2:09:00-11:00']).stdout);
  assert.ok(two.whatif.lines[0].mean_wait_s < after.mean_wait_s);
});

test('simulate: the same seed gives the same numbers for any thread count', () => {
  const run = (threads, seed = 5) => {
    const r = runCli(['simulate', HALL, '--days', '12', '--seed', String(seed), '--threads', String(threads), '--json']);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout).result;
  };
  const one = run(1);
  assert.deepEqual(run(3), one);
  assert.notDeepEqual(run(1, 6), one);
  // The shipped scenario is also the default.
  const d = runCli(['simulate', '--days', '12', '--seed', '5', '--threads', '1', '--json'], { cwd: repo });
  assert.equal(d.status, 0, d.stderr);
  assert.deepEqual(JSON.parse(d.stdout).result, one);
});

test('simulate: bad scenarios and arguments are refused in Chinese with exit code 2', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'yc-sim-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const hall = JSON.parse(readFileSync(HALL, 'utf8'));
  const write = (name, body) => {
    const p = join(dir, name);
    writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body));
    return p;
  };
  const refuse = (args, re) => {
    const r = runCli(['simulate', ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.ok(hasCJK(r.stderr), r.stderr);
    assert.match(r.stderr, re);
    assert.equal(r.stdout, '');
  };
  refuse([join(dir, 'missing.json')], /无法读取场景文件/);
  refuse([write('broken.json', '{"lines": [')], /场景文件 .* 有误：不是有效的 JSON（第 1 行/);
  refuse([write('array.json', '[]')], /场景须是一个 JSON 对象/);
  const noWin = structuredClone(hall);
  noWin.windows = noWin.windows.filter((w) => !w.lines.includes('不动产登记'));
  refuse([write('nowin.json', noWin)], /业务线“不动产登记”没有任何窗口办理/);
  const badLine = structuredClone(hall);
  badLine.windows[0].lines = ['户籍'];
  refuse([write('badline.json', badLine)], /窗口“社保窗口”的业务线“户籍”不存在/);
  const badHour = structuredClone(hall);
  badHour.lines[0].walkin_per_hour = { 25: 3 };
  refuse([write('badhour.json', badHour)], /lines\[0\]\.walkin_per_hour 的键“25”不是 0 到 23 的小时/);
  const badSpan = structuredClone(hall);
  badSpan.windows[1].hours = ['13:30-17:00', '09:00-12:00'];
  refuse([write('badspan.json', badSpan)], /开放时段须按时间先后且不重叠/);
  const badSvc = structuredClone(hall);
  badSvc.lines[2].service = { dist: 'gamma', mean_minutes: 20 };
  refuse([write('badsvc.json', badSvc)], /service\.dist 只能是 exp、lognormal 或 fixed/);
  const badPat = structuredClone(hall);
  badPat.policy.pattern = '3:2';
  refuse([write('badpat.json', badPat)], /policy\.pattern/);
  refuse([HALL, '--open', '户籍:1:09:00-11:00'], /没有业务线“户籍”/);
  refuse([HALL, '--open', '社保:0:09:00-11:00'], /窗口数“0”须是 1 到 20 的整数/);
  refuse([HALL, '--open', '社保:1:11:00-09:00'], /时段“11:00-09:00”/);
  refuse([HALL, '--open', '社保'], /--open 的格式/);
  refuse([HALL, '--days', '0'], /--days 的值“0”/);
  refuse([HALL, '--days'], /--days 需要一个值/);
  refuse([HALL, '--frobnicate'], /不认识的参数/);
  const help = runCli(['simulate', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /用法: yichuang simulate/);
  assert.match(runCli(['--help']).stdout, /simulate/);
});
