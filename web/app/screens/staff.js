// 工作人员: staff of the caller's subtree (#/staff) and one staff member with
// the authorizations (授权) they hold (#/staff/{id}).
//
// Admins and managers register staff (linking an existing user account) and
// edit posting details; a 首席代表 grants and revokes 收件/受理/审批 for the
// items of their own department (docs/api.md: the expiry lies after today
// and within three years).

import { registerScreen, navigate } from '../shell.js';
import * as api from '../api.js';
import { h, messageBox, field, table, busy, replaceChildren, formatTime } from '../dom.js';
import { openDialog } from '../dialog.js';
import { STAFF_ROLES, hasAnyRole } from '../roles.js';
import { loadCenters, centerSelect, defaultCenterId } from '../centers.js';
import { clearFieldErrors, markField, showFieldError } from '../forms.js';
import { AUTH_ACTIONS, authActionName, options, loadDepartments, loadItems, idOrNull, windowLabel } from '../org.js';
import { todayCST, addYears, addDays, formatDateCN } from '../dates.js';

const MANAGERS = ['admin', 'manager'];

function staffLabel(s) {
  return s ? `${s.display_name}（${s.staff_no}）` : '';
}

/** Departments in which the user is 首席代表. */
function chiefDepartments(user) {
  return new Set(
    (user.roles || [])
      .filter((r) => r.role === 'chief_rep' && r.department_id != null)
      .map((r) => String(r.department_id)),
  );
}

registerScreen({
  id: 'staff',
  title: '工作人员',
  roles: STAFF_ROLES,
  order: 13,
  async render(container, ctx) {
    if (ctx.params[0]) return renderDetail(container, ctx, ctx.params[0]);
    return renderList(container, ctx);
  },
});

// ---------------------------------------------------------------------------
// List and registration

