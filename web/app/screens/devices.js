// 设备管理: hall devices (取号机, 叫号屏, 评价器) and their bearer tokens.
// A token is returned once, by the create call; the screen shows it with a
// warning and never again. Revoking (DELETE) makes the token stop working.

import { registerScreen } from '../shell.js';
import * as api from '../api.js';
import { h, messageBox, showFormError, clearFormError, field, table, busy, replaceChildren, formatTime } from '../dom.js';
import { openDialog } from '../dialog.js';
import { loadCenters, centerSelect, centerIdFrom, centerNames } from '../centers.js';

const KINDS = { kiosk: '取号机', display: '叫号屏', rating_pad: '评价器' };

function kindName(kind) {
  return KINDS[kind] || kind;
}

function isRevoked(d) {
  return Boolean(d.revoked || d.revoked_at);
}

registerScreen({
  id: 'devices',
  title: '设备管理',
  roles: ['admin', 'manager'],
  order: 20,
  async render(container) {
    const centers = await loadCenters();
    const names = centerNames(centers);
    const msg = messageBox();
    const tokenArea = h('div', { class: 'token-area' });
    const listArea = h('div', { class: 'list-area' });

    async function load() {
      const devices = await api.listAll('/devices');
      const rows = devices.map((d) => [
        d.name,
        kindName(d.kind),
        d.center_name || names.get(String(d.center_id)) || String(d.center_id ?? ''),
        d.window_no ?? '—',
        formatTime(d.created_at) || '—',
        isRevoked(d) ? h('span', { class: 'badge badge-off' }, '已吊销') : h('span', { class: 'badge badge-on' }, '正常'),
        isRevoked(d)
          ? ''
          : h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', onclick: () => confirmRevoke(d) }, '吊销'),
      ]);
      replaceChildren(listArea, table([{ text: '名称', wrap: true }, '类型', '所属中心', '窗口号', '创建时间', '状态', '操作'], rows, '暂无设备'));
    }

    async function reload() {
      try {
        await load();
      } catch (err) {
        msg.show(err.message, 'error');
      }
    }

    async function confirmRevoke(d) {
      msg.clear();
      const done = await openDialog({
        title: '吊销设备',
        message: `确定要吊销${kindName(d.kind)}“${d.name}”吗？吊销后该设备的令牌立即失效，设备将无法继续使用，此操作不可撤销。`,
        confirmText: '确定吊销',
        danger: true,
        onConfirm: () => api.del(`/devices/${encodeURIComponent(d.id)}`),
      });
      if (!done) return;
      replaceChildren(tokenArea);
      msg.show(`已吊销设备 ${d.name}`, 'success');
      await reload();
    }

    function showToken(device) {
      const code = h('code', { class: 'token-value' }, device.token);
      const copyBtn = h('button', { type: 'button', class: 'btn btn-small' }, '复制');
      copyBtn.addEventListener('click', async () => {
        try {
          await navigator.clipboard.writeText(device.token);
          copyBtn.textContent = '已复制';
        } catch {
          // Clipboard needs a secure context; fall back to selecting the text.
          getSelection().selectAllChildren(code);
          copyBtn.textContent = '请按 Ctrl+C 复制';
        }
      });
      replaceChildren(
        tokenArea,
        h(
          'div',
          { class: 'token-box', role: 'alert' },
          h('h2', null, `设备“${device.name}”已创建，访问令牌如下：`),
          h('div', { class: 'token-line' }, code, copyBtn),
          h('p', { class: 'token-warning' }, '请立即复制并配置到设备上。此令牌只显示这一次，离开本页后将无法再次查看；如遗失，只能吊销该设备后重新创建。'),
          h('button', { type: 'button', class: 'btn', onclick: () => replaceChildren(tokenArea) }, '我已保存，关闭'),
        ),
      );
    }

    // --- create ---------------------------------------------------------
    const createMsg = messageBox();
    const createForm = h(
      'form',
      { class: 'card form-grid', novalidate: true, hidden: true, 'aria-label': '新建设备' },
      h('h2', { class: 'form-title' }, '新建设备'),
      field('设备类型', h('select', { name: 'kind', required: true }, Object.entries(KINDS).map(([v, t]) => h('option', { value: v }, t)))),
      field('设备名称', h('input', { name: 'name', autocomplete: 'off', required: true, maxlength: 64, placeholder: '如：一楼大厅取号机' })),
      field('所属中心', centerSelect(centers)),
      field('窗口号', h('input', { name: 'window_no', type: 'number', min: 1, step: 1, inputmode: 'numeric' }), '评价器填写所在窗口号；其他设备可不填'),
      createMsg.el,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary' }, '保存'),
        h('button', { type: 'button', class: 'btn', onclick: () => toggleCreate(false) }, '取消'),
      ),
    );
    const newButton = h('button', { type: 'button', class: 'btn btn-primary', onclick: () => toggleCreate(true) }, '新建设备');

    function toggleCreate(open) {
      createForm.hidden = !open;
      newButton.hidden = open;
      clearFormError(createForm, createMsg);
      if (open) createForm.elements.kind.focus();
      else createForm.reset();
    }

    createForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearFormError(createForm, createMsg);
      const f = createForm.elements;
      if (!f.name.value.trim()) {
        showFormError(createForm, createMsg, { message: '请填写设备名称', field: 'name' });
        return;
      }
      const body = { kind: f.kind.value, name: f.name.value.trim(), center_id: centerIdFrom(centers, f.center_id.value) };
      if (f.window_no.value !== '') {
        const n = Number(f.window_no.value);
        if (!Number.isInteger(n) || n < 1) {
          showFormError(createForm, createMsg, { message: '窗口号须为正整数', field: 'window_no' });
          return;
        }
        body.window_no = n;
      }
      await busy(event.submitter || createForm.querySelector('[type=submit]'), async () => {
        try {
          const device = await api.post('/devices', body);
          toggleCreate(false);
          showToken(device);
          await reload();
        } catch (err) {
          showFormError(createForm, createMsg, err);
        }
      });
    });

    container.append(h('div', { class: 'toolbar' }, newButton), createForm, tokenArea, msg.el, listArea);
    await load();
  },
});
