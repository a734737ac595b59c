// Browser test of the catalog manager screens (事项目录, 事项编辑, 版本对比,
// 待审核, 动态调整) against `yichuang demo`. The test seeds its own item
// through POST /api/v1/catalog/import (as admin), then, as the center
// manager: opens the item, starts a new version, changes the promised limit
// and a step's share, gets the server's validation error (shares do not add
// up) next to the steps, fixes it, saves, submits, is sent back once, submits
// again, approves and publishes, and checks the version history and the diff.
// Then: nested problems (a situation option, a new material) land on their
// own fields and the JSON tab reads back into the form; the department's
// chief writes and submits a version but cannot approve it; the adjustments
// page flags an overdue change and moves it to reported and done.
// Run: node --test tests/browser/catalog.test.mjs
//
// Environment: YICHUANG_BIN (default build/debug/yichuang),
// CHROMIUM_PATH (default /usr/bin/chromium).
// Screenshots go to docs/screenshots/catalog-*.png.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watch, shot, login, openMenu, DESKTOP } from './lib.mjs';
import { CODE, ITEM, CATALOG } from './catalog-fixture.mjs';

const PASSWORD = 'Demo2026yc';
const STEP_TIMEOUT = 120_000;

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

async function loginAs(username) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  watch(page, pageProblems);
  await page.goto(server.base + '/');
  await login(page, username, PASSWORD);
  await page.waitForURL(/\/app\.html/);
  await page.getByRole('heading', { level: 1, name: '首页' }).waitFor();
  return { context, page };
}

