// Helpers shared by the catalog screens: status badges, the item URL paths
// and who may do what (docs: catalog contract, "Who").

import { h } from '../dom.js';
import { listAll } from '../api.js';
import { roleCodes } from '../roles.js';
import { statusName } from './labels.js';

/** Roles that see the catalog screens. */
export const CATALOG_ROLES = ['admin', 'manager', 'chief_rep', 'reviewer'];
/** Roles of the center that review, publish and retire. */
export const CENTER_ROLES = ['admin', 'manager'];

export function isCenter(user) {
  return roleCodes(user).some((r) => CENTER_ROLES.includes(r));
}

export function statusBadge(status) {
  if (!status) return h('span', { class: 'muted' }, '—');
  return h('span', { class: `badge badge-st badge-st-${status || 'none'}` }, statusName(status));
}

export const itemPath = (code) => `/catalog/items/${encodeURIComponent(code)}`;
export const versionPath = (code, n) => `${itemPath(code)}/versions/${encodeURIComponent(n)}`;

/** The rows of a list answer, whatever its wrapper key. */
export function rowsOf(res, ...keys) {
  if (Array.isArray(res)) return res;
  for (const k of [...keys, 'items']) if (Array.isArray(res?.[k])) return res[k];
  return [];
}

/** Departments for filters and suggestions; [] when the caller may not list them. */
export async function loadDepartments() {
  try {
    return await listAll('/departments');
  } catch {
    return [];
  }
}

// A one-shot message carried across a navigation ("已保存…" after a redirect).
let flash = null;

export function setFlash(text, kind = 'success') {
  flash = { text, kind };
}

/** Show and forget the pending flash message in box. */
export function takeFlash(box) {
  if (flash) box.show(flash.text, flash.kind);
  flash = null;
}
