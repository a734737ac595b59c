// 预约办事: choose a service line, a day and a slot, give name, ID number and mobile,
// and get a booking code (and, with ?t=TOKEN, the booking itself: show, cancel or move
// it). "我的预约" finds one's bookings by ID number + mobile. No login: the booking's
// random token is the key, as the SMS link and the QR carry it; booking and "我的预约"
// need the 短信验证码 sent to the mobile (POST /booking/sms-code).

import { request, newIdempotencyKey } from '../app/api.js';
import { h } from '../app/dom.js';
import { openDialog } from '../app/dialog.js';

const main = document.getElementById('main');
const api = (method, path, opts = {}) => request(method, path, { redirectOn401: false, ...opts });
const STATUS = {
  booked: '已预约',
  cancelled: '已取消',
  checked_in: '已签到取号',
  late: '迟到签到（按普通号）',
  no_show: '未按时到场（爽约）',
  rescheduled: '已改约',
};

function errorBox(err) {
  return h('p', { class: 'msg msg-error', role: 'alert' }, err.message || '操作失败，请稍后重试');
}

function section(title, ...children) {
  return h('section', { class: 'p-section' }, h('h2', {}, title), ...children);
}

/** The day tabs and slot grid of a line; onPick(date, slot). */
async function slotPicker(lineId, onPick, { exclude } = {}) {
  const box = h('div', { class: 'bk-slots' }, h('p', { class: 'muted' }, '正在查询可预约时段…'));
  let data;
  try {
    data = await api('GET', `/booking/lines/${lineId}/slots`, { query: { days: 7 } });
  } catch (err) {
    box.replaceChildren(errorBox(err));
    return box;
  }
  const tabs = h('div', { class: 'bk-days', role: 'tablist' });
  const grid = h('div', { class: 'bk-grid' });
  const showDay = (day, tab) => {
    for (const t of tabs.children) t.setAttribute('aria-selected', String(t === tab));
    const open = day.slots.filter((s) => s.open);
    if (!open.length) {
      grid.replaceChildren(h('p', { class: 'muted bk-note' }, day.note || '当天没有可预约的时段'));
      return;
    }
    grid.replaceChildren(
      ...open.map((s) => {
        const full = s.available <= 0 || (exclude && exclude.date === day.date && exclude.start === s.start);
        return h(
          'button',
          { type: 'button', class: 'bk-slot', disabled: full, onclick: () => onPick(day, s) },
          h('span', { class: 'bk-slot-time' }, `${s.start}-${s.end}`),
          h('span', { class: 'bk-slot-left' }, full ? '已约满' : `余${s.available}个`),
        );
      }),
    );
  };
  data.days.forEach((day, i) => {
    const free = day.slots.filter((s) => s.open && s.available > 0).length;
    const tab = h(
      'button',
      { type: 'button', role: 'tab', class: 'bk-day', onclick: () => showDay(day, tab) },
      h('span', { class: 'bk-day-date' }, day.date.slice(5)),
      h('span', { class: 'bk-day-week' }, day.weekday),
      h('span', { class: 'bk-day-free' }, free ? `${free}个时段可约` : day.working ? '已约满' : '休息'),
    );
    tabs.append(tab);
    if (i === 0) queueMicrotask(() => showDay(day, tab));
  });
  box.replaceChildren(tabs, grid);
  return box;
}

function field(label, input, hint) {
  return h('label', { class: 'bk-field' }, h('span', { class: 'bk-label' }, label), input, hint ? h('span', { class: 'muted bk-hint' }, hint) : null);
}

/** The 短信验证码 field for the mobile input mob: a "获取验证码" button (then a 60 s
 * countdown) and the code input. Returns { el, input }. */
