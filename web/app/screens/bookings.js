// 预约管理: a center's bookings of a day by slot (cancel on the applicant's behalf, after
// a confirmation), booking for a caller on the phone (电话预约), and, for managers, the
// booking rules (slot length, booking share, check-in window, no-show policy).
// Data: GET /hall/{center}/bookings, GET /hall/{center}/lines, GET /booking/lines/{line}/slots;
// actions: POST /hall/{center}/bookings, POST /hall/bookings/{id}/cancel,
// GET/PUT /hall/{center}/booking-settings (docs/api.md "Appointments").

import { registerScreen } from '../shell.js';
import * as api from '../api.js';
import { h, messageBox, table, replaceChildren, field, showFormError, clearFormError } from '../dom.js';
import { openDialog } from '../dialog.js';
import { loadCenters, defaultCenterId, centerPicker } from '../centers.js';
import { todayCST, parseDate, formatDateCN } from '../dates.js';

const STATUS = {
  booked: '待签到',
  cancelled: '已取消',
  checked_in: '已签到',
  late: '迟到签到',
  no_show: '爽约',
  rescheduled: '已改约',
};
const CHANNEL = { portal: '网上', phone: '电话', window: '窗口' };
const RULES = [
  ['slot_min', '时段长度（分钟）', 10, 240],
  ['horizon_days', '可预约天数', 1, 90],
  ['book_pct', '预约占比（%）', 0, 100, '其余留给现场取号'],
  ['default_handle_min', '默认办理时长（分钟）', 1, 240, '队列近28天办结不足20件时使用'],
  ['early_min', '可提前签到（分钟）', 0, 240],
  ['late_grace_min', '迟到宽限（分钟）', 0, 120, '超过按普通号；时段结束再过此时长未签到记爽约'],
  ['noshow_limit', '爽约次数上限', 0, 20, '0 表示不限制'],
  ['noshow_window_days', '爽约统计天数', 1, 365],
  ['suspend_days', '暂停预约天数', 1, 365],
];

