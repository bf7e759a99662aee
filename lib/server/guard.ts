import "server-only";
import { randomUUID } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { audit, type AuditAction } from "@/lib/audit/log";
import { getCurrentUser } from "@/lib/auth/current";
import { hasRole, type Role, type SessionUser } from "@/lib/auth/roles";
import { getConfig } from "@/lib/config/env";
import { BodyTooLargeError, readBodyWithLimit } from "@/lib/http/read-body";
import { readRequestFields, UnreadableBodyError } from "@/lib/http/read-fields";
import { describeRefusal } from "@/lib/serwersms/error-codes";
import { withTransportSecurity } from "@/lib/http/transport";
import { GatewayClientError, GatewayError } from "@/lib/serwersms/errors";
import { RATE_LIMITS, rateLimiter } from "./rate-limit";
import { type ActionFailure, type ActionResult, failure, fieldErrorsFromIssues, firstMessage, HTTP_STATUS } from "./result";

export type GuardContext = {
  user: SessionUser;
  audit(action: AuditAction, target?: string | null, detail?: Parameters<typeof audit>[3]): void;
};

type GuardSpec<S extends z.ZodType> = {
  /** Used in logs and rate-limit keys. */
  name: string;
  role: Role;
  input: S;
  /** Applied after validation, so it may depend on the input (a test preview and a send have different limits). */
  rateLimit?: keyof typeof RATE_LIMITS | ((input: z.output<S>) => keyof typeof RATE_LIMITS);
};

/** Turns anything a handler throws into the typed failure the UI shows; never leaks a stack. */
export function toFailure(error: unknown, name: string): ActionFailure {
  // Duck-typed as well: a schema from another bundle's copy of zod throws a different ZodError class.
  if (error instanceof z.ZodError || (error instanceof Error && error.name === "ZodError" && Array.isArray((error as z.ZodError).issues))) {
    const fieldErrors = fieldErrorsFromIssues((error as z.ZodError).issues);
    return failure("invalid", firstMessage(fieldErrors) ?? "Check the highlighted fields.", fieldErrors);
  }
  if (error instanceof GatewayError) return failure("gateway", describeRefusal("The gateway refused this", error));
  if (error instanceof GatewayClientError) {
    return failure(
      "gateway",
      error.kind === "timeout" || error.kind === "network"
        ? "The gateway did not answer in time. Please try again in a moment."
        : "The gateway gave an unexpected answer. Please try again in a moment.",
    );
  }
  const reference = randomUUID().slice(0, 8);
  console.error(`[${name}] unexpected error (ref ${reference}):`, error);
  return failure("internal", `Something went wrong on our side (reference ${reference}). Please try again.`);
}

async function authorize(role: Role): Promise<{ user: SessionUser } | ActionFailure> {
  const user = await getCurrentUser();
  if (!user) return failure("unauthorized", "Your session has ended. Sign in again.");
  if (!hasRole(user.role, role)) return failure("forbidden", `This needs the ${role} role; you are a ${user.role}.`);
  return { user };
}

function checkRateLimit<S extends z.ZodType>(spec: GuardSpec<S>, input: z.output<S>, user: SessionUser): ActionFailure | null {
  if (!spec.rateLimit) return null;
  const bucket = typeof spec.rateLimit === "function" ? spec.rateLimit(input) : spec.rateLimit;
  const verdict = rateLimiter.check(`${bucket}:${user.id}`, RATE_LIMITS[bucket]);
  if (verdict.ok) return null;
  return {
    ...failure("rate_limited", `Too many requests. Try again in ${verdict.retryAfterSeconds} s.`),
    retryAfterSeconds: verdict.retryAfterSeconds,
  };
}

function contextFor(user: SessionUser): GuardContext {
  return { user, audit: (action, target = null, detail = null) => audit(user, action, target, detail) };
}

/**
 * The one wrapper for server actions: session and role check, rate limit, zod validation, typed
 * result. Every exported action in app/ is built with it.
 */
