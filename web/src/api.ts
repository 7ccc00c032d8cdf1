// Calls to the server's JSON API under /api/v1. The session travels in an HttpOnly cookie the
// page cannot read; errors come back with a stable code and a message in the user's language.

export interface FieldErrorBody {
  code: string;
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldErrorBody[] = [],
  ) {
    super(message);
  }
}

/** The request never reached the server, or its answer never came back. */
export class NetworkError extends Error {}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new NetworkError(String(error));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page: report the status below.
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; fields?: FieldErrorBody[] } })?.error;
    throw new ApiError(response.status, error?.code ?? 'internal_error', error?.message ?? response.statusText, error?.fields ?? []);
  }
  return parsed as T;
}