registerScreen({
  id: 'bookings',
  title: '预约管理',
  roles: ['admin', 'manager', 'guide', 'clerk'],
  order: 15,
  async render(container, { user, params }) {
    const centers = await loadCenters();
    if (centers.length === 0) {
      container.append(h('p', { class: 'msg' }, '当前账号没有可管理的中心。'));
      return;
    }
    const isManager = (user.roles || []).some((r) => r.role === 'admin' || r.role === 'manager');
    const state = { centerId: defaultCenterId(user, centers, params[0]), day: parseDate(params[1]) ? params[1] : todayCST(), lines: [] };
    const msg = messageBox();
    const listArea = h('div');
    const phoneArea = h('div');
    const rulesArea = h('div');
    const picker = centerPicker(centers, state.centerId, async (id) => {
      state.centerId = id;
      remember();
      await reload();
    });
    const dayInput = h('input', { type: 'date', value: state.day, 'aria-label': '日期' });
    dayInput.addEventListener('change', async () => {
      if (!parseDate(dayInput.value)) return;
      state.day = dayInput.value;
      remember();
      await reloadList();
    });

    function remember() {
      history.replaceState(null, '', `#/bookings/${encodeURIComponent(state.centerId)}/${state.day}`);
    }

    async function cancel(b) {
      await openDialog({
        title: '取消预约',
        message: `取消 ${b.name}（${b.mobile_masked}）${b.service_day} ${b.slot_start}-${b.slot_end} 的“${b.line_name}”预约？取消后名额释放，系统短信通知本人。`,
        confirmText: '取消预约',
        cancelText: '不取消',
        danger: true,
        onConfirm: async () => {
          await api.post(`/hall/bookings/${b.id}/cancel`);
          await reloadList();
        },
      });
    }

    async function reloadList() {
      try {
        const data = await api.get(`/hall/${encodeURIComponent(state.centerId)}/bookings`, { date: state.day });
        const counts = {};
        for (const b of data.items) counts[b.status] = (counts[b.status] || 0) + 1;
        const summary = Object.entries(counts).map(([k, n]) => `${STATUS[k] || k} ${n}`).join(' · ') || '当天没有预约';
        replaceChildren(
          listArea,
          h('p', { class: 'summary-line', id: 'bookings-summary' }, `${formatDateCN(data.date)}：共${data.items.length}个预约（${summary}）`),
          table(
            ['时段', '业务', '姓名', '身份证号', '手机', '预约码', '渠道', '状态', '号码', '操作'],
            data.items.map((b) => [
              `${b.slot_start}-${b.slot_end}`,
              `${b.prefix} ${b.line_name}`,
              b.name,
              b.ident_masked,
              b.mobile_masked,
              b.code,
              CHANNEL[b.channel] || b.channel,
              h('span', { class: `badge badge-${b.status}` }, STATUS[b.status] || b.status),
              b.ticket_number || '—',
              b.status === 'booked' ? h('button', { type: 'button', class: 'btn btn-small', onclick: () => cancel(b) }, '取消') : '',
            ]),
            '当天没有预约',
          ),
        );
      } catch (err) {
        msg.show(err.message, 'error');
      }
    }

    function phoneForm() {
      const box = messageBox();
      const line = h('select', { name: 'line_id', required: true }, h('option', { value: '' }, '请选择'),
        ...state.lines.filter((l) => l.is_active).map((l) => h('option', { value: l.id }, `${l.prefix} ${l.name}`)));
      const date = h('input', { name: 'date', type: 'date', value: state.day, required: true });
      const start = h('select', { name: 'start', required: true }, h('option', { value: '' }, '先选业务和日期'));
      const refreshSlots = async () => {
        replaceChildren(start, h('option', { value: '' }, '先选业务和日期'));
        if (!line.value || !parseDate(date.value)) return;
        try {
          const d = (await api.get(`/booking/lines/${line.value}/slots`, { from: date.value, days: 1 })).days[0];
          const open = d.slots.filter((s) => s.open);
          replaceChildren(start, open.length
            ? open.map((s) => h('option', { value: s.start, disabled: s.available <= 0 }, `${s.start}-${s.end}（${s.available > 0 ? `余${s.available}` : '已满'}）`))
            : h('option', { value: '' }, d.note || '当天没有可预约时段'));
        } catch (err) {
          box.show(err.message, 'error');
        }
      };
      line.addEventListener('change', refreshSlots);
      date.addEventListener('change', refreshSlots);
      const form = h('form', { class: 'card form-grid', id: 'phone-booking', novalidate: true, 'aria-label': '电话预约' },
        h('h2', { class: 'form-title' }, '电话预约（代群众预约）'),
        field('业务', line), field('日期', date), field('时段', start),
        field('姓名', h('input', { name: 'name', maxlength: 32, required: true })),
        field('身份证号', h('input', { name: 'id_number', maxlength: 18, required: true, autocomplete: 'off' })),
        field('手机号码', h('input', { name: 'mobile', maxlength: 11, inputmode: 'numeric', required: true }), '预约码和提醒短信发到此号码'),
        box.el,
        h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, '预约')));
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearFormError(form, box);
        const f = form.elements;
        try {
          const b = await api.post(`/hall/${encodeURIComponent(state.centerId)}/bookings`, {
            line_id: Number(f.line_id.value) || 0, date: f.date.value, start: f.start.value,
            name: f.name.value.trim(), id_number: f.id_number.value.trim(), mobile: f.mobile.value.trim(),
          });
          box.show(`已预约：${b.service_day} ${b.slot_start}-${b.slot_end}，预约码 ${b.code}（已短信发送，请告知来电群众）`, 'success');
          f.name.value = '';
          f.id_number.value = '';
          f.mobile.value = '';
          await refreshSlots();
          if (b.service_day === state.day) await reloadList();
        } catch (err) {
          showFormError(form, box, err);
        }
      });
      return form;
    }

    async function rulesForm() {
      const s = await api.get(`/hall/${encodeURIComponent(state.centerId)}/booking-settings`);
      const box = messageBox();
      const form = h('form', { class: 'card form-grid', id: 'booking-rules', novalidate: true, 'aria-label': '预约规则' },
        h('h2', { class: 'form-title' }, '预约规则'),
        RULES.map(([k, caption, min, max, hint]) => field(caption, h('input', { name: k, type: 'number', min, max, step: 1, value: String(s[k]), inputmode: 'numeric' }), hint)),
        box.el,
        h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, '保存规则')));
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearFormError(form, box);
        const body = {};
        for (const [k] of RULES) body[k] = Number(form.elements[k].value);
        try {
          await api.put(`/hall/${encodeURIComponent(state.centerId)}/booking-settings`, body);
          box.show('预约规则已保存，新的时段名额立即生效', 'success');
        } catch (err) {
          showFormError(form, box, err);
        }
      });
      return form;
    }

    async function reload() {
      msg.clear();
      try {
        state.lines = (await api.get(`/hall/${encodeURIComponent(state.centerId)}/lines`)).items;
        replaceChildren(phoneArea, phoneForm());
        replaceChildren(rulesArea, isManager ? await rulesForm() : '');
      } catch (err) {
        msg.show(err.message, 'error');
      }
      await reloadList();
    }

    container.append(
      h('div', { class: 'toolbar' }, picker.el, h('div', { class: 'picker' }, h('span', { class: 'picker-label' }, '日期'), dayInput)),
      msg.el,
      listArea,
      phoneArea,
      rulesArea,
    );
    await reload();
  },
});
