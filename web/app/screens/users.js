// 用户管理: list (search + cursor paging), create, disable/enable, reset
// password. Server rules (docs/api.md): a manager only grants roles inside
// their subtree and never admin; passwords are 8–128 characters with
// letters and digits.

import { registerScreen } from '../shell.js';
import * as api from '../api.js';
import { h, messageBox, showFormError, clearFormError, field, table, busy, replaceChildren } from '../dom.js';
import { openDialog } from '../dialog.js';
import { STAFF_ROLES, roleName, roleCodes, describeRole } from '../roles.js';
import { loadCenters, centerSelect, centerIdFrom } from '../centers.js';

const PAGE_SIZE = 20;
const PASSWORD_HINT = '8–128 个字符，须同时包含字母和数字';

registerScreen({
  id: 'users',
  title: '用户管理',
  roles: ['admin', 'manager'],
  order: 10,
  async render(container, { user }) {
    const centers = await loadCenters();
    const msg = messageBox();
    const listArea = h('div', { class: 'list-area' });
    const pager = h('div', { class: 'pager' });
    // Cursor paging: cursors[i] fetches page i (page 0 has no cursor).
    const state = { q: '', cursors: [null], page: 0 };

    async function load() {
      const res = await api.get('/users', { limit: PAGE_SIZE, cursor: state.cursors[state.page], q: state.q });
      state.cursors[state.page + 1] = res.next || null;
      replaceChildren(listArea, userTable(res.items || []));
      renderPager(Boolean(res.next));
    }

    function renderPager(hasNext) {
      replaceChildren(
        pager,
        h('button', { type: 'button', class: 'btn', disabled: state.page === 0, onclick: () => go(-1) }, '上一页'),
        h('span', { class: 'pager-info' }, `第 ${state.page + 1} 页`),
        h('button', { type: 'button', class: 'btn', disabled: !hasNext, onclick: () => go(1) }, '下一页'),
      );
    }

    async function go(delta) {
      state.page += delta;
      await reload();
    }

    async function reload() {
      try {
        await load();
      } catch (err) {
        msg.show(err.message, 'error');
      }
    }

    function userTable(items) {
      const rows = items.map((u) => [
        u.username,
        u.display_name,
        (u.roles || []).map(describeRole).join('；') || '—',
        u.disabled ? h('span', { class: 'badge badge-off' }, '已停用') : h('span', { class: 'badge badge-on' }, '正常'),
        h('div', { class: 'row-actions' }, rowActions(u)),
      ]);
      return table(['用户名', '姓名', { text: '角色（所属中心）', wrap: true }, '状态', '操作'], rows, state.q ? '没有符合条件的用户' : '暂无用户');
    }

    function rowActions(u) {
      // Your own account: use 修改密码; disabling yourself would lock you out.
      if (u.id === user.id) return h('span', { class: 'muted' }, '当前登录账号');
      const toggle = u.disabled
        ? h('button', { type: 'button', class: 'btn btn-small', onclick: (e) => busy(e.currentTarget, () => setDisabled(u, false)) }, '启用')
        : h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', onclick: () => confirmDisable(u) }, '停用');
      return [toggle, h('button', { type: 'button', class: 'btn btn-small', onclick: () => resetPassword(u) }, '重置密码')];
    }

    async function setDisabled(u, disabled) {
      msg.clear();
      try {
        await api.patch(`/users/${encodeURIComponent(u.id)}`, { disabled });
        msg.show(disabled ? `已停用用户 ${u.username}` : `已启用用户 ${u.username}`, 'success');
        await load();
      } catch (err) {
        msg.show(err.message, 'error');
      }
    }

    async function confirmDisable(u) {
      msg.clear();
      const done = await openDialog({
        title: '停用用户',
        message: `确定要停用用户“${u.display_name}（${u.username}）”吗？停用后该用户将被强制下线，且无法再登录，直到重新启用。`,
        confirmText: '确定停用',
        danger: true,
        onConfirm: () => api.patch(`/users/${encodeURIComponent(u.id)}`, { disabled: true }),
      });
      if (!done) return;
      msg.show(`已停用用户 ${u.username}`, 'success');
      await reload();
    }

    async function resetPassword(u) {
      msg.clear();
      const input = h('input', { type: 'password', name: 'new_password', autocomplete: 'new-password', required: true, maxlength: 128 });
      const done = await openDialog({
        title: '重置密码',
        message: `为用户“${u.display_name}（${u.username}）”设置新密码。重置后该用户将被强制下线，下次登录时须修改密码。`,
        body: field('新密码', input, PASSWORD_HINT),
        confirmText: '确定重置',
        danger: true,
        onConfirm: () => {
          if (!input.value) throw new Error('请输入新密码');
          return api.post(`/users/${encodeURIComponent(u.id)}/password-reset`, { new_password: input.value });
        },
      });
      if (done) msg.show(`已重置用户 ${u.username} 的密码，请将新密码告知本人`, 'success');
    }

    // --- search ---------------------------------------------------------
    const qInput = h('input', { type: 'search', name: 'q', placeholder: '用户名或姓名', 'aria-label': '按用户名或姓名查询' });
    const searchForm = h(
      'form',
      { class: 'search', role: 'search' },
      qInput,
      h('button', { type: 'submit', class: 'btn' }, '查询'),
    );
    searchForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      msg.clear();
      state.q = qInput.value.trim();
      state.cursors = [null];
      state.page = 0;
      await reload();
    });

    // --- create ---------------------------------------------------------
    const isAdmin = roleCodes(user).includes('admin');
    const grantable = STAFF_ROLES.filter((r) => isAdmin || r !== 'admin');
    const createMsg = messageBox();
    const createForm = h(
      'form',
      { class: 'card form-grid', novalidate: true, hidden: true, 'aria-label': '新建用户' },
      h('h2', { class: 'form-title' }, '新建用户'),
      field('用户名', h('input', { name: 'username', autocomplete: 'off', required: true, maxlength: 64 })),
      field('姓名', h('input', { name: 'display_name', autocomplete: 'off', required: true, maxlength: 64 })),
      field('初始密码', h('input', { type: 'password', name: 'password', autocomplete: 'new-password', required: true, maxlength: 128 }), PASSWORD_HINT),
      field('角色', h('select', { name: 'role', required: true }, grantable.map((r) => h('option', { value: r }, roleName(r))))),
      field('所属中心', centerSelect(centers)),
      createMsg.el,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary' }, '保存'),
        h('button', { type: 'button', class: 'btn', onclick: () => toggleCreate(false) }, '取消'),
      ),
    );
    const newButton = h('button', { type: 'button', class: 'btn btn-primary', onclick: () => toggleCreate(true) }, '新建用户');

    function toggleCreate(open) {
      createForm.hidden = !open;
      newButton.hidden = open;
      clearFormError(createForm, createMsg);
      if (open) createForm.elements.username.focus();
      else createForm.reset();
    }

    createForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearFormError(createForm, createMsg);
      const f = createForm.elements;
      const missing = ['username', 'display_name', 'password'].find((n) => !f[n].value.trim());
      if (missing) {
        showFormError(createForm, createMsg, { message: '请填写用户名、姓名和初始密码', field: missing });
        return;
      }
      const body = {
        username: f.username.value.trim(),
        display_name: f.display_name.value.trim(),
        password: f.password.value,
        // department_id is left out: the server refuses it for roles without a
        // department, and departments have no screen yet.
        roles: [{ role: f.role.value, center_id: centerIdFrom(centers, f.center_id.value) }],
      };
      await busy(event.submitter || createForm.querySelector('[type=submit]'), async () => {
        try {
          const created = await api.post('/users', body);
          toggleCreate(false);
          msg.show(`已创建用户 ${created?.username || body.username}`, 'success');
          state.cursors = [null];
          state.page = 0;
          await reload();
        } catch (err) {
          showFormError(createForm, createMsg, err);
        }
      });
    });

    container.append(h('div', { class: 'toolbar' }, searchForm, newButton), createForm, msg.el, listArea, pager);
    await load();
  },
});
