// The HTTP API as the page uses it: one call always resolves, with `error` set to a readable
// sentence when it failed; the API token (asked for only after a 401) lives in sessionStorage.

export const API = '/api/v1';
const TOKEN_KEY = 'tickshard.apiToken';

export const storedToken = () => sessionStorage.getItem(TOKEN_KEY);
export const storeToken = (token) => sessionStorage.setItem(TOKEN_KEY, token);
export const forgetToken = () => sessionStorage.removeItem(TOKEN_KEY);

export async function request(method, path, body, { signal } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  // Only the calls that change streams are guarded; reads go without the token.
  if (method !== 'GET' && storedToken()) headers.Authorization = `Bearer ${storedToken()}`;
  let response;
  try {
    response = await fetch(API + path, {
      method,
      headers,
      signal,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (failure) {
    const aborted = failure?.name === 'AbortError';
    return { ok: false, status: 0, data: null, aborted, error: 'cannot reach the server' };
  }
  const data = await response.json().catch(() => null);
  const error = response.ok
    ? null
    : data?.detail || data?.title || `HTTP ${response.status} ${response.statusText}`.trim();
  return { ok: response.ok, status: response.status, data, error };
}

/** "budget-exhausted" from a problem's `type` ("/problems/budget-exhausted"), or null. */
export function problemType(answer) {
  const type = answer?.data?.type;
  return typeof type === 'string' ? type.slice(type.lastIndexOf('/') + 1) : null;
}

export const streamPath = (key) => `/streams/${encodeURIComponent(key)}`;
