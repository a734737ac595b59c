// 事项详情: one item's versions with the actions the caller's role allows
// (提交 by the department or the center; 审核通过 / 退回 / 发布 / 停用 by the
// center), and the comparison of any two versions.
//   #/catalog-item/{code}        compare the latest version with the one before
//   #/catalog-item/{code}/{n}    compare version n with the published one

import { registerScreen } from '../shell.js';
import * as api from '../api.js';
import { h, messageBox, formatTime, field, replaceChildren } from '../dom.js';
import { openDialog } from '../dialog.js';
import { OPEN_STATES, statusName } from '../catalog/labels.js';
import { CATALOG_ROLES, isCenter, statusBadge, itemPath, versionPath, takeFlash } from '../catalog/common.js';
import { diffPanel } from '../catalog/diffview.js';

const ACTIONS = {
  submit: { text: '提交审核', title: '提交审核', confirm: '确定提交', message: (n) => `确定将第 ${n} 版提交中心审核吗？提交后草稿不能再修改。`, done: (n) => `已提交第 ${n} 版，等待中心审核` },
  approve: { text: '审核通过', title: '审核通过', confirm: '确定通过', message: (n) => `确定第 ${n} 版审核通过吗？通过后即可发布。`, done: (n) => `第 ${n} 版已审核通过` },
  publish: { text: '发布', title: '发布版本', confirm: '确定发布', message: (n) => `确定发布第 ${n} 版吗？发布后该版本不可再修改，原已发布的版本将同时停用，办事指南随即更新。`, done: (n) => `第 ${n} 版已发布` },
};

