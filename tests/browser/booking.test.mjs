// Browser test of 预约办事 on a phone (web/portal/booking.html) against `yichuang demo`:
// choose 社保医保, tomorrow's first slot, fill in name, ID number and mobile, ask for the
// 短信验证码 (the demo shows it on the page: it has no SMS gateway) and type it (a wrong
// ID number is refused on its field first), get the booking code; the booking page by
// its link; "我的预约" finds it by ID number + mobile + the same code; cancel after a
// confirmation dialog.
// The server is asked independently that the booking exists and was cancelled.
// Then the back office's 预约管理 as the demo guide: a phone booking for a caller (a bad
// mobile refused on its field first), the day's list, a cancel after confirmation.
// Screenshots: docs/screenshots/portal-booking-phone.png, portal-booking-done-phone.png,
// bookings.png.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watch, shot, login, openMenu, PHONE, DESKTOP } from './lib.mjs';

let server;
let browser;
const problems = [];

before(async () => {
  server = await startServer({ mode: 'demo' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const ID = '110105198503150027'; // a valid 居民身份证号

test('book a slot on a phone, find it again, cancel it', { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  watch(page, problems);
  await page.goto(server.base + '/portal/');
  await page.click('#to-booking');
  await page.waitForURL(/booking\.html/);
  await page.selectOption('#line', { label: '示范县政务服务中心 · 社保医保' });
  // Tomorrow's tab (the second), then its first free slot.
  const tabs = page.locator('.bk-day');
  await tabs.nth(1).waitFor();
  const days = await tabs.count();
  assert.equal(days, 7);
  // The first day with a free slot from tomorrow on (the demo calendar may mark a holiday).
  let picked = null;
  for (let i = 1; i < days && !picked; i++) {
    await tabs.nth(i).click();
    const free = page.locator('.bk-slot:not([disabled])');
    if (await free.count()) {
      picked = { date: await tabs.nth(i).locator('.bk-day-date').textContent(), time: await free.first().locator('.bk-slot-time').textContent() };
      await free.first().click();
    }
  }
  assert.ok(picked, 'a free slot within the week');
  await page.fill('input[name=name]', '王小明');
  await page.fill('input[name=id_number]', '110105198503150021');
  await page.fill('input[name=mobile]', '13912345678');
  await page.click('#book-form .bk-sms-btn');
  const note = page.locator('#book-form .bk-hint', { hasText: '验证码为' });
  await note.waitFor();
  const smsCode = /验证码为 (\d{6})/.exec(await note.textContent())[1];
  assert.match(await page.locator('#book-form .bk-sms-btn').textContent(), /秒后重新获取/);
  await page.fill('#book-sms-code', smsCode);
  await shot(page, 'portal-booking-phone.png');
  await page.click('#book-form button[type=submit]');
  await page.locator('#book-form [role=alert]').waitFor();
  assert.match(await page.locator('#book-form [role=alert]').textContent(), /校验|身份证/);
  assert.equal(await page.getAttribute('input[name=id_number]', 'aria-invalid'), 'true');
  await page.fill('input[name=id_number]', ID);
  await page.click('#book-form button[type=submit]');
  const code = (await page.locator('#booking-code').textContent()).trim();
  assert.match(code, /^\d{8}$/);
  assert.ok((await page.locator('.bk-when').textContent()).includes(picked.time.slice(0, 5)));
  await page.locator('.bk-qr').evaluate((img) => img.decode?.().catch(() => {}));
  await shot(page, 'portal-booking-done-phone.png', { fullPage: true });
  const url = page.url();
  assert.match(url, /booking\.html\?t=[0-9a-f]{32}$/);
  const token = url.split('t=')[1];
  // The server agrees, asked directly.
  const res = await fetch(`${server.base}/api/v1/bookings/t/${token}`);
  const booking = await res.json();
  assert.equal(booking.code, code);
  assert.equal(booking.status, 'booked');
  assert.equal(booking.ident_masked.slice(-4), '0027');
  // 我的预约: by ID number + mobile + the code (still valid: 10 minutes). A wrong code
  // first: refused on its field.
  await page.goto(server.base + '/portal/booking.html#mine');
  await page.fill('#mine-form input[name=id_number]', ID);
  await page.fill('#mine-form input[name=mobile]', '13912345678');
  await page.fill('#mine-sms-code', smsCode === '000000' ? '111111' : '000000');
  await page.click('#mine-form button[type=submit]');
  await page.locator('#mine-form [role=alert]', { hasText: '验证码不正确' }).waitFor();
  assert.equal(await page.getAttribute('#mine-sms-code', 'aria-invalid'), 'true');
  await page.fill('#mine-sms-code', smsCode);
  await page.click('#mine-form button[type=submit]');
  await page.locator('.bk-mine a').first().click();
  await page.waitForURL(/t=/);
  await page.locator('#booking-code').waitFor();
  // Cancel: a confirmation dialog first; saying no changes nothing.
  await page.click('#cancel');
  await page.locator('dialog').waitFor();
  await page.click('dialog button:has-text("不取消")');
  assert.equal((await (await fetch(`${server.base}/api/v1/bookings/t/${token}`)).json()).status, 'booked');
  await page.click('#cancel');
  await page.click('dialog button:has-text("取消预约")');
  await page.locator('.bk-status:has-text("已取消")').waitFor();
  assert.equal((await (await fetch(`${server.base}/api/v1/bookings/t/${token}`)).json()).status, 'cancelled');
  assert.deepEqual(problems, []);
  await context.close();
});

test('预约管理: phone booking for a caller, the day list, cancel with confirmation', { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  watch(page, problems);
  await page.goto(server.base + '/');
  await login(page, 'guide', 'Demo2026yc');
  await openMenu(page, '预约管理');
  // Tomorrow's list, then a phone booking on the first day with a free slot.
  const form = page.locator('#phone-booking');
  await form.getByLabel('业务').selectOption({ label: 'A 社保医保' });
  let date = null;
  for (let i = 1; i <= 7 && !date; i++) {
    const d = new Date(Date.now() + 8 * 3600e3 + i * 864e5).toISOString().slice(0, 10);
    await form.getByLabel('日期').fill(d);
    await form.getByLabel('日期').dispatchEvent('change');
    await page.waitForTimeout(300);
    const free = await form.locator('select[name=start] option:not([disabled])').evaluateAll((os) => os.filter((o) => o.value).map((o) => o.value));
    if (free.length) {
      date = d;
      await form.locator('select[name=start]').selectOption(free[0]);
    }
  }
  assert.ok(date, 'a free slot within the week');
  await form.getByLabel('姓名').fill('孙七');
  await form.getByLabel('身份证号').fill(ID);
  await form.getByLabel('手机号码').fill('1391234');
  await form.getByRole('button', { name: '预约' }).click();
  await form.locator('.msg-error').waitFor();
  assert.equal(await form.getByLabel('手机号码').getAttribute('aria-invalid'), 'true');
  await form.getByLabel('手机号码').fill('13912345679');
  await form.getByRole('button', { name: '预约' }).click();
  const ok = await form.locator('.msg-success').textContent();
  const code = /预约码 (\d{8})/.exec(ok)[1];
  // The day's list shows it; the server agrees it is a phone booking.
  await page.getByLabel('日期', { exact: true }).first().fill(date);
  await page.getByLabel('日期', { exact: true }).first().dispatchEvent('change');
  const row = page.locator('table.data tr', { hasText: code });
  await row.waitFor();
  assert.match(await row.textContent(), /电话.*待签到/);
  await shot(page, 'bookings.png', { fullPage: true });
  await row.getByRole('button', { name: '取消' }).click();
  await page.locator('dialog').getByRole('button', { name: '取消预约' }).click();
  await page.locator('table.data tr', { hasText: code }).locator('.badge-cancelled').waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
