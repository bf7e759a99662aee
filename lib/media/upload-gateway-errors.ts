/**
 * Gateway errors across Next bundles.
 *
 * The gateway client is a globalThis singleton, and it is usually created by the instrumentation
 * bundle (startup's campaign recovery). Errors it throws are instances of *that* bundle's copy of
 * lib/serwersms/errors.ts, a different class from the copy bundled with a server action or route,
 * so `instanceof GatewayError` is false there: our own checks, and toFailure in lib/server/guard.ts,
 * would treat a plain gateway refusal as an unexpected crash. These helpers recognise the errors
 * by shape and rebuild them with this bundle's classes.
 */
import {
  GatewayClientError,
  GatewayError,
  GatewayHttpError,
  GatewayMalformedResponseError,
  GatewayNetworkError,
  GatewayTimeoutError,
} from "@/lib/serwersms/errors";

type Shape = Record<string, unknown>;

const text = (value: unknown, fallback = ""): string => (typeof value === "string" ? value : fallback);
const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

/** The same failure as an instance of this bundle's error classes (unchanged if it already is one, or is something else). */
export function asLocalGatewayError(error: unknown): unknown {
  if (error instanceof GatewayClientError || typeof error !== "object" || error === null) return error;
  const e = error as Shape;
  const action = text(e.action, "gateway");
  switch (e.kind) {
    case "api": {
      const code = num(e.code);
      return code === null ? error : new GatewayError(action, code, text(e.type), text(e.gatewayMessage), num(e.httpStatus) ?? 200);
    }
    case "http": {
      const status = num(e.status);
      return status === null ? error : new GatewayHttpError(action, status, num(e.retryAfterMs));
    }
    case "timeout":
      return new GatewayTimeoutError(action, num(e.timeoutMs) ?? 0);
    case "network":
      return new GatewayNetworkError(action, typeof e.code === "string" ? e.code : null, e.outcomeUnknown !== false);
    case "malformed":
      return new GatewayMalformedResponseError(action, text(e.detail, "unexpected answer"));
    default:
      return error;
  }
}

/** The gateway's refusal (its code and own message), or null for any other error. */
export function gatewayRefusal(error: unknown): { code: number; message: string } | null {
  const local = asLocalGatewayError(error);
  return local instanceof GatewayError ? { code: local.code, message: local.gatewayMessage } : null;
}

/** Awaits `work`, rethrowing gateway errors as this bundle's classes so toFailure explains them. */
export async function localizeGatewayErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw asLocalGatewayError(error);
  }
}
