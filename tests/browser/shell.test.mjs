// Browser test of the login page and the back-office shell, driving Debian's
// chromium through playwright-core against the real server on a fresh
// database. Run: node --test tests/browser/
//
// Environment: YICHUANG_BIN (default build/debug/yichuang),
// CHROMIUM_PATH (default /usr/bin/chromium).
// Screenshots go to docs/screenshots/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watch as watchPage, shot, login, openMenu, DESKTOP, PHONE } from './lib.mjs';

const ADMIN_PASSWORD = 'Admin#2026pw';
const NEW_ADMIN_PASSWORD = 'Admin#2027pw';
const STEP_TIMEOUT = 60_000;

let server;
let base;
let browser;
let page;
const pageProblems = [];

/** Record script errors and CSP violations; failed fetches (401 etc.) are expected. */
function watch(p) {
  watchPage(p, pageProblems);
}

before(async () => {
  server = await startServer({ mode: 'serve', adminPassword: ADMIN_PASSWORD });
  base = server.base;
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  watch(page);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('wrong password shows the server message', { timeout: STEP_TIMEOUT }, async () => {
  await page.goto(base + '/');
  await page.getByRole('heading', { name: '工作人员登录' }).waitFor();
  await shot(page, 'login.png');

  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'POST');
  await login(page, 'admin', 'wrong-password-1');
  const res = await answer;
  assert.equal(res.status(), 401);
  const body = await res.json();
  assert.equal(body.code, 'AUTH_INVALID_CREDENTIALS');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.equal((await alert.textContent()).trim(), body.message);
  assert.match(page.url(), /\/(index\.html)?$/);
});

test('admin logs in and sees the shell', { timeout: STEP_TIMEOUT }, async () => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await page.waitForURL(/\/app\.html/);
  const header = page.locator('header.topbar');
  await header.locator('.role-tag', { hasText: '系统管理员' }).waitFor();
  assert.match(await header.textContent(), /一窗 政务服务中心管理系统/);
  const menu = page.getByRole('navigation', { name: '主菜单' });
  for (const item of ['首页', '用户管理', '设备管理', '操作日志']) {
    await menu.getByRole('link', { name: item }).waitFor();
  }
  await page.getByRole('heading', { level: 1, name: '首页' }).waitFor();
  await page.getByText('我的角色').waitFor();
  await shot(page, 'home.png');
});

test('create a user, then disable it', { timeout: STEP_TIMEOUT }, async () => {
  await openMenu(page, '用户管理');
  await page.locator('table.data').waitFor();
  await page.getByRole('button', { name: '新建用户' }).click();
  const form = page.getByRole('form', { name: '新建用户' });
  await form.getByLabel('用户名').fill('clerk1');
  await form.getByLabel('姓名').fill('张晓明');
  await form.getByLabel('初始密码').fill('Clerk#2026pw');
  await form.getByLabel('角色').selectOption('manager');
  await form.getByLabel('所属中心').selectOption({ index: 0 }); // the root center
  await form.getByRole('button', { name: '保存' }).click();

  const row = page.locator('table.data tbody tr', { hasText: 'clerk1' });
  await row.waitFor();
  assert.match(await row.textContent(), /中心管理员/);
  assert.match(await row.textContent(), /正常/);

  await row.getByRole('button', { name: '停用' }).click();
  const dialog = page.getByRole('dialog', { name: '停用用户' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: '确定停用' }).click();
  await row.getByText('已停用').waitFor();
  await row.getByRole('button', { name: '启用' }).waitFor();
  await shot(page, 'users.png');
});

