// Role codes and their Chinese names (docs/api.md, "Roles").
// The server sends role_name with every role a user holds; this table is
// only needed where the browser offers roles to choose from.

export const ROLE_NAMES = {
  admin: '系统管理员',
  manager: '中心管理员',
  supervisor: '电子监察',
  chief_rep: '首席代表',
  reviewer: '后台审批人员',
  clerk: '综合窗口受理人员',
  guide: '导服人员',
  applicant: '办事群众',
  kiosk: '取号机',
  display: '叫号屏',
  rating_pad: '评价器',
};

/** Roles a staff account can be given from the user screen, in menu order. */
export const STAFF_ROLES = ['admin', 'manager', 'supervisor', 'chief_rep', 'reviewer', 'clerk', 'guide'];

export function roleName(code) {
  return ROLE_NAMES[code] || code;
}

/** Role codes the user holds (deduplicated). */
export function roleCodes(user) {
  return [...new Set((user?.roles || []).map((r) => r.role))];
}

/** True when the user holds any of the roles (or roles is empty/null). */
export function hasAnyRole(user, roles) {
  if (!roles || roles.length === 0) return true;
  const held = roleCodes(user);
  return roles.some((r) => held.includes(r));
}

/** "中心管理员（某某中心）" for one role row of a user. */
export function describeRole(r) {
  const name = r.role_name || roleName(r.role);
  return r.center_name ? `${name}（${r.center_name}）` : name;
}
