// Browser test of 窗口调度: a constructed day (tickets and window events written into
// the database for 2026-03-02, as in tests/integration/staffing.test.mjs), the needed /
// open grid with its shortfalls, the balance bars, and one click that opens a tidal
// window for a short line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startServer, launchBrowser, watch, shot, login, openMenu, DESKTOP } from './lib.mjs';

const ADMIN_PASSWORD = 'Admin#2026pw';
const DAY = '2026-03-02';
const DS = Date.UTC(2026, 2, 1, 16, 0, 0); // 2026-03-02 00:00 +08:00
const at = (h, m = 0) => DS + h * 3600000 + m * 60000;
let server;
let browser;
const problems = [];

async function apiLogin(base) {
  const res = await fetch(base + '/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const cookie = /yc_session=[^;]*/.exec(res.headers.get('set-cookie'))[0];
  const { csrf_token: csrf } = await res.json();
  return async (method, p, body) => {
    const r = await fetch(base + '/api/v1' + p, {
      method, headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await r.json().catch(() => null);
    assert.ok(r.ok, `${method} ${p}: ${r.status} ${JSON.stringify(data)}`);
    return data;
  };
}

function sqlite(db, sql) {
  execFileSync('sqlite3', ['-batch', db, sql], { encoding: 'utf8' });
}

function constructDay(db, win, A, B) {
  let serial = 0;
  const sql = ['BEGIN;'];
  const ticket = (line, prefix, taken, started, finished, window) => {
    serial++;
    const v = (x) => (x == null ? 'NULL' : x);
    sql.push(`INSERT INTO tickets (center_id, service_day, line_id, serial, number, priority, source, status,`
      + ` queued_at, taken_at, called_at, started_at, finished_at, served_by_window_id, token) VALUES (1, '${DAY}',`
      + ` ${line}, ${serial}, '${prefix}${String(serial).padStart(3, '0')}', 'normal', 'kiosk',`
      + ` '${finished == null ? 'waiting' : 'done'}', ${taken}, ${taken}, ${v(started)}, ${v(started)}, ${v(finished)},`
      + ` ${v(window)}, '${serial.toString(16).padStart(32, '0')}');`);
  };
  const event = (window, kind, when) => sql.push(`INSERT INTO hall_events (center_id, kind, payload, at) VALUES`
    + ` (1, '${kind}', '{"window_id":${window}}', ${when});`);
  for (let i = 0; i < 12; i++) {
    const t = at(9, 5 * i);
    ticket(A, 'A', t, t + 60000, t + 660000, i % 3 === 2 ? win[2] : win[1]);
  }
  for (const m of [0, 20, 40]) ticket(A, 'A', at(10, m), at(10, m) + 60000, at(10, m) + 660000, win[1]);
  ticket(B, 'B', at(14));
  ticket(B, 'B', at(14, 30));
  event(win[1], 'window_open', at(8));
  event(win[2], 'window_open', at(9));
  event(win[2], 'window_pause', at(10));
  event(win[2], 'window_resume', at(10, 30));
  event(win[1], 'window_close', at(12));
  event(win[2], 'window_close', at(12));
  sql.push('COMMIT;');
  sqlite(db, sql.join('\n'));
}

before(async () => {
  server = await startServer({ mode: 'serve', adminPassword: ADMIN_PASSWORD });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('窗口调度: needed vs open per hour, balance bars, open a tidal window in one click', { timeout: 90_000 }, async () => {
  const api = await apiLogin(server.base);
  const win = {};
  for (const [n, kind, name] of [[1, 'general', '综合受理窗口'], [2, 'general', '综合受理窗口'], [3, 'tidal', '潮汐窗口'], [4, 'tidal', '潮汐窗口']]) {
    win[n] = (await api('POST', '/windows', { center_id: 1, number: n, name, kind })).id;
  }
  const A = (await api('POST', '/hall/1/lines', { prefix: 'A', name: '社保医保', window_ids: [win[1], win[2]] })).id;
  const B = (await api('POST', '/hall/1/lines', { prefix: 'B', name: '不动产登记', window_ids: [win[1]] })).id;
  constructDay(path.join(server.dataDir, 'yichuang.db'), win, A, B);

  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const p = await ctx.newPage();
  p.setDefaultTimeout(10_000);
  watch(p, problems);
  await p.goto(server.base + '/');
  await login(p, 'admin', ADMIN_PASSWORD);
  await p.waitForURL(/app\.html/);
  await openMenu(p, '窗口调度');
  await p.locator('#staffing-table').waitFor();
  await p.getByLabel('日期').fill(DAY);
  await p.getByRole('button', { name: '计算' }).click();
  await p.locator('.summary-line', { hasText: '2026年3月2日' }).waitFor();
  assert.match(p.url(), /#\/staffing\/1\/2026-03-02$/);

  // Line A at 09:00 needs 3 windows and had 2: a shortfall; 10:00 needs 2, had 1.5.
  const rowA = p.locator(`tr[data-line="${A}"]`);
  const h9 = rowA.locator('td[data-hour="9"]');
  assert.equal((await h9.textContent()).replace(/\s/g, ''), '3/2');
  assert.match(await h9.getAttribute('class'), /sg-short/);
  assert.match(await h9.getAttribute('title'), /到号12人.*需3个窗口，实开2个/);
  assert.equal((await rowA.locator('td[data-hour="10"]').textContent()).replace(/\s/g, ''), '2/1.5');
  assert.match(await rowA.locator('td[data-hour="8"]').getAttribute('class'), /sg-idle/);
  assert.match(await rowA.textContent(), /10\.0分钟.*当日实测/);
  const rowB = p.locator(`tr[data-line="${B}"]`);
  assert.equal((await rowB.locator('td[data-hour="14"]').textContent()).replace(/\s/g, ''), '1/0');
  assert.match(await rowB.textContent(), /5\.0分钟.*默认值/);
  assert.equal(await p.locator('#short-count').textContent(), '2个队列有缺口');

  // Balance: window 1 served 11, window 2 served 4.
  assert.equal(await p.locator('#balance-verdict').textContent(), '均衡程度：不均衡（变异系数0.47，最多/最少2.75倍）');
  assert.equal(await p.locator('.bal-row[data-window="1"] .bal-served').textContent(), '11件');
  assert.equal(await p.locator('.bal-row[data-window="2"] .bal-served').textContent(), '4件');
  assert.match(await p.locator('.bal-row[data-window="1"]').textContent(), /忙碌110分钟 · 利用率46%/);
  const widths = await p.locator('.bal-fill').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
  assert.ok(widths[0] > widths[1] * 2.5 && widths[0] < widths[1] * 3, `bar widths ${widths}`);
  await shot(p, 'staffing.png', { fullPage: true });

  // One click on line A's button, confirm, and the tidal window 3 serves A.
  await rowA.getByRole('button', { name: '开潮汐窗口' }).click();
  const dialog = p.getByRole('dialog', { name: '开潮汐窗口' });
  await dialog.getByText('社保医保（A）').waitFor();
  await dialog.getByRole('button', { name: '确定开窗' }).click();
  await p.locator('.msg-success', { hasText: '已开启3号潮汐窗口，办理“社保医保”' }).waitFor();
  const tidalRow = p.locator('#tidal-card tbody tr').first();
  await tidalRow.getByText('服务中').waitFor();
  assert.match(await tidalRow.textContent(), /社保医保（A）/);
  const w3 = await api('GET', `/hall/windows/${win[3]}`);
  assert.equal(w3.state, 'open');
  assert.deepEqual(w3.lines.map((l) => l.id), [A]);

  // Release it again from the same card.
  await tidalRow.getByRole('button', { name: '关潮汐窗口' }).click();
  await p.getByRole('dialog', { name: '关潮汐窗口' }).getByRole('button', { name: '确定关闭' }).click();
  await p.locator('.msg-success', { hasText: '已关闭3号潮汐窗口' }).waitFor();
  assert.equal((await api('GET', `/hall/windows/${win[3]}`)).state, 'closed');
  assert.deepEqual(problems, []);
});
