// Login page (index.html). A wrong password is a 401 too, so the calls here
// opt out of the usual "401 → login page" redirect.

import * as api from './api.js';
import { messageBox, showFormError, clearFormError } from './dom.js';

function enterApp(user) {
  location.replace(user && user.must_change_password ? `${api.APP_URL}#/password` : api.APP_URL);
}

const form = document.getElementById('login-form');
const msg = messageBox();
form.querySelector('.form-actions').before(msg.el);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearFormError(form, msg);
  const username = form.elements.username.value.trim();
  const password = form.elements.password.value;
  if (!username || !password) {
    showFormError(form, msg, { message: '请输入用户名和密码', field: username ? 'password' : 'username' });
    return;
  }
  const button = form.querySelector('[type=submit]');
  button.disabled = true;
  button.textContent = '正在登录…';
  try {
    const res = await api.post('/session', { username, password }, { redirectOn401: false });
    enterApp(res.user);
  } catch (err) {
    form.elements.password.value = '';
    showFormError(form, msg, err.field ? err : { message: err.message, field: 'password' });
    button.disabled = false;
    button.textContent = '登录';
  }
});

// Already logged in (e.g. a second tab)? Go straight to the app.
api.loadSession({ redirectOn401: false }).then(
  (session) => enterApp(session.user),
  () => form.elements.username.focus(),
);