function smsCodeField(mob, id) {
  const input = h('input', { id, name: 'sms_code', inputmode: 'numeric', maxlength: 6, autocomplete: 'one-time-code', required: true, class: 'bk-code-input' });
  const note = h('span', { class: 'muted bk-hint', role: 'status' }, '验证码发送到上面的手机号，10分钟内有效');
  let timer = 0;
  const button = h('button', { type: 'button', class: 'p-btn bk-sms-btn' }, '获取验证码');
  const countdown = (seconds) => {
    clearInterval(timer);
    let left = seconds;
    button.disabled = true;
    button.textContent = `${left}秒后重新获取`;
    timer = setInterval(() => {
      left -= 1;
      if (left > 0) { button.textContent = `${left}秒后重新获取`; return; }
      clearInterval(timer);
      button.disabled = false;
      button.textContent = '重新获取验证码';
    }, 1000);
  };
  button.addEventListener('click', async () => {
    mob.removeAttribute('aria-invalid');
    button.disabled = true;
    try {
      const r = await api('POST', '/booking/sms-code', { body: { mobile: mob.value.trim() } });
      note.className = 'muted bk-hint';
      note.textContent = `验证码已发送到 ${r.mobile_masked}，10分钟内有效。` + (r.demo_code ? `（演示环境不发短信，验证码为 ${r.demo_code}）` : '');
      countdown(r.resend_after_s || 60);
      input.focus();
    } catch (err) {
      button.disabled = false;
      if (err.field === 'mobile') mob.setAttribute('aria-invalid', 'true');
      note.className = 'msg msg-error bk-hint';
      note.textContent = err.message || '验证码发送失败，请稍后重试';
    }
  });
  const el = h('div', { class: 'bk-field' }, h('label', { class: 'bk-label', for: id }, '短信验证码'),
    h('span', { class: 'bk-sms-row' }, input, button), note);
  return { el, input };
}

function bookingCard(b) {
  const link = `${location.origin}/portal/booking.html?t=${b.token}`;
  return h(
    'div',
    { class: 'bk-card' },
    h('p', { class: 'bk-kicker' }, `${b.center_name} · ${b.line_name}`),
    h('p', { class: 'bk-code-label' }, '预约码'),
    h('p', { class: 'bk-code', id: 'booking-code' }, b.code),
    h('p', { class: 'bk-when' }, `${b.service_day} ${b.slot_start}-${b.slot_end}`),
    h('p', { class: 'bk-status' }, `状态：${STATUS[b.status] || b.status}`),
    b.ticket_number ? h('p', {}, `号码：${b.ticket_number}`) : null,
    h('p', { class: 'muted' }, `${b.name} · ${b.ident_masked} · ${b.mobile_masked}`),
    b.token ? h('img', { class: 'bk-qr', alt: '预约二维码（用手机扫码查看预约）', src: `/api/v1/qr.svg?text=${encodeURIComponent(link)}` }) : null,
  );
}

async function showBooking(token) {
  let b;
  try {
    b = await api('GET', `/bookings/t/${encodeURIComponent(token)}`);
  } catch (err) {
    main.replaceChildren(section('预约详情', errorBox(err), h('a', { class: 'p-btn', href: '/portal/booking.html' }, '重新预约')));
    return;
  }
  const actions = h('div', { class: 'p-actions' });
  const area = h('div', {});
  if (b.status === 'booked') {
    actions.append(
      h('button', { type: 'button', class: 'p-btn', id: 'move', onclick: async () => {
        area.replaceChildren(h('h3', {}, '选择新的时段'), await slotPicker(b.line_id, (day, s) => openDialog({
          title: '确认改约',
          message: `把预约从 ${b.service_day} ${b.slot_start} 改到 ${day.date} ${s.start}-${s.end}？改约后原预约码作废，新的预约码会短信发给您。`,
          confirmText: '确认改约',
          onConfirm: async () => {
            const nb = await api('POST', `/bookings/t/${b.token}/reschedule`, { body: { date: day.date, start: s.start } });
            location.replace(`/portal/booking.html?t=${nb.token}`);
          },
        }), { exclude: { date: b.service_day, start: b.slot_start } }));
      } }, '改约'),
      h('button', { type: 'button', class: 'p-btn p-btn-danger', id: 'cancel', onclick: () => openDialog({
        title: '确认取消预约',
        message: `取消 ${b.service_day} ${b.slot_start}-${b.slot_end} 的“${b.line_name}”预约？取消后名额释放给他人，不能恢复。`,
        confirmText: '取消预约',
        cancelText: '不取消',
        danger: true,
        onConfirm: async () => {
          await api('POST', `/bookings/t/${b.token}/cancel`);
          showBooking(token);
        },
      }) }, '取消预约'),
    );
  }
  main.replaceChildren(
    section('预约详情', bookingCard(b), actions, area,
      h('p', { class: 'muted' }, '请在预约时段开始前1小时内到大厅取号机选择“预约签到”，输入预约码或刷身份证取号。超过时段15分钟未签到记为爽约；30天内爽约3次将暂停预约30天。')),
  );
}

