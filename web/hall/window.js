// 窗口工作台: the clerk's screen at one window (?window=ID). Every action is a button
// and a key; the state comes from GET /api/v1/hall/windows/{id} and is refreshed on
// every hall event of this center (a ticket taken, another window's transfer...).

import { follow, el } from './feed.js';

const $ = (id) => document.getElementById(id);
const windowId = new URLSearchParams(location.search).get('window');
let csrf = null;
let view = null;
let feed = null;

const STATUS = { called: '已叫号', serving: '办理中', held: '暂存', waiting: '等候中', transferred: '已转移' };
const PRIORITY = { green: '绿色通道', appointment: '预约', normal: '普通' };

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    headers['X-CSRF-Token'] = csrf;
  }
  const res = await fetch('/api/v1' + path, {
    method, headers, credentials: 'same-origin', cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401) {
    location.replace('/index.html');
    throw new Error('请先登录');
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new Error(data?.message || `请求失败（HTTP ${res.status}）`);
  return data;
}

function say(text, bad = false) {
  $('message').textContent = text;
  $('message').classList.toggle('error', bad);
}

async function act(action, body) {
  try {
    view = await api('POST', `/hall/windows/${windowId}/${action}`, body || {});
    render();
    const t = view.ticket;
    say(t ? `${t.number}：${BUTTONS.find((b) => b.action === action)?.label || action}完成` : '操作完成');
  } catch (e) {
    say(e.message, true);
  }
}

const BUTTONS = [
  { key: 'c', action: 'call', label: '叫号' },
  { key: 'r', action: 'recall', label: '重呼' },
  { key: 'g', action: 'noshow', label: '过号' },
  { key: 's', action: 'start', label: '开始办理' },
  { key: 'f', action: 'finish', label: '办结' },
  { key: 'h', action: 'hold', label: '暂存' },
  { key: 't', action: 'transfer', label: '转移' },
  { key: 'b', action: 'backoffice', label: '呼叫后台' },
  { key: 'p', action: 'pause', label: '暂停/恢复' },
  { key: 'o', action: 'open', label: '开窗/关窗' },
];

function run(action) {
  if (action === 'pause') return act(view?.state === 'paused' ? 'resume' : 'pause');
  if (action === 'open') return act(view?.state === 'closed' ? 'open' : 'close');
  if (action === 'transfer') {
    const line = Number($('to-line').value);
    return act('transfer', { line_id: line, to_front: $('to-front').checked });
  }
  if (action === 'backoffice') return act('backoffice', { note: '请后台人员到窗口协助' });
  return act(action);
}

function render() {
  if (!view) return;
  $('title').textContent = `${view.number}号窗口 ${view.name}`;
  $('state').textContent = { open: '服务中', paused: '暂停服务', closed: '未开窗' }[view.state] || view.state;
  $('state').className = `ws-state ws-${view.state}`;
  const avg = view.avg_handle_s == null ? '—' : `${Math.round(view.avg_handle_s / 60 * 10) / 10}分钟`;
  $('figures').textContent = `今日办结 ${view.served_today} 件 · 平均办理 ${avg}`;
  const c = view.current;
  $('cur-number').textContent = c ? c.number : '—';
  $('cur-info').textContent = c ? `${c.line_name} · ${PRIORITY[c.priority] || c.priority} · ${STATUS[c.status] || c.status}${c.recall_count ? ` · 已重呼${c.recall_count}次` : ''}` : '无';
  $('held').replaceChildren(...view.held.map((t) =>
    el('li', {}, el('span', {}, `${t.number} ${t.line_name}`),
      el('span', {},
        el('button', { type: 'button', onclick: () => act('ready', { ticket_id: t.id }) }, '已备好'),
        el('button', { type: 'button', onclick: () => act('callback', { ticket_id: t.id }) }, '立即回叫')))));
  if (!$('to-line').options.length) {
    $('to-line').replaceChildren(...(view.all_lines || view.lines).map((l) => el('option', { value: l.id }, `${l.prefix} ${l.name}`)));
  }
}

async function load() {
  view = await api('GET', `/hall/windows/${windowId}`);
  const lines = await api('GET', `/hall/${view.center_id}/lines`);
  view.all_lines = lines.items.filter((l) => l.is_active);
  render();
  if (!feed) {
    feed = follow(view.center_id, {
      onState: (s) => { $('link').textContent = s === 'live' ? '' : '连接中断，正在重连…'; },
      onEvent: async () => {
        const all = view.all_lines;
        view = await api('GET', `/hall/windows/${windowId}`).catch(() => view);
        view.all_lines = all;
        render();
      },
    });
  }
}

async function main() {
  const session = await api('GET', '/session');
  csrf = session.csrf_token;
  if (!windowId) {
    say('请在地址中指定窗口（?window=窗口编号）', true);
    return;
  }
  $('buttons').replaceChildren(...BUTTONS.map((b) =>
    el('button', { type: 'button', 'data-action': b.action, onclick: () => run(b.action) }, `${b.label}（${b.key.toUpperCase()}）`)));
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.altKey || e.metaKey || ['INPUT', 'SELECT', 'TEXTAREA'].includes(e.target.tagName)) return;
    const b = BUTTONS.find((x) => x.key === e.key.toLowerCase());
    if (b) {
      e.preventDefault();
      run(b.action);
    }
  });
  try {
    await load();
  } catch (e) {
    say(e.message, true);
  }
}

main();
