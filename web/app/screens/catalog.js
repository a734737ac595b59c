// 事项目录: the catalog's items with search and filters (status, department,
// domain), each item's published and latest version, and (for the center)
// the two catalog goals (综合窗口可受理事项占比 ≥ 95%, 免提交材料占比 ≥ 80%).

import { registerScreen } from '../shell.js';
import * as api from '../api.js';
import { h, messageBox, table, replaceChildren } from '../dom.js';
import { ENUMS, STATUS_NAMES, label } from '../catalog/labels.js';
import { CATALOG_ROLES, statusBadge, loadDepartments } from '../catalog/common.js';
import { hasAnyRole } from '../roles.js';
import { loadCenters, centerPicker, defaultCenterId } from '../centers.js';

const PAGE_SIZE = 20;

registerScreen({
  id: 'catalog',
  title: '事项目录',
  roles: CATALOG_ROLES,
  order: 40,
  async render(container, { navigate, user }) {
    const msg = messageBox();
    const statsArea = h('div', { class: 'catalog-stats' });
    const listArea = h('div', { class: 'list-area' });
    const pager = h('div', { class: 'pager' });
    const countLine = h('p', { class: 'count-line muted' });
    const state = { q: '', status: '', department_id: '', domain: '', offset: 0 };
    const departments = await loadDepartments();

    const qInput = h('input', { type: 'search', id: 'catalog-q', placeholder: '事项名称、编码或别名', 'aria-label': '按事项名称、编码或别名查询' });
    const statusSel = h('select', { id: 'catalog-status', 'aria-label': '按状态筛选' }, h('option', { value: '' }, '全部状态'), Object.entries(STATUS_NAMES).map(([k, v]) => h('option', { value: k }, v)));
    const deptSel = h('select', { id: 'catalog-dept', 'aria-label': '按实施部门筛选' }, h('option', { value: '' }, '全部部门'), departments.map((d) => h('option', { value: d.id }, d.short_name || d.name)));
    const domainSel = h('select', { id: 'catalog-domain', 'aria-label': '按领域筛选' }, h('option', { value: '' }, '全部领域'), ENUMS.domain.map(([k, v]) => h('option', { value: k }, v)));
    const searchForm = h('form', { class: 'search filters', role: 'search' }, qInput, statusSel, deptSel, domainSel, h('button', { type: 'submit', class: 'btn' }, '查询'));
    searchForm.addEventListener('submit', (e) => {
      e.preventDefault();
      Object.assign(state, { q: qInput.value.trim(), status: statusSel.value, department_id: deptSel.value, domain: domainSel.value, offset: 0 });
      reload();
    });
    for (const sel of [statusSel, deptSel, domainSel]) sel.addEventListener('change', () => searchForm.requestSubmit());

    async function load() {
      const res = await api.get('/catalog/items', { q: state.q, status: state.status, department_id: state.department_id, domain: state.domain, limit: PAGE_SIZE, offset: state.offset });
      const items = res.items || [];
      const total = Number(res.total ?? items.length);
      countLine.textContent = `共 ${total} 个事项`;
      replaceChildren(
        listArea,
        table(
          ['基本编码', { text: '事项名称', wrap: true }, '实施部门', '领域', '事项类型', '办件类型', '已发布版本', '最新版本'],
          items.map((it) => [
            h('span', { class: 'mono' }, it.basic_code),
            h('a', { href: `#/catalog-item/${encodeURIComponent(it.basic_code)}` }, it.name),
            it.department || '—',
            it.domain || '—',
            label('type', it.type_code) || '—',
            label('case_kind', it.case_kind) || '—',
            it.published_version ? `第 ${it.published_version} 版` : '—',
            h('span', { class: 'tags' }, it.latest_version ? `第 ${it.latest_version} 版` : '', statusBadge(it.latest_status)),
          ]),
          state.q || state.status || state.department_id || state.domain ? '没有符合条件的事项' : '目录中还没有事项',
        ),
      );
      replaceChildren(
        pager,
        h('button', { type: 'button', class: 'btn', disabled: state.offset === 0, onclick: () => go(-PAGE_SIZE) }, '上一页'),
        h('span', { class: 'pager-info' }, `第 ${Math.floor(state.offset / PAGE_SIZE) + 1} 页 / 共 ${Math.max(1, Math.ceil(total / PAGE_SIZE))} 页`),
        h('button', { type: 'button', class: 'btn', disabled: state.offset + PAGE_SIZE >= total, onclick: () => go(PAGE_SIZE) }, '下一页'),
      );
    }

    function go(delta) {
      state.offset = Math.max(0, state.offset + delta);
      reload();
    }

    async function reload() {
      msg.clear();
      try {
        await load();
      } catch (err) {
        msg.show(err.message, 'error');
      }
    }

    container.append(
      statsArea,
      h('div', { class: 'toolbar' }, searchForm, h('button', { type: 'button', class: 'btn btn-primary', onclick: () => navigate('catalog-edit', 'new') }, '新建事项')),
      msg.el,
      countLine,
      listArea,
      pager,
    );
    if (hasAnyRole(user, ['admin', 'manager', 'supervisor'])) statsCard(statsArea, user);
    await load();
  },
});

function goalTile(title, share, goal, detail) {
  const pct = typeof share === 'number' ? Math.round(share * 1000) / 10 : null;
  const met = pct !== null && pct >= goal;
  return h(
    'div',
    { class: met ? 'stat stat-ok' : 'stat stat-low' },
    h('span', { class: 'stat-label' }, title),
    h('span', { class: 'stat-value' }, pct === null ? '—' : `${pct}%`),
    h('span', { class: 'stat-note' }, `目标 ≥ ${goal}%：`, h('strong', null, met ? '已达标' : '未达标'), detail ? `（${detail}）` : ''),
  );
}

/** The 统计 card of one center (a picker when the caller sees several). */
async function statsCard(area, user) {
  let centers = [];
  try {
    centers = await loadCenters();
  } catch {
    // no center list: the card says why below
  }
  const body = h('div', { class: 'stats-body' });
  const title = h('h2', { class: 'form-title', id: 'catalog-stats-title' }, '统计');
  const head = h('div', { class: 'section-head' }, title);
  if (centers.length > 1) {
    head.append(centerPicker(centers, defaultCenterId(user, centers), (id) => loadStats(body, id)).el);
  }
  replaceChildren(area, h('section', { class: 'card', 'aria-labelledby': 'catalog-stats-title' }, head, body));
  await loadStats(body, defaultCenterId(user, centers));
}

/** The two goals of one center; the shares may be fractions (0.96) or percents (96). */
async function loadStats(area, centerId) {
  try {
    const s = await api.get('/catalog/stats', { center_id: centerId });
    const asFraction = (x) => (typeof x !== 'number' ? null : x > 1 ? x / 100 : x);
    replaceChildren(
      area,
      h(
        'div',
        { class: 'stats' },
        h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, '事项总数'), h('span', { class: 'stat-value' }, String(s.items ?? '—')), h('span', { class: 'stat-note' }, `已发布 ${s.published ?? '—'} 项`)),
        goalTile('综合窗口可受理事项占比', asFraction(s.comprehensive_share), 95, `${s.comprehensive_items ?? '—'} / ${s.published ?? s.items ?? '—'} 项`),
        goalTile('免提交材料占比', asFraction(s.no_submit_share), 80, `${s.no_submit_materials ?? '—'} / ${s.materials ?? '—'} 份材料`),
      ),
    );
  } catch (err) {
    replaceChildren(area, h('p', { class: 'msg', role: 'status' }, `统计暂不可用：${err.message}`));
  }
}
