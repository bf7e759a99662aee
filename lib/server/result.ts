/** The one result shape of every server action and route handler. Importable from client code. */
export type FieldErrors = Record<string, string[]>;

export type FailureCode =
  | "unauthorized"
  | "forbidden"
  | "invalid"
  | "rate_limited"
  | "too_large"
  | "not_found"
  | "conflict"
  | "gateway"
  | "internal";

export type ActionFailure = {
  ok: false;
  code: FailureCode;
  message: string;
  fieldErrors: FieldErrors;
  retryAfterSeconds?: number;
};

export type ActionResult<T extends object = object> = ({ ok: true } & T) | ActionFailure;

export function failure(code: FailureCode, message: string, fieldErrors: FieldErrors = {}): ActionFailure {
  return { ok: false, code, message, fieldErrors };
}

export const HTTP_STATUS: Record<FailureCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  invalid: 400,
  rate_limited: 429,
  too_large: 413,
  not_found: 404,
  conflict: 409,
  gateway: 502,
  internal: 500,
};

/** Zod issues keyed by top-level field ("_form" for issues about the whole input). */
export function fieldErrorsFromIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "_form";
    (errors[key] ??= []).includes(issue.message) || errors[key].push(issue.message);
  }
  return errors;
}

export function firstMessage(fieldErrors: FieldErrors): string | undefined {
  return Object.values(fieldErrors).flat()[0];
}
