// 动态调整: changes of the catalog caused by a new rule. The department
// reports within 5 working days of the rule's publication (report_due), the
// center publishes within 10 (publish_due); the server counts the working
// days left to the next deadline (days_left) and flags overdue rows.

import { registerScreen } from '../shell.js';
import * as api from '../api.js';
import { h, messageBox, field, busy, showFormError, clearFormError, formatTime, replaceChildren } from '../dom.js';
import { ADJUST_KINDS, ADJUST_STATUS } from '../catalog/labels.js';
import { CATALOG_ROLES, isCenter, rowsOf } from '../catalog/common.js';
import { formatDateCN, todayCST } from '../dates.js';

const KIND_NAME = Object.fromEntries(ADJUST_KINDS);

registerScreen({
  id: 'catalog-adjust',
  title: '动态调整',
  roles: CATALOG_ROLES,
  order: 42,
  async render(container, { user }) {
    const msg = messageBox();
    const listArea = h('div', { class: 'list-area' });
    const center = isCenter(user);

    async function load() {
      const rows = rowsOf(await api.get('/catalog/adjustments'), 'adjustments');
      const overdue = rows.filter((r) => r.overdue && r.status !== 'done').length;
      const headers = ['事项编码', '实施部门', '调整类型', { text: '依据文件', wrap: true }, '文件发布日期', '报送期限', '发布期限', '剩余工作日', '状态', { text: '说明', wrap: true }, '操作'];
      const tbody = h('tbody');
      if (!rows.length) tbody.append(h('tr', null, h('td', { class: 'empty', colspan: headers.length }, '暂无动态调整')));
      for (const r of rows) {
        const late = r.overdue && r.status !== 'done';
        const cells = [
          h('span', { class: 'mono' }, r.basic_code),
          r.department || '—',
          KIND_NAME[r.kind] || r.kind,
          r.rule_title,
          formatDateCN(r.rule_published_on),
          h('span', { class: r.status === 'open' && late ? 'due-late' : null }, formatDateCN(r.report_due)),
          h('span', { class: r.status === 'reported' && late ? 'due-late' : null }, formatDateCN(r.publish_due)),
          r.status === 'done' ? '—' : h('span', { class: late ? 'days-left due-late' : 'days-left' }, daysText(r.days_left)),
          h('span', { class: 'tags' }, h('span', { class: `badge adj-${r.status}` }, ADJUST_STATUS[r.status] || r.status), late ? h('span', { class: 'badge badge-overdue' }, '已超期') : null),
          r.note || '—',
          h('div', { class: 'row-actions' }, actions(r)),
        ];
        tbody.append(h('tr', { class: late ? 'row-overdue' : null, 'data-id': r.id }, cells.map((c, i) => h('td', { class: headers[i].wrap ? 'wrap' : null }, c))));
      }
      replaceChildren(
        listArea,
        overdue ? h('div', { class: 'banner banner-warn', role: 'status' }, h('strong', { class: 'banner-title' }, `有 ${overdue} 项调整已超期`), h('p', { class: 'banner-text' }, '请尽快督促部门报送或完成发布。')) : null,
        h('div', { class: 'table-wrap' }, h('table', { class: 'data' }, h('thead', null, h('tr', null, headers.map((c) => h('th', { scope: 'col' }, typeof c === 'string' ? c : c.text)))), tbody)),
      );
    }

    function daysText(n) {
      if (typeof n !== 'number') return '—';
      if (n < 0) return `超期 ${-n} 个工作日`;
      if (n === 0) return '今日到期';
      return `${n} 个工作日`;
    }

    function actions(r) {
      const out = [];
      if (r.status === 'open') out.push(h('button', { type: 'button', class: 'btn btn-small', onclick: (e) => busy(e.currentTarget, () => mark(r, 'report', '已标记为部门已报送')) }, '标记已报送'));
      if (center && r.status !== 'done') out.push(h('button', { type: 'button', class: 'btn btn-small btn-primary', onclick: (e) => busy(e.currentTarget, () => mark(r, 'done', '已标记为中心已发布')) }, '标记已发布'));
      const at = r.done_at || r.reported_at;
      if (at) out.push(h('span', { class: 'muted' }, formatTime(at)));
      return out.length ? out : h('span', { class: 'muted' }, '—');
    }

    async function mark(r, what, text) {
      msg.clear();
      try {
        await api.post(`/catalog/adjustments/${encodeURIComponent(r.id)}/${what}`, {});
        await load();
        msg.show(text, 'success');
      } catch (err) {
        msg.show(err.message, 'error');
      }
    }

    // --- create -------------------------------------------------------------
    const formMsg = messageBox();
    const form = h(
      'form',
      { class: 'card form-grid', novalidate: true, hidden: true, 'aria-label': '登记动态调整' },
      h('h2', { class: 'form-title' }, '登记动态调整'),
      field('事项基本编码', h('input', { name: 'basic_code', maxlength: 12, autocomplete: 'off', required: true })),
      field('调整类型', h('select', { name: 'kind' }, ADJUST_KINDS.map(([k, v]) => h('option', { value: k }, v)))),
      field('依据文件名称', h('input', { name: 'rule_title', maxlength: 200, autocomplete: 'off', required: true })),
      field('文件发布日期', h('input', { type: 'date', name: 'rule_published_on', value: todayCST(), required: true }), '部门应在5个工作日内报送，中心应在10个工作日内发布'),
      h('div', { class: 'field field-wide' }, h('label', { class: 'field-label', for: 'adj-note' }, '说明'), h('textarea', { id: 'adj-note', name: 'note', rows: 2, maxlength: 500 })),
      formMsg.el,
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, '保存'), h('button', { type: 'button', class: 'btn', onclick: () => toggle(false) }, '取消')),
    );
    const newBtn = h('button', { type: 'button', class: 'btn btn-primary', onclick: () => toggle(true) }, '登记调整');
    function toggle(open) {
      form.hidden = !open;
      newBtn.hidden = open;
      clearFormError(form, formMsg);
      if (open) form.elements.basic_code.focus();
      else form.reset();
    }
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearFormError(form, formMsg);
      const f = form.elements;
      const body = { basic_code: f.basic_code.value.trim(), kind: f.kind.value, rule_title: f.rule_title.value.trim(), rule_published_on: f.rule_published_on.value, note: f.note.value.trim() };
      const missing = ['basic_code', 'rule_title', 'rule_published_on'].find((n) => !body[n]);
      if (missing) {
        showFormError(form, formMsg, { message: '请填写事项编码、依据文件名称和发布日期', field: missing });
        return;
      }
      await busy(e.submitter || form.querySelector('[type=submit]'), async () => {
        try {
          await api.post('/catalog/adjustments', body);
          toggle(false);
          await load();
          msg.show(`已登记事项 ${body.basic_code} 的${KIND_NAME[body.kind]}`, 'success');
        } catch (err) {
          showFormError(form, formMsg, err);
        }
      });
    });

    container.append(
      h('div', { class: 'toolbar' }, h('p', { class: 'muted' }, '新规出台后：部门应在 5 个工作日内报送，中心应在 10 个工作日内发布（按工作日历计算）。'), newBtn),
      form,
      msg.el,
      listArea,
    );
    await load();
  },
});
