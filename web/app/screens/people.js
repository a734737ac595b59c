// 群众档案 (一人一档、一企一档): find a citizen or enterprise by the exact
// 身份证号 / 统一社会信用代码 or mobile number, browse the list, create a
// record, and look at one (#/people/{id}). Identifiers and mobiles arrive
// masked; clerks, reviewers and chief representatives may ask for the full
// values, and every such request is written to the action log first.

import { registerScreen, navigate } from '../shell.js';
import * as api from '../api.js';
import { h, messageBox, field, table, busy, replaceChildren, formatTime } from '../dom.js';
import { openDialog } from '../dialog.js';
import { STAFF_ROLES, hasAnyRole } from '../roles.js';
import { clearFieldErrors, markField, showFieldError } from '../forms.js';
import { options } from '../org.js';

const PAGE_SIZE = 20;
const KINDS = [
  ['citizen', '个人'],
  ['enterprise', '企业'],
];
const KIND_NAMES = Object.fromEntries(KINDS);
const CREATORS = ['admin', 'manager', 'clerk', 'guide'];
const REVEALERS = ['clerk', 'reviewer', 'chief_rep'];
const MOBILE_RE = /^1[3-9]\d{9}$/;

const identCaption = (kind) => (kind === 'enterprise' ? '统一社会信用代码' : '身份证号');
const nameCaption = (kind) => (kind === 'enterprise' ? '企业名称' : '姓名');

registerScreen({
  id: 'people',
  title: '群众档案',
  roles: STAFF_ROLES,
  order: 15,
  async render(container, ctx) {
    if (ctx.params[0]) return renderDetail(container, ctx, ctx.params[0]);
    return renderList(container, ctx);
  },
});

function personTable(items, emptyText) {
  const t = table(
    ['类型', '姓名/企业名称', '证件号码', '手机号', '建档时间', '操作'],
    items.map((p) => [
      KIND_NAMES[p.kind] || p.kind,
      p.name,
      h('span', { class: 'mono' }, p.ident || '—'),
      h('span', { class: 'mono' }, p.mobile || '—'),
      formatTime(p.created_at),
      h('a', { class: 'btn btn-small', href: `#/people/${encodeURIComponent(p.id)}`, 'aria-label': `查看${p.name}的档案` }, '查看'),
    ]),
    emptyText,
  );
  t.classList.add('people-table');
  return t;
}

// ---------------------------------------------------------------------------
// Search, list, create

