// 评价器: the rating pad at one window. Runs with a rating_pad device's token (bound to
// a center and a window number). It follows the hall feed and, when its window
// finishes serving a ticket (a `finish` event with its window_no), asks the applicant
// to rate the service with the five levels.
//
// NOT YET STORED: collecting and keeping ratings (好差评) is later work; there is no
// rating endpoint yet. A press here only thanks the applicant and returns to idle: no
// rating is sent anywhere or saved, and nothing here pretends otherwise.

import { follow, el } from './feed.js';

const TOKEN_KEY = 'yc_rate_token';
const ASK_FOR_S = 30;
const THANKS_FOR_S = 3;
const LEVELS = [
  [5, '非常满意'],
  [4, '满意'],
  [3, '基本满意'],
  [2, '不满意'],
  [1, '非常不满意'],
];
const $ = (id) => document.getElementById(id);
let token = localStorage.getItem(TOKEN_KEY);
let device = null;
let timer = null;

async function api(path) {
  const res = await fetch('/api/v1' + path, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error(body?.message || `请求失败（HTTP ${res.status}）`);
    err.status = res.status;
    throw err;
  }
  return body;
}

function show(which) {
  for (const id of ['setup', 'idle', 'ask', 'thanks']) $(id).hidden = id !== which;
  document.body.dataset.state = which;
}

function idle() {
  clearTimeout(timer);
  show('idle');
}

function ask(data) {
  clearTimeout(timer);
  $('ask-ticket').textContent = data.number ? `${data.number}号 · ${data.line_name || ''}` : '';
  show('ask');
  $('levels').querySelector('button')?.focus();
  timer = setTimeout(idle, ASK_FOR_S * 1000);
}

function rated() {
  // Not stored yet (see the top of this file): thank and go back to idle.
  clearTimeout(timer);
  show('thanks');
  timer = setTimeout(idle, THANKS_FOR_S * 1000);
}

async function start() {
  try {
    device = await api('/device');
  } catch (e) {
    if (e.status === 401) {
      localStorage.removeItem(TOKEN_KEY);
      askToken('设备令牌无效或已被吊销，请重新输入');
      return;
    }
    $('link').textContent = '无法连接服务器，正在重试…';
    setTimeout(start, 3000);
    return;
  }
  if (device.kind !== 'rating_pad') {
    localStorage.removeItem(TOKEN_KEY);
    askToken('该令牌不属于评价器，请输入评价器的设备令牌');
    return;
  }
  $('title').textContent = `${device.center_name} ${device.window_no}号窗口 评价器`;
  $('idle-window').textContent = `${device.window_no}号窗口`;
  idle();
  // No lastId: a pad that was off asks nobody about services finished meanwhile.
  follow(device.center_id, {
    token,
    onState: (s) => {
      $('link').textContent = s === 'live' ? '' : '连接中断，正在重连…';
      document.body.dataset.link = s;
    },
    onEvent: (ev) => {
      if (ev.kind === 'finish' && ev.data && ev.data.window_no === device.window_no) ask(ev.data);
    },
  });
}

function askToken(message) {
  show('setup');
  $('setup-error').textContent = message || '';
  $('token').focus();
}

$('levels').replaceChildren(
  ...LEVELS.map(([n, name]) => el('li', {}, el('button', { type: 'button', class: `lv-${n}`, 'data-level': n, onclick: rated }, name))),
);
$('setup-form').addEventListener('submit', (e) => {
  e.preventDefault();
  token = $('token').value.trim();
  localStorage.setItem(TOKEN_KEY, token);
  start();
});

if (token) start();
else askToken();
