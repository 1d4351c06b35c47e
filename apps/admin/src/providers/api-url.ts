/** Every call goes to the same origin: the api serves the UI, and Vite proxies /api in dev. */
export const API_URL = '/api/v1';

export function apiUrl(path: string, query?: Record<string, unknown>): string {
  const url = `${API_URL}${path.startsWith('/') ? path : `/${path}`}`;
  const qs = query ? toQueryString(query) : '';
  return qs ? `${url}?${qs}` : url;
}

/** Flattens a react-admin filter object into query parameters (arrays repeat the key). */
export function toQueryString(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      for (const item of value) params.append(key, String(item));
    } else if (value instanceof Date) {
      params.append(key, value.toISOString());
    } else if (typeof value === 'object') {
      params.append(key, JSON.stringify(value));
    } else {
      params.append(key, String(value as string | number | boolean));
    }
  }
  return params.toString();
}
