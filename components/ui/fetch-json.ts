import type { ActionFailure } from "@/lib/server/result";

/** A failed API call, carrying the server's plain-language message. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly failure: ActionFailure | null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** GET/POST JSON to our own route handlers; a `{ok:false}` answer becomes an ApiError with its message. */
export async function fetchJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, { ...init, headers: { accept: "application/json", ...init.headers } });
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`The server answered ${response.status} without data. Please try again.`, response.status, null);
  }
  const result = body as { ok?: boolean } & Partial<ActionFailure>;
  if (!response.ok || result.ok === false) {
    if (response.status === 401) window.location.assign(`/signin?next=${encodeURIComponent(window.location.pathname)}`);
    throw new ApiError(result.message ?? `Request failed (${response.status}).`, response.status, result.ok === false ? (result as ActionFailure) : null);
  }
  return body as T;
}
