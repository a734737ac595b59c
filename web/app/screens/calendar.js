// 工作日历: one center's working-day calendar for a year, as twelve
// Monday-first month grids. The server says for every day whether it is a
// working day and why (source week / national / local, with the holiday
// name); the page only draws it. Managers add and remove local overrides
// (闭厅 / 值守上班); admins import national holiday data.
// Route: #/calendar/{year}/{centerId}.

import { registerScreen } from '../shell.js';
import * as api from '../api.js';
import { h, messageBox, field, table, busy, replaceChildren, formatTime } from '../dom.js';
import { openDialog } from '../dialog.js';
import { STAFF_ROLES, hasAnyRole } from '../roles.js';
import { loadCenters, defaultCenterId, centerPicker } from '../centers.js';
import { clearFieldErrors, markField, showFieldError } from '../forms.js';
import { options } from '../org.js';
import {
  WEEKDAY_NAMES,
  WEEKDAY_SHORT,
  todayCST,
  parseDate,
  daysInMonth,
  weekday,
  isoDate,
  addDays,
  formatDateCN,
  formatMonthDay,
} from '../dates.js';

const OVERRIDE_KINDS = [
  ['closed', '闭厅（本中心不办公）'],
  ['duty', '值守上班（本中心办公）'],
];
const OVERRIDE_SHORT = { closed: '闭厅', duty: '值守' };
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

/** How one day looks: css class, the mark in its corner, and a description. */
function dayLook(d) {
  if (!d) return { cls: 'd-none', mark: '', text: '' };
  if (d.source === 'local') {
    return d.working
      ? { cls: 'd-duty', mark: '值守', text: `本中心值守上班${d.name ? '：' + d.name : ''}` }
      : { cls: 'd-closed', mark: '闭厅', text: `本中心闭厅${d.name ? '：' + d.name : ''}` };
  }
  if (d.source === 'national') {
    return d.working
      ? { cls: 'd-makeup', mark: '班', text: `${d.name || '节假日'}调休上班` }
      : { cls: 'd-holiday', mark: '休', text: `${d.name || '法定节假日'}放假` };
  }
  return d.working ? { cls: 'd-work', mark: '', text: '工作日' } : { cls: 'd-weekend', mark: '', text: '周末休息' };
}

/** National holidays of the year, grouped by name: [{name, off: [], work: []}]. */
function holidayGroups(days) {
  const groups = new Map();
  for (const d of days) {
    if (d.source !== 'national') continue;
    const key = d.name || '节假日';
    if (!groups.has(key)) groups.set(key, { name: key, off: [], work: [] });
    groups.get(key)[d.working ? 'work' : 'off'].push(d.date);
  }
  return [...groups.values()].sort((a, b) => (a.off[0] || a.work[0]).localeCompare(b.off[0] || b.work[0]));
}

/**
 * Dates as runs of consecutive days: "1月28日至2月4日（8天）", or
 * "10月1日至5日、10月7日至8日（共7天）" when another holiday interrupts.
 */
function dateRuns(dates) {
  if (dates.length === 0) return '—';
  const runs = [];
  for (const d of dates) {
    const last = runs[runs.length - 1];
    if (last && addDays(last[last.length - 1], 1) === d) last.push(d);
    else runs.push([d]);
  }
  const text = runs
    .map((r) => {
      if (r.length === 1) return formatMonthDay(r[0]);
      const [a, b] = [parseDate(r[0]), parseDate(r[r.length - 1])];
      return `${formatMonthDay(r[0])}至${a.month === b.month ? `${b.day}日` : formatMonthDay(r[r.length - 1])}`;
    })
    .join('、');
  return `${text}（${runs.length > 1 ? '共' : ''}${dates.length}天）`;
}

