// 取号机: the hall's ticket kiosk. Runs with a kiosk device's token (asked once, kept
// in this browser, as the display does). Three ways to a ticket: pick a service line
// (业务), search an item and take a ticket for a line that serves it, or check in with a
// booking code / ID number (预约签到). 绿色通道 asks for confirmation, then the next
// ticket is taken with priority "green". After a ticket the 80 mm slip is shown and
// printed (print CSS in kiosk.css), then the kiosk returns to the start by itself. With
// more than 3 people ahead the slip screen offers "短信提醒": a mobile typed on its keypad
// gets an SMS when the turn is near (POST /hall/t/{token}/notify), for applicants without
// a smartphone to follow the QR.
// Run the kiosk browser with silent printing to its receipt printer (chromium
// --kiosk --kiosk-printing); elsewhere window.print() opens the print dialog.

import { el } from './feed.js';

const TOKEN_KEY = 'yc_kiosk_token';
const BACK_AFTER_S = 10;
const IDLE_RESET_S = 60;
const $ = (id) => document.getElementById(id);
let token = localStorage.getItem(TOKEN_KEY);
let device = null;
let green = false;
let busy = false;
let backTimer = null;
let slipToken = null;
let idleTimer = null;

class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `请求失败（HTTP ${status}）`);
    this.status = status;
    this.code = body?.code;
  }
}