/** Call the API with the page's session (and its CSRF token for writes). */
function api(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = await (await fetch('/api/v1/session', { credentials: 'same-origin' })).json();
      const res = await fetch('/api/v1' + path, {
        method,
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    { method, path, body },
  );
}

/** Confirm the open dialog with its confirm button. */
async function confirmDialog(page, name) {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** Wait for a success message of the screen. */
function success(page, text) {
  return page.locator('.msg-success', { hasText: text }).waitFor();
}

function versionRow(page, n) {
  return page.locator(`table.versions tr[data-version="${n}"]`);
}

test('admin seeds an item through the import API', { timeout: STEP_TIMEOUT }, async () => {
  const { context, page } = await loginAs('admin');
  const res = await api(page, 'POST', '/catalog/import', CATALOG);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const item = await api(page, 'GET', `/catalog/items/${CODE}`);
  assert.equal(item.status, 200);
  assert.equal(item.body.versions.find((v) => v.status === 'published')?.version, 1);
  await context.close();
});

test('manager edits, fixes, submits, approves and publishes a new version; sees the diff', { timeout: STEP_TIMEOUT }, async () => {
  const { context, page } = await loginAs('manager');

  // The list: search by code, open the item.
  await openMenu(page, '事项目录');
  await page.locator('#catalog-q').fill(CODE);
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByRole('link', { name: ITEM.name }).click();
  await page.getByRole('heading', { level: 1, name: '事项详情' }).waitFor();
  await page.getByRole('heading', { level: 2, name: ITEM.name }).waitFor();
  assert.match(await versionRow(page, 1).innerText(), /已发布/);

  // A new version based on the published one.
  await page.getByRole('link', { name: '新建版本（基于第 1 版）' }).click();
  await page.getByRole('heading', { level: 1, name: '事项编辑' }).waitFor();
  const sum = page.locator('.share-sum');
  assert.match(await sum.innerText(), /合计 10个工作日，与承诺时限一致/);

  // Promised limit 10 → 8 and the review step 7 → 6: the shares add up to 9.
  await page.locator('[data-path="promised_limit.value"]').fill('8');
  await page.locator('[data-path="steps[1].share"]').fill('6');
  assert.match(await sum.innerText(), /合计 9个工作日，承诺时限为 8个工作日/);
  assert.match((await sum.getAttribute('class')) || '', /share-bad/);

  // The server refuses the draft; the problem shows next to the steps and in the list.
  await page.getByRole('button', { name: '保存草稿' }).click();
  const problems = page.locator('.problems');
  await problems.waitFor();
  assert.match(await problems.innerText(), /各环节时限之和（9）应等于承诺时限（8）/);
  const stepsNote = page.locator('[data-path="steps"] .field-error').first();
  assert.match(await stepsNote.innerText(), /办理环节：各环节时限之和（9）应等于承诺时限（8）/);
  await page.locator('[data-path="steps"]').scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -260));
  await shot(page, 'catalog-editor.png');

  // Fix it: the review step takes 5 days; the sum matches and the draft saves.
  await page.locator('[data-path="steps[1].share"]').fill('5');
  assert.match(await sum.innerText(), /合计 8个工作日，与承诺时限一致/);
  await page.getByRole('button', { name: '保存草稿' }).click();
  await success(page, '已保存为第 2 版草稿');
  await page.getByText('编辑第 2 版（草稿）').waitFor();
  assert.equal(await page.locator('.problems').isVisible(), false);

  // The JSON tab shows the same document.
  await page.getByRole('tab', { name: 'JSON' }).click();
  const json = JSON.parse(await page.locator('#editor-json').inputValue());
  assert.equal(json.promised_limit.value, 8);
  assert.equal(json.steps[1].share, 5);
  await page.getByRole('tab', { name: '表单' }).click();
  assert.equal(await page.locator('[data-path="steps[1].share"]').inputValue(), '5');

  // Submit; the manager sends it back once with a note; submit again.
  await page.getByRole('link', { name: '返回事项' }).click();
  await page.getByRole('heading', { level: 1, name: '事项详情' }).waitFor();
  assert.match(await versionRow(page, 2).innerText(), /草稿/);
  await versionRow(page, 2).getByRole('button', { name: '提交审核' }).click();
  await confirmDialog(page, '确定提交');
  await success(page, '已提交第 2 版，等待中心审核');
  assert.match(await versionRow(page, 2).innerText(), /已提交/);

  await versionRow(page, 2).getByRole('button', { name: '退回' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确定退回' }).click();
  await page.getByRole('dialog').getByText('请填写退回原因').waitFor();
  await page.getByRole('dialog').getByLabel('退回原因').fill('请核对审查环节的时限');
  await confirmDialog(page, '确定退回');
  await success(page, '已退回第 2 版');
  assert.match(await versionRow(page, 2).innerText(), /草稿[\s\S]*请核对审查环节的时限/);
  await versionRow(page, 2).getByRole('button', { name: '提交审核' }).click();
  await confirmDialog(page, '确定提交');
  await success(page, '已提交第 2 版，等待中心审核');

  // The review queue lists it.
  await openMenu(page, '待审核');
  const queueRow = page.locator('table.data tbody tr', { hasText: CODE });
  await queueRow.waitFor();
  assert.match(await queueRow.innerText(), /第 2 版[\s\S]*已提交/);
  await shot(page, 'catalog-review.png');
  await queueRow.getByRole('link', { name: '查看并审核' }).click();
  await page.getByRole('heading', { level: 1, name: '事项详情' }).waitFor();

  // The diff between the published version 1 and version 2.
  const diff = page.locator('table.diff');
  await diff.waitFor();
  assert.match(await diff.locator('tr[data-path="promised_limit.value"]').innerText(), /修改\s+10\s+8/);
  assert.match(await diff.locator('tr[data-path="steps[1].share"]').innerText(), /修改\s+7\s+5/);
  assert.equal(await diff.locator('tbody tr').count(), 2, 'only the two edited fields differ');

  // Approve, then publish.
  await versionRow(page, 2).getByRole('button', { name: '审核通过' }).click();
  await confirmDialog(page, '确定通过');
  await success(page, '第 2 版已审核通过');
  assert.match(await versionRow(page, 2).innerText(), /已审核/);
  await versionRow(page, 2).getByRole('button', { name: '发布' }).click();
  await confirmDialog(page, '确定发布');
  await success(page, '第 2 版已发布');
  assert.match(await versionRow(page, 2).innerText(), /已发布/);
  assert.match(await versionRow(page, 1).innerText(), /已停用/);

  // Compare the other way round too: version 2 → version 1.
  await page.locator('#diff-a').selectOption('2');
  await page.locator('#diff-b').selectOption('1');
  await page.getByRole('button', { name: '比较' }).click();
  await page.getByText('第 2 版 → 第 1 版').waitFor();
  assert.match(await page.locator('table.diff tr[data-path="promised_limit.value"]').innerText(), /修改\s+8\s+10/);
  await page.locator('#diff-a').selectOption('1');
  await page.locator('#diff-b').selectOption('2');
  await page.getByRole('button', { name: '比较' }).click();
  await page.getByText('第 1 版 → 第 2 版').waitFor();
  assert.match(await page.locator('table.diff tr[data-path="promised_limit.value"]').innerText(), /修改\s+10\s+8/);
  await page.locator('#diff-title').scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -420));
  await shot(page, 'catalog-diff.png');

  // The server kept exactly the edited document.
  const v2 = await api(page, 'GET', `/catalog/items/${CODE}/versions/2`);
  assert.equal(v2.body.status, 'published');
  assert.deepEqual(v2.body.document, { ...ITEM, promised_limit: { value: 8, unit: 'working_day' }, steps: ITEM.steps.map((s, i) => (i === 1 ? { ...s, share: 5 } : s)) });

  // The list shows the new published version; the 统计 card is there.
  await openMenu(page, '事项目录');
  await page.getByRole('heading', { level: 2, name: '统计' }).waitFor();
  await page.getByText('综合窗口可受理事项占比').waitFor();
  await page.getByText('免提交材料占比').waitFor();
  await page.locator('table.data tbody tr a').first().waitFor();
  await shot(page, 'catalog-list.png');
  await page.locator('#catalog-q').fill(CODE);
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByText('共 1 个事项').waitFor();
  const listRow = page.locator('table.data tbody tr', { hasText: CODE });
  assert.match(await listRow.innerText(), /第 2 版[\s\S]*第 2 版[\s\S]*已发布/);
  await context.close();
});