async function renderList(container, { user }) {
  const msg = messageBox();
  const resultArea = h('div', { class: 'list-area' });
  const pager = h('div', { class: 'pager' });
  const state = { kind: '', cursors: [null], page: 0, searching: false };

  // --- exact lookup ------------------------------------------------------------
  const qInput = h('input', {
    type: 'search',
    name: 'q',
    id: 'people-q',
    autocomplete: 'off',
    maxlength: 18,
    placeholder: '身份证号、统一社会信用代码或手机号',
  });
  const searchMsg = messageBox();
  const searchForm = h(
    'form',
    { class: 'search-card card', role: 'search', 'aria-label': '查询档案', novalidate: true },
    h(
      'div',
      { class: 'search-main' },
      h('label', { class: 'field-label', for: qInput.id }, '证件号码或手机号'),
      h('div', { class: 'search' }, qInput, h('button', { type: 'submit', class: 'btn btn-primary' }, '查询'), h('button', { type: 'button', class: 'btn', onclick: () => showList() }, '显示全部')),
      h('p', { class: 'field-hint' }, '精确查询：请输入完整的18位身份证号、18位统一社会信用代码或11位手机号。'),
      searchMsg.el,
    ),
  );
  searchForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(searchForm, searchMsg);
    msg.clear();
    const q = qInput.value.replace(/\s+/g, '').toUpperCase();
    if (!q) return void markField(qInput, '请输入证件号码或手机号');
    const byMobile = MOBILE_RE.test(q);
    if (!byMobile && q.length !== 18) {
      return void markField(qInput, '请输入完整的18位证件号码或11位手机号');
    }
    qInput.value = q;
    await busy(event.submitter || searchForm.querySelector('[type=submit]'), async () => {
      try {
        const res = await api.get('/people', byMobile ? { mobile: q } : { ident: q });
        const items = res.items || [];
        state.searching = true;
        replaceChildren(pager);
        replaceChildren(
          resultArea,
          h('h2', null, `查询结果（${byMobile ? '手机号' : '证件号码'}）`),
          personTable(items, canCreate ? '未找到档案，可在下方新建' : '未找到档案'),
        );
        if (items.length === 0 && canCreate && !byMobile) {
          // Start the new record with what was typed.
          createForm.elements.ident.value = q;
          createForm.elements.kind.value = /^\d{17}[\dX]$/.test(q) ? 'citizen' : 'enterprise';
          syncKind();
        }
      } catch (err) {
        showFieldError(searchForm, searchMsg, { message: err.message, field: err.field ? 'q' : null });
      }
    });
  });

  // --- list --------------------------------------------------------------------
  const kindFilter = h('select', { id: 'people-kind' }, options(KINDS, '全部'));
  kindFilter.addEventListener('change', () => {
    state.kind = kindFilter.value;
    showList();
  });

  async function loadPage() {
    const res = await api.get('/people', { limit: PAGE_SIZE, cursor: state.cursors[state.page], kind: state.kind });
    state.cursors[state.page + 1] = res.next || null;
    replaceChildren(
      resultArea,
      h(
        'div',
        { class: 'section-head' },
        h('h2', null, '档案列表'),
        h('div', { class: 'picker' }, h('label', { class: 'picker-label', for: kindFilter.id }, '类型'), kindFilter),
      ),
      personTable(res.items || [], '暂无档案'),
    );
    replaceChildren(
      pager,
      h('button', { type: 'button', class: 'btn', disabled: state.page === 0, onclick: () => turn(-1) }, '上一页'),
      h('span', { class: 'pager-info' }, `第 ${state.page + 1} 页`),
      h('button', { type: 'button', class: 'btn', disabled: !res.next, onclick: () => turn(1) }, '下一页'),
    );
  }

  async function turn(delta) {
    state.page += delta;
    try {
      await loadPage();
    } catch (err) {
      msg.show(err.message, 'error');
    }
  }

  async function showList() {
    state.searching = false;
    state.cursors = [null];
    state.page = 0;
    clearFieldErrors(searchForm, searchMsg);
    try {
      await loadPage();
    } catch (err) {
      msg.show(err.message, 'error');
    }
  }

  // --- create --------------------------------------------------------------------
  const canCreate = hasAnyRole(user, CREATORS);
  const createMsg = messageBox();
  const kindSelect = h('select', { name: 'kind', required: true }, options(KINDS));
  const nameField = field('姓名', h('input', { name: 'name', required: true, maxlength: 64, autocomplete: 'off' }));
  const identField = field('身份证号', h('input', { name: 'ident', required: true, maxlength: 18, autocomplete: 'off', class: 'mono' }), '18位，末位可为X');
  const createForm = h(
    'form',
    { class: 'card form-grid', novalidate: true, hidden: true, 'aria-label': '新建档案' },
    h('h2', { class: 'form-title' }, '新建档案'),
    field('类型', kindSelect),
    nameField,
    identField,
    field('手机号', h('input', { name: 'mobile', maxlength: 11, autocomplete: 'off', inputmode: 'numeric', class: 'mono' }), '选填，11位'),
    createMsg.el,
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, '保存'),
      h('button', { type: 'button', class: 'btn', onclick: () => toggleCreate(false) }, '取消'),
    ),
  );

  function syncKind() {
    const kind = kindSelect.value;
    nameField.querySelector('label').textContent = nameCaption(kind);
    identField.querySelector('label').textContent = identCaption(kind);
    identField.querySelector('.field-hint').textContent = kind === 'enterprise' ? '18位数字和大写字母' : '18位，末位可为X';
  }
  kindSelect.addEventListener('change', syncKind);

  const newButton = h('button', { type: 'button', class: 'btn btn-primary', onclick: () => toggleCreate(true) }, '新建档案');
  if (canCreate) searchForm.append(h('div', { class: 'search-side' }, newButton));

  function toggleCreate(open) {
    createForm.hidden = !open;
    newButton.hidden = open;
    clearFieldErrors(createForm, createMsg);
    if (open) createForm.elements.kind.focus();
  }

  createForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(createForm, createMsg);
    const f = createForm.elements;
    const body = {
      kind: f.kind.value,
      name: f.name.value.trim(),
      ident: f.ident.value.replace(/\s+/g, '').toUpperCase(),
    };
    if (!body.name) return void markField(f.name, `请填写${nameCaption(body.kind)}`);
    if (!body.ident) return void markField(f.ident, `请填写${identCaption(body.kind)}`);
    const mobile = f.mobile.value.replace(/\s+/g, '');
    if (mobile) body.mobile = mobile;
    await busy(event.submitter || createForm.querySelector('[type=submit]'), async () => {
      try {
        const created = await api.post('/people', body);
        navigate('people', created.id);
      } catch (err) {
        showFieldError(createForm, createMsg, err);
      }
    });
  });

  // replaceChildren skips the null parts (forms a role does not get).
  replaceChildren(
    container,
    searchForm,
    canCreate ? createForm : null,
    msg.el,
    resultArea,
    pager,
  );
  await showList();
}

