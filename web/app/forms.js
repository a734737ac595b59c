// Field-level error display: the server names the input at fault
// ({code, message, field}); the message is shown right under that control,
// linked to it by aria-describedby, and the control is focused. Errors that
// name no field (or a field the form does not have) go to the form's
// message box instead.

import { h } from './dom.js';

/** Remove every field error of a form (and hide its message box). */
export function clearFieldErrors(form, box) {
  if (box) box.clear();
  for (const note of form.querySelectorAll('.field-error')) {
    const control = note.errorFor;
    if (control) {
      const ids = (control.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && x !== note.id);
      if (ids.length) control.setAttribute('aria-describedby', ids.join(' '));
      else control.removeAttribute('aria-describedby');
      control.removeAttribute('aria-invalid');
    }
    note.remove();
  }
  for (const bad of form.querySelectorAll('[aria-invalid="true"]')) bad.removeAttribute('aria-invalid');
}

let noteSeq = 0;

/**
 * Mark one control as wrong and put the message under it.
 * Returns the control (already focused unless focus = false).
 */
export function markField(control, message, focus = true) {
  if (!control.id) control.id = `ctl-${++noteSeq}`;
  const note = h('p', { class: 'field-error', id: `${control.id}-err-${++noteSeq}` }, message);
  note.errorFor = control;
  control.setAttribute('aria-invalid', 'true');
  const described = control.getAttribute('aria-describedby');
  control.setAttribute('aria-describedby', described ? `${described} ${note.id}` : note.id);
  // Inside a labelled .field wrapper the note goes after the control (before
  // any hint); a checkbox wrapped in its <label> gets the note after the label;
  // a control in a table cell keeps the note in that cell.
  const wrapper = control.closest('.field, .check, td');
  if (wrapper && wrapper.matches('.check')) wrapper.after(note);
  else control.after(note);
  if (focus && control.focus) control.focus();
  return control;
}

/** Last plain name of an API field path: "days[0].am_open" → "am_open". */
export function fieldName(path) {
  return String(path || '')
    .replace(/\[\d+\]/g, '')
    .split('.')
    .pop();
}

/**
 * Show an API error on a form.
 *   form      the <form>
 *   box       its messageBox() (for errors without a known field)
 *   err       the ApiError (or {message, field})
 *   resolve   optional (fieldPath) => control, for fields whose names are
 *             not form element names (rows of a table, say)
 */
export function showFieldError(form, box, err, resolve) {
  clearFieldErrors(form, box);
  const message = err.message || '操作失败，请重试';
  let control = null;
  if (err.field) {
    control = (resolve && resolve(err.field)) || form.elements.namedItem(fieldName(err.field));
    if (control && !(control instanceof Element)) control = control[0] || null; // RadioNodeList
  }
  if (control) markField(control, message);
  else if (box) box.show(message, 'error');
}
