// GraphQL over plain fetch, and the lead-events subscription over
// graphql-ws. The token lives in sessionStorage only: it goes when the
// tab closes, and kiosk pages never send it.
import { createClient, type Client } from 'graphql-ws';
import type { GqlError } from './format';

const tokenKey = 'guigen.token';

export function getToken(): string | null {
  try {
    return sessionStorage.getItem(tokenKey);
  } catch {
    return null;
  }
}

export function setToken(t: string | null): void {
  try {
    if (t) sessionStorage.setItem(tokenKey, t.trim());
    else sessionStorage.removeItem(tokenKey);
  } catch {
    /* storage disabled: the token simply is not kept */
  }
  closeSubscriptions();
}

export interface GqlResult<T> {
  data: T | null;
  errors?: GqlError[];
  /** HTTP status when it was not 200 (401 for a bad token). */
  status: number;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
  }
}

let anonymous = false;

/** Kiosk mode: never send the token, whatever the tab holds. */
export function setAnonymous(v: boolean): void {
  anonymous = v;
}

export async function gql<T>(query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/graphql-response+json, application/json',
  };
  const tok = anonymous ? null : getToken();
  if (tok) headers.Authorization = `Bearer ${tok}`;
  let res: Response;
  try {
    res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  } catch (e) {
    throw new ApiError(String(e), 'NETWORK', 0);
  }
  let body: { data?: T | null; errors?: GqlError[] } = {};
  try {
    body = await res.json();
  } catch {
    /* a non-JSON answer (a proxy's error page) */
  }
  if (res.status === 401) throw new ApiError(body.errors?.[0]?.message ?? 'unauthenticated', 'UNAUTHENTICATED', 401);
  if (!body.data && body.errors?.length) {
    const e = body.errors[0];
    throw new ApiError(e.message, e.extensions?.code ?? 'ERROR', res.status);
  }
  if (!res.ok && !body.data) throw new ApiError(`HTTP ${res.status}`, 'HTTP', res.status);
  return { data: body.data ?? null, errors: body.errors, status: res.status };
}

/** Query that fails on any error (for pages that need the whole answer). */
export async function gqlStrict<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const r = await gql<T>(query, variables);
  if (r.errors?.length) {
    const e = r.errors[0];
    throw new ApiError(e.message, e.extensions?.code ?? 'ERROR', r.status);
  }
  return r.data as T;
}

let wsClient: Client | null = null;

function client(): Client {
  if (wsClient) return wsClient;
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  wsClient = createClient({
    url: `${proto}//${location.host}/graphql`,
    lazy: true,
    retryAttempts: Infinity,
    // A refused token closes with a 44xx code: retrying would only be refused again.
    shouldRetry: (e) => !(e instanceof CloseEvent && e.code >= 4400 && e.code < 4500),
    connectionParams: () => {
      const t = anonymous ? null : getToken();
      return t ? { Authorization: `Bearer ${t}` } : {};
    },
  });
  return wsClient;
}

function closeSubscriptions(): void {
  if (wsClient) {
    void wsClient.dispose();
    wsClient = null;
  }
}

/** Reports whether the websocket is up; returns the function that stops reporting. */
export function onConnection(cb: (up: boolean) => void): () => void {
  const c = client();
  const a = c.on('connected', () => cb(true));
  const b = c.on('closed', () => cb(false));
  return () => {
    a();
    b();
  };
}

/** Subscribes; returns the unsubscribe function. */
export function subscribe<T>(
  query: string,
  variables: Record<string, unknown>,
  onData: (d: T) => void,
  onError?: (e: unknown) => void,
): () => void {
  return client().subscribe<T>(
    { query, variables },
    {
      next: (v) => {
        if (v.data) onData(v.data as T);
      },
      error: (e) => onError?.(e),
      complete: () => {},
    },
  );
}
