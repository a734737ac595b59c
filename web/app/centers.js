// Center list helpers: load the caller's centers once per screen and offer
// them in a <select>, indented by their place in the tree.

import { listAll } from './api.js';
import { h } from './dom.js';

const LEVEL_NAMES = { county: '县级', town: '乡镇（街道）', village: '村（社区）' };

export function levelName(level) {
  return LEVEL_NAMES[level] || level || '';
}

/**
 * Load centers and order them depth-first (parents before children).
 * Returns [{...center, depth}]. Centers whose parent is outside the caller's
 * subtree count as roots.
 */
export async function loadCenters() {
  const centers = await listAll('/centers');
  const ids = new Set(centers.map((c) => String(c.id)));
  const children = new Map();
  for (const c of centers) {
    const parent = c.parent_id != null && ids.has(String(c.parent_id)) ? String(c.parent_id) : '';
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(c);
  }
  const ordered = [];
  const walk = (parent, depth) => {
    for (const c of children.get(parent) || []) {
      ordered.push({ ...c, depth });
      walk(String(c.id), depth + 1);
    }
  };
  walk('', 0);
  return ordered;
}

/** Map center id → name for table cells. */
export function centerNames(centers) {
  return new Map(centers.map((c) => [String(c.id), c.name]));
}

/** <select> of centers; option values are the ids as strings. */
export function centerSelect(centers, attrs = {}) {
  return h(
    'select',
    { name: 'center_id', required: true, ...attrs },
    centers.map((c) => h('option', { value: String(c.id) }, `${'　'.repeat(c.depth)}${c.name}`)),
  );
}

/** The original id (number or string) for a select value. */
export function centerIdFrom(centers, value) {
  const found = centers.find((c) => String(c.id) === value);
  return found ? found.id : value;
}

/**
 * The center a screen should open on: the given one when the caller may see
 * it, else the first center of the caller's own roles, else the first one.
 */
export function defaultCenterId(user, centers, wanted) {
  const ids = new Set(centers.map((c) => String(c.id)));
  if (wanted !== undefined && wanted !== null && ids.has(String(wanted))) return String(wanted);
  const own = (user?.roles || []).map((r) => String(r.center_id)).find((id) => ids.has(id));
  return own || (centers[0] ? String(centers[0].id) : '');
}

/**
 * A labelled center <select> for screen toolbars ("中心：[…]") that calls
 * onChange(id) with the chosen id as a string.
 */
export function centerPicker(centers, value, onChange, caption = '中心') {
  const select = centerSelect(centers, { id: `center-picker-${Math.random().toString(36).slice(2)}` });
  select.value = value;
  select.addEventListener('change', () => onChange(select.value));
  const wrap = h('div', { class: 'picker' }, h('label', { class: 'picker-label', for: select.id }, caption), select);
  return { el: wrap, select };
}
