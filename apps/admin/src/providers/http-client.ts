import { HttpError } from 'react-admin';

import { currentToken } from './session.store';

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: string;
  json: T;
}

export interface HttpOptions extends Omit<RequestInit, 'headers'> {
  headers?: HeadersInit;
  /** Send no bearer token (the login call). */
  anonymous?: boolean;
}

/** One field error as the api reports it (issue 2 section 4). */
interface ApiFieldError {
  field?: string;
  message?: string;
  line?: number;
}

interface ApiErrorBody {
  statusCode?: number;
  error?: string;
  message?: string | string[];
  field?: string;
  errors?: ApiFieldError[] | Record<string, string>;
}

/**
 * react-admin shows server-side validation on the form when the rejected error's
 * body is `{ errors: { field: message } }`; the api sends a list with `field`
 * names like `permissions[0].path`, which react-hook-form knows as
 * `permissions.0.path`.
 */
export function toFormErrors(body: ApiErrorBody | null): Record<string, string> | null {
  if (!body) return null;
  const out: Record<string, string> = {};
  if (Array.isArray(body.errors)) {
    for (const e of body.errors) {
      if (!e.field || !e.message) continue;
      const key = e.field.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
      // Keep the first message per field: the api lists the most basic failure first.
      out[key] ??= e.message;
    }
  } else if (body.errors && typeof body.errors === 'object') {
    Object.assign(out, body.errors);
  }
  if (body.field && typeof body.message === 'string') out[body.field] ??= body.message;
  return Object.keys(out).length ? out : null;
}

function messageOf(status: number, statusText: string, body: ApiErrorBody | null): string {
  const message = Array.isArray(body?.message) ? body.message.join('; ') : body?.message;
  const fields = toFormErrors(body);
  if (fields && status === 400) {
    const detail = Object.entries(fields)
      .slice(0, 3)
      .map(([field, msg]) => `${field}: ${msg}`)
      .join('; ');
    return `${message ?? 'Validation failed'} (${detail})`;
  }
  if (message) return message;
  if (status === 404) return 'Not found (is this endpoint available on the api yet?)';
  return statusText || `HTTP ${status}`;
}

export function authHeaders(extra?: HttpOptions['headers'], anonymous = false): Headers {
  const headers = new Headers(extra);
  if (!headers.has('Accept')) headers.set('Accept', 'application/json');
  const token = anonymous ? null : currentToken();
  if (token && !headers.has('Authorization')) headers.set('Authorization', `Bearer ${token}`);
  return headers;
}

/**
 * fetch with the admin's bearer token, JSON by default, and errors turned into
 * react-admin's HttpError (status + body), so the auth provider sees 401/403
 * and forms see field errors.
 */
export async function httpClient<T = unknown>(
  url: string,
  { anonymous, ...options }: HttpOptions = {},
): Promise<HttpResponse<T>> {
  const headers = authHeaders(options.headers, anonymous);
  if (
    options.body !== undefined &&
    typeof options.body === 'string' &&
    !headers.has('Content-Type')
  ) {
    headers.set('Content-Type', 'application/json');
  }
  let response: Response;
  try {
    response = await fetch(url, { ...options, headers, credentials: 'same-origin' });
  } catch (cause) {
    throw new HttpError('The api cannot be reached', 0, { cause: String(cause) });
  }
  const text = await response.text();
  let json: unknown = null;
  if (text && (response.headers.get('Content-Type') ?? '').includes('json')) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (response.status < 200 || response.status >= 300) {
    const body = json as ApiErrorBody | null;
    const formErrors = toFormErrors(body);
    throw new HttpError(messageOf(response.status, response.statusText, body), response.status, {
      ...(body ?? {}),
      ...(formErrors ? { errors: formErrors } : {}),
      apiErrors: Array.isArray(body?.errors) ? body.errors : undefined,
    });
  }
  return { status: response.status, headers: response.headers, body: text, json: json as T };
}
