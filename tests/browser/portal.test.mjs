// Browser test of the public portal (web/portal/, no login) against
// `yichuang demo`, whose catalog is share/demo/catalog.json: search with
// filters → an item's guide → the situation wizard → the exact checklist →
// the print view (print media emulated), on a phone (390×844) and on a
// 1920×1080 kiosk; the bundle guide; a missing item; the A4 guide page.
// Run: node --test tests/browser/portal.test.mjs
//
// Environment: YICHUANG_BIN (default build/debug/yichuang),
// CHROMIUM_PATH (default /usr/bin/chromium).
// Screenshots go to docs/screenshots/ (portal-*.png, guide-print.png; the
// phone ones end in -phone).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, watch, shot, ROOT, DESKTOP, PHONE } from './lib.mjs';

const STEP_TIMEOUT = 120_000;
const CATALOG = JSON.parse(readFileSync(path.join(ROOT, 'share', 'demo', 'catalog.json'), 'utf8'));
const FOOD = CATALOG.items.find((i) => i.basic_code === '1102000002'); // 食品经营许可
const PLAIN = CATALOG.items.find((i) => !i.situations); // an item without situations
const RESTAURANT = CATALOG.bundles.find((b) => b.code === 'YJS0001'); // 开办餐饮店

let server;
let browser;
const pageProblems = [];