test('editor: nested problems land on their fields; the JSON tab reads back into the form', { timeout: STEP_TIMEOUT }, async () => {
  const { context, page } = await loginAs('manager');
  await page.goto(`${server.base}/app.html#/catalog-edit/${CODE}/from/2`);
  await page.getByRole('heading', { level: 1, name: '事项编辑' }).waitFor();

  // A situation option pointing at a question that does not exist, and a new
  // material whose key breaks the format rule.
  await page.locator('[data-path="situations.questions[0].options[1].next"]').fill('q9');
  await page.getByRole('button', { name: '添加材料' }).click();
  await page.locator('[data-path="materials[3].key"]').fill('Bad Key');
  await page.locator('[data-path="materials[3].name"]').fill('补充材料');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await page.locator('.problems').waitFor();
  const noteOf = (path) => page.locator(`[data-path="${path}"] + .field-error`);
  assert.match(await noteOf('situations.questions[0].options[1].next').innerText(), /下一问题“q9”不存在/);
  assert.match(await noteOf('materials[3].key').innerText(), /材料编号只能包含小写字母、数字和下划线/);
  assert.match(await page.locator('.problems').innerText(), /情形 › 第1个问题 › 第2个选项 › 下一问题：下一问题“q9”不存在/);
  assert.equal(await page.locator('[data-path="situations.questions[0].options[1].next"]').getAttribute('aria-invalid'), 'true');

  // The JSON tab: broken JSON is refused, a valid edit shows up in the form.
  await page.getByRole('tab', { name: 'JSON' }).click();
  const text = page.locator('#editor-json');
  const doc = JSON.parse(await text.inputValue());
  assert.equal(doc.materials[3].key, 'Bad Key');
  await text.fill('{"name": ');
  await page.getByRole('tab', { name: '表单' }).click();
  await page.locator('.msg-error', { hasText: 'JSON 格式有误' }).waitFor();
  assert.equal(await page.getByRole('tab', { name: 'JSON' }).getAttribute('aria-selected'), 'true');
  doc.name = '测试用灵活就业人员社保登记（修订）';
  doc.materials.pop();
  delete doc.situations.questions[0].options[1].next;
  await text.fill(JSON.stringify(doc, null, 2));
  await page.getByRole('tab', { name: '表单' }).click();
  assert.equal(await page.locator('[data-path="name"]').inputValue(), doc.name);
  assert.equal(await page.locator('[data-path="materials[3].key"]').count(), 0);
  await context.close();
});

