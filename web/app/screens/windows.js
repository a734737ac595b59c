// 窗口管理: the windows of one center. Every staff role may look; admins and
// managers create, edit, deactivate and re-activate windows. Server rules
// (docs/api.md): number 1–999 unique per center (409 WINDOW_NUMBER_TAKEN),
// 分领域 windows name one of six domains and only they may, 专窗 need a
// department. Route: #/windows/{centerId}.

import { registerScreen } from '../shell.js';
import * as api from '../api.js';
import { h, messageBox, field, table, busy, replaceChildren } from '../dom.js';
import { openDialog } from '../dialog.js';
import { STAFF_ROLES, hasAnyRole } from '../roles.js';
import { loadCenters, defaultCenterId, centerPicker, levelName } from '../centers.js';
import { clearFieldErrors, markField, showFieldError } from '../forms.js';
import {
  WINDOW_KINDS,
  DOMAINS,
  windowKindName,
  options,
  loadDepartments,
  departmentLabel,
  idOrNull,
  minimumBanner,
} from '../org.js';

// A name to start from when the manager picks a kind (they may change it).
const DEFAULT_NAMES = {
  general: '无差别综合受理窗口',
  dedicated: '专窗',
  certificate: '统一出证窗口',
  consult: '帮办咨询窗口',
  complaint: '办不成事反映窗口',
  cross_region: '跨域通办窗口',
  bundle: '一件事一次办窗口',
  tidal: '潮汐窗口',
  duty: '值班窗口',
};

const DUTY_FLAGS = [
  ['duty_lunch', 'is_duty_lunch', '午间值班', '午间'],
  ['duty_weekend', 'is_duty_weekend', '周末值班', '周末'],
  ['duty_holiday', 'is_duty_holiday', '节假日值班', '节假日'],
];

function checkbox(name, caption, checked = false) {
  return h('label', { class: 'check' }, h('input', { type: 'checkbox', name, checked }), h('span', null, caption));
}

