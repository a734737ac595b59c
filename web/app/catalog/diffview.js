// The 版本对比 panel of an item: pick two versions, fetch both documents and
// show the field-by-field difference (diff.js) as a table of added, removed
// and changed lines.

import * as api from '../api.js';
import { h, messageBox, replaceChildren } from '../dom.js';
import { diffDocs } from './diff.js';
import { describePath, statusName } from './labels.js';
import { versionPath } from './common.js';

const KIND_NAMES = { added: '新增', removed: '删除', changed: '修改' };

/** A diff table for two documents (exported for reuse). */
export function diffTable(a, b) {
  const lines = diffDocs(a, b);
  if (lines.length === 0) return h('p', { class: 'msg', role: 'status' }, '两个版本的内容完全相同。');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data diff' },
      h('thead', null, h('tr', null, ['字段', '变化', '旧值', '新值'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        null,
        lines.map((l) =>
          h(
            'tr',
            { class: `diff-${l.kind}`, 'data-path': l.path },
            h('td', { class: 'wrap' }, describePath(l.path), h('span', { class: 'diff-path mono' }, l.path)),
            h('td', null, h('span', { class: `badge diff-badge diff-badge-${l.kind}` }, KIND_NAMES[l.kind])),
            h('td', { class: 'wrap diff-old' }, l.before),
            h('td', { class: 'wrap diff-new' }, l.after),
          ),
        ),
      ),
    ),
  );
}

/**
 * The comparison panel. versions: the item's version rows (newest last or
 * first, any order); a, b: the versions compared at first.
 */
export function diffPanel(code, versions, a, b) {
  const box = messageBox();
  const result = h('div', { class: 'diff-result' });
  const nums = [...versions].map((v) => v.version).sort((x, y) => x - y);
  const option = (n) => h('option', { value: n }, `第 ${n} 版（${statusName(versions.find((v) => v.version === n)?.status)}）`);
  const selA = h('select', { id: 'diff-a', 'aria-label': '旧版本' }, nums.map(option));
  const selB = h('select', { id: 'diff-b', 'aria-label': '新版本' }, nums.map(option));
  selA.value = String(a);
  selB.value = String(b);
  const cache = new Map();
  const docOf = async (n) => {
    if (!cache.has(n)) cache.set(n, (await api.get(versionPath(code, n))).document);
    return cache.get(n);
  };

  async function compare() {
    box.clear();
    try {
      const [da, db] = await Promise.all([docOf(Number(selA.value)), docOf(Number(selB.value))]);
      replaceChildren(result, h('p', { class: 'muted' }, `第 ${selA.value} 版 → 第 ${selB.value} 版`), diffTable(da, db));
    } catch (err) {
      box.show(err.message, 'error');
    }
  }

  const form = h(
    'form',
    { class: 'inline-form diff-form' },
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, '旧版本'), selA),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, '新版本'), selB),
    h('button', { type: 'submit', class: 'btn' }, '比较'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    compare();
  });
  const panel = h('section', { class: 'card', 'aria-labelledby': 'diff-title' }, h('h2', { class: 'form-title', id: 'diff-title' }, '版本对比'), form, box.el, result);
  if (nums.length > 1 && a !== b) compare();
  else result.append(h('p', { class: 'muted' }, nums.length > 1 ? '请选择两个不同的版本进行比较。' : '只有一个版本，暂无可比较的内容。'));
  return panel;
}
