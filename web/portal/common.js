// Shared pieces of the public portal (no login): calls to the public API,
// the Chinese names of catalog codes (the same table as catalog_label in
// src/core/catalog.c), and small formatting helpers. Pages are built with
// h() from the back office's dom.js, so server data is never parsed as HTML.

import { request } from '../app/api.js';
import { h } from '../app/dom.js';

/** GET a public API path; errors are thrown as ApiError like in the back office. */
export function publicGet(path, query) {
  return request('GET', '/public' + path, { query, redirectOn401: false });
}

/** POST to a public API path (no session, so no CSRF token is involved). */
export function publicPost(path, body) {
  return request('POST', '/public' + path, { body, redirectOn401: false });
}

const LABELS = {
  type: {
    '01': '行政许可',
    '02': '行政处罚',
    '03': '行政强制',
    '04': '行政征收',
    '05': '行政给付',
    '06': '行政检查',
    '07': '行政确认',
    '08': '行政奖励',
    '09': '行政裁决',
    10: '其他行政权力',
    20: '公共服务',
  },
  case_kind: { instant: '即办件', promise: '承诺件' },
  unit: { working_day: '个工作日', natural_day: '个自然日' },
  kind: { original: '原件', copy: '复印件', e_certificate: '电子证照' },
  form: { paper: '纸质', electronic: '电子' },
  requirement: { required: '必要', optional: '非必要', deferrable: '容缺' },
  source: { applicant: '申请人自备', government: '政府部门核发（免提交）' },
  cross_region: { none: '否', province: '全省通办', national: '跨省通办' },
  special: { hearing: '听证', testing: '检验检测', appraisal: '鉴定', expert_review: '专家评审', inspection: '现场勘验' },
  result: { certificate: '证照', approval: '批文', record: '备案/登记', payment: '给付', other: '其他' },
  role: { clerk: '综合窗口', reviewer: '后台审批', chief_rep: '首席代表' },
};

/** Chinese name of a code of a group; the code itself when unknown. */
export function label(group, code) {
  if (code === undefined || code === null) return '';
  return LABELS[group]?.[code] ?? String(code);
}

/** "10个工作日" from {value, unit}; 0 reads as 即办. */
export function limitText(limit) {
  if (!limit || typeof limit !== 'object') return '—';
  if (!limit.value) return '即办（当场办结）';
  return `${limit.value}${label('unit', limit.unit)}`;
}

/** Amount in fen → "10.50 元". */
export function money(fen) {
  const n = Number(fen) || 0;
  return `${Math.trunc(n / 100)}.${String(Math.abs(n % 100)).padStart(2, '0')} 元`;
}

/** The value of a query parameter of the current page. */
export function param(name) {
  return new URLSearchParams(location.search).get(name) || '';
}

/** A labelled two-column table of [caption, value] rows (empty values skipped). */
export function kvTable(rows) {
  return h(
    'table',
    { class: 'kv' },
    h(
      'tbody',
      null,
      rows.filter(([, v]) => v !== '' && v !== null && v !== undefined).map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, k), h('td', null, v))),
    ),
  );
}

/** A section with a heading; children follow. */
export function section(id, title, ...children) {
  return h('section', { class: 'p-section', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...children);
}

/** A numbered or bulleted list of strings; empty text when there are none. */
export function list(items, emptyText, ordered = true) {
  if (!items || items.length === 0) return h('p', { class: 'muted' }, emptyText);
  return h(ordered ? 'ol' : 'ul', { class: 'p-list' }, items.map((x) => h('li', null, x)));
}

/**
 * Materials as a table that turns into one card per material on a phone
 * (each cell captioned by data-label in portal.css).
 */
export function materialsTable(materials, { extra, note } = {}) {
  const headers = ['序号', '材料名称', '材料类型', '份数', '必要性', '来源', '受理标准'];
  if (extra) headers.push(extra.title);
  return h(
    'table',
    { class: 'materials' },
    h('thead', null, h('tr', null, headers.map((t) => h('th', { scope: 'col' }, t)))),
    h(
      'tbody',
      null,
      materials.map((m, i) => {
        const gov = m.source === 'government';
        return h(
          'tr',
          { class: gov ? 'no-submit' : null, 'data-key': m.key || null },
          h('td', { class: 'num' }, String(i + 1)),
          h('td', { class: 'mname' }, m.name, note ? note(m) : null),
          h('td', { 'data-label': '材料类型' }, `${label('kind', m.kind)}（${label('form', m.form)}）`),
          h('td', { 'data-label': '份数' }, `${m.count ?? 1} 份`),
          h('td', { 'data-label': '必要性' }, h('span', { class: `req req-${m.requirement}` }, label('requirement', m.requirement))),
          h('td', { 'data-label': '来源' }, gov ? [h('span', { class: 'badge-free' }, '免提交'), '政府部门核发，窗口调取电子证照'] : label('source', m.source)),
          h(
            'td',
            { 'data-label': '受理标准', class: 'wrap' },
            m.standard || '—',
            Array.isArray(m.mistakes) && m.mistakes.length ? h('span', { class: 'mistakes' }, `常见错误：${m.mistakes.join('；')}`) : null,
          ),
          extra ? h('td', { 'data-label': extra.title }, extra.cell(m)) : null,
        );
      }),
    ),
  );
}

/** Show a failure in place of a page's content. */
export function failBox(err, what) {
  const text = err?.status === 404 ? `没有找到这个${what}，可能已调整或停止办理。` : err?.message || '加载失败，请稍后重试';
  return h('div', { class: 'msg msg-error', role: 'alert' }, text, ' ', h('a', { href: '/portal/' }, '返回事项搜索'));
}
