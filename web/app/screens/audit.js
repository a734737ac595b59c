// 操作日志: the hash-chained action log, newest first, with a button that
// asks the server to verify the whole chain.

import { registerScreen } from '../shell.js';
import * as api from '../api.js';
import { h, messageBox, table, busy, replaceChildren, formatTime } from '../dom.js';
import { roleName } from '../roles.js';

const PAGE_SIZE = 50;

// Chinese captions for the server's action codes; unknown codes are shown
// as sent, so a new action is visible before it gets a caption here.
const ACTION_NAMES = {
  init: '系统初始化',
  demo_load: '载入演示数据',
  login: '登录',
  login_failed: '登录失败',
  login_locked: '登录失败并锁定',
  logout: '退出登录',
  password_change: '修改密码',
  user_create: '新建用户',
  user_update: '修改用户',
  user_roles: '调整角色',
  user_password_reset: '重置密码',
  center_create: '新建中心',
  center_update: '修改中心信息',
  zone_create: '新增功能区',
  hours_set: '设置开放时间',
  department_create: '新增部门',
  window_create: '新建窗口',
  window_update: '修改窗口',
  staff_create: '登记工作人员',
  staff_update: '修改工作人员',
  item_create: '新增事项',
  authorization_grant: '授权',
  authorization_revoke: '撤销授权',
  person_create: '新建档案',
  person_update: '修改档案',
  person_reveal: '查看完整号码',
  calendar_import: '导入节假日数据',
  calendar_override: '新增日历调整',
  calendar_override_delete: '删除日历调整',
  device_create: '登记设备',
  device_revoke: '吊销设备',
  notice_create: '发布公告',
  notice_delete: '撤下公告',
};

function actionName(code) {
  return ACTION_NAMES[code] || code || '';
}

const OBJECT_NAMES = {
  user: '用户',
  device: '设备',
  center: '中心',
  session: '会话',
  notice: '公告',
  zone: '功能区',
  department: '部门',
  window: '窗口',
  staff: '工作人员',
  item: '事项',
  authorization: '授权',
  person: '档案',
  calendar: '节假日数据',
  calendar_override: '日历调整',
};

function objectText(row) {
  const type = row.object_type ? OBJECT_NAMES[row.object_type] || row.object_type : '';
  const id = row.object_id ?? '';
  if (!type && id === '') return '—';
  if (id === '') return type;
  return /^\d+$/.test(String(id)) ? `${type} #${id}` : `${type} ${id}`;
}

function actorText(row) {
  if (row.actor_name) return row.actor_name;
  if (row.actor_kind === 'system') return '系统';
  if (row.actor_kind === 'anonymous') return '匿名';
  return '—';
}

registerScreen({
  id: 'audit',
  title: '操作日志',
  roles: ['admin', 'supervisor'],
  order: 30,
  async render(container) {
    const msg = messageBox();
    const verifyArea = h('div', { class: 'verify-area', 'aria-live': 'polite' });
    const listArea = h('div', { class: 'list-area' });
    const pager = h('div', { class: 'pager' });
    const state = { cursors: [null], page: 0 };

    async function load() {
      const res = await api.get('/audit', { limit: PAGE_SIZE, cursor: state.cursors[state.page] });
      state.cursors[state.page + 1] = res.next || null;
      const rows = (res.items || []).map((r) => [
        r.seq,
        formatTime(r.at),
        actorText(r),
        r.role ? roleName(r.role) : '—',
        actionName(r.action),
        objectText(r),
        r.summary || '',
        r.client_addr || '—',
      ]);
      replaceChildren(listArea, table(['序号', '时间', '操作人', '角色', '操作', '对象', { text: '摘要', wrap: true }, '客户端地址'], rows, '暂无操作记录'));
      replaceChildren(
        pager,
        h('button', { type: 'button', class: 'btn', disabled: state.page === 0, onclick: () => go(-1) }, '上一页'),
        h('span', { class: 'pager-info' }, `第 ${state.page + 1} 页`),
        h('button', { type: 'button', class: 'btn', disabled: !res.next, onclick: () => go(1) }, '下一页'),
      );
    }

    async function go(delta) {
      state.page += delta;
      try {
        await load();
      } catch (err) {
        msg.show(err.message, 'error');
      }
    }

    async function verify(button) {
      msg.clear();
      replaceChildren(verifyArea, h('p', { class: 'msg msg-info' }, '正在校验日志链…'));
      try {
        const res = await api.get('/audit/verify');
        if (res.ok) {
          replaceChildren(verifyArea, h('p', { class: 'msg msg-success verify-result' }, `日志链完整，共${res.rows}条`));
        } else {
          replaceChildren(
            verifyArea,
            h(
              'div',
              { class: 'msg msg-error verify-result', role: 'alert' },
              h('strong', null, `第${res.first_bad_seq}条记录被篡改`),
              res.problem ? h('span', null, `：${res.problem}`) : null,
            ),
          );
        }
      } catch (err) {
        replaceChildren(verifyArea);
        msg.show(err.message, 'error');
      }
      button.focus();
    }

    const verifyBtn = h('button', { type: 'button', class: 'btn btn-primary' }, '校验日志链');
    verifyBtn.addEventListener('click', () => busy(verifyBtn, () => verify(verifyBtn)));
    const refreshBtn = h('button', { type: 'button', class: 'btn' }, '刷新');
    refreshBtn.addEventListener('click', () => {
      state.cursors = [null];
      state.page = 0;
      busy(refreshBtn, () => go(0));
    });

    container.append(
      h('p', { class: 'muted' }, '操作日志按时间倒序列出，记录逐条以哈希链相连，任何篡改都可被校验发现。'),
      h('div', { class: 'toolbar' }, verifyBtn, refreshBtn),
      verifyArea,
      msg.el,
      listArea,
      pager,
    );
    await load();
  },
});
