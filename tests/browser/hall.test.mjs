// Browser test of the hall screens: a display device set up with its token, the
// window workstation driven by keyboard shortcuts, and the path take → display →
// call → announcement → finish, live through the event feed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watch, shot, login, DESKTOP } from './lib.mjs';

const ADMIN_PASSWORD = 'Admin#2026pw';
let server;
let browser;
const problems = [];

/** A tiny API client for setting up data from the test. */
async function apiLogin(base) {
  const res = await fetch(base + '/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const cookie = /yc_session=[^;]*/.exec(res.headers.get('set-cookie'))[0];
  const { csrf_token: csrf } = await res.json();
  return async (method, path, body) => {
    const r = await fetch(base + '/api/v1' + path, {
      method, headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await r.json().catch(() => null);
    assert.ok(r.ok, `${method} ${path}: ${r.status} ${JSON.stringify(data)}`);
    return data;
  };
}

before(async () => {
  server = await startServer({ mode: 'serve', adminPassword: ADMIN_PASSWORD });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('take a ticket → the display shows it when a window calls it, announces it, the window finishes', { timeout: 90_000 }, async () => {
  const api = await apiLogin(server.base);
  const win = await api('POST', '/windows', { center_id: 1, number: 5, name: '综合受理窗口', kind: 'general' });
  const line = await api('POST', '/hall/1/lines', { prefix: 'A', name: '社保医保', window_ids: [win.id] });
  const device = await api('POST', '/devices', { kind: 'display', name: '大厅叫号屏', center_id: 1 });

  // The display: asks for its token once, then shows the board.
  const dctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  await dctx.addInitScript(() => {
    window.__spoken = [];
    if (window.speechSynthesis) {
      window.speechSynthesis.speak = (u) => window.__spoken.push(u.text);
      // A browser with a Chinese voice speaks itself (kiosk.test.mjs covers one without).
      window.speechSynthesis.getVoices = () => [{ lang: 'zh-CN', name: '测试语音' }];
    }
  });
  const display = await dctx.newPage();
  display.setDefaultTimeout(10_000);
  watch(display, problems);
  await display.goto(server.base + '/hall/display.html');
  await display.getByLabel('设备令牌').fill(device.token);
  await display.getByRole('button', { name: '启用本叫号屏' }).click();
  await display.locator('#board').waitFor();

  // The workstation, after logging in.
  const wctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const ws = await wctx.newPage();
  ws.setDefaultTimeout(10_000);
  watch(ws, problems);
  await ws.goto(server.base + '/');
  await login(ws, 'admin', ADMIN_PASSWORD);
  await ws.waitForURL(/app\.html/);
  await ws.goto(server.base + `/hall/window.html?window=${win.id}`);
  await ws.getByRole('heading', { name: '5号窗口 综合受理窗口' }).waitFor();
  await ws.keyboard.press('o');
  await ws.locator('#state', { hasText: '服务中' }).waitFor();

  const ticket = await api('POST', '/hall/1/tickets', { line_id: line.id });
  assert.equal(ticket.number, 'A001');
  await display.locator('#lines', { hasText: '1人' }).waitFor();

  await ws.keyboard.press('c');
  await ws.locator('#cur-number', { hasText: 'A001' }).waitFor();
  await display.locator('#now-number', { hasText: 'A001' }).waitFor();
  await display.locator('#announce', { hasText: '请A001号到5号窗口办理' }).waitFor();
  const spoken = await display.evaluate(() => window.__spoken);
  assert.ok(spoken.includes('请A001号到5号窗口办理'), `spoken: ${spoken}`);
  await shot(display, 'hall-display.png');

  await ws.keyboard.press('s');
  await ws.locator('#cur-info', { hasText: '办理中' }).waitFor();
  await ws.keyboard.press('f');
  await ws.locator('#figures', { hasText: '今日办结 1 件' }).waitFor();
  await ws.locator('#cur-number', { hasText: '—' }).waitFor();
  await shot(ws, 'hall-window.png');

  // An error reads as the server's Chinese sentence.
  await ws.keyboard.press('c');
  await ws.locator('#message', { hasText: '当前没有等候5号窗口所办业务的号' }).waitFor();

  // The phone page behind the slip's QR: no login.
  const second = await api('POST', '/hall/1/tickets', { line_id: line.id });
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  watch(phone, problems);
  await phone.goto(server.base + `/hall/ticket.html?t=${second.token}`);
  await phone.locator('#number', { hasText: 'A002' }).waitFor();
  await phone.locator('#status', { hasText: '前面还有0人' }).waitFor();
  assert.equal(await phone.locator('#near').isVisible(), true);
  assert.equal(await phone.locator('#notify').isVisible(), false, 'no text offered with nobody ahead');
  // Further back in the queue the page offers a text when the turn is near.
  for (let i = 0; i < 4; i++) await api('POST', '/hall/1/tickets', { line_id: line.id });
  const later = await api('POST', '/hall/1/tickets', { line_id: line.id });
  await phone.goto(server.base + `/hall/ticket.html?t=${later.token}`);
  await phone.locator('#status', { hasText: '前面还有5人' }).waitFor();
  await phone.getByRole('button', { name: '提醒我' }).click();
  await phone.locator('#notify-msg', { hasText: '请输入手机号码' }).waitFor();
  assert.equal(await phone.getAttribute('#mobile', 'aria-invalid'), 'true');
  await phone.fill('#mobile', '1391234567');
  await phone.getByRole('button', { name: '提醒我' }).click();
  await phone.locator('#notify-msg', { hasText: '11位' }).waitFor();
  await phone.fill('#mobile', '13912345678');
  await shot(phone, 'hall-phone.png');
  await phone.getByRole('button', { name: '提醒我' }).click();
  await phone.locator('#status', { hasText: '会短信提醒您' }).waitFor();
  assert.equal(await phone.locator('#notify').isVisible(), false);
  // Live: a call moves the queue and the page follows within a moment, not a poll.
  await phone.waitForFunction(() => document.body.dataset.link === 'live');
  await api('POST', `/hall/windows/${win.id}/call`);
  await phone.locator('#status', { hasText: '前面还有4人' }).waitFor({ timeout: 5000 });
  await phone.close();

  const t = await api('GET', `/hall/tickets/${ticket.id}`);
  assert.equal(t.status, 'done');
  assert.deepEqual(problems, []);
});