test('create a device; its token is shown once and can be revoked', { timeout: STEP_TIMEOUT }, async () => {
  await openMenu(page, '设备管理');
  await page.getByRole('button', { name: '新建设备' }).click();
  const form = page.getByRole('form', { name: '新建设备' });
  await form.getByLabel('设备类型').selectOption('kiosk');
  await form.getByLabel('设备名称').fill('一楼大厅取号机');
  await form.getByRole('button', { name: '保存' }).click();
  const token = (await page.locator('.token-value').textContent()).trim();
  assert.ok(token.length >= 16, 'a device token is shown');
  await page.getByText('此令牌只显示这一次').waitFor();
  const row = page.locator('table.data tbody tr', { hasText: '一楼大厅取号机' });
  await row.getByRole('cell', { name: '取号机', exact: true }).waitFor();

  const me = await fetch(base + '/api/v1/device', { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(me.status, 200, 'the new token works');
  await shot(page, 'devices.png');

  await row.getByRole('button', { name: '吊销' }).click();
  const dialog = page.getByRole('dialog', { name: '吊销设备' });
  await dialog.getByRole('button', { name: '确定吊销' }).click();
  await page.getByText('已吊销设备 一楼大厅取号机').waitFor();
  const gone = await fetch(base + '/api/v1/device', { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(gone.status, 401, 'a revoked token stops working');
});

test('audit log lists the actions and the chain verifies', { timeout: STEP_TIMEOUT }, async () => {
  await openMenu(page, '操作日志');
  const rows = page.locator('table.data tbody tr');
  await rows.first().waitFor();
  assert.ok((await rows.count()) >= 3, 'several actions are logged');
  assert.doesNotMatch(await rows.first().textContent(), /暂无操作记录/);
  await page.getByRole('button', { name: '校验日志链' }).click();
  const result = page.locator('.verify-result');
  await result.waitFor();
  assert.match(await result.textContent(), /^日志链完整，共\d+条$/);
  await shot(page, 'audit.png');
});

test('change password', { timeout: STEP_TIMEOUT }, async () => {
  await page.locator('header.topbar').getByRole('link', { name: '修改密码' }).click();
  const form = page.getByRole('form', { name: '修改密码' });
  await form.waitFor();
  await form.getByLabel('当前密码').fill(ADMIN_PASSWORD);
  await form.getByLabel('新密码', { exact: true }).fill(NEW_ADMIN_PASSWORD);
  await form.getByLabel('再次输入新密码').fill('Different#1');
  await form.getByRole('button', { name: '确认修改' }).click();
  await form.getByText('两次输入的新密码不一致').waitFor();

  await form.getByLabel('再次输入新密码').fill(NEW_ADMIN_PASSWORD);
  await form.getByRole('button', { name: '确认修改' }).click();
  await form.getByText('密码已修改').waitFor();
  await shot(page, 'password.png');
});

test('logout returns to login; the new password works', { timeout: STEP_TIMEOUT }, async () => {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL(/\/index\.html$/);
  await page.getByRole('heading', { name: '工作人员登录' }).waitFor();

  // The session is gone server-side: the app bounces back to the login page.
  await page.goto(base + '/app.html#/users');
  await page.waitForURL(/\/index\.html$/);

  await login(page, 'admin', NEW_ADMIN_PASSWORD);
  await page.waitForURL(/\/app\.html/);
  await page.locator('header.topbar .role-tag', { hasText: '系统管理员' }).waitFor();
});

test('phone width: login page and a top-bar menu', { timeout: STEP_TIMEOUT }, async () => {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const phone = await context.newPage();
  phone.setDefaultTimeout(10_000);
  watch(phone);
  await phone.goto(base + '/');
  await phone.getByRole('heading', { name: '工作人员登录' }).waitFor();
  await shot(phone, 'login-phone.png');

  await login(phone, 'admin', NEW_ADMIN_PASSWORD);
  await phone.waitForURL(/\/app\.html/);
  const menu = phone.getByRole('navigation', { name: '主菜单' });
  await menu.getByRole('link', { name: '用户管理' }).waitFor();
  const box = await menu.boundingBox();
  assert.ok(box.width >= PHONE.width - 1 && box.height < 80, `menu is a top bar (${JSON.stringify(box)})`);
  const scrollWidth = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= PHONE.width, `no sideways scrolling (${scrollWidth}px)`);
  await context.close();
});

test('no script errors or CSP violations', () => {
  assert.deepEqual(pageProblems, []);
});
