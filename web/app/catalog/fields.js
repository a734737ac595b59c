// Form controls bound to a part of a JSON document: every control writes its
// value straight into the object it edits, so the document is always current
// (the JSON tab and the save button just read it). Every control is recorded
// under its document path ("steps[1].share") so the server's problems
// ({where, field}) can be shown next to the control they name.

import { h, field } from '../dom.js';
import { markField } from '../forms.js';
import { ENUMS, describePath } from './labels.js';

/** A binding context: path → control registry and a change hook. */
export function bindContext(onChange) {
  return { reg: new Map(), onChange: onChange || (() => {}) };
}

function register(ctx, path, el) {
  el.dataset.path = path;
  ctx.reg.set(path, el);
  return el;
}

function changed(ctx) {
  ctx.onChange();
}

/** One-line or multi-line text; optional fields disappear when emptied. */
export function textField(ctx, obj, key, path, caption, opts = {}) {
  const { multiline = false, optional = false, max, hint, readonly = false, placeholder } = opts;
  const el = multiline
    ? h('textarea', { class: 'text-area', rows: opts.rows || 3, maxlength: max, readonly, placeholder })
    : h('input', { type: 'text', maxlength: max, readonly, placeholder, autocomplete: 'off' });
  el.value = obj[key] === undefined || obj[key] === null ? '' : String(obj[key]);
  el.addEventListener('input', () => {
    if (optional && el.value === '') delete obj[key];
    else obj[key] = el.value;
    changed(ctx);
  });
  register(ctx, path, el);
  return wrap(caption, el, hint, opts.wide);
}

/** Whole number; a value that is no integer is kept as text so the server names it. */
export function intField(ctx, obj, key, path, caption, opts = {}) {
  const el = h('input', { type: 'number', step: 1, min: opts.min, max: opts.max, inputmode: 'numeric', class: 'num-input' });
  el.value = obj[key] === undefined || obj[key] === null ? '' : String(obj[key]);
  el.addEventListener('input', () => {
    const text = el.value.trim();
    if (text === '') delete obj[key];
    else obj[key] = /^-?\d+$/.test(text) ? Number(text) : text;
    changed(ctx);
  });
  register(ctx, path, el);
  return wrap(caption, el, opts.hint);
}

/** A select over one enumeration of labels.js; optional adds an empty choice. */
export function enumField(ctx, obj, key, path, caption, group, opts = {}) {
  const choices = ENUMS[group] || [];
  const el = h(
    'select',
    null,
    opts.optional || !choices.some(([c]) => c === obj[key]) ? h('option', { value: '' }, opts.optional ? '（不指定）' : '请选择') : null,
    choices.map(([code, name]) => h('option', { value: code }, code === name ? name : `${name}`)),
  );
  el.value = obj[key] === undefined ? '' : String(obj[key]);
  el.addEventListener('change', () => {
    if (el.value === '') delete obj[key];
    else obj[key] = el.value;
    changed(ctx);
  });
  register(ctx, path, el);
  return wrap(caption, el, opts.hint);
}

/** A list of strings edited one per line. */
export function linesField(ctx, obj, key, path, caption, opts = {}) {
  const el = h('textarea', { class: 'text-area', rows: opts.rows || 3 });
  el.value = Array.isArray(obj[key]) ? obj[key].join('\n') : obj[key] === undefined ? '' : String(obj[key]);
  el.addEventListener('input', () => {
    const list = el.value
      .split('\n')
      .map((x) => x.trim())
      .filter(Boolean);
    if (list.length || !opts.optional) obj[key] = list;
    else delete obj[key];
    changed(ctx);
  });
  register(ctx, path, el);
  return wrap(caption, el, opts.hint || '每行一项', true);
}

/** A list of strings typed on one line, separated by commas or spaces. */
export function listField(ctx, obj, key, path, caption, opts = {}) {
  const el = h('input', { type: 'text', autocomplete: 'off', placeholder: opts.placeholder });
  el.value = Array.isArray(obj[key]) ? obj[key].join(', ') : '';
  el.addEventListener('input', () => {
    const list = el.value.split(/[\s,，、]+/).filter(Boolean);
    if (list.length || !opts.optional) obj[key] = list;
    else delete obj[key];
    changed(ctx);
  });
  register(ctx, path, el);
  return wrap(caption, el, opts.hint);
}

/** Check boxes over one enumeration, giving an array of codes. */
export function checksField(ctx, obj, key, path, caption, group) {
  const boxes = (ENUMS[group] || []).map(([code, name]) => {
    const input = h('input', { type: 'checkbox', value: code, checked: Array.isArray(obj[key]) && obj[key].includes(code) });
    input.addEventListener('change', () => {
      obj[key] = boxes.filter((b) => b.checked).map((b) => b.value);
      changed(ctx);
    });
    return input;
  });
  const set = h(
    'fieldset',
    { class: 'checks', tabindex: '-1' },
    h('legend', null, caption),
    boxes.map((b, i) => h('label', { class: 'check' }, b, (ENUMS[group] || [])[i][1])),
  );
  register(ctx, path, set);
  return set;
}

