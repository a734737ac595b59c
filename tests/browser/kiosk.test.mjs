// Browser test of the hall's devices end to end: a kiosk takes a ticket (by line, by
// searching an item, green channel with its confirmation; the check-in tab against its
// contract), prints the 80 mm slip and returns to the start; the display shows the
// ticket, a window calls it, the display (a browser without a Chinese voice) plays the
// server's call audio; the window finishes and the rating pad at that window asks for a
// rating; with more than 3 ahead the slip screen registers a mobile for the "turn is
// near" SMS. Screenshots: kiosk start, the slip as printed, the rating pad's prompt, the
// SMS offer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startServer, launchBrowser, watch, shot, DESKTOP, ROOT } from './lib.mjs';

const ADMIN_PASSWORD = 'Admin#2026pw';
const KIOSK = { width: 1080, height: 1920 };
const PAD = { width: 1280, height: 800 };
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
  return async (method, p, body, { ok = true } = {}) => {
    const r = await fetch(base + '/api/v1' + p, {
      method, headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await r.json().catch(() => null);
    if (ok) assert.ok(r.ok, `${method} ${p}: ${r.status} ${JSON.stringify(data)}`);
    return ok ? data : { status: r.status, body: data };
  };
}

/** A device page: fills its token into the setup form. */
async function devicePage(viewport, url, token, button, initScript) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  if (initScript) await ctx.addInitScript(initScript);
  const p = await ctx.newPage();
  p.setDefaultTimeout(10_000);
  watch(p, problems);
  await p.goto(server.base + url);
  await p.getByLabel('设备令牌').fill(token);
  await p.getByRole('button', { name: button }).click();
  return p;
}