async function api(method, path, body, headers = {}) {
  let res;
  try {
    res = await fetch('/api/v1' + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
      cache: 'no-store',
    });
  } catch {
    throw new Error('网络不通，请稍后再试或咨询导服台');
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/** A fresh Idempotency-Key. crypto.randomUUID exists only in secure contexts (https,
 * localhost); a kiosk on the hall's LAN may use plain http, where getRandomValues works. */
function newKey() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function showError(text) {
  $('kiosk-error').textContent = text || '';
}

// ---------------------------------------------------------------- tabs

const TABS = ['lines', 'search', 'checkin'];
function selectTab(name) {
  for (const t of TABS) {
    $(`tab-${t}`).setAttribute('aria-selected', String(t === name));
    $(`pane-${t}`).hidden = t !== name;
  }
  showError('');
  if (name === 'lines') loadLines();
  // 绿色通道 applies to lines and search; a booking has its own priority.
  if (name === 'checkin') setGreen(false);
}

// ---------------------------------------------------------------- lines

async function loadLines() {
  try {
    const [lines, queue] = await Promise.all([api('GET', `/hall/${device.center_id}/lines`), api('GET', `/hall/${device.center_id}/queue`)]);
    const waiting = new Map(queue.lines.map((l) => [l.id, l.waiting]));
    const active = lines.items.filter((l) => l.is_active);
    $('lines').replaceChildren(
      ...active.map((l) =>
        el('li', {},
          el('button', { type: 'button', class: 'line-button', 'data-line': l.id, onclick: () => take(l) },
            el('span', { class: 'line-prefix' }, l.prefix),
            el('span', { class: 'line-label' }, l.name),
            el('span', { class: 'line-waiting' }, `等候${waiting.get(l.id) ?? 0}人`))),
      ),
    );
    if (!active.length) $('lines').replaceChildren(el('li', { class: 'kiosk-hint' }, '本中心暂未开放取号，请咨询导服台。'));
  } catch (e) {
    showError(e.message);
  }
}

// ---------------------------------------------------------------- search

async function search(q) {
  showError('');
  if (!q.trim()) {
    showError('请输入事项名称或关键词');
    return;
  }
  try {
    const r = await api('GET', `/hall/${device.center_id}/kiosk-search?q=${encodeURIComponent(q.trim())}`);
    if (!r.results.length) {
      $('results').replaceChildren(el('li', { class: 'kiosk-hint' }, '没有找到相关事项，请换个说法或咨询导服台。'));
      return;
    }
    $('results').replaceChildren(
      ...r.results.map((it) =>
        el('li', { class: 'result' },
          el('div', { class: 'result-name' }, it.name),
          el('div', { class: 'result-dept' }, it.department || ''),
          it.lines.length
            ? el('div', { class: 'result-lines' },
              ...it.lines.map((l) => el('button', { type: 'button', class: 'result-take', onclick: () => take(l, it.item_id) }, `取${l.prefix}号 · ${l.name}`)))
            : el('div', { class: 'kiosk-hint' }, '本中心暂无办理该事项的队列，请咨询导服台。'))),
    );
  } catch (e) {
    showError(e.message);
  }
}

// ---------------------------------------------------------------- green channel

function setGreen(on) {
  green = on;
  $('green-banner').hidden = !on;
  document.body.classList.toggle('green-mode', on);
}

// ---------------------------------------------------------------- tickets

/** POST with one Idempotency-Key per press, retried once with the same key when the
 * network lost the answer: the server then returns the ticket it already issued
 * instead of a second number. */
async function postOnce(path, body) {
  const headers = { 'Idempotency-Key': newKey() };
  try {
    return await api('POST', path, body, headers);
  } catch (e) {
    if (e instanceof ApiError) throw e;
    await new Promise((r) => setTimeout(r, 1000));
    return api('POST', path, body, headers);
  }
}

async function take(line, itemId) {
  if (busy) return;
  busy = true;
  showError('');
  try {
    const body = { line_id: line.id };
    if (green) body.priority = 'green';
    if (itemId) body.item_id = itemId;
    showSlip(await postOnce(`/hall/${device.center_id}/tickets`, body));
  } catch (e) {
    showError(e.message);
  } finally {
    busy = false;
  }
}

async function checkin(by, value) {
  if (busy) return;
  showError('');
  value = value.trim().toUpperCase();
  if (!value) {
    showError(by === 'code' ? '请输入预约码' : '请输入身份证号');
    return;
  }
  busy = true;
  try {
    const t = await postOnce(`/hall/${device.center_id}/checkin`, { [by]: value });
    $('checkin-value').value = '';
    showSlip(t);
  } catch (e) {
    showError(e.message);
  } finally {
    busy = false;
  }
}

function fmtTime(iso) {
  const d = iso ? new Date(iso) : new Date();
  return d.toLocaleString('zh-CN', { hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

function showSlip(t) {
  $('slip-center').textContent = device.center_name;
  $('slip-number').textContent = t.number;
  $('slip-green').hidden = t.priority !== 'green';
  $('slip-line').textContent = t.line_name || '';
  $('slip-ahead').textContent = `前面还有 ${t.people_ahead ?? 0} 人`;
  const wait = t.estimated_wait_min;
  $('slip-wait').textContent = wait === null || wait === undefined ? '预计等候时间：暂无法估计'
    : wait === 0 ? '预计很快就会叫到您' : `预计等候约 ${wait} 分钟`;
  $('slip-time').textContent = `取号时间：${fmtTime(t.taken_at)}`;
  const follow = `${location.origin}/hall/ticket.html?t=${t.token}`;
  $('slip-qr').src = `/api/v1/qr.svg?text=${encodeURIComponent(follow)}`;
  $('slip-qr').dataset.follow = follow;
  slipToken = t.token;
  $('near').hidden = !((t.people_ahead ?? 0) > 3);
  $('near-mobile').value = '';
  $('near-msg').textContent = '';
  $('near-msg').className = 'near-msg';
  $('near').querySelector('.near-submit').disabled = false;
  setGreen(false);
  $('start').hidden = true;
  $('slip').hidden = false;
  document.body.classList.add('printing');
  const print = () => {
    try {
      window.print();
    } catch {
      // no printer: the slip stays on screen
    }
  };
  if ($('slip-qr').complete) print();
  else $('slip-qr').addEventListener('load', print, { once: true });
  countDownBack(BACK_AFTER_S);
}

/** Back to the start after `seconds` (restarted while someone types a mobile). */
function countDownBack(seconds) {
  let left = seconds;
  $('slip-back').textContent = `${left}秒后返回首页`;
  clearInterval(backTimer);
  backTimer = setInterval(() => {
    left -= 1;
    $('slip-back').textContent = `${left}秒后返回首页`;
    if (left <= 0) backToStart();
  }, 1000);
}

async function askNear() {
  const mobile = $('near-mobile').value.trim();
  const msg = $('near-msg');
  msg.className = 'near-msg';
  if (!/^1\d{10}$/.test(mobile)) {
    msg.className = 'near-msg error';
    msg.textContent = '请输入11位手机号码';
    return;
  }
  countDownBack(BACK_AFTER_S * 3);
  try {
    await api('POST', `/hall/t/${slipToken}/notify`, { mobile });
    msg.textContent = `已登记：前面剩3人以内时短信通知 ${mobile.slice(0, 3)}****${mobile.slice(-4)}`;
    $('near').querySelector('.near-submit').disabled = true;
    $('near-mobile').value = '';
  } catch (e) {
    msg.className = 'near-msg error';
    msg.textContent = e.message;
  }
}

function backToStart() {
  clearInterval(backTimer);
  backTimer = null;
  document.body.classList.remove('printing');
  $('slip').hidden = true;
  $('start').hidden = false;
  $('q').value = '';
  $('results').replaceChildren();
  setGreen(false);
  selectTab('lines');
}

// ---------------------------------------------------------------- keypad (check-in)

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'X', '0', '删除'];
/** Keys for input into pad; max characters; onKey after each press. */
function buildKeypad(pad, input, keys, max, onKey = () => {}) {
  pad.replaceChildren(
    ...keys.map((k) => (!k ? el('span', { class: 'key-gap' }) :
      el('button', {
        type: 'button',
        class: 'key',
        onclick: () => {
          if (k === '删除') input.value = input.value.slice(0, -1);
          else if (input.value.length < max) input.value += k;
          input.focus();
          onKey();
        },
      }, k))),
  );
}

// ---------------------------------------------------------------- start-up

async function start() {
  try {
    device = await api('GET', '/device');
  } catch (e) {
    if (e.status === 401) {
      localStorage.removeItem(TOKEN_KEY);
      askToken('设备令牌无效或已被吊销，请重新输入');
      return;
    }
    askToken(`无法连接服务器：${e.message}`);
    setTimeout(start, 3000);
    return;
  }
  if (device.kind !== 'kiosk') {
    localStorage.removeItem(TOKEN_KEY);
    askToken('该令牌不属于取号机，请输入取号机的设备令牌');
    return;
  }
  $('center-name').textContent = `${device.center_name} 自助取号`;
  $('setup').hidden = true;
  $('start').hidden = false;
  selectTab('lines');
}

function askToken(message) {
  $('setup').hidden = false;
  $('start').hidden = true;
  $('setup-error').textContent = message || '';
  $('token').focus();
}

$('setup-form').addEventListener('submit', (e) => {
  e.preventDefault();
  token = $('token').value.trim();
  localStorage.setItem(TOKEN_KEY, token);
  start();
});
for (const t of TABS) $(`tab-${t}`).addEventListener('click', () => selectTab(t));
$('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  search($('q').value);
});
$('checkin-form').addEventListener('submit', (e) => {
  e.preventDefault();
  checkin(new FormData(e.target).get('by'), $('checkin-value').value);
});
for (const r of document.querySelectorAll('input[name="by"]')) {
  r.addEventListener('change', () => {
    $('checkin-label').textContent = r.value === 'code' ? '预约码' : '身份证号';
    $('checkin-value').value = '';
  });
}
$('green').addEventListener('click', () => $('green-dialog').showModal());
$('green-dialog').addEventListener('close', () => {
  if ($('green-dialog').returnValue === 'ok') setGreen(true);
});
$('green-cancel').addEventListener('click', () => setGreen(false));
$('slip-done').addEventListener('click', backToStart);
// Someone walked away halfway: back to the start after a minute without a touch.
document.addEventListener('pointerdown', () => {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if ($('slip').hidden && !$('start').hidden) backToStart();
  }, IDLE_RESET_S * 1000);
});
buildKeypad($('keypad'), $('checkin-value'), KEYS, 18);
// The mobile keypad has no X; typing holds the slip screen a while longer.
buildKeypad($('near-keypad'), $('near-mobile'), KEYS.map((k) => (k === 'X' ? '' : k)), 11, () => {
  $('near-msg').textContent = '';
  countDownBack(BACK_AFTER_S * 3);
});
$('near').addEventListener('submit', (e) => {
  e.preventDefault();
  askNear();
});
setInterval(() => {
  $('clock').textContent = new Date().toLocaleTimeString('zh-CN', { hour12: false });
}, 1000);

if (token) start();
else askToken();
