// 事项搜索 (/portal/): one search box, four filters from
// GET /api/v1/public/facets (部门, 领域, 层级, 服务对象) and a ranked result
// list from GET /api/v1/public/search. The query and filters live in the
// page address, so a result opened and closed again comes back to the same
// list, and a kiosk can be pointed at a prepared search.

import { h, replaceChildren } from '../app/dom.js';
import { publicGet } from './common.js';

const PAGE = 20;
const EXAMPLES = ['开饭店', '养老保险', '新生儿', '二手房过户', '营业执照', '低保'];
const FILTERS = [
  ['department', 'departments', '实施部门', '全部部门'],
  ['domain', 'domains', '领域', '全部领域'],
  ['level', 'levels', '层级', '全部层级'],
  ['object', 'objects', '服务对象', '个人和企业'],
];

const form = document.getElementById('search-form');
const input = document.getElementById('q');
const filters = document.getElementById('filters');
const status = document.getElementById('status');
const results = document.getElementById('results');
const more = document.getElementById('more');
const selects = {};
let shown = 0; // results on the page
let seq = 0;

/** A facet entry may be a string or {value|name|code, label|name, count}. */
function facetOption(x) {
  if (typeof x === 'string' || typeof x === 'number') return { value: String(x), text: String(x) };
  const value = String(x.value ?? x.name ?? x.code ?? '');
  const text = String(x.label ?? x.name ?? value);
  return { value, text: x.count !== undefined ? `${text}（${x.count}）` : text };
}

function buildFilters(facets) {
  const row = [];
  for (const [key, facetKey, caption, all] of FILTERS) {
    const select = h(
      'select',
      { id: `f-${key}`, name: key, onchange: () => run(true) },
      h('option', { value: '' }, all),
      (facets?.[facetKey] || []).map(facetOption).map((o) => h('option', { value: o.value }, o.text)),
    );
    selects[key] = select;
    row.push(h('div', { class: 'p-filter' }, h('label', { for: select.id }, caption), select));
  }
  row.push(h('button', { type: 'button', class: 'p-btn p-btn-link', onclick: clearFilters }, '清除条件'));
  replaceChildren(filters, row);
}

function clearFilters() {
  for (const s of Object.values(selects)) s.value = '';
  input.value = '';
  run(true);
}

function currentQuery() {
  const q = { q: input.value.trim() };
  for (const [key] of FILTERS) q[key] = selects[key]?.value || '';
  return q;
}

function fromAddress() {
  const p = new URLSearchParams(location.search);
  input.value = p.get('q') || '';
  for (const [key] of FILTERS) {
    const s = selects[key];
    const v = p.get(key) || '';
    if (s && v) {
      if (![...s.options].some((o) => o.value === v)) s.append(h('option', { value: v }, v));
      s.value = v;
    }
  }
}

function toAddress(q) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) p.set(k, v);
  const url = p.toString() ? `?${p}` : location.pathname;
  history.replaceState(null, '', url);
  // The guide pages' "返回搜索" link comes back to this list.
  sessionStorage.setItem('portal.search', p.toString() ? `?${p}` : '');
}

function resultItem(r) {
  const bundle = r.kind === 'bundle';
  const href = bundle ? `/portal/bundle.html?code=${encodeURIComponent(r.code)}` : `/portal/item.html?code=${encodeURIComponent(r.code)}`;
  return h(
    'li',
    { class: `p-result${bundle ? ' is-bundle' : ''}` },
    h('a', { class: 'p-result-link', href }, h('span', { class: 'p-kind' }, bundle ? '一件事' : '事项'), h('span', { class: 'p-result-name' }, r.name)),
    h('p', { class: 'p-result-meta' }, [r.department, r.domain].filter(Boolean).join(' · ')),
    r.summary ? h('p', { class: 'p-result-summary' }, r.summary) : null,
  );
}

async function run(reset) {
  const q = currentQuery();
  if (reset) shown = 0;
  toAddress(q);
  const any = Object.values(q).some(Boolean);
  const mine = ++seq;
  if (!any) {
    replaceChildren(results);
    more.hidden = true;
    status.textContent = '请输入要办的事，或选择部门、领域等条件。';
    return;
  }
  if (reset) status.textContent = '正在搜索…';
  try {
    const res = await publicGet('/search', { ...q, limit: PAGE, offset: shown || undefined });
    if (mine !== seq) return; // a newer search is under way
    const list = res.results || [];
    const total = res.total ?? list.length;
    const capped = res.total_capped === true; // the server stops counting at 1000
    if (reset) replaceChildren(results);
    results.append(...list.map(resultItem));
    shown += list.length;
    const about = q.q ? `与“${q.q}”相关的` : '';
    status.textContent = shown ? `找到${capped ? `超过 ${total} ` : ` ${total} `}项${about}事项` : `没有找到${about || '符合条件的'}事项，请换个说法试试，如“开饭店”“养老保险”。`;
    more.hidden = (!capped && shown >= total) || list.length === 0;
  } catch (err) {
    if (mine !== seq) return;
    if (reset) replaceChildren(results);
    more.hidden = true;
    status.textContent = err.message || '搜索失败，请稍后重试';
  }
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  run(true);
});
more.addEventListener('click', () => run(false));

const examples = document.getElementById('examples');
for (const word of EXAMPLES) {
  examples.append(
    h(
      'button',
      {
        type: 'button',
        class: 'p-chip',
        onclick: () => {
          input.value = word;
          run(true);
        },
      },
      word,
    ),
  );
}

async function start() {
  let facets = null;
  try {
    facets = await publicGet('/facets');
  } catch {
    // Search still works without the filter lists.
  }
  buildFilters(facets);
  fromAddress();
  run(true);
}

start();