/** One check box for a boolean. */
export function boolField(ctx, obj, key, path, caption, absentMeans = false) {
  const input = h('input', { type: 'checkbox', checked: obj[key] === undefined ? absentMeans : obj[key] === true });
  input.addEventListener('change', () => {
    if (obj[key] === undefined && input.checked === absentMeans) return;
    obj[key] = input.checked;
    changed(ctx);
  });
  register(ctx, path, input);
  return h('label', { class: 'check' }, input, caption);
}

function wrap(caption, el, hint, wide) {
  const f = field(caption, el, hint);
  if (wide) f.classList.add('field-wide');
  return f;
}

/**
 * A repeated group: rows of obj[key] (an array), each with 上移/下移/删除,
 * and an add button. row(item, path, index) returns the row's controls;
 * make() gives a new row's object. The group redraws itself on changes.
 */
export function groupField(ctx, obj, key, path, opts) {
  const { title, itemName, make, row, hint, extra } = opts;
  const list = h('div', { class: 'group-rows' });
  const set = h('fieldset', { class: 'group', tabindex: '-1' }, h('legend', { class: 'group-title' }, title), hint ? h('p', { class: 'field-hint' }, hint) : null, extra || null, list);
  register(ctx, path, set);

  function draw() {
    for (const p of [...ctx.reg.keys()]) if (p.startsWith(path + '[')) ctx.reg.delete(p);
    const rows = Array.isArray(obj[key]) ? obj[key] : [];
    list.replaceChildren(
      ...rows.map((item, i) => {
        const rowPath = `${path}[${i}]`;
        const move = (d) => {
          const j = i + d;
          [rows[i], rows[j]] = [rows[j], rows[i]];
          draw();
          changed(ctx);
        };
        const head = h(
          'div',
          { class: 'group-row-head' },
          h('span', { class: 'group-row-title' }, `${itemName} ${i + 1}`),
          h(
            'span',
            { class: 'row-actions' },
            h('button', { type: 'button', class: 'btn btn-small', disabled: i === 0, onclick: () => move(-1), 'aria-label': `上移${itemName} ${i + 1}` }, '上移'),
            h('button', { type: 'button', class: 'btn btn-small', disabled: i === rows.length - 1, onclick: () => move(1), 'aria-label': `下移${itemName} ${i + 1}` }, '下移'),
            h(
              'button',
              {
                type: 'button',
                class: 'btn btn-small btn-danger-outline',
                'aria-label': `删除${itemName} ${i + 1}`,
                onclick: () => {
                  rows.splice(i, 1);
                  draw();
                  changed(ctx);
                },
              },
              '删除',
            ),
          ),
        );
        const rowEl = h('div', { class: 'group-row' }, head, h('div', { class: 'group-row-body' }, row(item, rowPath, i)));
        register(ctx, rowPath, rowEl);
        return rowEl;
      }),
    );
  }

  const add = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-small',
      onclick: () => {
        if (!Array.isArray(obj[key])) obj[key] = [];
        obj[key].push(make());
        draw();
        changed(ctx);
        const last = list.lastElementChild?.querySelector('input, select, textarea');
        if (last) last.focus();
      },
    },
    `添加${itemName}`,
  );
  set.append(h('div', { class: 'group-add' }, add));
  draw();
  return set;
}

// ---- problems ------------------------------------------------------------

/** "items[0].steps[1]" + "share" → "steps[1].share" (document-relative). */
export function problemPath(p) {
  const where = String(p.where || '')
    .replace(/^items\[\d+\]/, '')
    .replace(/^item(?=\.|$)/, '')
    .replace(/^\./, '');
  const field = p.field || '';
  return where && field ? `${where}.${field}` : where || field;
}

/** The closest registered control for a path ("a.b[2].c" → "a.b[2]" → "a.b" → "a"). */
export function controlFor(ctx, path) {
  let p = path;
  while (p) {
    const el = ctx.reg.get(p);
    if (el && el.isConnected) return el;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
  return null;
}

/** Remove the notes of an earlier showProblems. */
export function clearProblems(root) {
  for (const note of root.querySelectorAll('.field-error')) note.remove();
  for (const bad of root.querySelectorAll('[aria-invalid="true"]')) bad.removeAttribute('aria-invalid');
}

/**
 * Put each problem's Chinese message next to the control it names; returns
 * [{path, message, control}] for a summary list (control null when the
 * form has no such control).
 */
export function showProblems(ctx, root, problems) {
  clearProblems(root);
  return (problems || []).map((p) => {
    const path = problemPath(p);
    const control = controlFor(ctx, path);
    const where = describePath(path);
    if (control) {
      const text = `${where}：${p.message}`;
      if (control.matches('input, select, textarea')) {
        markField(control, p.message, false); // right under its own field: no path needed
      } else {
        // A group or a row: the note goes right under its title.
        const note = h('p', { class: 'field-error' }, text);
        control.setAttribute('aria-invalid', 'true');
        const anchor = control.querySelector(':scope > legend, :scope > .group-row-head');
        if (anchor) anchor.after(note);
        else control.prepend(note);
      }
    }
    return { path, where, message: p.message, control };
  });
}