async function renderList(container, { user }) {
  const canManage = hasAnyRole(user, MANAGERS);
  const [staff, centers, departments] = await Promise.all([api.listAll('/staff'), loadCenters(), loadDepartments()]);
  const byId = new Map(staff.map((s) => [String(s.id), s]));
  const msg = messageBox();
  const listArea = h('div', { class: 'list-area' });
  const filter = { center: '', q: '' };

  function rows() {
    const q = filter.q.toLowerCase();
    return staff.filter(
      (s) =>
        (!filter.center || String(s.center_id) === filter.center) &&
        (!q || [s.display_name, s.staff_no, s.username].some((x) => String(x || '').toLowerCase().includes(q))),
    );
  }

  function renderTable() {
    const list = rows();
    const t = table(
      ['工号', '姓名', '中心', '部门', '岗位', '窗口', 'AB角', '操作'],
      list.map((s) => [
        s.staff_no,
        s.display_name,
        s.center_name || '',
        s.department_name || '—',
        s.posts || '—',
        s.window_no != null ? `${s.window_no}号窗口` : '—',
        s.backup_staff_id != null ? staffLabel(byId.get(String(s.backup_staff_id))) || `#${s.backup_staff_id}` : '—',
        h('a', { class: 'btn btn-small', href: `#/staff/${encodeURIComponent(s.id)}`, 'aria-label': `查看${s.display_name}的详情和授权` }, '详情与授权'),
      ]),
      filter.q || filter.center ? '没有符合条件的工作人员' : '暂无工作人员',
    );
    list.forEach((s, i) => {
      const tr = t.querySelectorAll('tbody tr')[i];
      if (tr) tr.dataset.username = s.username;
    });
    replaceChildren(listArea, h('p', { class: 'muted count-line' }, `共 ${list.length} 人`), t);
  }

  // --- filters ---------------------------------------------------------------
  const centerFilter = h(
    'select',
    { id: 'staff-center-filter' },
    h('option', { value: '' }, '全部中心'),
    centers.map((c) => h('option', { value: String(c.id) }, `${'　'.repeat(c.depth)}${c.name}`)),
  );
  centerFilter.addEventListener('change', () => {
    filter.center = centerFilter.value;
    renderTable();
  });
  const qInput = h('input', { type: 'search', id: 'staff-q', placeholder: '姓名、工号或用户名' });
  qInput.addEventListener('input', () => {
    filter.q = qInput.value.trim();
    renderTable();
  });
  const filters = h(
    'div',
    { class: 'filters', role: 'search' },
    h('div', { class: 'picker' }, h('label', { class: 'picker-label', for: centerFilter.id }, '中心'), centerFilter),
    h('div', { class: 'picker' }, h('label', { class: 'picker-label', for: qInput.id }, '查找'), qInput),
  );

  // --- register ---------------------------------------------------------------
  let form = null;
  let newButton = null;
  if (canManage) {
    const users = await api.listAll('/users').catch(() => []);
    const registered = new Set(staff.map((s) => String(s.user_id)));
    const free = users.filter((u) => !registered.has(String(u.id)) && !u.disabled);
    const box = messageBox();
    const centerSel = centerSelect(centers);
    centerSel.value = defaultCenterId(user, centers);
    const windowSel = h('select', { name: 'window_id' });
    const backupSel = h('select', { name: 'backup_staff_id' });
    const syncCenter = async () => {
      const id = centerSel.value;
      replaceChildren(windowSel, h('option', { value: '' }, '暂不安排'));
      replaceChildren(
        backupSel,
        options(staff.filter((s) => String(s.center_id) === id).map((s) => [s.id, staffLabel(s)]), '暂不指定'),
      );
      try {
        const windows = await api.listAll('/windows', { center_id: id });
        if (centerSel.value !== id) return;
        windowSel.append(...options(windows.filter((w) => w.is_active).sort((a, b) => a.number - b.number).map((w) => [w.id, windowLabel(w)])));
      } catch (err) {
        box.show(err.message, 'error');
      }
    };
    centerSel.addEventListener('change', syncCenter);
    form = h(
      'form',
      { class: 'card form-grid', novalidate: true, hidden: true, 'aria-label': '登记工作人员' },
      h('h2', { class: 'form-title' }, '登记工作人员'),
      field(
        '用户账号',
        h('select', { name: 'user_id', required: true }, options(free.map((u) => [u.id, `${u.display_name}（${u.username}）`]), free.length ? '请选择' : '没有未登记的用户')),
        '先在“用户管理”中建立账号，再在此登记为工作人员',
      ),
      field('工号', h('input', { name: 'staff_no', required: true, maxlength: 20, autocomplete: 'off' })),
      field('所属中心', centerSel),
      field('进驻部门', h('select', { name: 'department_id' }, options(departments.map((d) => [d.id, d.name]), '无（中心工作人员）'))),
      field('岗位', h('input', { name: 'posts', maxlength: 64, autocomplete: 'off', placeholder: '如：综合受理岗' })),
      field('窗口', windowSel),
      field('AB角（同中心的另一名工作人员）', backupSel),
      field('进驻日期', h('input', { name: 'posted_since', type: 'date', value: todayCST() })),
      box.el,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary' }, '保存'),
        h('button', { type: 'button', class: 'btn', onclick: () => toggle(false) }, '取消'),
      ),
    );
    newButton = h('button', { type: 'button', class: 'btn btn-primary', onclick: () => toggle(true) }, '登记工作人员');
    const toggle = (open) => {
      form.hidden = !open;
      newButton.hidden = open;
      clearFieldErrors(form, box);
      if (open) {
        syncCenter();
        form.elements.user_id.focus();
      }
    };
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearFieldErrors(form, box);
      const f = form.elements;
      if (!f.user_id.value) return void markField(f.user_id, '请选择要登记的用户账号');
      if (!f.staff_no.value.trim()) return void markField(f.staff_no, '请填写工号');
      const body = {
        user_id: idOrNull(f.user_id.value),
        staff_no: f.staff_no.value.trim(),
        center_id: idOrNull(f.center_id.value),
      };
      for (const key of ['department_id', 'window_id', 'backup_staff_id']) {
        if (f[key].value) body[key] = idOrNull(f[key].value);
      }
      if (f.posts.value.trim()) body.posts = f.posts.value.trim();
      if (f.posted_since.value) body.posted_since = f.posted_since.value;
      await busy(event.submitter || form.querySelector('[type=submit]'), async () => {
        try {
          const created = await api.post('/staff', body);
          navigate('staff', created.id);
        } catch (err) {
          showFieldError(form, box, err);
        }
      });
    });
  }

  replaceChildren(container, h('div', { class: 'toolbar' }, filters, newButton), form, msg.el, listArea);
  renderTable();
}

// ---------------------------------------------------------------------------
// One staff member: posting details and authorizations

