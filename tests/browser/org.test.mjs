// Browser test of the organization screens (中心管理, 窗口管理, 工作人员,
// 工作日历, 群众档案) against `yichuang demo`: the demo county with its
// centers, windows, staff, authorizations, people and holiday data.
// Run: node --test tests/browser/org.test.mjs
//
// Environment: YICHUANG_BIN (default build/debug/yichuang),
// CHROMIUM_PATH (default /usr/bin/chromium).
// Screenshots go to docs/screenshots/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watch, shot, login, openMenu, DESKTOP, PHONE } from './lib.mjs';

const PASSWORD = 'Demo2026yc';
const STEP_TIMEOUT = 90_000;
const PERSON_ID = '410326198503121238'; // 刘晓明 in share/demo/county.json

let server;
let browser;
const pageProblems = [];

before(async () => {
  server = await startServer({ mode: 'demo' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A fresh browser context logged in as one demo user. */
async function loginAs(username, viewport = DESKTOP) {
  const phone = viewport === PHONE;
  const context = await browser.newContext({
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...(phone ? { isMobile: true, hasTouch: true } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  watch(page, pageProblems);
  await page.goto(server.base + '/');
  await login(page, username, PASSWORD);
  await page.waitForURL(/\/app\.html/);
  await page.getByRole('heading', { level: 1, name: '首页' }).waitFor();
  return { context, page };
}

/** Today's date in China Standard Time, and simple date arithmetic. */
function todayCST() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

function addDays(iso, n) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

function isWeekday(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return wd >= 1 && wd <= 5;
}

/** The value of the option of a select whose caption contains text. */
async function optionValue(select, text) {
  const value = await select.evaluate((el, t) => [...el.options].find((o) => o.textContent.includes(t))?.value, text);
  assert.ok(value, `an option containing "${text}"`);
  return value;
}

/** GET an API path with the page's own session. */
function apiGet(page, path) {
  return page.evaluate(async (p) => (await fetch('/api/v1' + p, { credentials: 'same-origin' })).json(), path);
}

test('manager creates a tidal window; a duplicate number shows the 409 message', { timeout: STEP_TIMEOUT }, async () => {
  const { context, page } = await loginAs('manager');
  const menu = page.getByRole('navigation', { name: '主菜单' });
  for (const item of ['中心管理', '窗口管理', '工作人员', '工作日历', '群众档案']) {
    await menu.getByRole('link', { name: item, exact: true }).waitFor();
  }
  await openMenu(page, '窗口管理');
  const rows = page.locator('.windows-table tbody tr');
  await rows.first().waitFor();
  assert.match(await page.locator('.summary-line').textContent(), /示范县政务服务中心/);

  await page.getByRole('button', { name: '新建窗口' }).click();
  let form = page.getByRole('form', { name: '新建窗口' });
  await form.getByLabel('窗口号').fill('20');
  await form.getByLabel('窗口类型').selectOption('tidal');
  assert.equal(await form.getByLabel('窗口名称').inputValue(), '潮汐窗口', 'a name is suggested for the kind');
  await form.getByLabel('午间值班').check();
  await form.getByRole('button', { name: '保存' }).click();

  const row = page.locator('.windows-table tbody tr[data-window-no="20"]');
  await row.waitFor();
  const text = await row.textContent();
  assert.match(text, /潮汐窗口/);
  assert.match(text, /潮汐\/临时/);
  assert.match(text, /午间/);
  assert.match(text, /启用/);
  await page.getByText('已新建20号窗口').waitFor();
  await shot(page, 'windows.png');

  // The same number again: the server's 409 message appears at the field.
  await page.getByRole('button', { name: '新建窗口' }).click();
  form = page.getByRole('form', { name: '新建窗口' });
  await form.getByLabel('窗口号').fill('20');
  await form.getByLabel('窗口类型').selectOption('tidal');
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/windows') && r.request().method() === 'POST');
  await form.getByRole('button', { name: '保存' }).click();
  const res = await answer;
  assert.equal(res.status(), 409);
  const body = await res.json();
  assert.equal(body.code, 'WINDOW_NUMBER_TAKEN');
  const note = form.locator('.field-error');
  await note.waitFor();
  assert.equal((await note.textContent()).trim(), body.message);
  assert.equal(await form.getByLabel('窗口号').getAttribute('aria-invalid'), 'true');
  // The note is announced with the field: it is part of its description.
  const describedBy = await form.getByLabel('窗口号').getAttribute('aria-describedby');
  assert.ok(describedBy.split(' ').includes(await note.getAttribute('id')));
  await form.getByRole('button', { name: '取消' }).click();
  assert.equal(await page.locator('.windows-table tbody tr[data-window-no="20"]').count(), 1);

  // A 分领域 window needs its domain; the client says so next to the field.
  await page.getByRole('button', { name: '新建窗口' }).click();
  form = page.getByRole('form', { name: '新建窗口' });
  await form.getByLabel('窗口类型').selectOption('domain');
  await form.getByLabel('窗口名称').fill('综合窗口');
  await form.getByRole('button', { name: '保存' }).click();
  await form.locator('.field-error', { hasText: '须选择领域' }).waitFor();
  await form.getByRole('button', { name: '取消' }).click();
  await context.close();
});

test('chief representative grants and revokes an authorization', { timeout: STEP_TIMEOUT }, async () => {
  // clerk10 sits at the certificate window: no comprehensive-window grants, none from the demo.
  const { context, page } = await loginAs('chief');
  const menu = page.getByRole('navigation', { name: '主菜单' });
  assert.equal(await menu.getByRole('link', { name: '中心管理' }).count(), 0, 'a chief representative does not manage centers');
  await openMenu(page, '工作人员');
  await page.getByLabel('查找').fill('CK0010');
  const row = page.locator('table.data tbody tr[data-username="clerk10"]');
  await row.waitFor();
  assert.equal(await page.locator('table.data tbody tr').count(), 1);
  await row.getByRole('link', { name: '查看钱超的详情和授权' }).click();
  await page.getByRole('heading', { level: 2, name: '钱超（CK0010）' }).waitFor();
  const authRows = page.locator('.auth-table tbody tr');
  await page.locator('.auth-table').getByText('暂无有效授权').waitFor();

  const form = page.getByRole('form', { name: '新增授权' });
  const item = form.getByLabel('事项');
  // Only the items of the chief's own department (人社局) are offered.
  const captions = await item.evaluate((el) => [...el.options].map((o) => o.textContent));
  assert.ok(captions.some((c) => c.includes('城乡居民养老保险参保登记')));
  assert.ok(!captions.some((c) => c.includes('企业设立登记')), 'no items of other departments');
  await item.selectOption(await optionValue(item, '城乡居民养老保险参保登记'));
  await form.getByLabel('权限').selectOption('receive');
  const expires = await form.getByLabel('有效期至').inputValue();
  const today = todayCST();
  assert.equal(expires.slice(4), today.slice(4) === '-02-29' ? '-02-28' : today.slice(4), 'expiry defaults to one year ahead');
  assert.equal(Number(expires.slice(0, 4)), Number(today.slice(0, 4)) + 1);
  await form.getByRole('button', { name: '授权' }).click();

  const granted = authRows.filter({ hasText: '城乡居民养老保险参保登记' });
  await granted.waitFor();
  const text = await granted.textContent();
  assert.match(text, /收件/);
  assert.match(text, /莫海燕/);
  assert.match(text, /有效/);
  await shot(page, 'staff.png');

  await granted.getByRole('button', { name: '撤销' }).click();
  const dialog = page.getByRole('dialog', { name: '撤销授权' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: '确定撤销' }).click();
  await page.locator('.auth-table').getByText('暂无有效授权').waitFor();
  await page.getByText('已撤销“城乡居民养老保险参保登记”的收件授权').waitFor();

  await page.getByLabel('显示已撤销的授权').check();
  await authRows.filter({ hasText: '已撤销' }).waitFor();
  await context.close();
});

test('town manager sees only the town subtree; a deactivated window breaks the minimum', { timeout: STEP_TIMEOUT }, async () => {
  const town = await loginAs('town_manager');
  await openMenu(town.page, '中心管理');
  const tree = town.page.getByRole('navigation', { name: '中心列表' });
  await tree.getByRole('button', { name: /城关镇便民服务中心/ }).waitFor();
  const names = await tree.locator('.tree-name').allTextContents();
  assert.deepEqual(names.sort(), ['东关村便民服务站', '城关镇便民服务中心', '西街社区便民服务站'].sort());
  assert.doesNotMatch(await tree.textContent(), /示范县|洛北/);
  await town.page.getByRole('heading', { level: 2, name: '城关镇便民服务中心' }).waitFor();
  await town.page.locator('.banner-ok', { hasText: '窗口配置达标' }).waitFor();
  assert.equal(await town.page.locator('.banner-warn').count(), 0);

  // The county manager deactivates one of 城关镇's five comprehensive windows.
  const manager = await loginAs('manager');
  await openMenu(manager.page, '窗口管理');
  const picker = manager.page.getByLabel('中心', { exact: true });
  await picker.selectOption(await optionValue(picker, '城关镇便民服务中心'));
  await manager.page.locator('.summary-line', { hasText: '城关镇便民服务中心' }).waitFor();
  const general = manager.page.locator('.windows-table tbody tr', { hasText: '无差别综合受理' }).first();
  const number = await general.getAttribute('data-window-no');
  await general.getByRole('button', { name: '停用' }).click();
  const dialog = manager.page.getByRole('dialog', { name: '停用窗口' });
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /可能导致窗口配置不达标/);
  await dialog.getByRole('button', { name: '确定停用' }).click();
  const stopped = manager.page.locator(`.windows-table tbody tr[data-window-no="${number}"]`);
  await stopped.getByText('已停用').waitFor();
  await stopped.getByRole('button', { name: '启用' }).waitFor();
  await manager.page.locator('.banner-warn', { hasText: '窗口配置未达标' }).waitFor();
  await manager.context.close();

  // Back in 中心管理 the town manager now sees the red warning with the problem.
  await town.page.reload();
  await town.page.getByRole('heading', { level: 2, name: '城关镇便民服务中心' }).waitFor();
  const banner = town.page.locator('.banner-warn');
  await banner.waitFor();
  assert.match(await banner.textContent(), /窗口配置未达标/);
  assert.match(await banner.textContent(), /综合受理窗口4个，至少应有5个/);
  assert.equal(await town.page.locator('.banner-ok').count(), 0);
  assert.equal((await town.page.locator('.stat-low .stat-value').textContent()).trim(), '4');
  await shot(town.page, 'centers.png');

  // Selecting a village shows its detail, without the town minimum.
  await tree.getByRole('button', { name: /东关村便民服务站/ }).click();
  await town.page.getByRole('heading', { level: 2, name: '东关村便民服务站' }).waitFor();
  assert.equal(await town.page.locator('.banner').count(), 0);
  assert.match(town.page.url(), /#\/centers\/\d+$/);
  await town.context.close();
});

test('centers: opening hours and region code are validated', { timeout: STEP_TIMEOUT }, async () => {
  const { context, page } = await loginAs('manager');
  await openMenu(page, '中心管理');
  await page.getByRole('navigation', { name: '中心列表' }).getByRole('button', { name: /西街社区便民服务站/ }).click();
  await page.getByRole('heading', { level: 2, name: '西街社区便民服务站' }).waitFor();

  const info = page.getByRole('form', { name: '基本信息' });
  await info.getByLabel('行政区划代码').fill('12345');
  await info.getByRole('button', { name: '保存基本信息' }).click();
  await info.locator('.field-error', { hasText: '6、9或12位数字' }).waitFor();
  await info.getByLabel('行政区划代码').fill('410326100202');
  await info.getByRole('button', { name: '保存基本信息' }).click();
  await info.getByText('基本信息已保存').waitFor();

  const hours = page.getByRole('form', { name: '开放时间' });
  await hours.getByLabel('星期六对外办公').check();
  await hours.getByLabel('星期六上午开始').fill('09:00');
  await hours.getByLabel('星期六上午结束').fill('08:00');
  await hours.getByRole('button', { name: '保存开放时间' }).click();
  await hours.locator('.field-error', { hasText: '时间顺序' }).waitFor();
  await hours.getByLabel('星期六上午结束').fill('12:00');
  await hours.getByRole('button', { name: '保存开放时间' }).click();
  await hours.getByText('每周 6 天对外办公').waitFor();
  const saved = await apiGet(page, page.url().replace(/.*#\/centers\/(\d+)$/, '/centers/$1/hours'));
  assert.deepEqual(saved.days.find((d) => d.weekday === 6), { weekday: 6, am_open: '09:00', am_close: '12:00', pm_open: '14:00', pm_close: '17:30' });
  await context.close();
});

test('calendar: holidays, makeup days, a local override', { timeout: STEP_TIMEOUT }, async () => {
  const { context, page } = await loginAs('manager');
  await openMenu(page, '工作日历');
  const label = page.locator('.year-label');
  await page.locator('.year-grid table.month').first().waitFor();
  for (let i = 0; i < 30 && (await label.textContent()) !== '2025年'; i++) {
    const year = Number((await label.textContent()).replace('年', ''));
    await page.getByRole('button', { name: year > 2025 ? '上一年' : '下一年' }).click();
    await page.waitForFunction((y) => document.querySelector('.year-label')?.textContent === `${y}年` && document.querySelector('td[data-date^="' + y + '-"]'), year > 2025 ? year - 1 : year + 1);
  }
  const holiday = page.locator('td[data-date="2025-01-28"]');
  await holiday.waitFor();
  assert.match(await holiday.getAttribute('class'), /\bd-holiday\b/);
  assert.match(await holiday.getAttribute('title'), /春节/);
  const makeup = page.locator('td[data-date="2025-01-26"]');
  assert.match(await makeup.getAttribute('class'), /\bd-makeup\b/);
  assert.match(await makeup.textContent(), /班/);
  assert.match(await page.locator('td[data-date="2025-01-25"]').getAttribute('class'), /\bd-weekend\b/);
  assert.match(await page.locator('td[data-date="2025-01-27"]').getAttribute('class'), /\bd-work\b/);
  const cal = await apiGet(page, '/calendar/2025?center_id=1');
  assert.equal((await page.locator('.working-days').textContent()).trim(), String(cal.working_days));
  assert.equal(await page.locator('.year-grid table.month').count(), 12);
  assert.equal(await page.locator('.banner-warn').count(), 0);
  const spring = page.locator('table.data tbody tr', { hasText: '春节' });
  assert.match(await spring.textContent(), /1月28日至2月4日（8天）/);

  // Overrides may not lie more than a year back: use a weekday two weeks ahead.
  let date = addDays(todayCST(), 14);
  while (!isWeekday(date)) date = addDays(date, 1);
  const form = page.getByRole('form', { name: '新增日历调整' });
  await form.getByLabel('日期').fill(date);
  await form.getByLabel('类型').selectOption('closed');
  await form.getByLabel('原因').fill('停电检修');
  await form.getByRole('button', { name: '保存调整' }).click();
  await label.filter({ hasText: `${date.slice(0, 4)}年` }).waitFor();
  const cell = page.locator(`td[data-date="${date}"]`);
  await page.waitForFunction((d) => document.querySelector(`td[data-date="${d}"]`)?.classList.contains('d-closed'), date);
  assert.match(await cell.textContent(), /闭厅/);
  assert.match(await cell.getAttribute('title'), /停电检修/);
  const overrideRow = page.locator(`.override-table tbody tr[data-date="${date}"]`);
  await overrideRow.waitFor();
  assert.match(await overrideRow.textContent(), /闭厅.*停电检修.*熊立新/);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(0, 0); // no hover outline on a day in the picture
  await shot(page, 'calendar.png');

  // The same date twice: the server's 409 appears at the date field.
  await form.getByLabel('日期').fill(date);
  await form.getByLabel('原因').fill('重复设置');
  await form.getByRole('button', { name: '保存调整' }).click();
  await form.locator('.field-error', { hasText: '已有本中心的日历调整' }).waitFor();

  await overrideRow.getByRole('button', { name: '删除' }).click();
  const dialog = page.getByRole('dialog', { name: '删除日历调整' });
  await dialog.getByRole('button', { name: '确定删除' }).click();
  await page.locator('.override-table').getByText('本年度没有本中心的日历调整').waitFor();
  assert.doesNotMatch(await cell.getAttribute('class'), /d-closed/);

  // A year without national data says so.
  await page.goto(server.base + '/app.html#/calendar/2035');
  await page.locator('.banner-warn', { hasText: '该年度尚未导入国家节假日数据' }).waitFor();
  await context.close();
});

test('calendar on a phone: one month a row, no sideways scrolling', { timeout: STEP_TIMEOUT }, async () => {
  const { context, page } = await loginAs('manager', PHONE);
  await page.goto(server.base + '/app.html#/calendar/2025');
  await page.locator('td[data-date="2025-01-28"]').waitFor();
  const months = page.locator('.year-grid table.month');
  const [first, second] = [await months.nth(0).boundingBox(), await months.nth(1).boundingBox()];
  assert.ok(second.y > first.y + first.height - 1, 'months stack vertically');
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= PHONE.width, `no sideways scrolling (${scrollWidth}px)`);
  await shot(page, 'calendar-phone.png');
  await context.close();
});

test('admin imports holiday data; problems are listed', { timeout: STEP_TIMEOUT }, async () => {
  const { context, page } = await loginAs('admin');
  await openMenu(page, '工作日历');
  const form = page.getByRole('form', { name: '导入节假日数据' });
  const data = form.getByLabel('节假日数据（JSON）');
  await data.fill('[{"year": 2031, "days": [{"name": "春节", "date": "2031-02-30", "isOffDay": true}, {"name": "", "date": "2031-05-01", "isOffDay": true}]}]');
  await form.getByRole('button', { name: '导入' }).click();
  const problems = form.locator('table.problems-table tbody tr');
  await problems.first().waitFor();
  assert.equal(await problems.count(), 2);
  assert.match(await problems.nth(0).textContent(), /2031-02-30.*DATE_MALFORMED/);
  await form.getByText('未导入任何内容').waitFor();

  await data.fill('[{"year": 2031, "days": [{"name": "元旦", "date": "2031-01-01", "isOffDay": true}]}]');
  await form.getByRole('button', { name: '导入' }).click();
  await form.getByText('已导入 1 个年度的节假日数据').waitFor();
  assert.equal(await problems.count(), 0);
  await page.goto(server.base + '/app.html#/calendar/2031');
  const newYear = page.locator('td[data-date="2031-01-01"]');
  await newYear.waitFor();
  assert.match(await newYear.getAttribute('class'), /\bd-holiday\b/);
  assert.equal(await page.locator('.banner-warn').count(), 0);
  await context.close();
});

test('clerk finds a person by ID number and reveals the full number', { timeout: STEP_TIMEOUT }, async () => {
  const { context, page } = await loginAs('clerk');
  const menu = page.getByRole('navigation', { name: '主菜单' });
  assert.equal(await menu.getByRole('link', { name: '中心管理' }).count(), 0);
  await openMenu(page, '群众档案');
  await page.locator('.people-table tbody tr').first().waitFor();
  await page.getByLabel('证件号码或手机号').fill(PERSON_ID);
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await page.getByRole('heading', { level: 2, name: /查询结果/ }).waitFor();
  const rows = page.locator('.people-table tbody tr');
  assert.equal(await rows.count(), 1);
  const text = await rows.first().textContent();
  assert.match(text, /刘晓明/);
  assert.ok(text.includes('410***********1238'), text);
  assert.ok(!text.includes(PERSON_ID), 'the list shows the masked number');
  await shot(page, 'people.png');

  await rows.first().getByRole('link', { name: /查看/ }).click();
  await page.getByRole('heading', { level: 2, name: '刘晓明' }).waitFor();
  const ident = page.locator('[data-field="ident"]');
  assert.equal((await ident.textContent()).trim(), '410***********1238');
  await page.getByRole('button', { name: '查看完整号码' }).click();
  const dialog = page.getByRole('dialog', { name: '查看完整号码' });
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /此操作将记入操作日志/);
  await dialog.getByRole('button', { name: '确认查看' }).click();
  await page.locator('[data-field="ident"]', { hasText: PERSON_ID }).waitFor();
  assert.match(await page.locator('[data-field="mobile"]').textContent(), /^1\d{10}$/);
  await page.getByRole('button', { name: '隐藏完整号码' }).click();
  await page.locator('[data-field="ident"]', { hasText: '410***********1238' }).waitFor();

  // A wrong check character: the server's rule is shown at the field.
  await page.getByRole('link', { name: '← 返回群众档案' }).click();
  await page.getByRole('button', { name: '新建档案' }).click();
  const form = page.getByRole('form', { name: '新建档案' });
  await form.getByLabel('类型').selectOption('citizen');
  await form.getByLabel('姓名').fill('张建国');
  await form.getByLabel('身份证号').fill('410326198503121239');
  await form.getByRole('button', { name: '保存' }).click();
  await form.locator('.field-error', { hasText: '校验位' }).waitFor();
  assert.equal(await form.getByLabel('身份证号').getAttribute('aria-invalid'), 'true');
  await context.close();
});

test('no script errors or CSP violations', () => {
  assert.deepEqual(pageProblems, []);
});