test('the editor leaves every demo item document exactly as it was', { timeout: 300_000 }, async () => {
  const { context, page } = await loginAs('manager');
  const list = await api(page, 'GET', '/catalog/items?limit=500');
  const codes = list.body.items.filter((it) => it.published_version && it.basic_code !== CODE).map((it) => [it.basic_code, it.published_version]);
  assert.ok(codes.length >= 60, `demo catalog has ${codes.length} published items`);
  let withSituations = 0;
  for (const [code, n] of codes) {
    const original = (await api(page, 'GET', `/catalog/items/${code}/versions/${n}`)).body.document;
    if (original.situations) withSituations++;
    await page.goto(`${server.base}/app.html#/catalog-edit/${code}/from/${n}`);
    await page.locator('.share-sum').waitFor();
    assert.match(await page.locator('.share-sum').innerText(), /与承诺时限一致/, `${code}: shares add up`);
    await page.getByRole('tab', { name: 'JSON' }).click();
    assert.deepEqual(JSON.parse(await page.locator('#editor-json').inputValue()), original, `${code}: the form changed nothing`);
  }
  assert.ok(withSituations > 0, 'some demo items have situations');
  await context.close();
});

test('department chief writes and submits a version; only the center approves', { timeout: STEP_TIMEOUT }, async () => {
  const chief = await loginAs('chief'); // chief_rep of 人社局
  const page = chief.page;
  await openMenu(page, '事项目录');
  await page.locator('#catalog-q').fill(CODE);
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByRole('link', { name: ITEM.name }).click();
  await page.getByRole('link', { name: '新建版本（基于第 2 版）' }).click();
  await page.locator('[data-path="hours"]').fill('周一至周六 上午8:30-12:00');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await success(page, '已保存为第 3 版草稿');
  await page.getByRole('link', { name: '返回事项' }).click();
  await versionRow(page, 3).getByRole('button', { name: '提交审核' }).click();
  await confirmDialog(page, '确定提交');
  await success(page, '已提交第 3 版，等待中心审核');
  assert.equal(await versionRow(page, 3).getByRole('button', { name: '审核通过' }).count(), 0);
  assert.equal(await versionRow(page, 3).getByRole('button', { name: '退回' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: '停用事项' }).count(), 0);
  await chief.context.close();

  const manager = await loginAs('manager');
  await openMenu(manager.page, '待审核');
  const row = manager.page.locator('table.data tbody tr', { hasText: CODE });
  assert.match(await row.innerText(), /第 3 版[\s\S]*已提交/);
  await row.getByRole('link', { name: '查看并审核' }).click();
  await manager.page.getByText('第 2 版 → 第 3 版').waitFor();
  assert.match(await manager.page.locator('table.diff tr[data-path="hours"]').innerText(), /修改[\s\S]*周一至周六/);
  await manager.context.close();
});

test('adjustments: an old rule is overdue and highlighted; reported, then done', { timeout: STEP_TIMEOUT }, async () => {
  const { context, page } = await loginAs('manager');
  await openMenu(page, '动态调整');
  await page.getByRole('button', { name: '登记调整' }).click();
  const form = page.getByRole('form', { name: '登记动态调整' });
  await form.getByRole('button', { name: '保存' }).click();
  await form.getByText('请填写事项编码、依据文件名称和发布日期').waitFor();
  await form.getByLabel('事项基本编码').fill(CODE);
  await form.getByLabel('调整类型').selectOption('change');
  await form.getByLabel('依据文件名称').fill('关于调整灵活就业人员参保办法的通知');
  await form.getByLabel('文件发布日期').fill('2026-01-05');
  await form.getByRole('button', { name: '保存' }).click();
  await success(page, `已登记事项 ${CODE} 的变更事项`);

  const row = page.locator('table.data tbody tr', { hasText: '关于调整灵活就业人员参保办法的通知' });
  assert.match((await row.getAttribute('class')) || '', /row-overdue/);
  assert.match(await row.innerText(), /超期 \d+ 个工作日[\s\S]*待报送[\s\S]*已超期/);
  await row.getByRole('button', { name: '标记已报送' }).click();
  await success(page, '已标记为部门已报送');
  assert.match(await row.innerText(), /已报送/);
  await row.getByRole('button', { name: '标记已发布' }).click();
  await success(page, '已标记为中心已发布');
  assert.match(await row.innerText(), /已发布/);
  assert.doesNotMatch((await row.getAttribute('class')) || '', /row-overdue/);
  await context.close();
});

test('no script errors or CSP violations on the catalog pages', () => {
  assert.deepEqual(pageProblems, []);
});