before(async () => {
  assert.ok(FOOD && PLAIN && RESTAURANT, 'the demo catalog has the items this test uses');
  server = await startServer({ mode: 'demo' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(viewport) {
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
  return { context, page };
}

/** Material names of a material table on the page, in order. */
function tableNames(page, selector) {
  return page.locator(`${selector} tbody td.mname`).evaluateAll((cells) => cells.map((c) => c.firstChild.textContent.trim()));
}

/** What the server says the checklist is, asked independently of the page. */
async function serverChecklist(page, code, answers) {
  return page.evaluate(
    async ([c, a]) => {
      const res = await fetch(`/api/v1/public/items/${c}/checklist`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ answers: a }),
      });
      return { status: res.status, body: await res.json() };
    },
    [code, answers],
  );
}

/** Is the element shown (rendered with a box)? Works under print emulation too. */
function shown(locator) {
  return locator.evaluate((el) => {
    const s = getComputedStyle(el);
    return s.display !== 'none' && s.visibility !== 'hidden' && el.getClientRects().length > 0;
  });
}

for (const [name, viewport] of [
  ['kiosk', DESKTOP],
  ['phone', PHONE],
]) {
  const suffix = name === 'phone' ? '-phone' : '';

  test(`${name}: search → guide → wizard → checklist → print`, { timeout: STEP_TIMEOUT }, async () => {
    const { context, page } = await open(viewport);

    // /portal (no slash) lands on the search page.
    await page.goto(server.base + '/portal');
    assert.match(page.url(), /\/portal\/$/);
    await page.getByRole('heading', { level: 1, name: '您要办什么事？' }).waitFor();

    // Filters come from the facets.
    const dept = page.getByLabel('实施部门');
    await dept.locator('option', { hasText: '县市场监督管理局' }).waitFor({ state: 'attached' });
    assert.ok((await page.getByLabel('领域').locator('option').count()) >= 7, 'six domains and 全部');

    // A colloquial query finds the item and the bundle by their aliases.
    await page.getByRole('searchbox', { name: '搜索事项' }).fill('开饭店');
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    const results = page.getByRole('list', { name: '搜索结果' });
    await results.getByRole('link', { name: /食品经营许可/ }).waitFor();
    await results.getByRole('link', { name: /开办餐饮店/ }).waitFor();
    assert.match(await page.locator('#status').textContent(), /找到 \d+ 项与“开饭店”相关的事项/);
    assert.match(page.url(), /\?q=%E5%BC%80%E9%A5%AD%E5%BA%97$/, 'the query is in the address');
    await shot(page, `portal-search${suffix}.png`);

    // A filter narrows the list: every result is of that domain.
    await page.getByRole('searchbox', { name: '搜索事项' }).fill('');
    await page.getByLabel('领域').selectOption('社保医保');
    await page.locator('#status').filter({ hasText: /找到 \d+ 项事项/ }).waitFor();
    const metas = await page.locator('.p-result-meta').allTextContents();
    assert.ok(metas.length > 0);
    for (const m of metas) assert.match(m, /社保医保/);
    await page.getByRole('button', { name: '清除条件' }).click();
    await page.locator('#status').filter({ hasText: '请输入要办的事' }).waitFor();

    // Open the item's guide from the results.
    await page.getByRole('searchbox', { name: '搜索事项' }).fill('食品经营');
    await page.getByRole('searchbox', { name: '搜索事项' }).press('Enter');
    await results.getByRole('link', { name: /食品经营许可/ }).first().click();
    await page.waitForURL(/\/portal\/item\.html\?code=1102000002$/);
    await page.getByRole('heading', { level: 1, name: '食品经营许可' }).waitFor();
    for (const title of ['按情形生成材料清单', '申请材料（全部）', '受理条件', '办理流程', '办理时限和收费', '办理地点、时间和电话', '常见问题', '事项基本信息', '设定依据']) {
      await page.getByRole('heading', { level: 2, name: title }).waitFor();
    }
    // Every material of the item is in the full list, 免提交 ones marked.
    assert.deepEqual(
      await tableNames(page, '.guide-view #materials'),
      FOOD.materials.map((m) => m.name),
    );
    const freeRows = page.locator('.guide-view #materials tr.no-submit');
    assert.equal(await freeRows.count(), FOOD.materials.filter((m) => m.source === 'government').length);
    await freeRows.first().getByText('免提交').waitFor();
    assert.match(await page.locator('#steps tfoot').textContent(), new RegExp(`${FOOD.promised_limit.value}个工作日`));
    // "返回搜索" goes back to the last search.
    assert.match(await page.getByRole('link', { name: '返回搜索' }).getAttribute('href'), /\/portal\/\?q=/);
    await shot(page, `portal-guide${suffix}.png`);

    // The wizard: follow `next` from the start question.
    await page.getByRole('link', { name: '回答问题，生成材料清单' }).click();
    const wizard = page.locator('#wizard');
    await wizard.getByRole('heading', { name: '首次申请还是变更、延续？' }).waitFor();
    await wizard.getByRole('button', { name: '首次申请', exact: true }).click();
    await wizard.getByRole('heading', { name: '经营项目是否包括热食类或冷食类食品制售？' }).waitFor();
    assert.match(await wizard.locator('.answers').textContent(), /首次申请还是变更、延续？\s*首次申请/);
    await wizard.getByRole('button', { name: /包括热食、冷食类制售/ }).click();
    await wizard.getByRole('heading', { name: '是否委托他人代为办理？' }).waitFor();
    await wizard.scrollIntoViewIfNeeded();
    await shot(page, `portal-wizard${suffix}.png`);

    // 上一步 goes back one question; answering again moves on.
    await wizard.getByRole('button', { name: '上一步' }).click();
    await wizard.getByRole('heading', { name: '经营项目是否包括热食类或冷食类食品制售？' }).waitFor();
    await wizard.getByRole('button', { name: /包括热食、冷食类制售/ }).click();
    await wizard.getByRole('button', { name: '委托代理人办理' }).click();

    // The checklist is exactly what the server computes for these answers.
    const checklist = page.locator('#checklist');
    await checklist.getByRole('heading', { name: '您需要准备的材料' }).waitFor();
    const answers = { apply: 'new', scope: 'hot', agent: 'agent' };
    const expected = await serverChecklist(page, '1102000002', answers);
    assert.equal(expected.status, 200);
    const names = await tableNames(page, '#checklist');
    assert.deepEqual(
      names,
      expected.body.materials.map((m) => m.name),
    );
    for (const n of ['加工操作流程及功能间布局', '授权委托书', '代理人居民身份证', '经营场所平面布局图']) assert.ok(names.includes(n), n);
    for (const n of ['变更情况说明', '食品经营许可延续申请书']) assert.ok(!names.includes(n), n);
    assert.match(await checklist.locator('.checklist-summary').textContent(), new RegExp(`共 ${names.length} 项材料，其中 2 项免提交`));
    await checklist.scrollIntoViewIfNeeded();
    await shot(page, `portal-checklist${suffix}.png`);

    // Changing the first answer recomputes the checklist.
    await wizard.locator('.answers li').first().getByRole('button', { name: '修改' }).click();
    assert.equal(await checklist.isHidden(), true, 'the old checklist is gone');
    await wizard.getByRole('button', { name: '延续（到期换证）' }).click();
    await wizard.getByRole('button', { name: '本人办理' }).click();
    await checklist.getByRole('heading', { name: '您需要准备的材料' }).waitFor();
    const renewal = await tableNames(page, '#checklist');
    const expectedRenewal = await serverChecklist(page, '1102000002', { apply: 'renew', agent: 'self' });
    assert.deepEqual(
      renewal,
      expectedRenewal.body.materials.map((m) => m.name),
    );
    assert.ok(renewal.includes('食品经营许可延续申请书'));
    assert.ok(!renewal.includes('经营场所平面布局图'));

    // Print view: only the item's title and the checklist, as a table with
    // its header even on a phone; no buttons, no site bar, no guide.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await shown(page.locator('.p-topbar')), false, 'site bar hidden in print');
    assert.equal(await shown(page.locator('.guide-view')), false, 'guide hidden when a checklist is printed');
    assert.equal(await shown(wizard), false, 'wizard hidden in print');
    assert.equal(await shown(page.locator('#print-checklist')), false, 'print button hidden in print');
    assert.equal(await shown(page.getByRole('heading', { level: 1, name: '食品经营许可' })), true);
    assert.equal(await shown(checklist.locator('thead')), true, 'table header printed');
    assert.equal(await checklist.locator('tbody tr').count(), renewal.length);
    const printWidth = await checklist.locator('table').evaluate((t) => t.getBoundingClientRect().right - window.innerWidth);
    assert.ok(printWidth <= 1, `printed checklist wider than the paper by ${printWidth}px`);
    await page.screenshot({ path: path.join(ROOT, 'docs', 'screenshots', `portal-print${suffix}.png`), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    assert.equal(await shown(page.locator('.p-topbar')), true);

    // Without a checklist the guide itself prints.
    await wizard.getByRole('button', { name: '重新选择情形' }).click();
    await page.emulateMedia({ media: 'print' });
    assert.equal(await shown(page.locator('.guide-view')), true, 'guide printed when there is no checklist');
    await page.emulateMedia({ media: 'screen' });

    // Large touch targets: every option and button at least 44px high.
    const heights = await page.locator('.p-option, .p-btn:not(.p-btn-small)').evaluateAll((els) => els.filter((e) => e.getClientRects().length).map((e) => e.getBoundingClientRect().height));
    assert.ok(heights.length > 0);
    for (const hgt of heights) assert.ok(hgt >= 44, `touch target ${hgt}px`);
    // Nothing wider than the screen on a phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page wider than the viewport by ${overflow}px`);
    await context.close();
  });
}

test('an item without situations lists every material', { timeout: STEP_TIMEOUT }, async () => {
  const { context, page } = await open(PHONE);
  await page.goto(`${server.base}/portal/item.html?code=${PLAIN.basic_code}`);
  await page.getByRole('heading', { level: 1, name: PLAIN.name }).waitFor();
  await page.getByText('本事项不区分情形').waitFor();
  await page.getByRole('button', { name: '生成我的材料清单' }).click();
  await page.locator('#checklist').getByRole('heading', { name: '您需要准备的材料' }).waitFor();
  assert.deepEqual(
    await tableNames(page, '#checklist'),
    PLAIN.materials.map((m) => m.name),
  );
  await context.close();
});

test('bundle guide: members, one form, combined checklist without duplicates', { timeout: STEP_TIMEOUT }, async () => {
  const { context, page } = await open(DESKTOP);
  await page.goto(`${server.base}/portal/?q=${encodeURIComponent('开饭店')}`);
  await page.getByRole('list', { name: '搜索结果' }).getByRole('link', { name: /开办餐饮店/ }).click();
  await page.waitForURL(/\/portal\/bundle\.html\?code=YJS0001$/);
  await page.getByRole('heading', { level: 1, name: RESTAURANT.name }).waitFor();
  const members = CATALOG.items.filter((i) => RESTAURANT.items.includes(i.basic_code));
  const links = page.locator('#members .member-name');
  assert.equal(await links.count(), RESTAURANT.items.length);
  for (const m of members) await page.locator('#members').getByRole('link', { name: m.name, exact: true }).waitFor();
  assert.equal(await page.locator('#form tbody tr').count(), RESTAURANT.form_fields.length);
  const names = await tableNames(page, '#checklist');
  const unique = [...new Set(RESTAURANT.items.flatMap((c) => members.find((m) => m.basic_code === c).materials.map((x) => x.name)))];
  assert.deepEqual(names, unique);
  assert.equal(names.filter((n) => n === '营业执照').length, 1);
  assert.match(await page.locator('#basic').textContent(), new RegExp(RESTAURANT.co_departments[0]));
  await shot(page, 'portal-bundle.png');
  // A member links to its own guide.
  await page.locator('#members').getByRole('link', { name: '食品经营许可', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '食品经营许可' }).waitFor();
  await context.close();
});

test('an unknown item shows a message, not a broken page', { timeout: STEP_TIMEOUT }, async () => {
  const { context, page } = await open(PHONE);
  await page.goto(`${server.base}/portal/item.html?code=999999999999`);
  await page.getByRole('alert').filter({ hasText: '没有找到这个事项' }).waitFor();
  await page.getByRole('link', { name: '返回事项搜索' }).waitFor();
  await context.close();
});

for (const [name, viewport] of [
  ['kiosk', DESKTOP],
  ['phone', PHONE],
]) {
  test(`${name}: the A4 guide, its blank form and sample (service/guide.c)`, { timeout: STEP_TIMEOUT }, async () => {
    const { context, page } = await open(viewport);
    // From the portal's guide view to the server-rendered A4 guide.
    await page.goto(`${server.base}/portal/item.html?code=1102000002`);
    await page.getByRole('link', { name: '打印版指南' }).click();
    await page.waitForURL(/\/guide\/items\/1102000002\/print$/);
    await page.getByRole('heading', { level: 1, name: '食品经营许可' }).waitFor();
    for (const title of ['事项基本信息', '受理条件', '设定依据', '申请材料', '办理情形', '办理流程', '收费标准', '办理时限', '办理地点和时间', '咨询和投诉电话', '常见问题']) {
      await page.getByRole('heading', { level: 2, name: new RegExp(`、${title}$`) }).waitFor();
    }
    assert.match(await page.locator('.g-footer').textContent(), /第 \d+ 版 · 发布日期 \d{4}-\d{2}-\d{2}/);
    await shot(page, `guide-print${name === 'phone' ? '-phone' : ''}.png`);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await shown(page.locator('.g-print-hint')), false, 'screen hint not printed');
    assert.equal(await shown(page.locator('#materials thead')), true, 'material table header printed');
    await page.emulateMedia({ media: 'screen' });

    // The web page links the blank form and the sample of a material.
    await page.getByRole('link', { name: '返回网页版' }).click();
    await page.waitForURL(/\/guide\/items\/1102000002$/);
    await page.locator('#materials a', { hasText: '空白表格' }).first().click();
    await page.waitForURL(/\/guide\/items\/1102000002\/forms\/\w+$/);
    await page.getByText('申请人姓名').first().waitFor();
    assert.equal(await page.locator('.f-stamp').count(), 0, 'a blank form is not marked 样表');
    await page.goBack();
    await page.locator('#materials a', { hasText: '示例样表' }).first().click();
    await page.waitForURL(/\/guide\/items\/1102000002\/samples\/\w+$/);
    await page.locator('.f-stamp', { hasText: '样表' }).waitFor();
    if (name === 'kiosk') await shot(page, 'guide-sample.png');
    await context.close();
  });
}

test('kiosk mode: an idle screen returns to the empty search page', { timeout: STEP_TIMEOUT }, async () => {
  const { context, page } = await open(DESKTOP);
  await page.goto(`${server.base}/portal/?kiosk=1&idle=20`);
  await page.getByRole('searchbox', { name: '搜索事项' }).fill('开饭店');
  await page.getByRole('button', { name: '搜索', exact: true }).click();
  await page.getByRole('list', { name: '搜索结果' }).getByRole('link', { name: /食品经营许可/ }).click();
  await page.waitForURL(/item\.html/);
  await page.locator('#wizard').getByRole('button', { name: '首次申请', exact: true }).click();
  // Still there while in use...
  await page.waitForTimeout(10_000);
  await page.mouse.wheel(0, 200);
  await page.waitForTimeout(12_000);
  assert.match(page.url(), /item\.html/, 'activity restarts the idle timer');
  // ...and back to an empty search page after 20 s without a touch.
  await page.waitForURL(/\/portal\/$/, { timeout: 15_000 });
  await page.getByRole('heading', { level: 1, name: '您要办什么事？' }).waitFor();
  assert.equal(await page.getByRole('searchbox', { name: '搜索事项' }).inputValue(), '');
  assert.equal(await page.locator('.p-result').count(), 0);
  // The guide's 返回搜索 no longer leads to the previous visitor's search.
  await page.goto(`${server.base}/portal/item.html?code=1102000002`);
  assert.equal(await page.getByRole('link', { name: '返回搜索' }).getAttribute('href'), '/portal/');
  await context.close();
});

test('no script errors or CSP violations on any page', () => {
  assert.deepEqual(pageProblems, []);
});
