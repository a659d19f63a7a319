// The admin API from the browser: the same tokens as every client (POST /auth/login), kept in sessionStorage
// (gone with the tab), refreshed once on a 401 and retried; errors in the API's shape, request id included.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string,
  ) {
    super(message);
  }
}

export interface User {
  id: string;
  email: string;
  full_name: string | null;
  role: string;
}

interface Session {
  access_token: string;
  refresh_token: string;
  user: User;
}

const KEY = 'b2w.console.session';

function meta(name: string): string {
  return document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? '';
}
export const apiRoot = meta('b2w-api');
export const consoleRoot = meta('b2w-console');

let session: Session | null = load();
let refreshing: Promise<boolean> | null = null;
let onSignedOut: () => void = () => {};

function load(): Session | null {
  try {
    const text = sessionStorage.getItem(KEY);
    return text ? (JSON.parse(text) as Session) : null;
  } catch {
    return null;
  }
}
function save(s: Session | null): void {
  session = s;
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}

export function currentUser(): User | null {
  return session?.user ?? null;
}
export function whenSignedOut(f: () => void): void {
  onSignedOut = f;
}

async function errorOf(res: Response): Promise<ApiError> {
  let code = 'http_' + res.status;
  let message = res.statusText || 'The request failed';
  let requestId = res.headers.get('x-request-id') ?? '';
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; request_id?: string } };
    if (body.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
      requestId = body.error.request_id ?? requestId;
    }
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, code, message, requestId);
}

async function send(method: string, path: string, body: unknown, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(apiRoot + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network_error', 'The server could not be reached', '');
  }
}

async function refresh(): Promise<boolean> {
  const s = session;
  if (!s) return false;
  refreshing ??= (async () => {
    const res = await send('POST', '/auth/refresh', { refresh_token: s.refresh_token }, null);
    if (!res.ok) return false;
    save((await res.json()) as Session);
    return true;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res = await send(method, path, body, session?.access_token ?? null);
  if (res.status === 401 && session) {
    if (await refresh()) {
      res = await send(method, path, body, session?.access_token ?? null);
    } else {
      save(null);
      onSignedOut();
    }
  }
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export async function signIn(email: string, password: string): Promise<User> {
  const res = await send('POST', '/auth/login', { email, password }, null);
  if (!res.ok) throw await errorOf(res);
  const s = (await res.json()) as Session;
  if (s.user.role === 'user') {
    // A player's tokens are of no use here; end the session the login just opened.
    await send('POST', '/auth/logout', { refresh_token: s.refresh_token }, null);
    throw new ApiError(403, 'forbidden', 'This account is not a staff account', res.headers.get('x-request-id') ?? '');
  }
  save(s);
  return s.user;
}

export async function signOut(): Promise<void> {
  const s = session;
  save(null);
  if (s) await send('POST', '/auth/logout', { refresh_token: s.refresh_token }, null).catch(() => undefined);
}