registerScreen({
  id: 'catalog-item',
  title: '事项详情',
  roles: CATALOG_ROLES,
  menu: false,
  async render(container, { params, user, navigate }) {
    const code = params[0];
    if (!code) {
      navigate('catalog');
      return;
    }
    const focusVersion = params[1] ? Number(params[1]) : null;
    const msg = messageBox();
    const center = isCenter(user);
    const area = h('div');
    container.append(h('p', null, h('a', { class: 'back-link', href: '#/catalog' }, '‹ 返回事项目录')), msg.el, area);

    async function load() {
      const item = await api.get(itemPath(code));
      const versions = [...(item.versions || [])].sort((a, b) => b.version - a.version);
      const open = versions.find((v) => OPEN_STATES.includes(v.status));
      const published = versions.find((v) => v.status === 'published');
      const latest = versions[0];

      const top = [];
      if (!open && latest) {
        const base = published || latest;
        top.push(h('a', { class: 'btn btn-primary', href: `#/catalog-edit/${encodeURIComponent(code)}/from/${base.version}` }, `新建版本（基于第 ${base.version} 版）`));
      }
      if (!latest) top.push(h('a', { class: 'btn btn-primary', href: `#/catalog-edit/new/${encodeURIComponent(code)}` }, '编写第 1 版'));
      if (published) top.push(h('a', { class: 'btn', href: `/guide/items/${encodeURIComponent(code)}`, target: '_blank', rel: 'noopener' }, '查看办事指南'));
      if (center && published) top.push(h('button', { type: 'button', class: 'btn btn-danger-outline', onclick: retire }, '停用事项'));

      const rows = versions.map((v) => [
        `第 ${v.version} 版`,
        statusBadge(v.status),
        v.note ? h('span', { class: 'version-note' }, v.note) : '—',
        v.created_by_name || v.created_by || '—',
        formatTime(v.created_at) || '—',
        formatTime(v.submitted_at) || '—',
        formatTime(v.reviewed_at) || '—',
        formatTime(v.published_at) || '—',
        h('div', { class: 'row-actions' }, versionActions(v)),
      ]);

      let a = null;
      let b = null;
      if (focusVersion && versions.some((v) => v.version === focusVersion)) {
        b = focusVersion;
        a = published && published.version !== focusVersion ? published.version : versions.find((v) => v.version < focusVersion)?.version ?? focusVersion;
      } else if (versions.length > 1) {
        b = versions[0].version;
        a = versions[1].version;
      } else if (latest) {
        a = b = latest.version;
      }

      replaceChildren(
        area,
        h(
          'div',
          { class: 'card item-head' },
          h('h2', { class: 'detail-title' }, item.name || code),
          h(
            'dl',
            { class: 'facts' },
            fact('基本编码', code),
            fact('实施部门', item.department || '—'),
            fact('已发布版本', published ? `第 ${published.version} 版` : '未发布'),
            fact('待处理版本', open ? `第 ${open.version} 版（${statusName(open.status)}）` : '无'),
          ),
          top.length ? h('div', { class: 'form-actions' }, top) : null,
        ),
        h('h2', null, '版本历史'),
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data versions' },
            h('thead', null, h('tr', null, ['版本', '状态', '说明', '创建人', '创建时间', '提交时间', '审核时间', '发布时间', '操作'].map((t) => h('th', { scope: 'col' }, t)))),
            h(
              'tbody',
              null,
              rows.map((r, i) => h('tr', { 'data-version': versions[i].version }, r.map((c, k) => h('td', { class: k === 2 ? 'wrap' : null }, c)))),
            ),
          ),
        ),
        versions.length ? diffPanel(code, versions, a, b) : null,
      );
    }

    function fact(name, value) {
      return h('div', { class: 'fact' }, h('dt', null, name), h('dd', null, value));
    }

    function versionActions(v) {
      const out = [];
      const n = v.version;
      if (v.status === 'draft') {
        out.push(h('a', { class: 'btn btn-small', href: `#/catalog-edit/${encodeURIComponent(code)}/${n}` }, '编辑'));
        out.push(actionButton('submit', n));
      }
      if (center && v.status === 'submitted') out.push(actionButton('approve', n));
      if (center && v.status === 'reviewed') out.push(actionButton('publish', n));
      if (center && (v.status === 'submitted' || v.status === 'reviewed')) {
        out.push(h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', onclick: () => reject(n) }, '退回'));
      }
      return out.length ? out : h('span', { class: 'muted' }, '—');
    }

    function actionButton(action, n) {
      const a = ACTIONS[action];
      return h(
        'button',
        {
          type: 'button',
          class: action === 'publish' ? 'btn btn-small btn-primary' : 'btn btn-small',
          onclick: async () => {
            msg.clear();
            const ok = await openDialog({ title: a.title, message: a.message(n), confirmText: a.confirm, onConfirm: () => api.post(`${versionPath(code, n)}/${action}`, {}) });
            if (ok) await after(a.done(n));
          },
        },
        a.text,
      );
    }

    async function reject(n) {
      msg.clear();
      const note = h('textarea', { name: 'note', rows: 3, maxlength: 500, required: true });
      const ok = await openDialog({
        title: '退回修改',
        message: `将第 ${n} 版退回为草稿，请写明退回原因，部门据此修改后重新提交。`,
        body: field('退回原因', note),
        confirmText: '确定退回',
        danger: true,
        onConfirm: () => {
          if (!note.value.trim()) throw new Error('请填写退回原因');
          return api.post(`${versionPath(code, n)}/reject`, { note: note.value.trim() });
        },
      });
      if (ok) await after(`已退回第 ${n} 版`);
    }

    async function retire() {
      msg.clear();
      const note = h('textarea', { name: 'note', rows: 3, maxlength: 500, required: true });
      const ok = await openDialog({
        title: '停用事项',
        message: '停用后该事项不再对外提供办事指南，也不能再受理新的办件。确定要停用吗？',
        body: field('停用原因', note),
        confirmText: '确定停用',
        danger: true,
        onConfirm: () => {
          if (!note.value.trim()) throw new Error('请填写停用原因');
          return api.post(`${itemPath(code)}/retire`, { note: note.value.trim() });
        },
      });
      if (ok) await after('事项已停用');
    }

    async function after(text) {
      try {
        await load();
        msg.show(text, 'success');
      } catch (err) {
        msg.show(err.message, 'error');
      }
    }

    await load();
    takeFlash(msg);
  },
});