export function defineAction<S extends z.ZodType, R extends object>(
  spec: GuardSpec<S>,
  handler: (input: z.output<S>, ctx: GuardContext) => Promise<ActionResult<R>>,
): (input: z.input<S>) => Promise<ActionResult<R>> {
  return async (raw) => {
    try {
      const auth = await authorize(spec.role);
      if ("ok" in auth) return auth;
      // Async: a schema may read parts of a FormData argument (a Blob's bytes), e.g. lib/compose/request-form.ts.
      const parsed = await spec.input.safeParseAsync(raw);
      if (!parsed.success) return toFailure(parsed.error, spec.name);
      const limited = checkRateLimit(spec, parsed.data, auth.user);
      if (limited) return limited;
      return await handler(parsed.data, contextFor(auth.user));
    } catch (error) {
      unstable_rethrow(error);
      return toFailure(error, spec.name);
    }
  };
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * JSON bodies of our routes are small except a campaign's recipient list (100 000 numbers ≈ 1.8 MB);
 * 8 MB leaves room and stops a runaway client from making the server buffer hundreds of MB.
 */
export const JSON_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/** State-changing requests must come from our own pages (server actions check this themselves). */
function sameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export type RouteContext<P> = GuardContext & { params: P; request: Request };

/**
 * The one wrapper for route handlers: same checks as defineAction plus an Origin check for
 * mutating methods. `input` validates the query string (GET) or the JSON body (others).
 * The handler returns a Response (files, CSV, streams) or a plain object sent as JSON.
 */
export function defineRoute<S extends z.ZodType, P = Record<string, string>>(
  spec: GuardSpec<S>,
  handler: (input: z.output<S>, ctx: RouteContext<P>) => Promise<Response | ActionResult<object>>,
): (request: Request, segment: { params: Promise<P> }) => Promise<Response> {
  async function answer(request: Request, segment: { params: Promise<P> }): Promise<Response> {
    try {
      if (MUTATING.has(request.method) && !sameOrigin(request)) {
        return json(failure("forbidden", "Cross-site request refused."));
      }
      const auth = await authorize(spec.role);
      if ("ok" in auth) return json(auth);
      let raw: unknown;
      if (request.method === "GET" || request.method === "HEAD") {
        raw = Object.fromEntries(new URL(request.url).searchParams);
      } else {
        try {
          raw = JSON.parse(Buffer.from(await readBodyWithLimit(request, JSON_BODY_LIMIT_BYTES)).toString("utf8"));
        } catch (error) {
          if (error instanceof BodyTooLargeError) {
            return json(failure("too_large", `The request is larger than ${JSON_BODY_LIMIT_BYTES / 1024 / 1024} MB and was refused.`));
          }
          return json(failure("invalid", "The request body is not valid JSON."));
        }
      }
      const parsed = await spec.input.safeParseAsync(raw);
      if (!parsed.success) return json(toFailure(parsed.error, spec.name));
      const limited = checkRateLimit(spec, parsed.data, auth.user);
      if (limited) return json(limited);
      const params = await segment.params;
      const result = await handler(parsed.data, { ...contextFor(auth.user), params, request });
      return result instanceof Response ? result : json(result);
    } catch (error) {
      unstable_rethrow(error);
      return json(toFailure(error, spec.name));
    }
  }
  // Every answer of a route handler, errors included, gets HSTS when served over https (pages get it in proxy.ts).
  return async (request, segment) => secured(await answer(request, segment), request);
}

function secured(response: Response, request: Request): Response {
  try {
    return withTransportSecurity(response, getConfig().http, request.headers);
  } catch {
    // A Response with immutable headers (e.g. passed through from fetch): copy it to add ours.
    return withTransportSecurity(new Response(response.body, response), getConfig().http, request.headers);
  }
}

function json(result: ActionResult<object>): Response {
  const status = result.ok ? 200 : HTTP_STATUS[result.code];
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (!result.ok && result.retryAfterSeconds) headers["retry-after"] = String(result.retryAfterSeconds);
  return Response.json(result, { status, headers });
}

// ---------------------------------------------------------------------------------------------
// The one public route: callers that cannot hold a session (the gateway's push, issue 12 item 5)
// ---------------------------------------------------------------------------------------------

export type PublicRouteSpec<S extends z.ZodType, P> = {
  /** Used in logs. */
  name: string;
  /**
   * Stands in for the session check and runs before the body is read: false answers 404, exactly
   * like a route that does not exist, so a wrong secret learns nothing.
   */
  gate: (params: P) => boolean;
  /** The body is refused (413) past this size. */
  bodyLimitBytes: number;
  /** Validates the flat fields: query string plus a form, multipart or JSON body (lib/http/read-fields.ts). */
  input: S;
};

const plain = (status: number, text: string) =>
  new Response(text, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" } });

/**
 * The wrapper for a route that needs NO session, for machine callers that cannot sign in and speak
 * plain text, not our JSON results: gate (a secret in the path) → body cap → zod → handler, and any
 * failure becomes a short plain-text answer, never a stack. No Origin check: the caller is a server,
 * not a browser, and no cookie grants anything here, so there is no cross-site request to forge
 * (tests/e2e/support/public-routes.ts lists every such route; access.spec.ts tests the gate).
 */
export function definePublicRoute<S extends z.ZodType, P = Record<string, string>>(
  spec: PublicRouteSpec<S, P>,
  handler: (input: z.output<S>, ctx: { params: P; request: Request }) => Promise<Response>,
): (request: Request, segment: { params: Promise<P> }) => Promise<Response> {
  return async (request, segment) => {
    try {
      const params = await segment.params;
      if (!spec.gate(params)) return plain(404, "Not found");
      let fields: Record<string, string>;
      try {
        fields = await readRequestFields(request, spec.bodyLimitBytes);
      } catch (error) {
        if (error instanceof BodyTooLargeError) return plain(413, `The request is larger than ${spec.bodyLimitBytes} bytes.`);
        if (error instanceof UnreadableBodyError) return plain(400, error.message);
        throw error;
      }
      const parsed = spec.input.safeParse(fields);
      if (!parsed.success) {
        const message = parsed.error.issues[0]?.message ?? "Invalid request";
        // Field names only, never values: a push may carry phone numbers and message text.
        console.warn(`[${spec.name}] refused: ${message} (fields: ${Object.keys(fields).slice(0, 20).join(", ") || "none"})`);
        return plain(400, message);
      }
      return await handler(parsed.data, { params, request });
    } catch (error) {
      const reference = randomUUID().slice(0, 8);
      console.error(`[${spec.name}] unexpected error (ref ${reference}):`, error);
      return plain(500, `Internal error (reference ${reference}).`);
    }
  };
}
