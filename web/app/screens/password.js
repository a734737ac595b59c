// 修改密码: current + new + repeat. Also the forced first stop for a user
// whose password was set by someone else (must_change_password).

import { registerScreen } from '../shell.js';
import * as api from '../api.js';
import { h, messageBox, showFormError, clearFormError, field, busy } from '../dom.js';

registerScreen({
  id: 'password',
  title: '修改密码',
  menu: false,
  render(container, { user, refreshSession, navigate }) {
    const forced = Boolean(user.must_change_password);
    const msg = messageBox();
    const input = (name, autocomplete) =>
      h('input', { type: 'password', name, autocomplete, required: true, maxlength: 128 });
    const form = h(
      'form',
      { class: 'card form-narrow', novalidate: true, 'aria-label': '修改密码' },
      // Lets password managers file the new password under the right account.
      h('input', { type: 'text', name: 'username', autocomplete: 'username', value: user.username, hidden: true, readonly: true }),
      field('当前密码', input('current_password', 'current-password')),
      field('新密码', input('new_password', 'new-password'), '8–128 个字符，须同时包含字母和数字'),
      field('再次输入新密码', input('repeat_password', 'new-password')),
      msg.el,
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, '确认修改')),
    );

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearFormError(form, msg);
      const f = form.elements;
      const empty = ['current_password', 'new_password', 'repeat_password'].find((n) => !f[n].value);
      if (empty) {
        showFormError(form, msg, { message: '请填写全部密码栏', field: empty });
        return;
      }
      if (f.new_password.value !== f.repeat_password.value) {
        showFormError(form, msg, { message: '两次输入的新密码不一致', field: 'repeat_password' });
        return;
      }
      await busy(form.querySelector('[type=submit]'), async () => {
        try {
          await api.post('/session/password', {
            current_password: f.current_password.value,
            new_password: f.new_password.value,
          });
        } catch (err) {
          showFormError(form, msg, err);
          return;
        }
        form.reset();
        if (forced) {
          // The menu unlocks once the server no longer asks for a change.
          await refreshSession();
          navigate('home');
          return;
        }
        msg.show('密码已修改。您在其他设备上的登录已全部失效。', 'success');
      });
    });

    if (forced) {
      container.append(
        h('p', { class: 'msg msg-info', role: 'status' }, '您的密码由管理员设置或已被重置，请先设置自己的新密码后再使用系统。'),
      );
    }
    container.append(form);
    form.elements.current_password.focus();
  },
});
