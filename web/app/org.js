// Organization vocabulary (docs/api.md, DOMAIN.md §2) and small loaders
// shared by the centers, windows, staff and calendar screens.

import { listAll } from './api.js';
import { h } from './dom.js';

/** Window kinds in the order a manager thinks of them. */
export const WINDOW_KINDS = [
  ['general', '无差别综合受理'],
  ['domain', '分领域综合受理'],
  ['dedicated', '专窗'],
  ['certificate', '统一出证'],
  ['consult', '帮办咨询'],
  ['complaint', '办不成事/有诉即办'],
  ['cross_region', '通办'],
  ['bundle', '一件事一次办'],
  ['tidal', '潮汐/临时'],
  ['duty', '值班'],
];

/** The six domains of 分领域综合受理 (seed 001). */
export const DOMAINS = ['社保医保', '企业开办', '建设项目', '公共服务', '不动产交易', '社会事务'];

export const ZONE_KINDS = [
  ['consult', '咨询服务区'],
  ['window', '窗口服务区'],
  ['approval', '集中审批区'],
  ['public', '政务公开区'],
  ['self_service', '自助服务区'],
  ['waiting', '休息等候区'],
  ['complaint', '投诉专区'],
];

/** Authorization actions (授权). */
export const AUTH_ACTIONS = [
  ['receive', '收件'],
  ['accept', '受理'],
  ['decide', '审批'],
];

const lookup = (pairs) => Object.fromEntries(pairs);
const WINDOW_KIND_NAMES = lookup(WINDOW_KINDS);
const ZONE_KIND_NAMES = lookup(ZONE_KINDS);
const AUTH_ACTION_NAMES = lookup(AUTH_ACTIONS);

export const windowKindName = (kind) => WINDOW_KIND_NAMES[kind] || kind || '';
export const zoneKindName = (kind) => ZONE_KIND_NAMES[kind] || kind || '';
export const authActionName = (action) => AUTH_ACTION_NAMES[action] || action || '';

/** <option>s for [value, caption] pairs, optionally led by an empty choice. */
export function options(pairs, emptyCaption) {
  return [
    emptyCaption ? h('option', { value: '' }, emptyCaption) : null,
    pairs.map(([value, caption]) => h('option', { value: String(value) }, caption)),
  ];
}

export const loadDepartments = () => listAll('/departments');
export const loadItems = () => listAll('/items');

/** "人社局" when the department has a short name, else its full name. */
export function departmentLabel(d) {
  return d ? d.short_name || d.name : '';
}

/** Window caption for lists: "3号 综合受理窗口". */
export function windowLabel(w) {
  return w ? `${w.number}号 ${w.name}` : '';
}

/** Empty string → null, digits → number: for optional id selects. */
export function idOrNull(value) {
  if (value === '' || value === null || value === undefined) return null;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/**
 * Town centers must keep ≥5 comprehensive, ≥1 certificate and ≥1
 * consultation window (seed 004). Given a center detail, a red warning
 * listing the server's problems or a green "达标" line; null for other levels.
 */
export function minimumBanner(center) {
  if (!center || center.level !== 'town' || !center.minimum) return null;
  if (center.minimum.met) {
    return h('div', { class: 'banner banner-ok', role: 'status' }, h('strong', null, '窗口配置达标'), h('span', null, '：综合受理、统一出证、帮办咨询窗口数量符合乡镇（街道）便民服务中心最低配置要求。'));
  }
  const problems = center.minimum.problems || [];
  return h(
    'div',
    { class: 'banner banner-warn', role: 'alert' },
    h('strong', { class: 'banner-title' }, '窗口配置未达标'),
    h('p', { class: 'banner-text' }, '乡镇（街道）便民服务中心至少应设5个综合受理窗口、1个统一出证窗口和1个帮办咨询窗口。当前问题：'),
    h('ul', { class: 'banner-list' }, problems.map((p) => h('li', null, typeof p === 'string' ? p : p.message || JSON.stringify(p)))),
  );
}