before(async () => {
  server = await startServer({ mode: 'serve', adminPassword: ADMIN_PASSWORD });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('kiosk → display → call with server audio → finish → rating pad prompt', { timeout: 120_000 }, async () => {
  const api = await apiLogin(server.base);
  await api('PATCH', '/centers/1', { name: '洛川县政务服务中心' }, { ok: false });
  const center = await api('GET', '/centers/1');
  // A published item, so the kiosk's search finds it.
  await api('POST', '/departments', { name: '县人力资源和社会保障局', credit_code: '114103265346409776' });
  const fixture = JSON.parse(readFileSync(path.join(ROOT, 'tests', 'integration', 'fixtures', 'catalog-small.json'), 'utf8'));
  const pension = fixture.items.find((i) => i.basic_code === '1105000001');
  pension.department = '县人力资源和社会保障局';
  await api('POST', '/catalog/import', { format: 'yichuang-catalog', format_version: 1, items: [pension], bundles: [] });
  const itemId = (await api('GET', '/items')).items.find((i) => i.basic_code === '1105000001').id;
  const win = await api('POST', '/windows', { center_id: 1, number: 3, name: '社保窗口', kind: 'general' });
  const lineA = await api('POST', '/hall/1/lines', { prefix: 'A', name: '社保医保', window_ids: [win.id], item_ids: [itemId] });
  await api('POST', '/hall/1/lines', { prefix: 'B', name: '不动产登记', window_ids: [win.id] });
  await api('POST', '/hall/1/lines', { prefix: 'C', name: '企业开办', window_ids: [win.id] });
  const kioskDev = await api('POST', '/devices', { kind: 'kiosk', name: '一楼取号机', center_id: 1 });
  const displayDev = await api('POST', '/devices', { kind: 'display', name: '大厅叫号屏', center_id: 1 });
  const padDev = await api('POST', '/devices', { kind: 'rating_pad', name: '3号窗口评价器', center_id: 1, window_no: 3 });
  await api('POST', `/hall/windows/${win.id}/open`);

  // The display: a browser without a Chinese voice, so the server's audio is played.
  const display = await devicePage(DESKTOP, '/hall/display.html', displayDev.token, '启用本叫号屏', () => {
    window.__spoken = [];
    if (window.speechSynthesis) {
      window.speechSynthesis.speak = (u) => window.__spoken.push(u.text);
      window.speechSynthesis.getVoices = () => [];
    }
  });
  await display.locator('#board').waitFor();
  // The rating pad at window 3.
  const pad = await devicePage(PAD, '/hall/rate.html', padDev.token, '启用本评价器');
  await pad.locator('#idle-window', { hasText: '3号窗口' }).waitFor();
  await pad.waitForFunction(() => document.body.dataset.link === 'live');

  // The kiosk: start screen with the lines and their waiting counts.
  const kiosk = await devicePage(KIOSK, '/hall/kiosk.html', kioskDev.token, '启用本取号机', () => {
    window.__printed = 0;
    window.print = () => { window.__printed += 1; };
  });
  await kiosk.getByRole('heading', { name: `${center.name} 自助取号` }).waitFor();
  await kiosk.getByRole('button', { name: /社保医保/ }).waitFor();
  assert.equal(await kiosk.locator('.line-button').count(), 3);
  await shot(kiosk, 'kiosk-start.png');

  // 1. By line.
  await kiosk.getByRole('button', { name: /社保医保/ }).click();
  await kiosk.locator('#slip-number', { hasText: 'A001' }).waitFor();
  await kiosk.locator('#slip-line', { hasText: '社保医保' }).waitFor();
  await kiosk.locator('#slip-ahead', { hasText: '前面还有 0 人' }).waitFor();
  await kiosk.locator('#slip-center', { hasText: center.name }).waitFor();
  await kiosk.waitForFunction(() => window.__printed === 1);
  const follow = await kiosk.locator('#slip-qr').getAttribute('data-follow');
  assert.match(follow, /\/hall\/ticket\.html\?t=[0-9a-f]{32}$/);
  assert.ok(await kiosk.locator('#slip-qr').evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR image loaded');
  // The slip as the 80 mm printer gets it.
  await kiosk.setViewportSize({ width: 302, height: 640 });
  await kiosk.emulateMedia({ media: 'print' });
  assert.equal(await kiosk.locator('#start').isVisible(), false);
  assert.equal(await kiosk.locator('.slip-actions').isVisible(), false);
  await shot(kiosk, 'kiosk-slip.png', { fullPage: true });
  await kiosk.emulateMedia({ media: 'screen' });
  await kiosk.setViewportSize(KIOSK);
  // The phone page behind the QR follows this ticket.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  watch(phone, problems);
  await phone.goto(follow);
  await phone.locator('#number', { hasText: 'A001' }).waitFor();
  await phone.close();
  // Back to the start by itself.
  await kiosk.locator('#start').waitFor({ timeout: 15_000 });
  await display.locator('#lines', { hasText: '1人' }).waitFor();

  // 2. By searching an item: the line serving it.
  await kiosk.getByRole('tab', { name: '搜索事项' }).click();
  await kiosk.getByLabel('事项名称或关键词').fill('养老保险');
  await kiosk.getByRole('button', { name: '搜索', exact: true }).click();
  await kiosk.locator('.result-name', { hasText: '城乡居民养老保险参保登记' }).waitFor();
  await kiosk.getByRole('button', { name: '取A号 · 社保医保' }).click();
  await kiosk.locator('#slip-number', { hasText: 'A002' }).waitFor();
  await kiosk.getByRole('button', { name: '完成' }).click();
  await kiosk.locator('#start').waitFor();

  // A lost answer: the server issued the ticket but the kiosk never heard. The kiosk
  // retries with the same Idempotency-Key and gets that ticket, not a second number.
  let dropped = 0;
  await kiosk.route('**/api/v1/hall/1/tickets', async (route) => {
    if (dropped++ === 0) {
      await route.fetch();
      await route.abort('failed');
    } else {
      await route.continue();
    }
  });
  await kiosk.getByRole('button', { name: /企业开办/ }).click();
  await kiosk.locator('#slip-number', { hasText: 'C001' }).waitFor();
  assert.equal(dropped, 2, 'sent twice');
  await kiosk.unroute('**/api/v1/hall/1/tickets');
  await kiosk.getByRole('button', { name: '完成' }).click();

  // 3. Green channel: cancelling the confirmation changes nothing; confirming does.
  await kiosk.getByRole('button', { name: /绿色通道（/ }).click();
  await kiosk.getByRole('button', { name: '取消', exact: true }).click();
  assert.equal(await kiosk.locator('#green-banner').isVisible(), false);
  await kiosk.getByRole('button', { name: /绿色通道（/ }).click();
  await kiosk.getByRole('button', { name: '确认使用' }).click();
  await kiosk.locator('#green-banner').waitFor();
  await kiosk.getByRole('button', { name: /不动产登记/ }).click();
  await kiosk.locator('#slip-number', { hasText: 'B001' }).waitFor();
  assert.equal(await kiosk.locator('#slip-green').isVisible(), true);
  await kiosk.getByRole('button', { name: '完成' }).click();
  const tickets = (await api('GET', '/hall/1/queue')).lines;
  assert.deepEqual(tickets.map((l) => l.waiting), [2, 1, 1], 'one C ticket for the retried press');

  // 4. Check-in (预约签到) with an unknown code: the server's own sentence.
  await kiosk.getByRole('tab', { name: '预约签到' }).click();
  await kiosk.getByRole('button', { name: '8', exact: true }).click();
  await kiosk.getByRole('button', { name: '6', exact: true }).click();
  assert.equal(await kiosk.getByRole('textbox', { name: '预约码' }).inputValue(), '86');
  await kiosk.getByRole('button', { name: '签到取号' }).click();
  await kiosk.locator('#kiosk-error', { hasText: '没有找到预约码为86的预约' }).waitFor();
  await kiosk.getByRole('tab', { name: '按业务取号' }).click();

  // The window calls: B001 (green) first, then A001; the display plays the server audio.
  const voices = [];
  display.on('response', (r) => {
    if (r.url().includes('/api/v1/hall/1/voice/')) voices.push({ status: r.status(), type: r.headers()['content-type'] });
  });
  const first = await api('POST', `/hall/windows/${win.id}/call`);
  assert.equal(first.ticket.number, 'B001');
  await display.locator('#now-number', { hasText: 'B001' }).waitFor();
  await display.locator('#announce', { hasText: '请B001号到3号窗口办理' }).waitFor();
  await display.waitForFunction(() => document.body.dataset.voice === 'audio');
  await display.waitForFunction(() => true);
  for (let i = 0; i < 100 && !voices.length; i++) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(voices[0], { status: 200, type: 'audio/wav' });
  assert.deepEqual(await display.evaluate(() => window.__spoken), [], 'no Chinese voice: nothing through speechSynthesis');

  // Finish: the rating pad at window 3 asks.
  await api('POST', `/hall/windows/${win.id}/start`);
  await api('POST', `/hall/windows/${win.id}/finish`);
  await pad.getByRole('heading', { name: '请对本次服务进行评价' }).waitFor();
  await pad.locator('#ask-ticket', { hasText: 'B001' }).waitFor();
  const levels = await pad.locator('#levels button').allTextContents();
  assert.deepEqual(levels, ['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
  await shot(pad, 'rating-pad.png');
  await pad.getByRole('button', { name: '满意', exact: true }).click();
  await pad.getByText('感谢您的评价！').waitFor();
  await pad.locator('#idle').waitFor({ timeout: 10_000 });

  // Another window's finish does not reach this pad.
  const win2 = await api('POST', '/windows', { center_id: 1, number: 4, name: '综合窗口', kind: 'general' });
  await api('PATCH', `/hall/lines/${lineA.id}`, { window_ids: [win.id, win2.id] });
  await api('POST', `/hall/windows/${win2.id}/open`);
  const c2 = await api('POST', `/hall/windows/${win2.id}/call`);
  await api('POST', `/hall/windows/${win2.id}/start`);
  await api('POST', `/hall/windows/${win2.id}/finish`);
  await display.locator('#now-number', { hasText: c2.ticket.number }).waitFor();
  assert.equal(await pad.locator('#ask').isVisible(), false);

  // 5. A real booking checked in on the keypad becomes an appointment ticket. The hall
  // opens all day every day and the window is on weekend and holiday duty, so today has
  // slots whatever day the test runs (none left after 23:00 China time: then skipped).
  const days = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, am_open: '00:00', am_close: '12:00', pm_open: '12:00', pm_close: '23:30' }));
  await api('PUT', '/centers/1/hours', { days });
  await api('PATCH', `/windows/${win.id}`, { duty_weekend: true, duty_holiday: true });
  await api('PUT', '/hall/1/booking-settings', { early_min: 240 });
  const slots = (await (await fetch(`${server.base}/api/v1/booking/lines/${lineA.id}/slots?days=1`)).json()).days[0].slots.filter((x) => x.open && x.available);
  if (slots.length) {
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    // Booked by phone staff (an online booking needs the SMS code: tests/browser/booking).
    const booking = await api('POST', '/hall/1/bookings', { line_id: lineA.id, date: today, start: slots[0].start, name: '赵六', id_number: '110105198503150027', mobile: '13912345678' });
    assert.match(booking.code, /^\d{8}$/, JSON.stringify(booking));
    await kiosk.getByRole('tab', { name: '预约签到' }).click();
    await kiosk.getByRole('textbox', { name: '预约码' }).fill('');
    for (const d of booking.code) await kiosk.getByRole('button', { name: d, exact: true }).click();
    await kiosk.getByRole('button', { name: '签到取号' }).click();
    await kiosk.locator('#slip-line', { hasText: '社保医保' }).waitFor();
    const number = (await kiosk.locator('#slip-number').textContent()).trim();
    const after = await (await fetch(`${server.base}/api/v1/bookings/t/${booking.token}`)).json();
    assert.equal(after.status, 'checked_in');
    assert.equal(after.ticket_number, number);
    const ticket = await api('GET', `/hall/tickets/${after.ticket_id}`);
    assert.equal(ticket.priority, 'appointment');
    assert.equal(ticket.source, 'booking');
    await kiosk.getByRole('button', { name: '完成' }).click();
  }

  // 6. With more than 3 ahead, the slip screen offers an SMS when the turn is near: a
  // short number is refused; a mobile typed on the keypad is registered on the ticket.
  for (let i = 0; i < 4; i++) await api('POST', '/hall/1/tickets', { line_id: lineA.id });
  await kiosk.locator('#start').waitFor();
  await kiosk.getByRole('button', { name: /社保医保/ }).click();
  await kiosk.locator('#near').waitFor();
  const number6 = (await kiosk.locator('#slip-number').textContent()).trim();
  for (const d of '1391234') await kiosk.locator('#near-keypad').getByRole('button', { name: d, exact: true }).click();
  await kiosk.getByRole('button', { name: '短信提醒我' }).click();
  await kiosk.locator('#near-msg', { hasText: '请输入11位手机号码' }).waitFor();
  for (const d of '5678') await kiosk.locator('#near-keypad').getByRole('button', { name: d, exact: true }).click();
  assert.equal(await kiosk.locator('#near-mobile').inputValue(), '13912345678');
  await kiosk.getByRole('button', { name: '短信提醒我' }).click();
  await kiosk.locator('#near-msg', { hasText: '139****5678' }).waitFor();
  await shot(kiosk, 'kiosk-near.png');
  const sealed = execFileSync('sqlite3', [path.join(server.dataDir, 'yichuang.db'),
    `SELECT notify_cipher FROM tickets WHERE number = '${number6}' AND center_id = 1`], { encoding: 'utf8' }).trim();
  assert.ok(sealed.length > 20 && !sealed.includes('13912345678'), 'the mobile is on the ticket, sealed');
  await kiosk.getByRole('button', { name: '完成' }).click();

  assert.deepEqual(problems, []);
});
