// Shared HTTP helpers for every screen.
//
// All calls go to the same origin under /api/v1 and speak JSON. Writes carry
// the CSRF token handed out by login / GET /api/v1/session. A failed call
// throws an ApiError carrying the server's {code, message, field}; a 401 sends
// the browser back to the login page unless the caller opts out (the login
// page itself does, since a wrong password is also a 401).

export const API_BASE = '/api/v1';
export const LOGIN_URL = '/index.html';
export const APP_URL = '/app.html';

let csrfToken = null;

/** Remember the CSRF token from a login or session response. */
export function setCsrfToken(token) {
  csrfToken = token || null;
}

export class ApiError extends Error {
  constructor(status, code, message, field, details) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field || null;
    // The whole error body, for answers that carry more than {code, message,
    // field} (e.g. CALENDAR_IMPORT_INVALID with problems[]).
    this.details = details || null;
  }
}

/** Leave the app for the login page (used on 401). */
export function goToLogin() {
  if (location.pathname !== LOGIN_URL && location.pathname !== '/') {
    location.replace(LOGIN_URL);
  }
}

function buildUrl(path, query) {
  const url = new URL(API_BASE + path, location.origin);
  if (query) {
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') {
        url.searchParams.set(key, String(value));
      }
    }
  }
  return url.pathname + url.search;
}

async function readError(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (proxy error page, empty body): fall through to a generic message.
  }
  if (body && typeof body.message === 'string') {
    return new ApiError(res.status, body.code || 'ERROR', body.message, body.field, body);
  }
  return new ApiError(res.status, 'HTTP_' + res.status, `请求失败（HTTP ${res.status}），请稍后重试`);
}

/**
 * Perform one API call.
 * @param {string} method  GET, POST, PUT, PATCH or DELETE
 * @param {string} path    path below /api/v1, e.g. "/users"
 * @param {object} [opts]  {query, body, rawBody, redirectOn401 = true, idempotencyKey};
 *                         rawBody is a string sent as is (a pasted JSON file
 *                         the server should judge, syntax errors included);
 *                         idempotencyKey goes out as the Idempotency-Key header
 *                         (a retry of the same write then answers the first result)
 * @returns parsed JSON body, or null for 204
 */
export async function request(method, path, opts = {}) {
  const { query, body, rawBody, redirectOn401 = true, idempotencyKey } = opts;
  const headers = { Accept: 'application/json' };
  const isWrite = method !== 'GET' && method !== 'HEAD';
  if (isWrite) {
    headers['Content-Type'] = 'application/json';
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  }
  let res;
  try {
    res = await fetch(buildUrl(path, query), {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: rawBody !== undefined ? rawBody : body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', '无法连接服务器，请检查网络后重试');
  }
  if (res.status === 401 && redirectOn401) {
    goToLogin();
    throw await readError(res);
  }
  if (!res.ok) throw await readError(res);
  if (res.status === 204) return null;
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(res.status, 'BAD_RESPONSE', '服务器返回了无法识别的数据');
  }
}

export const get = (path, query, opts) => request('GET', path, { ...opts, query });
export const post = (path, body, opts) => request('POST', path, { ...opts, body });
export const put = (path, body, opts) => request('PUT', path, { ...opts, body });
export const patch = (path, body, opts) => request('PATCH', path, { ...opts, body });
export const del = (path, opts) => request('DELETE', path, opts);

/** Fetch every page of a list endpoint ({items, next}). Meant for short lists. */
export async function listAll(path, query = {}, maxPages = 20) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < maxPages; page++) {
    const res = await get(path, { ...query, limit: 500, cursor });
    items.push(...(res.items || []));
    cursor = res.next;
    if (!cursor) break;
  }
  return items;
}

/** Current session ({user, csrf_token, expires_at}); also stores the token. */
export async function loadSession(opts) {
  const session = await get('/session', undefined, opts);
  setCsrfToken(session.csrf_token);
  return session;
}

/** A fresh Idempotency-Key (random, 32 hex digits; no crypto.randomUUID on plain-http LANs). */
export function newIdempotencyKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