function mine() {
  const idn = h('input', { name: 'id_number', autocomplete: 'off', maxlength: 18, required: true });
  const mob = h('input', { name: 'mobile', inputmode: 'numeric', maxlength: 11, required: true });
  const sms = smsCodeField(mob, 'mine-sms-code');
  const out = h('div', {});
  const inputs = { id_number: idn, mobile: mob, sms_code: sms.input };
  const form = h('form', { class: 'bk-form', id: 'mine-form', novalidate: true },
    field('身份证号', idn), field('手机号码', mob, '预约时填写的手机号'), sms.el,
    h('button', { type: 'submit', class: 'p-btn p-btn-primary' }, '查询'), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const el of Object.values(inputs)) el.removeAttribute('aria-invalid');
    try {
      const r = await api('POST', '/bookings/lookup', { body: { id_number: idn.value.trim(), mobile: mob.value.trim(), sms_code: sms.input.value.trim() } });
      out.replaceChildren(r.items.length
        ? h('ul', { class: 'p-list bk-mine' }, ...r.items.map((b) => h('li', {},
          h('a', { href: `/portal/booking.html?t=${b.token}` }, `${b.service_day} ${b.slot_start} ${b.line_name}（${b.center_name}）`),
          ` — ${STATUS[b.status] || b.status}`)))
        : h('p', { class: 'muted' }, '没有查到预约。请核对身份证号和预约时填写的手机号。'));
    } catch (err) {
      if (err.field && inputs[err.field]) inputs[err.field].setAttribute('aria-invalid', 'true');
      out.replaceChildren(errorBox(err));
    }
  });
  return section('我的预约', form);
}

async function newBooking() {
  let lines;
  try {
    lines = (await api('GET', '/booking/lines')).items;
  } catch (err) {
    main.replaceChildren(errorBox(err));
    return;
  }
  const pickArea = h('div', {});
  const formArea = h('div', {});
  const select = h('select', { id: 'line', name: 'line' },
    h('option', { value: '' }, '请选择办理的业务'),
    ...lines.map((l) => h('option', { value: l.id }, `${l.center_name} · ${l.name}`)));
  select.addEventListener('change', async () => {
    formArea.replaceChildren();
    if (!select.value) { pickArea.replaceChildren(); return; }
    pickArea.replaceChildren(await slotPicker(select.value, (day, s) => showForm(Number(select.value), day, s)));
  });
  const showForm = (lineId, day, s) => {
    const name = h('input', { name: 'name', maxlength: 32, required: true, autocomplete: 'name' });
    const idn = h('input', { name: 'id_number', maxlength: 18, required: true, autocomplete: 'off' });
    const mob = h('input', { name: 'mobile', inputmode: 'numeric', maxlength: 11, required: true, autocomplete: 'tel' });
    const sms = smsCodeField(mob, 'book-sms-code');
    const msg = h('div', {});
    const inputs = { name, id_number: idn, mobile: mob, sms_code: sms.input };
    // One key per booking attempt: a resubmission after a lost answer gets the same booking.
    const idempotencyKey = newIdempotencyKey();
    const form = h('form', { class: 'bk-form', id: 'book-form', novalidate: true },
      h('p', { class: 'bk-chosen' }, `已选：${day.date}（${day.weekday}）${s.start}-${s.end}`),
      field('姓名', name), field('身份证号', idn, '18位居民身份证号'), field('手机号码', mob, '接收验证码、预约码和提醒短信'),
      sms.el, msg, h('button', { type: 'submit', class: 'p-btn p-btn-primary' }, '提交预约'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      for (const el of Object.values(inputs)) el.removeAttribute('aria-invalid');
      try {
        const b = await api('POST', '/bookings', { idempotencyKey, body: { line_id: lineId, date: day.date, start: s.start, name: name.value.trim(), id_number: idn.value.trim(), mobile: mob.value.trim(), sms_code: sms.input.value.trim() } });
        history.replaceState(null, '', `/portal/booking.html?t=${b.token}`);
        main.replaceChildren(section('预约成功', h('p', { class: 'msg' }, '预约成功，预约码已短信发送到您的手机。'), bookingCard(b),
          h('div', { class: 'p-actions' }, h('a', { class: 'p-btn', href: `/portal/booking.html?t=${b.token}` }, '查看、改约或取消'))));
      } catch (err) {
        if (err.field && inputs[err.field]) inputs[err.field].setAttribute('aria-invalid', 'true');
        msg.replaceChildren(errorBox(err));
      }
    });
    formArea.replaceChildren(form);
    name.focus();
  };
  main.replaceChildren(
    section('预约办事', h('p', { class: 'muted' }, '选择业务和时段，填写信息后获得预约码；到大厅后在取号机“预约签到”即可优先取号。'),
      field('办理业务', select), pickArea, formArea),
    mine(),
  );
  if (location.hash === '#mine') document.getElementById('mine-form').scrollIntoView();
}

const token = new URLSearchParams(location.search).get('t');
if (token) showBooking(token);
else newBooking();
