// Small DOM helpers shared by the pages. Everything is built with
// createElement/textContent so server data is never parsed as HTML, and no
// inline handlers or style attributes are needed (strict CSP).

/**
 * Create an element.
 *   h('button', {class: 'btn', type: 'button', onclick: fn}, '保存')
 * Attributes starting with "on" become event listeners; true/false toggle
 * boolean attributes; null/undefined are skipped. Children may be strings,
 * nodes, arrays or falsy (skipped).
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'text') {
      el.textContent = value;
    } else if (key === 'value') {
      // For inputs this is also the value form.reset() returns to.
      if (el.tagName === 'INPUT') el.defaultValue = value;
      el.value = value;
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : String(child));
  }
}

/** Remove all children, then append the given ones. */
export function replaceChildren(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const timeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** RFC 3339 instant → "2026-03-02 09:15:00" in China Standard Time. */
export function formatTime(value) {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const p = Object.fromEntries(timeFormat.formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/**
 * A status line for a screen or form: show(text, kind) with kind "error",
 * "success" or "info"; clear() hides it. Errors use role=alert so screen
 * readers announce them.
 */
export function messageBox() {
  const el = h('div', { class: 'msg', hidden: true });
  return {
    el,
    show(text, kind = 'info') {
      el.className = `msg msg-${kind}`;
      el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
      el.textContent = text;
      el.hidden = false;
    },
    clear() {
      el.hidden = true;
      el.textContent = '';
    },
  };
}

/** Hide a form's message and unmark fields flagged by showFormError. */
export function clearFormError(form, box) {
  box.clear();
  for (const bad of form.querySelectorAll('[aria-invalid="true"]')) {
    bad.removeAttribute('aria-invalid');
  }
}

/** Show an API error in a message box and mark the offending form field. */
export function showFormError(form, box, err) {
  clearFormError(form, box);
  box.show(err.message || '操作失败，请重试', 'error');
  if (err.field) {
    const name = String(err.field).replace(/\[\d+\]/g, '').split('.').pop();
    const input = form.elements.namedItem(name);
    if (input && input.focus) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  }
}

let fieldSeq = 0;

/**
 * Labelled form field: caption, control and an optional hint. The hint sits
 * outside the <label> (linked by aria-describedby) so the control's
 * accessible name is just the caption.
 */
export function field(caption, control, hint) {
  if (!control.id) control.id = `field-${++fieldSeq}`;
  let hintEl = null;
  if (hint) {
    hintEl = h('span', { class: 'field-hint', id: `${control.id}-hint` }, hint);
    control.setAttribute('aria-describedby', hintEl.id);
  }
  return h('div', { class: 'field' }, h('label', { class: 'field-label', for: control.id }, caption), control, hintEl);
}

/**
 * A data table. headers are strings, or {text, wrap: true} for a column of
 * long text that may wrap (other columns stay on one line); rows are arrays
 * of cells (string or Node).
 */
export function table(headers, rows, emptyText = '暂无数据') {
  const cols = headers.map((x) => (typeof x === 'string' ? { text: x } : x));
  const tbody = h('tbody');
  if (rows.length === 0) {
    tbody.append(h('tr', null, h('td', { class: 'empty', colspan: cols.length }, emptyText)));
  }
  for (const row of rows) {
    tbody.append(h('tr', null, row.map((cell, i) => h('td', { class: cols[i]?.wrap ? 'wrap' : null }, cell))));
  }
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', { class: 'data' }, h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c.text)))), tbody),
  );
}

/** Disable a button while an async action runs; re-enable afterwards. */
export async function busy(button, action) {
  button.disabled = true;
  try {
    return await action();
  } finally {
    button.disabled = false;
  }
}
