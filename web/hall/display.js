// 叫号屏: the hall display. Runs with a display device's token (asked once, kept in
// this browser). Shows the current call in large type, every window's number, the last
// calls and the waiting count per line; announces each call by voice
// ("请A023号到5号窗口办理"). Live through the hall feed; recovers by itself.
//
// The voice: the browser's speech synthesis when it has a Chinese voice; otherwise the
// server's audio of that very call event (GET /hall/{center}/voice/{event}, espeak-ng),
// played one after another. A display browser should be started with autoplay allowed
// (chromium --autoplay-policy=no-user-gesture-required); if the browser still blocks
// sound, the header asks for one touch to turn it on.

import { follow, announce, chineseVoice, el } from './feed.js';

const TOKEN_KEY = 'yc_display_token';
const $ = (id) => document.getElementById(id);
let token = localStorage.getItem(TOKEN_KEY);
let centerId = null;
let refreshTimer = null;

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

function renderQueue(q) {
  $('windows').replaceChildren(
    ...q.windows
      .filter((w) => w.state !== 'closed')
      .map((w) =>
        el('li', { class: `win win-${w.state}` },
          el('span', { class: 'win-no' }, `${w.number}号窗口`),
          el('span', { class: 'win-ticket' }, w.current_number || (w.state === 'paused' ? '暂停服务' : '空闲'))),
      ),
  );
  $('lines').replaceChildren(
    ...q.lines.filter((l) => l.is_active).map((l) =>
      el('li', {}, el('span', { class: 'line-name' }, `${l.prefix} ${l.name}`), el('span', { class: 'line-count' }, `${l.waiting}人`)),
    ),
  );
  $('recent').replaceChildren(
    ...q.recent_calls.slice(0, 8).map((c) => el('li', {}, `${c.number} → ${c.window_no}号窗口`)),
  );
}

let audioChain = Promise.resolve();

/** Play the server's WAV of call event id, after any still playing. */
function playServerVoice(id) {
  audioChain = audioChain.then(async () => {
    try {
      const res = await fetch(`/api/v1/hall/${centerId}/voice/${id}`, { headers: { Authorization: `Bearer ${token}` } });
      if (!res.ok) return;
      const url = URL.createObjectURL(await res.blob());
      const audio = new Audio(url);
      document.body.dataset.voice = 'audio';
      await new Promise((resolve) => {
        audio.addEventListener('ended', resolve, { once: true });
        audio.addEventListener('error', resolve, { once: true });
        audio.play().catch(() => {
          $('link').textContent = '声音被浏览器拦截：请触摸屏幕一次以开启叫号声音';
          document.addEventListener('pointerdown', () => ($('link').textContent = ''), { once: true });
          resolve();
        });
        setTimeout(resolve, 15000);
      });
      URL.revokeObjectURL(url);
    } catch {
      // no sound this time; the board shows the call anyway
    }
  });
}

function showCall(data, id) {
  $('now-number').textContent = data.number;
  $('now-window').textContent = `请到${data.window_no}号窗口`;
  $('announce').textContent = data.text;
  document.body.dataset.lastCall = data.text;
  if (chineseVoice()) {
    document.body.dataset.voice = 'speech';
    announce(data.text);
  } else if (id) {
    playServerVoice(id);
  }
}

async function refresh() {
  clearTimeout(refreshTimer);
  refreshTimer = null;
  try {
    renderQueue(await api(`/hall/${centerId}/queue`));
  } catch {
    // the feed's reconnect will bring us back
  }
}

function refreshSoon() {
  if (!refreshTimer) refreshTimer = setTimeout(refresh, 200);
}

async function start() {
  chineseVoice(); // starts loading the voice list
  let device;
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
  centerId = device.center_id;
  $('center-name').textContent = `${device.center_name} 叫号屏`;
  $('setup').hidden = true;
  $('board').hidden = false;
  const q = await api(`/hall/${centerId}/queue`);
  renderQueue(q);
  if (q.recent_calls[0]) {
    $('now-number').textContent = q.recent_calls[0].number;
    $('now-window').textContent = `请到${q.recent_calls[0].window_no}号窗口`;
  }
  follow(centerId, {
    token,
    lastId: q.last_event_id,
    onState: (s) => {
      $('link').textContent = s === 'live' ? '' : '连接中断，正在重连…';
      if (s === 'live') refreshSoon();
    },
    onEvent: (ev) => {
      if (['call', 'recall', 'callback'].includes(ev.kind)) showCall(ev.data, ev.id);
      refreshSoon();
    },
  });
}

function askToken(message) {
  $('setup').hidden = false;
  $('board').hidden = true;
  $('setup-error').textContent = message || '';
  $('token').focus();
}

$('setup-form').addEventListener('submit', (e) => {
  e.preventDefault();
  token = $('token').value.trim();
  localStorage.setItem(TOKEN_KEY, token);
  start();
});

setInterval(() => {
  $('clock').textContent = new Date().toLocaleTimeString('zh-CN', { hour12: false });
}, 1000);

if (token) start();
else askToken();