async function renderDetail(container, { user }, id) {
  const canManage = hasAnyRole(user, MANAGERS);
  const chiefDepts = chiefDepartments(user);
  const isChief = chiefDepts.size > 0;
  const path = `/staff/${encodeURIComponent(id)}`;
  const [person, items, departments] = await Promise.all([
    api.get(path),
    isChief ? loadItems() : Promise.resolve([]),
    canManage ? loadDepartments() : Promise.resolve([]),
  ]);
  const msg = messageBox();
  const info = h('div');
  const authArea = h('div', { class: 'list-area' });
  const itemDept = new Map(items.map((it) => [String(it.id), String(it.department_id)]));
  let showRevoked = false;

  const back = h('a', { class: 'back-link', href: '#/staff' }, '← 返回工作人员列表');

  async function renderInfo(s) {
    let windows = [];
    let colleagues = [];
    try {
      [windows, colleagues] = await Promise.all([api.listAll('/windows', { center_id: s.center_id }), api.listAll('/staff')]);
    } catch {
      // The details below still show ids.
    }
    const win = windows.find((w) => String(w.id) === String(s.window_id));
    const backup = colleagues.find((x) => String(x.id) === String(s.backup_staff_id));
    const rows = [
      ['工号', s.staff_no],
      ['姓名', s.display_name],
      ['用户名', s.username],
      ['所属中心', s.center_name],
      ['进驻部门', s.department_name || '—'],
      ['岗位', s.posts || '—'],
      ['窗口', win ? windowLabel(win) : s.window_id != null ? `#${s.window_id}` : '—'],
      ['AB角', backup ? staffLabel(backup) : s.backup_staff_id != null ? `#${s.backup_staff_id}` : '—'],
      ['进驻日期', s.posted_since ? formatDateCN(s.posted_since) : '—'],
    ];
    replaceChildren(
      info,
      h('dl', { class: 'facts card' }, rows.map(([k, v]) => h('div', { class: 'fact' }, h('dt', null, k), h('dd', null, v)))),
      canManage ? editForm(s, windows, colleagues) : null,
    );
  }

  // --- edit (admin, manager) ---------------------------------------------------
  function editForm(s, windows, colleagues) {
    const box = messageBox();
    const form = h(
      'form',
      { class: 'card form-grid', novalidate: true, 'aria-label': '修改岗位信息' },
      h('h3', { class: 'form-title' }, '修改岗位信息'),
      field('工号', h('input', { name: 'staff_no', value: s.staff_no, required: true, maxlength: 20, autocomplete: 'off' })),
      field('进驻部门', h('select', { name: 'department_id' }, options(departments.map((d) => [d.id, d.name]), '无（中心工作人员）'))),
      field('岗位', h('input', { name: 'posts', value: s.posts || '', maxlength: 64, autocomplete: 'off' })),
      field(
        '窗口',
        h('select', { name: 'window_id' }, options(windows.sort((a, b) => a.number - b.number).map((w) => [w.id, windowLabel(w) + (w.is_active ? '' : '（已停用）')]), '暂不安排')),
      ),
      field(
        'AB角',
        h(
          'select',
          { name: 'backup_staff_id' },
          options(colleagues.filter((x) => String(x.center_id) === String(s.center_id) && x.id !== s.id).map((x) => [x.id, staffLabel(x)]), '暂不指定'),
        ),
      ),
      field('进驻日期', h('input', { name: 'posted_since', type: 'date', value: s.posted_since || '' })),
      box.el,
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, '保存岗位信息')),
    );
    const f = form.elements;
    f.department_id.value = s.department_id == null ? '' : String(s.department_id);
    f.window_id.value = s.window_id == null ? '' : String(s.window_id);
    f.backup_staff_id.value = s.backup_staff_id == null ? '' : String(s.backup_staff_id);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearFieldErrors(form, box);
      if (!f.staff_no.value.trim()) return void markField(f.staff_no, '请填写工号');
      const body = {
        staff_no: f.staff_no.value.trim(),
        department_id: idOrNull(f.department_id.value),
        posts: f.posts.value.trim(),
        window_id: idOrNull(f.window_id.value),
        backup_staff_id: idOrNull(f.backup_staff_id.value),
      };
      // An empty date is left alone: the server answers posted_since: null
      // with a misleading 409.
      if (f.posted_since.value) body.posted_since = f.posted_since.value;
      await busy(event.submitter || form.querySelector('[type=submit]'), async () => {
        try {
          const saved = await api.patch(path, body);
          await renderInfo(saved);
          msg.show('岗位信息已保存', 'success');
        } catch (err) {
          showFieldError(form, box, err);
        }
      });
    });
    return form;
  }

  // --- authorizations ----------------------------------------------------------
  const mayRevoke = (a) => !a.revoked_at && chiefDepts.has(itemDept.get(String(a.item_id)));

  async function loadAuth() {
    const list = await api.listAll(`${path}/authorizations`, showRevoked ? { all: 1 } : {});
    const headers = ['事项编码', { text: '事项名称', wrap: true }, '权限', '有效期至', '授权人', '授权时间', '状态'];
    if (isChief) headers.push('操作');
    const rows = list.map((a) => {
      const row = [
        a.basic_code,
        a.item_name,
        h('span', { class: `badge badge-action action-${a.action}` }, authActionName(a.action)),
        formatDateCN(a.expires_on),
        a.granted_by_name || '—',
        formatTime(a.granted_at),
        a.revoked_at
          ? h('span', { class: 'badge badge-off', title: `撤销于 ${formatTime(a.revoked_at)}` }, '已撤销')
          : h('span', { class: 'badge badge-on' }, '有效'),
      ];
      if (isChief) {
        row.push(
          mayRevoke(a)
            ? h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', onclick: () => confirmRevoke(a) }, '撤销')
            : h('span', { class: 'muted' }, '—'),
        );
      }
      return row;
    });
    const t = table(headers, rows, showRevoked ? '没有授权记录' : '暂无有效授权');
    t.classList.add('auth-table');
    replaceChildren(authArea, t);
  }

  async function reloadAuth() {
    try {
      await loadAuth();
    } catch (err) {
      msg.show(err.message, 'error');
    }
  }

  async function confirmRevoke(a) {
    msg.clear();
    const done = await openDialog({
      title: '撤销授权',
      message: `确定要撤销${person.display_name}对“${a.item_name}”的${authActionName(a.action)}授权吗？撤销立即生效，并记入操作日志。`,
      confirmText: '确定撤销',
      danger: true,
      onConfirm: () => api.del(`/authorizations/${encodeURIComponent(a.id)}`),
    });
    if (!done) return;
    msg.show(`已撤销“${a.item_name}”的${authActionName(a.action)}授权`, 'success');
    await reloadAuth();
  }

  const revokedToggle = h('input', { type: 'checkbox', id: 'show-revoked' });
  revokedToggle.addEventListener('change', async () => {
    showRevoked = revokedToggle.checked;
    await reloadAuth();
  });

  // --- grant (首席代表) -----------------------------------------------------------
  let grantForm = null;
  if (isChief) {
    const mine = items.filter((it) => chiefDepts.has(String(it.department_id)));
    const box = messageBox();
    const today = todayCST();
    const itemField = field(
      '事项',
      h('select', { name: 'item_id', required: true }, options(mine.map((it) => [it.id, `${it.basic_code} ${it.name}`]), mine.length ? '请选择事项' : '本部门暂无事项')),
      '只能授权本部门的事项',
    );
    itemField.classList.add('field-wide');
    grantForm = h(
      'form',
      { class: 'card form-grid', novalidate: true, 'aria-label': '新增授权' },
      h('h3', { class: 'form-title' }, '新增授权'),
      itemField,
      field('权限', h('select', { name: 'action', required: true }, options(AUTH_ACTIONS))),
      field(
        '有效期至',
        h('input', { name: 'expires_on', type: 'date', required: true, value: addYears(today, 1), min: addDays(today, 1), max: addYears(today, 3) }),
        '今天之后、三年以内',
      ),
      box.el,
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, '授权')),
    );
    grantForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearFieldErrors(grantForm, box);
      const f = grantForm.elements;
      if (!f.item_id.value) return void markField(f.item_id, '请选择事项');
      if (!f.expires_on.value) return void markField(f.expires_on, '请选择有效期');
      const body = { item_id: idOrNull(f.item_id.value), action: f.action.value, expires_on: f.expires_on.value };
      await busy(event.submitter || grantForm.querySelector('[type=submit]'), async () => {
        try {
          const a = await api.post(`${path}/authorizations`, body);
          box.show(`已授予“${a.item_name}”的${authActionName(a.action)}权限，有效期至${formatDateCN(a.expires_on)}`, 'success');
          await reloadAuth();
        } catch (err) {
          showFieldError(grantForm, box, err);
        }
      });
    });
  }

  // replaceChildren skips the null parts (forms a role does not get).
  replaceChildren(
    container,
    back,
    h('h2', { class: 'detail-title' }, `${person.display_name}（${person.staff_no}）`),
    msg.el,
    info,
    h(
      'section',
      { 'aria-labelledby': 'auth-title' },
      h(
        'div',
        { class: 'section-head' },
        h('h3', { id: 'auth-title' }, '事项授权'),
        h('label', { class: 'check', for: revokedToggle.id }, revokedToggle, h('span', null, '显示已撤销的授权')),
      ),
      grantForm,
      authArea,
    ),
  );
  await Promise.all([renderInfo(person), loadAuth()]);
}
