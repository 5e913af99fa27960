/** An answer of the API other than 2xx, with its body's `{"error": {"code", "message", "issues"}}` when it has one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly { readonly field: string; readonly problem: string }[] = [],
    readonly route = '',
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
}

/** List versions (`ofac-sdn:<date>:<hash>`) keep their colons; everything else in a path segment is encoded. */
export const segment = (value: string) => encodeURIComponent(value).replace(/%3A/gi, ':');

export function query(params: Readonly<Record<string, string | number | boolean | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The public HTTP API with the signed-in person's bearer token; `onUnauthorized` runs when the token is no longer accepted. */
export function apiClient(apiUrl: string, token: string, onUnauthorized: () => void): ApiClient {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const route = `${method} ${path.split('?')[0]}`;
    let response: Response;
    try {
      response = await fetch(`${apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'NETWORK', 'The compliance API could not be reached.', [], route);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = {};
    }
    if (response.ok) return parsed as T;
    if (response.status === 401) onUnauthorized();
    const error = (parsed as { error?: { code?: string; message?: string; issues?: { field: string; problem: string }[] } }).error;
    throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? response.statusText, error?.issues ?? [], route);
  }
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body ?? {}),
  };
}