// ---------------------------------------------------------------------------
// One record

async function renderDetail(container, { user }, id) {
  const path = `/people/${encodeURIComponent(id)}`;
  let person = await api.get(path);
  const msg = messageBox();
  const facts = h('dl', { class: 'facts card' });
  const canReveal = hasAnyRole(user, REVEALERS);
  const canEdit = hasAnyRole(user, CREATORS);

  function renderFacts() {
    const rows = [
      ['类型', KIND_NAMES[person.kind] || person.kind],
      [nameCaption(person.kind), person.name],
      [identCaption(person.kind), h('span', { class: 'mono', 'data-field': 'ident' }, person.ident || '—')],
      ['手机号', h('span', { class: 'mono', 'data-field': 'mobile' }, person.mobile || '—')],
      ['建档时间', formatTime(person.created_at)],
      ['更新时间', formatTime(person.updated_at)],
    ];
    replaceChildren(facts, rows.map(([k, v]) => h('div', { class: 'fact' }, h('dt', null, k), h('dd', null, v))));
  }

  const revealButton = canReveal
    ? h('button', { type: 'button', class: 'btn', onclick: () => reveal() }, '查看完整号码')
    : null;
  const hideButton = h('button', { type: 'button', class: 'btn', hidden: true, onclick: () => hide() }, '隐藏完整号码');

  async function reveal() {
    msg.clear();
    let full = null;
    const done = await openDialog({
      title: '查看完整号码',
      message: `将显示“${person.name}”的完整证件号码和手机号码。此操作将记入操作日志，请仅在办理业务确有需要时查看，并注意保护个人信息。`,
      confirmText: '确认查看',
      onConfirm: async () => {
        full = await api.get(path, { reveal: 'ident,mobile' });
      },
    });
    if (!done || !full) return;
    person = full;
    renderFacts();
    revealButton.hidden = true;
    hideButton.hidden = false;
    msg.show('已显示完整号码，本次查看已记入操作日志', 'info');
    hideButton.focus();
  }

  async function hide() {
    try {
      person = await api.get(path);
    } catch (err) {
      msg.show(err.message, 'error');
      return;
    }
    renderFacts();
    hideButton.hidden = true;
    revealButton.hidden = false;
    msg.clear();
    revealButton.focus();
  }

  // --- edit name / mobile ----------------------------------------------------------
  let editForm = null;
  if (canEdit) {
    const box = messageBox();
    editForm = h(
      'form',
      { class: 'card form-grid', novalidate: true, 'aria-label': '修改档案' },
      h('h3', { class: 'form-title' }, '修改档案'),
      field(nameCaption(person.kind), h('input', { name: 'name', value: person.name, required: true, maxlength: 64, autocomplete: 'off' })),
      field('新手机号', h('input', { name: 'mobile', maxlength: 11, inputmode: 'numeric', autocomplete: 'off', class: 'mono' }), '留空表示不修改'),
      box.el,
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, '保存修改')),
    );
    editForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearFieldErrors(editForm, box);
      const f = editForm.elements;
      const body = {};
      if (f.name.value.trim() !== person.name) body.name = f.name.value.trim();
      if (f.mobile.value.trim()) body.mobile = f.mobile.value.replace(/\s+/g, '');
      if (Object.keys(body).length === 0) return void box.show('没有需要保存的修改', 'info');
      if (body.name === '') return void markField(f.name, `请填写${nameCaption(person.kind)}`);
      await busy(event.submitter || editForm.querySelector('[type=submit]'), async () => {
        try {
          await api.patch(path, body);
          // Back to masked values: a new reveal needs a new confirmation.
          person = await api.get(path);
          renderFacts();
          if (revealButton) revealButton.hidden = false;
          hideButton.hidden = true;
          f.mobile.value = '';
          box.show('档案已修改', 'success');
        } catch (err) {
          showFieldError(editForm, box, err);
        }
      });
    });
  }

  renderFacts();
  // replaceChildren skips the null parts (forms a role does not get).
  replaceChildren(
    container,
    h('a', { class: 'back-link', href: '#/people' }, '← 返回群众档案'),
    h('div', { class: 'detail-head' }, h('h2', { class: 'detail-title' }, person.name), h('span', { class: 'badge badge-level' }, KIND_NAMES[person.kind] || person.kind)),
    msg.el,
    facts,
    h('div', { class: 'form-actions' }, revealButton, hideButton),
    canReveal ? null : h('p', { class: 'muted' }, '证件号码和手机号已脱敏显示；如需完整号码，请由综合窗口受理人员、后台审批人员或首席代表查看。'),
    editForm,
  );
}
