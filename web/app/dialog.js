// Modal confirmation dialogs built on <dialog>. Used before every
// destructive action (disable a user, reset a password, revoke a device).

import { h, messageBox } from './dom.js';

/**
 * Open a modal dialog and resolve to true when the user confirms.
 *   title      heading
 *   message    explanatory sentence (optional)
 *   body       extra form controls (optional Node or array)
 *   confirmText / cancelText  button captions
 *   danger     style the confirm button as destructive
 *   onConfirm  async (form) => void; if it throws, the error is shown inside
 *              the dialog and the dialog stays open so the user can retry.
 */
export function openDialog({
  title,
  message,
  body,
  confirmText = '确定',
  cancelText = '取消',
  danger = false,
  onConfirm,
}) {
  return new Promise((resolve) => {
    const box = messageBox();
    const confirmBtn = h('button', { type: 'submit', class: danger ? 'btn btn-danger' : 'btn btn-primary' }, confirmText);
    const cancelBtn = h('button', { type: 'button', class: 'btn' }, cancelText);
    const headingId = `dlg-${Math.random().toString(36).slice(2)}`;
    const form = h(
      'form',
      { class: 'dialog-form', novalidate: true },
      h('h2', { id: headingId, class: 'dialog-title' }, title),
      message ? h('p', { class: 'dialog-message' }, message) : null,
      body || null,
      box.el,
      h('div', { class: 'dialog-actions' }, cancelBtn, confirmBtn),
    );
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': headingId }, form);
    let result = false;

    cancelBtn.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      box.clear();
      confirmBtn.disabled = true;
      try {
        if (onConfirm) await onConfirm(form);
        result = true;
        dialog.close();
      } catch (err) {
        box.show(err.message || '操作失败，请重试', 'error');
      } finally {
        confirmBtn.disabled = false;
      }
    });

    document.body.append(dialog);
    dialog.showModal();
    // Focus the first input if there is one, else the safe choice (cancel).
    (form.querySelector('input, select, textarea') || cancelBtn).focus();
  });
}
