// 手机排队进度: the page behind the QR on the ticket slip (ticket.html?t=TOKEN). No
// login: the random token is the key. Live: the hall's server-sent events (GET
// /hall/t/{token}/events, ids only) cue a re-read of the ticket; EventSource reconnects
// by itself with Last-Event-ID after a drop or a server restart. A slow poll stays as a
// fallback for networks that cut long-lived connections.

const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(location.search).get('t') || '';
const STATUS = {
  waiting: '等候中', transferred: '等候中（已转移）', called: '正在叫您', serving: '正在办理',
  held: '请填写表格后回到窗口', done: '已办结', no_show: '已过号，请联系导服人员', cancelled: '已取消',
};

async function refresh() {
  try {
    const res = await fetch(`/api/v1/hall/t/${encodeURIComponent(token)}`, { cache: 'no-store' });
    const t = await res.json();
    if (!res.ok) {
      $('status').textContent = t.message || '查询失败';
      return;
    }
    $('number').textContent = t.number;
    $('line').textContent = t.line_name;
    let text = STATUS[t.status] || t.status;
    if (t.status === 'called' || t.status === 'serving') text += `：请到${t.window_no}号窗口`;
    if (t.people_ahead !== null) {
      text += `，前面还有${t.people_ahead}人`;
      if (t.estimated_wait_min !== null) text += `，预计等候约${t.estimated_wait_min}分钟`;
    }
    $('status').textContent = text;
    $('near').hidden = !(t.people_ahead !== null && t.people_ahead <= 3);
    // Worth a text only while there is still a wait ahead.
    $('notify').hidden = !(t.status === 'waiting' || t.status === 'transferred') || !(t.people_ahead > 3) || notified;
  } catch {
    $('status').textContent = '网络不通，稍后自动重试';
  }
}

let notified = false;
$('mobile').addEventListener('input', () => { $('notify-msg').textContent = ''; });
$('notify').addEventListener('submit', async (event) => {
  event.preventDefault();
  const mobile = $('mobile').value.trim();
  $('mobile').removeAttribute('aria-invalid');
  $('notify-msg').textContent = '';
  if (!mobile) {
    $('mobile').setAttribute('aria-invalid', 'true');
    $('notify-msg').textContent = '请输入手机号码';
    return;
  }
  try {
    const res = await fetch(`/api/v1/hall/t/${encodeURIComponent(token)}/notify`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ mobile }),
    });
    if (!res.ok) {
      const err = await res.json().catch(() => ({}));
      if (err.field === 'mobile') $('mobile').setAttribute('aria-invalid', 'true');
      $('notify-msg').textContent = err.message || '设置失败，请稍后重试';
      return;
    }
    notified = true;
    $('notify').hidden = true;
    $('near').hidden = true;
    $('status').textContent += '。前面还剩3人时会短信提醒您';
  } catch {
    $('notify-msg').textContent = '网络不通，请稍后重试';
  }
});

let pending = 0;
function soon() {
  // A burst of events (a call, a start, a finish) costs one read.
  if (!pending) pending = setTimeout(() => { pending = 0; refresh(); }, 300);
}

refresh();
if (window.EventSource) {
  const live = new EventSource(`/api/v1/hall/t/${encodeURIComponent(token)}/events`);
  live.addEventListener('hall', soon);
  live.addEventListener('open', () => { document.body.dataset.link = 'live'; soon(); });
  live.addEventListener('error', () => { document.body.dataset.link = 'retrying'; });
}
setInterval(refresh, 30000);
