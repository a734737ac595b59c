// 窗口调度: for one center and day, how many windows each service line needed hour by
// hour (Erlang C, or Erlang A with a patience) against how many were open, with the
// shortfalls marked; the tidal windows (潮汐窗口) to open for a line at its peak and to
// release after; and how evenly the work spread over the windows.
// Data: GET /hall/{center}/staffing; actions: POST /hall/{center}/tidal and
// POST /hall/{center}/tidal/{window}/close (docs/api.md "窗口调度").

import { registerScreen } from '../shell.js';
import * as api from '../api.js';
import { h, messageBox, table, replaceChildren, field } from '../dom.js';
import { openDialog } from '../dialog.js';
import { loadCenters, defaultCenterId, centerPicker } from '../centers.js';
import { todayCST, parseDate, formatDateCN } from '../dates.js';

const SOURCES = { day: '当日实测', history: '近期记录', default: '默认值' };
const LEVELS = { balanced: '均衡', uneven: '略不均衡', very_uneven: '不均衡' };
const STATES = { open: '服务中', paused: '暂停', closed: '未开' };

const pct = (v) => `${Math.round(v * 100)}%`;
const num = (v) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
const minutes = (s) => `${(s / 60).toFixed(1)}分钟`;

registerScreen({
  id: 'staffing',
  title: '窗口调度',
  roles: ['admin', 'manager'],
  order: 16,
  async render(container, { user, params }) {
    const centers = await loadCenters();
    if (centers.length === 0) {
      container.append(h('p', { class: 'msg' }, '当前账号没有可管理的中心。'));
      return;
    }
    const state = {
      centerId: defaultCenterId(user, centers, params[0]),
      day: parseDate(params[1]) ? params[1] : todayCST(),
      data: null,
    };
    const msg = messageBox();
    const summary = h('div', { class: 'summary-line' });
    const gridArea = h('div', { class: 'staffing-grid' });
    const tidalArea = h('div');
    const balanceArea = h('div');

    const picker = centerPicker(centers, state.centerId, async (id) => {
      state.centerId = id;
      remember();
      await reload();
    });

    // --- target inputs ---------------------------------------------------
    const form = h(
      'form',
      { class: 'card form-grid staffing-form', novalidate: true, 'aria-label': '服务目标' },
      field('日期', h('input', { name: 'day', type: 'date', value: state.day, required: true })),
      field('目标比例（%）', h('input', { name: 'target_pct', type: 'number', min: 1, max: 99, step: 1, value: '80', inputmode: 'numeric' })),
      field('目标等候（分钟）', h('input', { name: 'target_min', type: 'number', min: 1, max: 240, step: 1, value: '15', inputmode: 'numeric' })),
      field(
        '平均耐心（分钟）',
        h('input', { name: 'patience_min', type: 'number', min: 1, max: 480, step: 1, inputmode: 'numeric' }),
        '可不填；填写后按群众等不及会离开（Erlang A）计算',
      ),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, '计算')),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const day = form.elements.day.value;
      if (!parseDate(day)) {
        msg.show('请选择有效的日期', 'error');
        return;
      }
      state.day = day;
      remember();
      await reload();
    });

    function remember() {
      history.replaceState(null, '', `#/staffing/${encodeURIComponent(state.centerId)}/${state.day}`);
    }

    function query() {
      const f = form.elements;
      const q = { day: state.day, target_pct: f.target_pct.value || '80', target_min: f.target_min.value || '15' };
      if (f.patience_min.value) q.patience_min = f.patience_min.value;
      return q;
    }

    async function load() {
      const id = state.centerId;
      const data = await api.get(`/hall/${encodeURIComponent(id)}/staffing`, query());
      if (id !== state.centerId) return;
      state.data = data;
      const shortLines = data.lines.filter((l) => l.short_hours > 0).length;
      replaceChildren(
        summary,
        h('span', null, `${formatDateCN(data.service_day)}：目标为${data.target_pct}%的群众在${data.target_min}分钟内被叫号`),
        h('span', { class: 'muted' }, data.model === 'erlang_a' ? `按Erlang A计算（平均耐心${data.patience_min}分钟）` : '按Erlang C计算（不计离队）'),
        shortLines
          ? h('span', { class: 'badge badge-short', id: 'short-count' }, `${shortLines}个队列有缺口`)
          : h('span', { class: 'badge badge-on', id: 'short-count' }, '各队列窗口充足'),
      );
      replaceChildren(gridArea, grid(data));
      replaceChildren(tidalArea, tidalCard(data));
      replaceChildren(balanceArea, balanceCard(data));
    }

    async function reload() {
      msg.clear();
      try {
        await load();
      } catch (err) {
        msg.show(err.message, 'error');
      }
    }

    // --- needed vs open, per line and hour ---------------------------------
    function cell(line, x) {
      const needed = x.needed === null ? '—' : String(x.needed);
      const cls = x.short ? 'sg-cell sg-short' : x.arrivals ? 'sg-cell sg-ok' : 'sg-cell sg-idle';
      const title = `${line.name} ${x.hour}时：到号${x.arrivals}人，负荷${x.load}，需${needed}个窗口，实开${num(x.open)}个，预计${pct(x.service_level)}在目标内叫号`;
      return h(
        'td',
        { class: cls, title, 'data-hour': x.hour },
        h('span', { class: 'sg-need' }, needed),
        h('span', { class: 'sg-sep' }, '/'),
        h('span', { class: 'sg-open' }, num(x.open)),
      );
    }

    function grid(data) {
      if (data.lines.length === 0) return h('p', { class: 'msg' }, '本中心还没有业务队列。');
      const free = data.tidal.filter((w) => w.state === 'closed');
      const head = h(
        'tr',
        null,
        h('th', { scope: 'col' }, '业务队列'),
        h('th', { scope: 'col' }, '平均办理'),
        data.hours.map((hr) => h('th', { scope: 'col', class: 'sg-hour' }, `${hr}时`)),
        h('th', { scope: 'col' }, '操作'),
      );
      const rows = data.lines.map((line) =>
        h(
          'tr',
          { 'data-line': line.id, class: line.is_active ? null : 'row-inactive' },
          h('th', { scope: 'row' }, h('span', { class: 'window-no' }, line.prefix), line.name),
          h('td', null, minutes(line.handle_s), h('div', { class: 'muted small' }, SOURCES[line.handle_source] || line.handle_source)),
          line.hours.map((x) => cell(line, x)),
          h(
            'td',
            null,
            h(
              'button',
              {
                type: 'button',
                class: line.short_hours ? 'btn btn-small btn-primary' : 'btn btn-small',
                disabled: !line.is_active || free.length === 0,
                title: free.length === 0 ? '没有空闲的潮汐窗口' : null,
                onclick: () => openTidal(line),
              },
              '开潮汐窗口',
            ),
          ),
        ),
      );
      return h(
        'div',
        { class: 'card' },
        h('h2', { class: 'form-title' }, '各队列每小时所需窗口 / 实开窗口'),
        h(
          'p',
          { class: 'muted sg-legend' },
          h('span', { class: 'sg-key sg-short' }, '缺口'),
          h('span', { class: 'sg-key sg-ok' }, '满足'),
          h('span', { class: 'sg-key sg-idle' }, '无人取号'),
          '每格：所需窗口数 / 实开窗口数（按开窗时长折算）。鼠标停留可看到号人数与预计达标率。',
        ),
        h('div', { class: 'table-scroll' }, h('table', { class: 'data staffing-table', id: 'staffing-table' }, h('thead', null, head), h('tbody', null, rows))),
      );
    }

    // --- tidal windows ----------------------------------------------------
    async function openTidal(line) {
      const free = state.data.tidal.filter((w) => w.state === 'closed');
      const select = h(
        'select',
        { name: 'window_id' },
        h('option', { value: '' }, `自动选择（${free[0].number}号窗口）`),
        free.map((w) => h('option', { value: String(w.id) }, `${w.number}号 ${w.name}`)),
      );
      let opened = null;
      const done = await openDialog({
        title: '开潮汐窗口',
        message: `将一个空闲的潮汐窗口调往“${line.name}（${line.prefix}）”并立即开窗，该窗口只办理此队列的号，叫号屏同步显示。`,
        body: field('潮汐窗口', select),
        confirmText: '确定开窗',
        onConfirm: async () => {
          const body = { line_id: line.id };
          if (select.value) body.window_id = Number(select.value);
          opened = await api.post(`/hall/${encodeURIComponent(state.centerId)}/tidal`, body);
        },
      });
      if (!done) return;
      await reload();
      msg.show(`已开启${opened.number}号潮汐窗口，办理“${line.name}”`, 'success');
    }

    async function closeTidal(w) {
      const done = await openDialog({
        title: '关潮汐窗口',
        message: `确定关闭${w.number}号潮汐窗口并撤出其业务队列吗？窗口上如有正在办理的号，请先办结或转移。`,
        confirmText: '确定关闭',
        danger: true,
        onConfirm: () => api.post(`/hall/${encodeURIComponent(state.centerId)}/tidal/${encodeURIComponent(w.id)}/close`, {}),
      });
      if (!done) return;
      await reload();
      msg.show(`已关闭${w.number}号潮汐窗口`, 'success');
    }

    function tidalCard(data) {
      const names = new Map(data.lines.map((l) => [l.id, `${l.name}（${l.prefix}）`]));
      const rows = data.tidal.map((w) => [
        h('span', { class: 'window-no' }, String(w.number)),
        w.name,
        h('span', { class: w.state === 'closed' ? 'badge badge-closed' : 'badge badge-on' }, STATES[w.state] || w.state),
        w.line_ids.length ? w.line_ids.map((id) => names.get(id) || `队列${id}`).join('、') : h('span', { class: 'muted' }, '—'),
        w.state === 'closed' && w.line_ids.length === 0
          ? ''
          : h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', onclick: () => closeTidal(w) }, '关潮汐窗口'),
      ]);
      return h(
        'div',
        { class: 'card', id: 'tidal-card' },
        h('h2', { class: 'form-title' }, '潮汐窗口'),
        table(['窗口号', '名称', '状态', '办理队列', '操作'], rows, '本中心没有潮汐窗口（可在“窗口管理”中新增类型为潮汐窗口的窗口）'),
      );
    }

    // --- workload balance ----------------------------------------------
    function balanceCard(data) {
      const b = data.balance;
      const most = Math.max(1, ...data.windows.map((w) => w.served));
      const bars = data.windows.map((w) => {
        const fill = h('span', { class: 'bal-fill' });
        fill.style.width = `${(w.served / most) * 100}%`;
        return h(
          'li',
          { class: 'bal-row', 'data-window': w.number },
          h('span', { class: 'bal-name' }, `${w.number}号 ${w.name}`),
          h('span', { class: 'bal-bar', role: 'img', 'aria-label': `办结${w.served}件` }, fill),
          h('span', { class: 'bal-served' }, `${w.served}件`),
          h(
            'span',
            { class: 'bal-facts muted' },
            `忙碌${Math.round(w.busy_min)}分钟 · 利用率${w.utilization === null ? '—' : pct(w.utilization)} · 平均${w.avg_handle_s === null ? '—' : minutes(w.avg_handle_s)}`,
          ),
        );
      });
      const verdict =
        b.windows < 2
          ? '开窗或办件的窗口不足两个，无从比较'
          : `${LEVELS[b.level] || b.level}（变异系数${b.cv.toFixed(2)}，最多/最少${b.max_min === null ? '—' : `${b.max_min.toFixed(2)}倍`}）`;
      return h(
        'div',
        { class: 'card', id: 'balance-card' },
        h('h2', { class: 'form-title' }, '窗口负荷均衡'),
        h('p', { id: 'balance-verdict', class: `bal-verdict bal-${b.level}` }, `均衡程度：${verdict}`),
        bars.length ? h('ul', { class: 'bal-list' }, bars) : h('p', { class: 'muted' }, '当日没有窗口开窗或办件。'),
      );
    }

    container.append(h('div', { class: 'toolbar' }, picker.el), form, msg.el, summary, gridArea, tidalArea, balanceArea);
    await load();
  },
});
