// “一件事”办事指南 (/portal/bundle.html?code=…): a bundle from
// GET /api/v1/public/bundles/{code} with its member items: lead and
// co-departments, the member items (each linking to its own guide and
// wizard), the one merged form, the combined output and the combined
// checklist (materials of the member items, once per material name).

import { h, replaceChildren } from '../app/dom.js';
import { publicGet, label, limitText, param, kvTable, section, materialsTable, failBox } from './common.js';

const main = document.getElementById('main');
const code = param('code');
const back = document.getElementById('back');
const lastSearch = sessionStorage.getItem('portal.search');
if (lastSearch) back.href = `/portal/${lastSearch}`;

/** Materials of the member items, deduplicated by name, with the items needing each. */
function combined(bundle, items) {
  const byCode = new Map(items.map((it) => [it.basic_code, it]));
  const rows = new Map();
  for (const c of bundle.items || []) {
    const it = byCode.get(c);
    if (!it) continue;
    for (const m of it.materials || []) {
      if (!rows.has(m.name)) rows.set(m.name, { ...m, items: [] });
      rows.get(m.name).items.push(it.name);
    }
  }
  return [...rows.values()];
}

function render(bundle, items) {
  const byCode = new Map(items.map((it) => [it.basic_code, it]));
  const nameOf = (c) => byCode.get(c)?.name || c;
  const materials = combined(bundle, items);
  const free = materials.filter((m) => m.source === 'government').length;
  const guideBase = `/guide/bundles/${encodeURIComponent(bundle.code)}`;
  return [
    h(
      'header',
      { class: 'p-head' },
      h('p', { class: 'p-kicker' }, '“一件事”办事指南'),
      h('h1', null, bundle.name),
      h('p', { class: 'p-head-meta' }, `主题：${bundle.theme} · 牵头部门：${bundle.lead_department}`),
      h(
        'dl',
        { class: 'facts' },
        h('div', null, h('dt', null, '承诺时限'), h('dd', null, limitText(bundle.promised_limit))),
        h('div', null, h('dt', null, '包含事项'), h('dd', null, `${(bundle.items || []).length} 项`)),
        h('div', null, h('dt', null, '材料'), h('dd', null, `${materials.length} 项`)),
        h('div', null, h('dt', null, '免提交'), h('dd', null, `${free} 项`)),
      ),
      h(
        'div',
        { class: 'p-actions no-print' },
        h('button', { type: 'button', class: 'p-btn p-btn-primary', id: 'print-bundle', onclick: () => window.print() }, '打印本页'),
        h('a', { class: 'p-btn', href: `${guideBase}/print` }, '打印版指南'),
      ),
    ),
    section(
      'basic',
      '一件事基本信息',
      kvTable([
        ['牵头部门', bundle.lead_department],
        ['协办部门', (bundle.co_departments || []).join('、') || '无'],
        ['办理结果', bundle.output],
        ['承诺办结时限', limitText(bundle.promised_limit)],
        ['说明', bundle.description],
      ]),
      h('p', { class: 'muted' }, '一次告知、一表申请、一窗受理、并联审批、一次办结：在综合窗口一次提交全部材料，由牵头部门统一出件。'),
    ),
    section(
      'members',
      '包含事项',
      h(
        'ol',
        { class: 'members' },
        (bundle.items || []).map((c) => {
          const it = byCode.get(c);
          return h(
            'li',
            { class: 'member' },
            it ? h('a', { class: 'member-name', href: `/portal/item.html?code=${encodeURIComponent(c)}` }, it.name) : h('span', { class: 'member-name' }, c),
            it ? h('span', { class: 'member-meta' }, `${it.department} · ${label('case_kind', it.case_kind)} · 承诺 ${limitText(it.promised_limit)}`) : null,
          );
        }),
      ),
    ),
    section(
      'form',
      '一张表单',
      bundle.form_fields?.length
        ? [
            h('p', { class: 'muted' }, '以下信息在合并表单中只填写一次，由牵头部门分送各协办部门。'),
            h(
              'table',
              { class: 'steps' },
              h('thead', null, h('tr', null, h('th', { scope: 'col' }, '填写项'), h('th', { scope: 'col' }, '共用事项'))),
              h(
                'tbody',
                null,
                bundle.form_fields.map((f) => h('tr', null, h('td', null, f.label), h('td', null, f.items?.length ? f.items.map(nameOf).join('、') : '全部事项'))),
              ),
            ),
          ]
        : h('p', { class: 'muted' }, '各事项分别填写申请表。'),
    ),
    section(
      'checklist',
      '合并材料清单',
      h('p', { class: 'print-only print-title' }, `${bundle.name} · 合并材料清单`),
      h('p', { class: 'checklist-summary' }, `多个事项共用的材料只需提交一次：共 ${materials.length} 项，其中 ${free} 项免提交。标注“视情形”的材料以各事项的情形为准。`),
      materialsTable(materials, {
        note: (m) => (m.always === false ? h('span', { class: 'when' }, '视情形提交') : null),
        extra: { title: '涉及事项', cell: (m) => m.items.join('、') },
      }),
    ),
  ];
}

async function start() {
  if (!code) {
    replaceChildren(main, failBox({ status: 404 }, '“一件事”'));
    return;
  }
  try {
    const data = await publicGet(`/bundles/${encodeURIComponent(code)}`);
    document.title = `${data.bundle.name} - 一件事办事指南 - 一窗 政务服务`;
    replaceChildren(main, render(data.bundle, data.items || []));
  } catch (err) {
    replaceChildren(main, failBox(err, '“一件事”'));
  }
}

start();
