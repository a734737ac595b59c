// 首页: a welcome and the user's own roles and centers. No statistics here;
// dashboards come with the screens that own the data.

import { registerScreen } from '../shell.js';
import { h, table } from '../dom.js';

registerScreen({
  id: 'home',
  title: '首页',
  order: 0,
  render(container, { user }) {
    const roles = user.roles || [];
    const centers = [...new Set(roles.map((r) => r.center_name).filter(Boolean))];
    container.append(
      h(
        'div',
        { class: 'card welcome' },
        h('p', { class: 'welcome-line' }, `${user.display_name || user.username}，您好！欢迎使用一窗政务服务中心管理系统。`),
        h('p', { class: 'muted' }, '请从左侧菜单选择要办理的工作。'),
      ),
      h('h2', null, '我的角色'),
      table(
        ['角色', '所属中心'],
        roles.map((r) => [r.role_name || r.role, r.center_name || '—']),
        '当前账号未分配角色，请联系系统管理员。',
      ),
      h('h2', null, '我的中心'),
      centers.length
        ? h('ul', { class: 'plain-list' }, centers.map((name) => h('li', null, name)))
        : h('p', { class: 'muted' }, '当前账号未关联任何中心。'),
    );
  },
});
