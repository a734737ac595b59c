// 事项办事指南 (/portal/item.html?code=…): the published guide of one item
// from GET /api/v1/public/items/{code}, and the 情形 wizard: the applicant
// answers the item's questions one at a time, following each option's
// `next`, and the answers go to POST /api/v1/public/items/{code}/checklist,
// which returns the exact material checklist. The checklist prints on its
// own (portal.css hides the guide in print once a checklist is shown); the
// A4 guide itself is /guide/items/{code}/print.

import { h, replaceChildren } from '../app/dom.js';
import { publicGet, publicPost, label, limitText, money, param, kvTable, section, list, materialsTable, failBox } from './common.js';

const main = document.getElementById('main');
const code = param('code');
const back = document.getElementById('back');
const lastSearch = sessionStorage.getItem('portal.search');
if (lastSearch) back.href = `/portal/${lastSearch}`;

/** Which options choose a material: "问题：选项" notes for conditional materials. */
function situationNote(item) {
  const qs = item.situations?.questions || [];
  return (m) => {
    if (!item.situations || m.always !== false) return null;
    const when = [];
    for (const q of qs) for (const o of q.options || []) if ((o.materials || []).includes(m.key)) when.push(`${q.text}选“${o.text}”`);
    return when.length ? h('span', { class: 'when' }, `适用情形：${when.join('；')}`) : null;
  };
}

function formLinks(item) {
  const base = `/guide/items/${encodeURIComponent(item.basic_code)}`;
  return (m) => {
    const links = [];
    if (m.blank_form) links.push(h('a', { class: 'p-file', href: `${base}/forms/${encodeURIComponent(m.key)}` }, '空白表格'));
    if (m.sample) links.push(h('a', { class: 'p-file', href: `${base}/samples/${encodeURIComponent(m.key)}` }, '示例样表'));
    return links.length ? links : '—';
  };
}

function feesText(fees) {
  if (!fees || fees.length === 0) return '不收费';
  return fees.map((f) => `${f.name} ${money(f.amount_fen)}`).join('；');
}

// ---------------------------------------------------------------- wizard

