// The hall's live feed (GET /api/v1/hall/{center}/events) read with fetch, so that a
// display can send its device token (EventSource cannot send headers). Reconnects by
// itself after errors and server restarts, resuming from the last event id it saw, so
// no call is missed (the server keeps every event).

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * follow(centerId, {token, lastId, onEvent, onState}) → {stop()}
 *   onEvent({id, kind, data}) for every event; onState('live' | 'reconnecting').
 */
export function follow(centerId, { token, lastId, onEvent, onState }) {
  let stopped = false;
  let last = lastId;
  let ctrl = null;
  const url = `/api/v1/hall/${centerId}/events`;

  function handle(block) {
    const ev = {};
    for (const line of block.split('\n')) {
      const m = /^(id|event|data): ?(.*)$/.exec(line);
      if (m) ev[m[1]] = m[2];
    }
    if (!ev.id) return;
    last = Number(ev.id);
    let data = null;
    try {
      data = JSON.parse(ev.data || 'null');
    } catch {
      return;
    }
    onEvent({ id: last, kind: ev.event, data });
  }

  (async () => {
    let delay = 1000;
    while (!stopped) {
      ctrl = new AbortController();
      try {
        const headers = { Accept: 'text/event-stream' };
        if (token) headers.Authorization = `Bearer ${token}`;
        if (last !== undefined && last !== null) headers['Last-Event-ID'] = String(last);
        const res = await fetch(url, { headers, credentials: 'same-origin', cache: 'no-store', signal: ctrl.signal });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        onState?.('live');
        delay = 1000;
        const reader = res.body.getReader();
        const dec = new TextDecoder();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += dec.decode(value, { stream: true });
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            handle(buf.slice(0, i));
            buf = buf.slice(i + 2);
          }
        }
      } catch {
        // network error, abort, server restart: retry below
      }
      if (stopped) return;
      onState?.('reconnecting');
      await sleep(delay);
      delay = Math.min(delay * 2, 15000);
    }
  })();
  return {
    stop() {
      stopped = true;
      ctrl?.abort();
    },
  };
}

const isChinese = (v) => /^(zh|cmn)/i.test(v.lang || '');

/** Does the browser's speech synthesis have a Chinese voice? (The list may fill in
 * a moment after the page loads; asking early starts that.) */
export function chineseVoice() {
  const synth = window.speechSynthesis;
  if (!synth || typeof SpeechSynthesisUtterance === 'undefined') return false;
  return synth.getVoices().some(isChinese);
}

/** Say a sentence in Mandarin with the browser's speech synthesis, if it has it. */
export function announce(text) {
  const synth = window.speechSynthesis;
  if (!synth || typeof SpeechSynthesisUtterance === 'undefined') return false;
  const u = new SpeechSynthesisUtterance(text);
  u.lang = 'zh-CN';
  u.rate = 0.9;
  const voice = synth.getVoices().find((v) => /^zh(-|_)?CN/i.test(v.lang)) || synth.getVoices().find(isChinese);
  try {
    if (voice) u.voice = voice;
  } catch {
    // not a real SpeechSynthesisVoice: lang alone picks one
  }
  synth.speak(u);
  return true;
}

/** Create an element: el('div', {class: 'x'}, child, 'text', ...). */
export function el(tag, attrs = {}, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') n.className = v;
    else if (k.startsWith('on') && typeof v === 'function') n.addEventListener(k.slice(2), v);
    else n.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return n;
}
