// The navigation shell of the back office (app.html): header with the
// current user, a role-filtered menu, and hash routing (#/id/param...).
//
// Screens plug in with one module each:
//
//   import { registerScreen } from '../shell.js';
//   registerScreen({
//     id: 'queue',                 // route #/queue
//     title: '排队叫号',            // menu caption and page heading
//     roles: ['clerk', 'manager'], // who sees it (omit for every user)
//     order: 40,                   // menu position (lower first)
//     menu: true,                  // false: reachable by URL/link only
//     render(container, ctx) {...} // may be async; may return a cleanup fn
//   });
//
// and one import line in main.js. ctx is {user, session, params, navigate,
// refreshSession}; params are the path segments after the id (#/cases/42 →
// ['42']). The cleanup function runs when the user leaves the screen (close
// event streams, timers...).

import { loadSession, del, LOGIN_URL } from './api.js';
import { h, replaceChildren } from './dom.js';
import { hasAnyRole } from './roles.js';

const PRODUCT = '一窗';
const screens = new Map();
const DEFAULT_SCREEN = 'home';
const PASSWORD_SCREEN = 'password';

let session = null;
let cleanup = null;
let firstRoute = true;

/** Register a screen; see the comment at the top of this file. */
export function registerScreen(def) {
  if (!def || !def.id || !def.title || typeof def.render !== 'function') {
    throw new Error('registerScreen needs {id, title, render}');
  }
  if (screens.has(def.id)) throw new Error(`screen "${def.id}" registered twice`);
  screens.set(def.id, { roles: null, order: 100, menu: true, ...def });
}

/** Go to a screen: navigate('users') or navigate('cases', 42). */
export function navigate(id, ...params) {
  location.hash = '#/' + [id, ...params].map(encodeURIComponent).join('/');
}

function parseHash() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return { id: parts[0] || DEFAULT_SCREEN, params: parts.slice(1) };
}

function mustChangePassword() {
  return Boolean(session?.user?.must_change_password);
}

function visibleScreens() {
  return [...screens.values()]
    .filter((s) => s.menu && hasAnyRole(session.user, s.roles))
    .sort((a, b) => a.order - b.order);
}

function renderHeader() {
  const user = session.user;
  const roleNames = [...new Set((user.roles || []).map((r) => r.role_name || r.role))];
  const box = document.getElementById('userbox');
  replaceChildren(
    box,
    h(
      'div',
      { class: 'user-id' },
      h('span', { class: 'user-name' }, user.display_name || user.username),
      h('span', { class: 'user-roles' }, roleNames.map((name) => h('span', { class: 'role-tag' }, name))),
    ),
    h(
      'div',
      { class: 'user-actions' },
      h('a', { class: 'btn btn-header', href: '#/' + PASSWORD_SCREEN }, '修改密码'),
      h('button', { type: 'button', class: 'btn btn-header', id: 'logout', onclick: logout }, '退出登录'),
    ),
  );
  box.hidden = false;
}

function renderMenu() {
  const nav = document.getElementById('menu');
  if (mustChangePassword()) {
    replaceChildren(nav, h('p', { class: 'menu-note' }, '请先修改密码'));
    return;
  }
  replaceChildren(
    nav,
    h(
      'ul',
      { class: 'menu-list' },
      visibleScreens().map((s) => h('li', null, h('a', { href: '#/' + s.id, 'data-screen': s.id }, s.title))),
    ),
  );
}

function markActive(id) {
  for (const link of document.querySelectorAll('#menu a[data-screen]')) {
    if (link.dataset.screen === id) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function logout() {
  try {
    await del('/session', { redirectOn401: false });
  } catch {
    // Whatever the server says, this browser is done with the session.
  }
  location.replace(LOGIN_URL);
}

/** Reload the session (after a password change, say) and redraw the chrome. */
async function refreshSession() {
  session = await loadSession();
  renderHeader();
  renderMenu();
  return session;
}

async function route() {
  const { id, params } = parseHash();
  if (mustChangePassword() && id !== PASSWORD_SCREEN) {
    location.replace('#/' + PASSWORD_SCREEN);
    return;
  }
  const screen = screens.get(id);
  if (!screen) {
    location.replace('#/' + DEFAULT_SCREEN);
    return;
  }

  if (cleanup) {
    try {
      cleanup();
    } catch (err) {
      console.error(err);
    }
    cleanup = null;
  }

  // A fresh container per visit: a slow render of the previous screen then
  // writes into a detached node instead of the page.
  const heading = h('h1', { class: 'screen-title', tabindex: '-1' }, screen.title);
  const body = h('div', { class: 'screen-body' });
  const main = document.getElementById('main');
  replaceChildren(main, h('section', { class: 'screen', 'data-screen': id }, heading, body));
  document.title = `${screen.title} - ${PRODUCT}`;
  markActive(id);
  if (!firstRoute) heading.focus();
  firstRoute = false;

  if (!hasAnyRole(session.user, screen.roles)) {
    body.append(h('p', { class: 'msg msg-error', role: 'alert' }, '您没有访问此页面的权限。'));
    return;
  }
  try {
    const result = await screen.render(body, { user: session.user, session, params, navigate, refreshSession });
    if (typeof result === 'function') cleanup = result;
  } catch (err) {
    if (err.status === 401) return; // already on the way to the login page
    console.error(err);
    body.append(h('p', { class: 'msg msg-error', role: 'alert' }, err.message || '页面加载失败，请刷新后重试'));
  }
}

/** Load the session, draw the chrome, and start routing. */
export async function startShell() {
  try {
    session = await loadSession();
  } catch (err) {
    if (err.status === 401) return; // redirected to login
    replaceChildren(
      document.getElementById('main'),
      h('p', { class: 'msg msg-error', role: 'alert' }, err.message || '无法加载登录信息，请刷新后重试'),
    );
    return;
  }
  renderHeader();
  renderMenu();
  window.addEventListener('hashchange', route);
  await route();
}
