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

/** Called when a request other than `POST /sync` returns `401 account_disabled`. The server
 * keeps that session open so that the next `POST /sync` can deliver the outbox; the sync module
 * registers a listener that starts that sync at once. */
let accountDisabledListener: (() => void) | null = null;

export function onAccountDisabled(listener: (() => void) | null): void {
  accountDisabledListener = listener;
}

/** Request bodies larger than this are gzipped when the caller asks for it. */
export const GZIP_MIN_BYTES = 1024;

export interface ApiOptions {
  /** Gzip a body larger than GZIP_MIN_BYTES (`Content-Encoding: gzip`) where the browser can. */
  gzip?: boolean;
}

export async function api<T>(method: string, path: string, body?: unknown, options: ApiOptions = {}): Promise<T> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  let payload: BodyInit | undefined = body === undefined ? undefined : JSON.stringify(body);
  if (options.gzip && typeof payload === 'string' && payload.length > GZIP_MIN_BYTES && typeof CompressionStream !== 'undefined') {
    payload = await gzip(payload);
    headers['content-encoding'] = 'gzip';
  }
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { method, credentials: 'same-origin', headers, body: payload });
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
    const failure = new ApiError(response.status, error?.code ?? 'internal_error', error?.message ?? '', error?.fields ?? []);
    if (failure.status === 401 && failure.code === 'account_disabled' && path !== '/sync') accountDisabledListener?.();
    throw failure;
  }
  return parsed as T;
}

/** Gzips `text` with the browser's CompressionStream. */
async function gzip(text: string): Promise<ArrayBuffer> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}