function wizard(item) {
  const s = item.situations;
  const qs = s?.questions || [];
  const byKey = new Map(qs.map((q) => [q.key, q]));
  const path = []; // [{q, o}] answered so far, in order
  const box = h('div', { class: 'wizard-body' });
  const msg = h('div', { class: 'msg msg-error', role: 'alert', hidden: true });
  const result = h('section', { class: 'p-section checklist', id: 'checklist', 'aria-labelledby': 'checklist-title', hidden: true });

  /** The next question to ask after the answers in path, or null when done. */
  function nextQuestion() {
    let key = s?.start;
    for (const step of path) {
      const q = byKey.get(step.q);
      const o = q?.options.find((x) => x.key === step.o);
      key = o?.next || null;
    }
    return key ? byKey.get(key) || null : null;
  }

  function answerText(step) {
    const q = byKey.get(step.q);
    return { q: q?.text || step.q, o: q?.options.find((x) => x.key === step.o)?.text || step.o };
  }

  function render() {
    msg.hidden = true;
    const q = s ? nextQuestion() : null;
    const answered = path.length
      ? h(
          'ol',
          { class: 'answers', 'aria-label': '已回答' },
          path.map((step, i) => {
            const t = answerText(step);
            return h(
              'li',
              null,
              h('span', { class: 'answer-text' }, h('span', { class: 'answer-q' }, t.q), h('span', { class: 'answer-o' }, t.o)),
              h(
                'button',
                {
                  type: 'button',
                  class: 'p-btn p-btn-small no-print',
                  onclick: () => {
                    path.length = i;
                    hideResult();
                    render();
                  },
                },
                '修改',
              ),
            );
          }),
        )
      : null;
    if (!s) {
      replaceChildren(
        box,
        h('p', null, '本事项不区分情形，所有申请人提交相同的材料。'),
        h('div', { class: 'wizard-actions no-print' }, h('button', { type: 'button', class: 'p-btn p-btn-primary', onclick: submit }, '生成我的材料清单')),
      );
      return;
    }
    if (!q) {
      replaceChildren(
        box,
        answered,
        h('p', { class: 'wizard-done' }, '已回答全部问题。'),
        h('div', { class: 'wizard-actions no-print' }, h('button', { type: 'button', class: 'p-btn', onclick: restart }, '重新选择情形')),
      );
      return;
    }
    const n = path.length + 1;
    const legendId = `q-${q.key}`;
    replaceChildren(
      box,
      answered,
      h(
        'div',
        { class: 'question no-print', role: 'group', 'aria-labelledby': legendId },
        h('p', { class: 'question-step' }, `第 ${n} 题`),
        h('h3', { class: 'question-text', id: legendId }, q.text),
        h(
          'div',
          { class: 'options' },
          q.options.map((o) =>
            h(
              'button',
              {
                type: 'button',
                class: 'p-option',
                'data-option': o.key,
                onclick: () => choose(q, o),
              },
              o.text,
            ),
          ),
        ),
      ),
      path.length
        ? h(
            'div',
            { class: 'wizard-actions no-print' },
            h(
              'button',
              {
                type: 'button',
                class: 'p-btn',
                onclick: () => {
                  path.pop();
                  render();
                },
              },
              '上一步',
            ),
            h('button', { type: 'button', class: 'p-btn p-btn-link', onclick: restart }, '重新开始'),
          )
        : null,
    );
  }

  function choose(q, o) {
    path.push({ q: q.key, o: o.key });
    hideResult();
    render();
    if (o.next) {
      box.querySelector('.question-text')?.focus?.();
      box.querySelector('.p-option')?.focus();
    } else {
      submit();
    }
  }

  function restart() {
    path.length = 0;
    hideResult();
    render();
    box.querySelector('.p-option')?.focus();
  }

  function hideResult() {
    result.hidden = true;
    document.body.classList.remove('has-checklist');
  }

  async function submit() {
    const answers = Object.fromEntries(path.map((x) => [x.q, x.o]));
    try {
      const res = await publicPost(`/items/${encodeURIComponent(item.basic_code)}/checklist`, { answers });
      showChecklist(res.materials || []);
    } catch (err) {
      msg.textContent = err.message || '生成材料清单失败，请稍后重试';
      msg.hidden = false;
    }
  }

  function showChecklist(materials) {
    const free = materials.filter((m) => m.source === 'government').length;
    const deferrable = materials.filter((m) => m.requirement === 'deferrable').length;
    const bring = materials.length - free;
    const facts = [`共 ${materials.length} 项材料`];
    if (free) facts.push(`其中 ${free} 项免提交（窗口调取电子证照）`);
    if (deferrable) facts.push(`${deferrable} 项可容缺后补`);
    replaceChildren(
      result,
      h('h2', { id: 'checklist-title', tabindex: '-1' }, '您需要准备的材料'),
      path.length
        ? h(
            'div',
            { class: 'checklist-situation' },
            h('p', null, '您的情形：'),
            h(
              'ul',
              null,
              path.map(answerText).map((t) => h('li', null, `${t.q} `, h('strong', null, t.o))),
            ),
          )
        : null,
      h('p', { class: 'checklist-summary' }, `${facts.join('，')}。请携带其余 ${bring} 项材料到窗口办理。`),
      materialsTable(materials),
      h(
        'p',
        { class: 'muted' },
        `办理地点：${item.place}；办理时间：${item.hours}；咨询电话：${item.consult_phone}。`,
      ),
      h(
        'div',
        { class: 'wizard-actions no-print' },
        h('button', { type: 'button', class: 'p-btn p-btn-primary', id: 'print-checklist', onclick: () => window.print() }, '打印材料清单'),
        h('button', { type: 'button', class: 'p-btn', onclick: restart }, '重新选择情形'),
      ),
    );
    result.hidden = false;
    document.body.classList.add('has-checklist');
    const title = result.querySelector('h2');
    title.focus({ preventScroll: true });
    result.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  render();
  return [
    section(
      'wizard',
      '按情形生成材料清单',
      h('p', { class: 'muted no-print' }, s ? '回答下面几个问题，系统只列出您需要提交的材料。' : ''),
      msg,
      box,
    ),
    result,
  ];
}

// ---------------------------------------------------------------- guide

function guide(item, data) {
  const steps = item.steps || [];
  const unit = label('unit', item.promised_limit?.unit);
  const total = steps.reduce((a, s) => a + (Number(s.share) || 0), 0);
  const base = `/guide/items/${encodeURIComponent(item.basic_code)}`;
  return h(
    'div',
    { class: 'guide-view' },
    section(
      'materials',
      '申请材料（全部）',
      item.situations ? h('p', { class: 'muted' }, '标注“适用情形”的材料只在相应情形下提交；上面的问题可生成您需要的准确清单。') : null,
      materialsTable(item.materials || [], { note: situationNote(item), extra: { title: '表格与样表', cell: formLinks(item) } }),
    ),
    section('conditions', '受理条件', list(item.conditions, '无特别受理条件。')),
    section(
      'steps',
      '办理流程',
      h(
        'table',
        { class: 'steps' },
        h('thead', null, h('tr', null, ['步骤', '环节', '岗位', '时限'].map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          null,
          steps.map((s, i) =>
            h('tr', null, h('td', { class: 'num' }, String(i + 1)), h('td', null, s.name), h('td', null, s.role ? label('role', s.role) : '—'), h('td', null, s.share ? `${s.share}${unit}` : '当场')),
          ),
        ),
        h('tfoot', null, h('tr', null, h('th', { scope: 'row', colspan: '3' }, '合计（承诺办结时限）'), h('td', null, total ? `${total}${unit}` : '当场办结'))),
      ),
      item.special_procedures?.length
        ? [
            h('h3', null, '特别程序（不计入办结时限）'),
            list(
              item.special_procedures.map((p) => `${p.name}（${label('special', p.kind)}）：最长 ${p.max_days}${unit}，不计入办结时限`),
              '',
              false,
            ),
          ]
        : null,
    ),
    section(
      'limits',
      '办理时限和收费',
      kvTable([
        ['办件类型', label('case_kind', item.case_kind)],
        ['法定办结时限', limitText(item.statutory_limit)],
        ['承诺办结时限', limitText(item.promised_limit)],
        ['收费', feesText(item.fees)],
        ...(item.fees || []).map((f) => [`收费依据（${f.name}）`, f.basis]),
      ]),
    ),
    section(
      'place',
      '办理地点、时间和电话',
      kvTable([
        ['办理地点', item.place],
        ['办理时间', item.hours],
        ['咨询电话', item.consult_phone],
        ['投诉电话', item.complaint_phone],
      ]),
    ),
    section(
      'faq',
      '常见问题',
      item.faq?.length ? h('dl', { class: 'faq' }, item.faq.map((f) => h('div', { class: 'faq-item' }, h('dt', null, `问：${f.q}`), h('dd', null, `答：${f.a}`)))) : h('p', { class: 'muted' }, '暂无。'),
    ),
    section(
      'basic',
      '事项基本信息',
      kvTable([
        ['事项名称', item.name],
        ['基本编码', item.basic_code],
        ['实施编码', item.impl_code],
        ['事项类型', label('type', item.type_code)],
        ['实施部门', data.department_name || item.department],
        ['所属领域', item.domain],
        ['行使层级', item.level],
        ['服务对象', (item.service_object || []).join('、')],
        ['办理形式', (item.handling_forms || []).join('、')],
        ['到现场次数', `${item.visits ?? 0} 次`],
        ['通办范围', label('cross_region', item.cross_region)],
        ['办理结果', item.result ? `${item.result.name}（${label('result', item.result.kind)}）` : ''],
      ]),
    ),
    section('basis', '设定依据', list(item.legal_basis, '—')),
    h('p', { class: 'p-version' }, `第 ${data.version} 版${data.published_on ? ` · 发布日期 ${data.published_on}` : ''} · `, h('a', { href: base }, '查看完整办事指南')),
  );
}

function header(item, data) {
  const base = `/guide/items/${encodeURIComponent(item.basic_code)}`;
  return h(
    'header',
    { class: 'p-head' },
    h('p', { class: 'p-kicker' }, '办事指南'),
    h('h1', null, item.name),
    h('p', { class: 'p-head-meta' }, data.department_name || item.department),
    h(
      'dl',
      { class: 'facts' },
      h('div', null, h('dt', null, '承诺时限'), h('dd', null, limitText(item.promised_limit))),
      h('div', null, h('dt', null, '到现场'), h('dd', null, `${item.visits ?? 0} 次`)),
      h('div', null, h('dt', null, '收费'), h('dd', null, item.fees?.length ? '收费' : '不收费')),
      h('div', null, h('dt', null, '办件类型'), h('dd', null, label('case_kind', item.case_kind))),
    ),
    h(
      'div',
      { class: 'p-actions no-print' },
      h('a', { class: 'p-btn p-btn-primary', href: '#wizard' }, item.situations ? '回答问题，生成材料清单' : '生成材料清单'),
      h('a', { class: 'p-btn', href: `${base}/print`, id: 'print-guide' }, '打印版指南'),
    ),
  );
}

async function start() {
  if (!code) {
    replaceChildren(main, failBox({ status: 404 }, '事项'));
    return;
  }
  try {
    const data = await publicGet(`/items/${encodeURIComponent(code)}`);
    const item = data.item;
    document.title = `${item.name} - 办事指南 - 一窗 政务服务`;
    replaceChildren(main, header(item, data), wizard(item), guide(item, data));
    if (location.hash === '#wizard') document.getElementById('wizard').scrollIntoView();
  } catch (err) {
    replaceChildren(main, failBox(err, '事项'));
  }
}

start();