registerScreen({
  id: 'calendar',
  title: '工作日历',
  roles: STAFF_ROLES,
  order: 14,
  async render(container, { user, params }) {
    const centers = await loadCenters();
    if (centers.length === 0) {
      container.append(h('p', { class: 'msg' }, '当前账号没有可查看的中心。'));
      return;
    }
    const canOverride = hasAnyRole(user, ['admin', 'manager']);
    const isAdmin = hasAnyRole(user, ['admin']);
    const today = todayCST();
    const thisYear = Number(today.slice(0, 4));
    const wantedYear = Number(params[0]);
    const state = {
      year: Number.isInteger(wantedYear) && wantedYear >= MIN_YEAR && wantedYear <= MAX_YEAR ? wantedYear : thisYear,
      centerId: defaultCenterId(user, centers, params[1]),
      overrides: [],
    };
    const msg = messageBox();
    const summary = h('div', { class: 'cal-summary' });
    const grid = h('div', { class: 'year-grid' });
    const holidayArea = h('div');
    const overrideList = h('div');

    const picker = centerPicker(centers, state.centerId, (id) => {
      state.centerId = id;
      load();
    });
    const yearLabel = h('span', { class: 'year-label', 'aria-live': 'polite' });
    const prev = h('button', { type: 'button', class: 'btn', 'aria-label': '上一年', onclick: () => go(state.year - 1) }, '‹ 上一年');
    const next = h('button', { type: 'button', class: 'btn', 'aria-label': '下一年', onclick: () => go(state.year + 1) }, '下一年 ›');
    const thisYearBtn = h('button', { type: 'button', class: 'btn', onclick: () => go(thisYear) }, '本年');
    const yearSwitch = h('div', { class: 'year-switch', role: 'group', 'aria-label': '切换年份' }, prev, yearLabel, next, thisYearBtn);

    function go(year) {
      if (year < MIN_YEAR || year > MAX_YEAR) return;
      state.year = year;
      load();
    }

    async function load() {
      const { year, centerId } = state;
      history.replaceState(null, '', `#/calendar/${year}/${encodeURIComponent(centerId)}`);
      yearLabel.textContent = `${year}年`;
      prev.disabled = year <= MIN_YEAR;
      next.disabled = year >= MAX_YEAR;
      msg.clear();
      let cal;
      let overrides;
      try {
        [cal, overrides] = await Promise.all([
          api.get(`/calendar/${year}`, { center_id: centerId }),
          api.listAll('/calendar-overrides', { center_id: centerId, year }),
        ]);
      } catch (err) {
        msg.show(err.message, 'error');
        return;
      }
      if (year !== state.year || centerId !== state.centerId) return;
      state.overrides = overrides.sort((a, b) => a.date.localeCompare(b.date));
      renderSummary(cal);
      renderGrid(cal);
      renderHolidays(cal);
      renderOverrides();
    }

    function renderSummary(cal) {
      const center = centers.find((c) => String(c.id) === state.centerId);
      const closed = (cal.days || []).filter((d) => d.source === 'local' && !d.working).length;
      const duty = (cal.days || []).filter((d) => d.source === 'local' && d.working).length;
      replaceChildren(
        summary,
        cal.national_data === false
          ? h(
              'div',
              { class: 'banner banner-warn', role: 'alert' },
              h('strong', { class: 'banner-title' }, '该年度尚未导入国家节假日数据'),
              h('p', { class: 'banner-text' }, `${cal.year}年的日历目前只按周末计算，法定节假日和调休上班均未计入，期限计算可能不准确。${isAdmin ? '请在下方“导入节假日数据”中导入国务院办公厅公布的当年安排。' : '请联系系统管理员导入。'}`),
            )
          : null,
        h(
          'p',
          { class: 'cal-count' },
          h('span', null, `${center ? center.name : ''} ${cal.year}年共有 `),
          h('span', { class: 'nowrap' }, h('strong', { class: 'working-days' }, String(cal.working_days)), ' 个工作日'),
          closed || duty
            ? h('span', { class: 'muted' }, `（含本中心调整：${[closed ? `闭厅${closed}天` : '', duty ? `值守上班${duty}天` : ''].filter(Boolean).join('、')}）`)
            : null,
        ),
      );
    }

    function legend() {
      const item = (cls, mark, caption) =>
        h('li', null, h('span', { class: `legend-swatch ${cls}`, 'aria-hidden': 'true' }, mark), h('span', null, caption));
      return h(
        'ul',
        { class: 'legend', 'aria-label': '图例' },
        item('d-work', '', '工作日'),
        item('d-weekend', '', '周末休息'),
        item('d-holiday', '休', '法定节假日（悬停可见节日名称）'),
        item('d-makeup', '班', '调休上班'),
        item('d-closed', '闭厅', '本中心闭厅'),
        item('d-duty', '值守', '本中心值守上班'),
        item('d-work d-today', '', '今天'),
      );
    }

    function renderGrid(cal) {
      const byDate = new Map((cal.days || []).map((d) => [d.date, d]));
      const months = [];
      for (let m = 1; m <= 12; m++) {
        const tbody = h('tbody');
        let row = h('tr');
        const lead = weekday(cal.year, m, 1) - 1;
        for (let i = 0; i < lead; i++) row.append(h('td', { class: 'd-pad' }));
        const n = daysInMonth(cal.year, m);
        for (let day = 1; day <= n; day++) {
          const date = isoDate(cal.year, m, day);
          const info = byDate.get(date);
          const look = dayLook(info);
          const wd = weekday(cal.year, m, day);
          const title = `${formatDateCN(date)} ${WEEKDAY_NAMES[wd - 1]}：${look.text}`;
          row.append(
            h(
              'td',
              { class: `day ${look.cls}${date === today ? ' d-today' : ''}`, 'data-date': date, title },
              h('span', { class: 'day-num' }, String(day)),
              look.mark ? h('span', { class: 'day-mark' }, look.mark) : null,
            ),
          );
          if (wd === 7) {
            tbody.append(row);
            row = h('tr');
          }
        }
        if (row.children.length) {
          while (row.children.length < 7) row.append(h('td', { class: 'd-pad' }));
          tbody.append(row);
        }
        months.push(
          h(
            'table',
            { class: 'month', 'data-month': String(m) },
            h('caption', null, `${m}月`),
            h('thead', null, h('tr', null, WEEKDAY_SHORT.map((w, i) => h('th', { scope: 'col', abbr: WEEKDAY_NAMES[i], class: i >= 5 ? 'we' : null }, w)))),
            tbody,
          ),
        );
      }
      replaceChildren(grid, months);
    }

    function renderHolidays(cal) {
      const groups = holidayGroups(cal.days || []);
      replaceChildren(
        holidayArea,
        h('h2', null, `${cal.year}年法定节假日安排`),
        table(
          ['节日', { text: '放假', wrap: true }, { text: '调休上班', wrap: true }],
          groups.map((g) => [g.name, dateRuns(g.off), g.work.length ? g.work.map(formatMonthDay).join('、') : '—']),
          cal.national_data === false ? '该年度尚未导入国家节假日数据' : '无',
        ),
      );
    }

    // --- local overrides ------------------------------------------------------
    function renderOverrides() {
      const headers = ['日期', '类型', { text: '原因', wrap: true }, '设置人', '设置时间'];
      if (canOverride) headers.push('操作');
      const rows = state.overrides.map((o) => {
        const d = parseDate(o.date);
        const row = [
          `${formatDateCN(o.date)} ${d ? WEEKDAY_NAMES[weekday(d.year, d.month, d.day) - 1] : ''}`,
          h('span', { class: `badge badge-${o.kind}` }, OVERRIDE_SHORT[o.kind] || o.kind),
          o.reason,
          o.created_by_name || '—',
          formatTime(o.created_at),
        ];
        if (canOverride) {
          row.push(h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', onclick: () => confirmDelete(o) }, '删除'));
        }
        return row;
      });
      const t = table(headers, rows, '本年度没有本中心的日历调整');
      t.classList.add('override-table');
      state.overrides.forEach((o, i) => {
        const tr = t.querySelectorAll('tbody tr')[i];
        if (tr) tr.dataset.date = o.date;
      });
      replaceChildren(overrideList, t);
    }

    async function confirmDelete(o) {
      msg.clear();
      const done = await openDialog({
        title: '删除日历调整',
        message: `确定要删除 ${formatDateCN(o.date)} 的“${OVERRIDE_SHORT[o.kind] || o.kind}”调整（${o.reason}）吗？删除后该日按国家安排和周末计算。`,
        confirmText: '确定删除',
        danger: true,
        onConfirm: () => api.del(`/calendar-overrides/${encodeURIComponent(o.id)}`),
      });
      if (!done) return;
      await load();
      msg.show(`已删除 ${formatDateCN(o.date)} 的日历调整`, 'success');
    }

    let overrideForm = null;
    if (canOverride) {
      const box = messageBox();
      const dateInput = h('input', { name: 'date', type: 'date', required: true, value: addDays(today, 1) });
      overrideForm = h(
        'form',
        { class: 'card form-grid', novalidate: true, 'aria-label': '新增日历调整' },
        h('h3', { class: 'form-title' }, '新增本中心日历调整'),
        field('日期', dateInput, '不早于一年前；也可点击上方日历中的日期'),
        field('类型', h('select', { name: 'kind', required: true }, options(OVERRIDE_KINDS))),
        field('原因', h('input', { name: 'reason', required: true, maxlength: 100, autocomplete: 'off', placeholder: '如：停电检修、防汛值守' }), '2–100个字'),
        box.el,
        h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, '保存调整')),
      );
      overrideForm.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearFieldErrors(overrideForm, box);
        const f = overrideForm.elements;
        if (!parseDate(f.date.value)) return void markField(f.date, '请选择日期');
        const reason = f.reason.value.trim();
        if (reason.length < 2) return void markField(f.reason, '请填写原因（2–100个字）');
        const body = { center_id: Number(state.centerId) || state.centerId, date: f.date.value, kind: f.kind.value, reason };
        await busy(event.submitter || overrideForm.querySelector('[type=submit]'), async () => {
          try {
            await api.post('/calendar-overrides', body);
            const year = Number(body.date.slice(0, 4));
            if (year !== state.year) state.year = year;
            f.reason.value = '';
            await load();
            box.show(`已将 ${formatDateCN(body.date)} 设为${OVERRIDE_SHORT[body.kind]}`, 'success');
          } catch (err) {
            showFieldError(overrideForm, box, err);
          }
        });
      });
      // A click on a day fills the date (the date input stays the keyboard way).
      grid.addEventListener('click', (event) => {
        const cell = event.target.closest('td[data-date]');
        if (!cell) return;
        dateInput.value = cell.dataset.date;
        dateInput.focus();
      });
      grid.classList.add('pickable');
    }

    // --- national holiday import (admin) ---------------------------------------
    let importPanel = null;
    if (isAdmin) {
      const box = messageBox();
      const problems = h('div');
      const text = h('textarea', {
        name: 'data',
        rows: 8,
        spellcheck: 'false',
        placeholder: '[{"year": 2027, "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}, …]}]',
      });
      const file = h('input', { type: 'file', name: 'file', accept: '.json,application/json' });
      file.addEventListener('change', async () => {
        const chosen = file.files && file.files[0];
        if (!chosen) return;
        if (chosen.size > 1024 * 1024) {
          box.show('文件超过1 MiB，请拆分后分批导入', 'error');
          return;
        }
        text.value = await chosen.text();
        box.show(`已读入文件“${chosen.name}”，请检查后点击“导入”`, 'info');
      });
      const form = h(
        'form',
        { class: 'card', novalidate: true, 'aria-label': '导入节假日数据' },
        h('h3', { class: 'form-title' }, '导入节假日数据'),
        h('p', { class: 'muted form-note' }, '粘贴或选择 JSON 文件：按年组织的数据（year、days[name, date, isOffDay]），或 npm chinese-days 的格式。全部通过校验才会导入，任何一处错误都不会导入。'),
        field('选择文件', file),
        field('节假日数据（JSON）', text),
        h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'replace' }), h('span', null, '覆盖已有年度的数据')),
        box.el,
        problems,
        h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, '导入')),
      );
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearFieldErrors(form, box);
        replaceChildren(problems);
        if (!text.value.trim()) return void markField(text, '请粘贴或选择节假日数据');
        await busy(event.submitter || form.querySelector('[type=submit]'), async () => {
          try {
            const res = await api.post('/calendar/import', undefined, {
              rawBody: text.value,
              query: form.elements.replace.checked ? { replace: 1 } : undefined,
            });
            const years = (res?.years || []).map((y) => y.year);
            box.show(
              `已导入 ${res?.imported_years ?? 0} 个年度的节假日数据。` +
                (years.length ? `现有数据年度：${Math.min(...years)}–${Math.max(...years)}年。` : ''),
              'success',
            );
            await load();
          } catch (err) {
            const list = err.details?.problems;
            if (err.code === 'CALENDAR_IMPORT_INVALID' && Array.isArray(list)) {
              box.show(err.message, 'error');
              replaceChildren(
                problems,
                table(
                  ['位置', '日期', '字段', '规则', { text: '说明', wrap: true }],
                  list.map((p) => [p.where || '—', p.date || '—', p.field || '—', p.rule || '—', p.message || '']),
                ),
              );
              problems.querySelector('table').classList.add('problems-table');
            } else {
              box.show(err.message, 'error');
            }
          }
        });
      });
      importPanel = form;
    }

    // replaceChildren skips the null parts (forms a role does not get).
    replaceChildren(
      container,
      h('div', { class: 'toolbar' }, picker.el, yearSwitch),
      msg.el,
      summary,
      legend(),
      grid,
      holidayArea,
      h('h2', null, '本中心日历调整'),
      overrideForm,
      overrideList,
      importPanel ? h('h2', null, '国家节假日数据') : null,
      importPanel,
    );
    await load();
  },
});