registerScreen({
  id: 'windows',
  title: '窗口管理',
  roles: STAFF_ROLES,
  order: 12,
  async render(container, { user, params }) {
    const [centers, departments] = await Promise.all([loadCenters(), loadDepartments()]);
    if (centers.length === 0) {
      container.append(h('p', { class: 'msg' }, '当前账号没有可查看的中心。'));
      return;
    }
    const canEdit = hasAnyRole(user, ['admin', 'manager']);
    const deptById = new Map(departments.map((d) => [String(d.id), d]));
    const state = { centerId: defaultCenterId(user, centers, params[0]), windows: [], zones: [], editing: null };
    const msg = messageBox();
    const summary = h('div', { class: 'summary-line' });
    const bannerArea = h('div');
    const listArea = h('div', { class: 'list-area' });

    const picker = centerPicker(centers, state.centerId, async (id) => {
      state.centerId = id;
      history.replaceState(null, '', `#/windows/${encodeURIComponent(id)}`);
      closeForm();
      msg.clear();
      await reload();
    });

    const currentCenter = () => centers.find((c) => String(c.id) === state.centerId);

    async function load() {
      const id = state.centerId;
      const [windows, zones, detail] = await Promise.all([
        api.listAll('/windows', { center_id: id }),
        api.listAll(`/centers/${encodeURIComponent(id)}/zones`),
        api.get(`/centers/${encodeURIComponent(id)}`),
      ]);
      if (id !== state.centerId) return; // the user picked another center meanwhile
      state.windows = windows.sort((a, b) => a.number - b.number);
      state.zones = zones;
      fillZoneSelect();
      replaceChildren(bannerArea, minimumBanner(detail));
      const active = windows.filter((w) => w.is_active).length;
      const c = currentCenter();
      replaceChildren(
        summary,
        h('span', null, `${c ? c.name : ''}（${levelName(c?.level)}）`),
        h('span', { class: 'muted' }, `共 ${windows.length} 个窗口，其中启用 ${active} 个`),
      );
      replaceChildren(listArea, windowTable());
    }

    async function reload() {
      try {
        await load();
      } catch (err) {
        msg.show(err.message, 'error');
      }
    }

    function dutyCell(w) {
      const on = DUTY_FLAGS.filter(([, key]) => w[key]);
      if (on.length === 0) return h('span', { class: 'muted' }, '—');
      return h('span', { class: 'tags' }, on.map(([, , , short]) => h('span', { class: 'badge badge-duty' }, short)));
    }

    function windowTable() {
      const rows = state.windows.map((w) => [
        h('span', { class: 'window-no' }, String(w.number)),
        w.name,
        windowKindName(w.kind),
        w.domain || '—',
        w.department_name || departmentLabel(deptById.get(String(w.department_id))) || '—',
        dutyCell(w),
        w.is_active ? h('span', { class: 'badge badge-on' }, '启用') : h('span', { class: 'badge badge-off' }, '已停用'),
        canEdit ? h('div', { class: 'row-actions' }, rowActions(w)) : null,
      ]);
      const headers = ['窗口号', { text: '窗口名称', wrap: true }, '类型', '领域', '进驻部门', '值班', '状态'];
      if (canEdit) headers.push('操作');
      const t = table(headers, canEdit ? rows : rows.map((r) => r.slice(0, -1)), '该中心尚未设置窗口');
      t.classList.add('windows-table');
      state.windows.forEach((w, i) => {
        const tr = t.querySelectorAll('tbody tr')[i];
        if (tr) {
          tr.dataset.windowNo = String(w.number);
          if (!w.is_active) tr.classList.add('row-inactive');
        }
      });
      return t;
    }

    function rowActions(w) {
      const edit = h('button', { type: 'button', class: 'btn btn-small', onclick: () => openForm(w) }, '编辑');
      const toggle = w.is_active
        ? h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', onclick: () => confirmDeactivate(w) }, '停用')
        : h('button', { type: 'button', class: 'btn btn-small', onclick: (e) => busy(e.currentTarget, () => setActive(w, true)) }, '启用');
      return [edit, toggle];
    }

    async function setActive(w, active) {
      msg.clear();
      try {
        await api.patch(`/windows/${encodeURIComponent(w.id)}`, { active });
        msg.show(`已${active ? '启用' : '停用'}${w.number}号窗口`, 'success');
        await load();
      } catch (err) {
        msg.show(err.message, 'error');
      }
    }

    async function confirmDeactivate(w) {
      msg.clear();
      const town = currentCenter()?.level === 'town';
      const done = await openDialog({
        title: '停用窗口',
        message:
          `确定要停用${w.number}号窗口“${w.name}”吗？停用后该窗口不再参与取号、叫号和统计，可随时重新启用。` +
          (town ? '乡镇（街道）中心停用综合受理、统一出证或帮办咨询窗口，可能导致窗口配置不达标。' : ''),
        confirmText: '确定停用',
        danger: true,
        onConfirm: () => api.patch(`/windows/${encodeURIComponent(w.id)}`, { active: false }),
      });
      if (!done) return;
      msg.show(`已停用${w.number}号窗口`, 'success');
      await reload();
    }

    // --- create / edit form --------------------------------------------------
    const formMsg = messageBox();
    const formTitle = h('h2', { class: 'form-title' }, '新建窗口');
    const kindSelect = h('select', { name: 'kind', required: true }, options(WINDOW_KINDS));
    const domainSelect = h('select', { name: 'domain' }, options(DOMAINS.map((d) => [d, d]), '请选择领域'));
    const deptSelect = h(
      'select',
      { name: 'department_id' },
      options(departments.map((d) => [d.id, d.name]), '不指定'),
    );
    const zoneSelect = h('select', { name: 'zone_id' });
    const nameInput = h('input', { name: 'name', autocomplete: 'off', required: true, maxlength: 32 });
    const domainField = field('领域', domainSelect, '分领域综合受理窗口须选择领域');
    const deptField = field('进驻部门', deptSelect, '专窗须指定进驻部门');
    const form = h(
      'form',
      { class: 'card form-grid', novalidate: true, hidden: true, 'aria-label': '新建窗口' },
      formTitle,
      field('窗口号', h('input', { name: 'number', type: 'number', min: 1, max: 999, step: 1, inputmode: 'numeric', required: true }), '1–999，同一中心内不可重复'),
      field('窗口类型', kindSelect),
      field('窗口名称', nameInput),
      domainField,
      deptField,
      field('所在功能区', zoneSelect),
      h(
        'fieldset',
        { class: 'checks' },
        h('legend', null, '值班与状态'),
        DUTY_FLAGS.map(([name, , caption]) => checkbox(name, caption)),
        checkbox('active', '启用', true),
      ),
      formMsg.el,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary' }, '保存'),
        h('button', { type: 'button', class: 'btn', onclick: () => closeForm(true) }, '取消'),
      ),
    );
    const newButton = h('button', { type: 'button', class: 'btn btn-primary', onclick: () => openForm(null) }, '新建窗口');
    let autoName = '';

    function fillZoneSelect() {
      replaceChildren(zoneSelect, options(state.zones.map((z) => [z.id, z.name]), '不指定'));
    }

    function suggestedName() {
      const kind = kindSelect.value;
      if (kind === 'domain') return domainSelect.value ? `${domainSelect.value}综合窗口` : '';
      if (kind === 'dedicated') {
        const d = deptById.get(deptSelect.value);
        return d ? `${departmentLabel(d)}专窗` : '';
      }
      return DEFAULT_NAMES[kind] || '';
    }

    function syncKind() {
      const kind = kindSelect.value;
      domainField.hidden = kind !== 'domain';
      deptSelect.required = kind === 'dedicated';
      // Keep a name the manager typed; refresh one we suggested.
      if (!nameInput.value || nameInput.value === autoName) {
        autoName = suggestedName();
        nameInput.value = autoName;
      }
    }
    kindSelect.addEventListener('change', syncKind);
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') closeForm(true);
    });
    domainSelect.addEventListener('change', syncKind);
    deptSelect.addEventListener('change', syncKind);

    function openForm(w) {
      state.editing = w;
      clearFieldErrors(form, formMsg);
      form.reset();
      const f = form.elements;
      const title = w ? `编辑${w.number}号窗口` : '新建窗口';
      formTitle.textContent = title;
      form.setAttribute('aria-label', w ? '编辑窗口' : '新建窗口');
      if (w) {
        f.number.value = String(w.number);
        f.name.value = w.name;
        f.kind.value = w.kind;
        f.domain.value = w.domain || '';
        f.department_id.value = w.department_id == null ? '' : String(w.department_id);
        f.zone_id.value = w.zone_id == null ? '' : String(w.zone_id);
        for (const [name, key] of DUTY_FLAGS) f[name].checked = Boolean(w[key]);
        f.active.checked = Boolean(w.is_active);
        autoName = '';
      } else {
        const next = state.windows.reduce((max, x) => Math.max(max, x.number), 0) + 1;
        f.number.value = String(Math.min(next, 999));
        f.active.checked = true;
        autoName = '';
        nameInput.value = '';
      }
      syncKind();
      form.hidden = false;
      newButton.hidden = true;
      f.number.focus();
    }

    /** Hide the form; refocus = true puts the keyboard back on 新建窗口. */
    function closeForm(refocus = false) {
      state.editing = null;
      form.hidden = true;
      newButton.hidden = !canEdit;
      clearFieldErrors(form, formMsg);
      if (refocus && canEdit) newButton.focus();
    }

    /** Read and check the form; returns the full body or null after marking a field. */
    function readForm() {
      const f = form.elements;
      const number = Number(f.number.value);
      if (!Number.isInteger(number) || number < 1 || number > 999) {
        markField(f.number, '窗口号应为1至999之间的整数');
        return null;
      }
      const name = f.name.value.trim();
      if (!name) {
        markField(f.name, '请填写窗口名称');
        return null;
      }
      const kind = f.kind.value;
      if (kind === 'domain' && !f.domain.value) {
        markField(f.domain, '分领域综合受理窗口须选择领域');
        return null;
      }
      if (kind === 'dedicated' && !f.department_id.value) {
        markField(f.department_id, '专窗须指定进驻部门');
        return null;
      }
      const body = {
        number,
        name,
        kind,
        department_id: idOrNull(f.department_id.value),
        zone_id: idOrNull(f.zone_id.value),
        active: f.active.checked,
      };
      if (kind === 'domain') body.domain = f.domain.value;
      for (const [flag] of DUTY_FLAGS) body[flag] = f[flag].checked;
      return body;
    }

    /** Only what changed, in the PATCH vocabulary. */
    function changes(w, body) {
      const out = {};
      const before = {
        number: w.number,
        name: w.name,
        kind: w.kind,
        department_id: w.department_id ?? null,
        zone_id: w.zone_id ?? null,
        active: Boolean(w.is_active),
        domain: w.domain || '',
      };
      for (const [flag, key] of DUTY_FLAGS) before[flag] = Boolean(w[key]);
      for (const key of Object.keys(body)) if (body[key] !== before[key]) out[key] = body[key];
      // Leaving 分领域: the domain must be emptied. An empty string, not null:
      // the server answers null with a misleading 409.
      if (body.kind !== 'domain' && before.domain) out.domain = '';
      return out;
    }

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearFieldErrors(form, formMsg);
      const body = readForm();
      if (!body) return;
      const editing = state.editing;
      await busy(event.submitter || form.querySelector('[type=submit]'), async () => {
        try {
          if (editing) {
            const diff = changes(editing, body);
            if (Object.keys(diff).length) await api.patch(`/windows/${encodeURIComponent(editing.id)}`, diff);
            msg.show(`已保存${body.number}号窗口`, 'success');
          } else {
            const create = { center_id: idOrNull(state.centerId), ...body };
            if (create.department_id === null) delete create.department_id;
            if (create.zone_id === null) delete create.zone_id;
            await api.post('/windows', create);
            msg.show(`已新建${body.number}号窗口“${body.name}”`, 'success');
          }
          closeForm(true);
          await load();
        } catch (err) {
          showFieldError(form, formMsg, err);
        }
      });
    });

    newButton.hidden = !canEdit;
    // replaceChildren skips the null parts (forms a role does not get).
    replaceChildren(
      container,
      h('div', { class: 'toolbar' }, picker.el, newButton),
      summary,
      bannerArea,
      form,
      msg.el,
      listArea,
    );
    history.replaceState(null, '', `#/windows/${encodeURIComponent(state.centerId)}`);
    await load();
  },
});
