// 中心管理: the center tree of the caller's subtree (县级中心 → 乡镇/街道中心 →
// 村/社区服务站) and, for the selected center, its details (PATCH), window
// counts with the town minimum (seed 004), the weekly opening hours (PUT),
// the 功能区 and the sub-centers. Route: #/centers/{id}.

import { registerScreen } from '../shell.js';
import * as api from '../api.js';
import { h, messageBox, field, table, busy, replaceChildren } from '../dom.js';
import { loadCenters, defaultCenterId, levelName } from '../centers.js';
import { clearFieldErrors, markField, showFieldError } from '../forms.js';
import { ZONE_KINDS, zoneKindName, options, minimumBanner } from '../org.js';
import { WEEKDAY_NAMES } from '../dates.js';

const CHILD_LEVEL = { county: 'town', town: 'village' };
const CHILD_CAPTION = { county: '乡镇（街道）便民服务中心', town: '村（社区）便民服务站' };
const HOUR_FIELDS = [
  ['am_open', '上午开始'],
  ['am_close', '上午结束'],
  ['pm_open', '下午开始'],
  ['pm_close', '下午结束'],
];
const DEFAULT_DAY = { am_open: '08:30', am_close: '12:00', pm_open: '14:00', pm_close: '17:30' };

registerScreen({
  id: 'centers',
  title: '中心管理',
  roles: ['admin', 'manager'],
  order: 11,
  async render(container, { user, params }) {
    let centers = await loadCenters();
    if (centers.length === 0) {
      container.append(h('p', { class: 'msg' }, '当前账号没有可管理的中心。'));
      return;
    }
    const state = { id: defaultCenterId(user, centers, params[0]) };
    const msg = messageBox();
    const tree = h('nav', { class: 'center-tree', 'aria-label': '中心列表' });
    const detail = h('div', { class: 'center-detail' });

    function renderTree() {
      const byParent = new Map();
      for (const c of centers) {
        const parent = centers.some((p) => String(p.id) === String(c.parent_id)) ? String(c.parent_id) : '';
        if (!byParent.has(parent)) byParent.set(parent, []);
        byParent.get(parent).push(c);
      }
      const branch = (parent) => {
        const kids = byParent.get(parent);
        if (!kids) return null;
        return h(
          'ul',
          { class: 'tree-list' },
          kids.map((c) =>
            h(
              'li',
              null,
              h(
                'button',
                {
                  type: 'button',
                  class: `tree-item level-${c.level}`,
                  'data-center-id': String(c.id),
                  'aria-current': String(c.id) === state.id ? 'true' : null,
                  onclick: () => select(String(c.id)),
                },
                h('span', { class: 'tree-name' }, c.name),
                h('span', { class: 'tree-level' }, levelName(c.level)),
              ),
              branch(String(c.id)),
            ),
          ),
        );
      };
      replaceChildren(tree, h('h2', { class: 'tree-title' }, '中心列表'), branch(''));
    }

    // Mark the selected center in place, so a keyboard user's focus stays on
    // the tree button they pressed.
    function markCurrent() {
      for (const b of tree.querySelectorAll('.tree-item')) {
        if (b.dataset.centerId === state.id) b.setAttribute('aria-current', 'true');
        else b.removeAttribute('aria-current');
      }
    }

    async function select(id) {
      state.id = id;
      history.replaceState(null, '', `#/centers/${encodeURIComponent(id)}`);
      msg.clear();
      markCurrent();
      await showDetail();
    }

    async function showDetail() {
      const id = state.id;
      let center;
      let zones;
      try {
        [center, zones] = await Promise.all([
          api.get(`/centers/${encodeURIComponent(id)}`),
          api.listAll(`/centers/${encodeURIComponent(id)}/zones`),
        ]);
      } catch (err) {
        replaceChildren(detail, h('p', { class: 'msg msg-error', role: 'alert' }, err.message));
        return;
      }
      if (id !== state.id) return;
      replaceChildren(
        detail,
        h(
          'div',
          { class: 'detail-head' },
          h('h2', { class: 'detail-title', id: 'center-detail-title' }, center.name),
          h('span', { class: 'badge badge-level' }, levelName(center.level)),
        ),
        msg.el,
        minimumBanner(center),
        windowCounts(center),
        infoForm(center),
        hoursForm(center),
        zoneSection(center, zones),
        childSection(center),
      );
    }

    // --- window counts -------------------------------------------------------
    function windowCounts(center) {
      const counts = center.window_counts || {};
      const town = center.level === 'town';
      const stat = (caption, n, min) =>
        h(
          'div',
          { class: `stat${town && n < min ? ' stat-low' : ''}` },
          h('span', { class: 'stat-value' }, String(n ?? 0)),
          h('span', { class: 'stat-label' }, caption),
          town ? h('span', { class: 'stat-note' }, `至少${min}个`) : null,
        );
      return h(
        'section',
        { class: 'card', 'aria-labelledby': 'wc-title' },
        h(
          'div',
          { class: 'section-head' },
          h('h3', { id: 'wc-title' }, '启用窗口数'),
          h('a', { class: 'btn btn-small', href: `#/windows/${encodeURIComponent(center.id)}` }, '到窗口管理'),
        ),
        h(
          'div',
          { class: 'stats' },
          stat('综合受理窗口', counts.comprehensive, 5),
          stat('统一出证窗口', counts.certificate, 1),
          stat('帮办咨询窗口', counts.consult, 1),
        ),
      );
    }

    // --- basic information ---------------------------------------------------
    function infoForm(center) {
      const box = messageBox();
      const form = h(
        'form',
        { class: 'card form-grid', novalidate: true, 'aria-label': '基本信息' },
        h('h3', { class: 'form-title' }, '基本信息'),
        field('中心名称', h('input', { name: 'name', value: center.name, required: true, maxlength: 64, autocomplete: 'off' })),
        field('地址', h('input', { name: 'address', value: center.address || '', maxlength: 128, autocomplete: 'off' })),
        field('咨询电话', h('input', { name: 'phone', value: center.phone || '', maxlength: 32, autocomplete: 'off', inputmode: 'tel' })),
        field(
          '行政区划代码',
          h('input', { name: 'region_code', value: center.region_code || '', maxlength: 12, autocomplete: 'off', inputmode: 'numeric' }),
          '6、9或12位数字，如 410326（县）、410326100（乡镇）',
        ),
        box.el,
        h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, '保存基本信息')),
      );
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearFieldErrors(form, box);
        const f = form.elements;
        const body = {
          name: f.name.value.trim(),
          address: f.address.value.trim(),
          phone: f.phone.value.trim(),
          region_code: f.region_code.value.trim(),
        };
        if (!body.name) return void markField(f.name, '请填写中心名称');
        if (body.region_code && !/^(\d{6}|\d{9}|\d{12})$/.test(body.region_code)) {
          return void markField(f.region_code, '行政区划代码应为6、9或12位数字');
        }
        await busy(event.submitter || form.querySelector('[type=submit]'), async () => {
          try {
            const saved = await api.patch(`/centers/${encodeURIComponent(center.id)}`, body);
            const c = centers.find((x) => String(x.id) === String(center.id));
            if (c && saved) Object.assign(c, { name: saved.name, address: saved.address, phone: saved.phone, region_code: saved.region_code });
            renderTree();
            document.getElementById('center-detail-title').textContent = saved?.name || body.name;
            box.show('基本信息已保存', 'success');
          } catch (err) {
            showFieldError(form, box, err);
          }
        });
      });
      return form;
    }

    // --- opening hours -------------------------------------------------------
    function hoursForm(center) {
      const box = messageBox();
      const byDay = new Map((center.hours || []).map((d) => [d.weekday, d]));
      const rows = [];
      const tbody = h('tbody');
      for (let wd = 1; wd <= 7; wd++) {
        const day = byDay.get(wd);
        const open = h('input', { type: 'checkbox', name: `open_${wd}`, checked: Boolean(day), 'aria-label': `${WEEKDAY_NAMES[wd - 1]}对外办公` });
        const inputs = HOUR_FIELDS.map(([key, caption]) =>
          // Plain text "HH:MM": a type=time input follows the browser's
          // language and may show 12-hour AM/PM clocks.
          h('input', {
            type: 'text',
            name: `${key}_${wd}`,
            value: (day || DEFAULT_DAY)[key],
            inputmode: 'numeric',
            maxlength: 5,
            placeholder: '08:30',
            autocomplete: 'off',
            class: 'time-input',
            'aria-label': `${WEEKDAY_NAMES[wd - 1]}${caption}`,
          }),
        );
        const tr = h(
          'tr',
          { 'data-weekday': String(wd) },
          h('th', { scope: 'row' }, WEEKDAY_NAMES[wd - 1]),
          h('td', null, h('label', { class: 'check' }, open, h('span', null, '办公'))),
          inputs.map((input) => h('td', null, input)),
        );
        const sync = () => {
          for (const input of inputs) input.disabled = !open.checked;
          tr.classList.toggle('row-inactive', !open.checked);
        };
        open.addEventListener('change', sync);
        sync();
        rows.push({ wd, open, inputs });
        tbody.append(tr);
      }
      const tableEl = h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data hours-table' },
          h('thead', null, h('tr', null, ['星期', '办公', ...HOUR_FIELDS.map(([, c]) => c)].map((c) => h('th', { scope: 'col' }, c)))),
          tbody,
        ),
      );
      const form = h(
        'form',
        { class: 'card', novalidate: true, 'aria-label': '开放时间' },
        h('h3', { class: 'form-title' }, '开放时间'),
        h('p', { class: 'muted form-note' }, '北京时间。不勾选“办公”的日子不对外办公；每天须满足 上午开始 < 上午结束 ≤ 下午开始 < 下午结束。法定节假日和调休按工作日历执行。'),
        tableEl,
        box.el,
        h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, '保存开放时间')),
      );
      let sent = [];
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearFieldErrors(form, box);
        const days = [];
        sent = [];
        for (const row of rows) {
          if (!row.open.checked) continue;
          const day = { weekday: row.wd };
          HOUR_FIELDS.forEach(([key], i) => (day[key] = row.inputs[i].value));
          for (const input of row.inputs) input.value = input.value.trim().replace('：', ':').replace(/^(\d):/, '0$1:');
          const bad = row.inputs.find((input) => !/^([01]\d|2[0-3]):[0-5]\d$/.test(input.value));
          if (bad) return void markField(bad, '时间应为“时:分”，如 08:30、17:30');
          const [a, b, c, d] = HOUR_FIELDS.map(([key]) => day[key]);
          if (!(a < b && b <= c && c < d)) {
            return void markField(row.inputs[a < b ? (b <= c ? 3 : 2) : 1], '时间顺序应为 上午开始 < 上午结束 ≤ 下午开始 < 下午结束');
          }
          days.push(day);
          sent.push(row);
        }
        await busy(event.submitter || form.querySelector('[type=submit]'), async () => {
          try {
            await api.put(`/centers/${encodeURIComponent(center.id)}/hours`, { days });
            box.show(days.length ? `开放时间已保存（每周 ${days.length} 天对外办公）` : '开放时间已保存（全周不对外办公）', 'success');
          } catch (err) {
            // "days[2].pm_open" → the third submitted row, its pm_open input.
            showFieldError(form, box, err, (path) => {
              const m = /^days\[(\d+)\]\.?(\w+)?/.exec(path || '');
              const row = m && sent[Number(m[1])];
              if (!row) return null;
              const i = HOUR_FIELDS.findIndex(([key]) => key === m[2]);
              return i >= 0 ? row.inputs[i] : row.inputs[0];
            });
          }
        });
      });
      return form;
    }

    // --- zones ---------------------------------------------------------------
    function zoneSection(center, zones) {
      const box = messageBox();
      const listArea = h('div');
      const renderList = () =>
        replaceChildren(
          listArea,
          table(
            ['功能区名称', '类型', '24小时开放'],
            zones.map((z) => [z.name, zoneKindName(z.kind), z.is_always_open ? h('span', { class: 'badge badge-on' }, '是') : '否']),
            '尚未设置功能区',
          ),
        );
      renderList();
      const kind = h('select', { name: 'kind' }, options(ZONE_KINDS));
      const name = h('input', { name: 'name', maxlength: 32, autocomplete: 'off', value: ZONE_KINDS[0][1] });
      let suggested = name.value;
      kind.addEventListener('change', () => {
        if (!name.value || name.value === suggested) {
          suggested = kind.options[kind.selectedIndex].textContent;
          name.value = suggested;
        }
      });
      const form = h(
        'form',
        { class: 'inline-form', novalidate: true, 'aria-label': '新增功能区' },
        field('类型', kind),
        field('名称', name),
        h('label', { class: 'check check-inline' }, h('input', { type: 'checkbox', name: 'always_open' }), h('span', null, '24小时开放')),
        h('button', { type: 'submit', class: 'btn btn-primary' }, '新增功能区'),
      );
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearFieldErrors(form, box);
        const body = { kind: kind.value, name: name.value.trim() };
        if (!body.name) return void markField(name, '请填写功能区名称');
        if (form.elements.always_open.checked) body.always_open = true;
        await busy(event.submitter || form.querySelector('[type=submit]'), async () => {
          try {
            const zone = await api.post(`/centers/${encodeURIComponent(center.id)}/zones`, body);
            zones.push(zone);
            renderList();
            box.show(`已新增功能区“${zone.name}”`, 'success');
          } catch (err) {
            showFieldError(form, box, err);
          }
        });
      });
      return h('section', { class: 'card', 'aria-labelledby': 'zones-title' }, h('h3', { id: 'zones-title', class: 'form-title' }, '功能区'), listArea, form, box.el);
    }

    // --- sub-centers ---------------------------------------------------------
    function childSection(center) {
      const childLevel = CHILD_LEVEL[center.level];
      const kids = centers.filter((c) => String(c.parent_id) === String(center.id));
      const list = table(
        ['名称', '层级', '地址', '电话', '操作'],
        kids.map((c) => [
          c.name,
          levelName(c.level),
          c.address || '—',
          c.phone || '—',
          h('button', { type: 'button', class: 'btn btn-small', onclick: () => select(String(c.id)) }, '查看'),
        ]),
        childLevel ? '暂无下级中心' : '村（社区）便民服务站不再下设中心',
      );
      if (!childLevel) {
        return h('section', { class: 'card', 'aria-labelledby': 'kids-title' }, h('h3', { id: 'kids-title', class: 'form-title' }, '下级中心'), list);
      }
      const box = messageBox();
      const name = h('input', { name: 'name', maxlength: 64, autocomplete: 'off', placeholder: center.level === 'county' ? '如：××镇便民服务中心' : '如：××村便民服务站' });
      const form = h(
        'form',
        { class: 'inline-form', novalidate: true, 'aria-label': '新增下级中心' },
        field(`新增${CHILD_CAPTION[center.level]}`, name),
        h('button', { type: 'submit', class: 'btn btn-primary' }, '新增下级中心'),
      );
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearFieldErrors(form, box);
        const body = { name: name.value.trim(), level: childLevel, parent_id: center.id };
        if (!body.name) return void markField(name, '请填写中心名称');
        await busy(event.submitter || form.querySelector('[type=submit]'), async () => {
          try {
            const created = await api.post('/centers', body);
            centers = await loadCenters();
            renderTree();
            await select(String(created.id));
            msg.show(`已新增${levelName(childLevel)}中心“${created.name}”，请补充地址、电话和开放时间`, 'success');
          } catch (err) {
            showFieldError(form, box, err);
          }
        });
      });
      return h(
        'section',
        { class: 'card', 'aria-labelledby': 'kids-title' },
        h('h3', { id: 'kids-title', class: 'form-title' }, '下级中心'),
        list,
        form,
        box.el,
      );
    }

    container.append(h('div', { class: 'split' }, tree, detail));
    renderTree();
    await select(state.id);
  },
});
