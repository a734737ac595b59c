// Field-by-field difference of two item documents, computed in the browser.
// Both documents are flattened into (path, value) lines: objects by key,
// arrays of objects by position, arrays of plain values as one value; lines
// present in only one document are added/removed, differing values changed.

/** Flatten a document into a Map of path → display text. */
export function flatten(doc) {
  const out = new Map();
  walk(doc, '', out);
  return out;
}

function isPlainArray(value) {
  return Array.isArray(value) && value.every((x) => x === null || typeof x !== 'object');
}

function walk(value, path, out) {
  if (value !== null && typeof value === 'object' && !isPlainArray(value)) {
    const entries = Array.isArray(value) ? value.map((v, i) => [`[${i}]`, v]) : Object.entries(value).map(([k, v]) => [path ? `.${k}` : k, v]);
    if (entries.length === 0) {
      out.set(path, Array.isArray(value) ? '（空列表）' : '（空）');
      return;
    }
    for (const [seg, v] of entries) walk(v, path + seg, out);
    return;
  }
  out.set(path, show(value));
}

function show(value) {
  if (value === null || value === undefined) return '（无）';
  if (Array.isArray(value)) return value.length ? value.map(show).join('、') : '（空列表）';
  if (typeof value === 'boolean') return value ? '是' : '否';
  return String(value);
}

/**
 * The lines that differ between documents a (older) and b (newer):
 * [{path, kind: 'added'|'removed'|'changed', before, after}], in the order
 * the paths first appear (b's order, then paths only in a).
 */
export function diffDocs(a, b) {
  const fa = flatten(a || {});
  const fb = flatten(b || {});
  const paths = [...fb.keys()];
  for (const p of fa.keys()) if (!fb.has(p)) paths.push(p);
  const lines = [];
  for (const path of paths) {
    const inA = fa.has(path);
    const inB = fb.has(path);
    if (inA && inB) {
      if (fa.get(path) !== fb.get(path)) lines.push({ path, kind: 'changed', before: fa.get(path), after: fb.get(path) });
    } else if (inB) {
      lines.push({ path, kind: 'added', before: '', after: fb.get(path) });
    } else {
      lines.push({ path, kind: 'removed', before: fa.get(path), after: '' });
    }
  }
  return lines;
}
