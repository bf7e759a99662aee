/**
 * Typed failures of the gateway client. None of them ever carries request bodies, tokens or
 * passwords: messages are built from the action name, status codes and the gateway's own error text.
 */
export type GatewayFailureKind = "api" | "http" | "timeout" | "network" | "malformed";

/**
 * Next bundles route handlers, server actions and instrumentation separately, each with its own copy
 * of this module, while the gateway client is cached on globalThis. An error thrown by the client may
 * therefore come from another copy of these classes, so `instanceof` checks the brand and the kind
 * instead of the prototype chain.
 */
const BRAND = Symbol.for("mms-dashboard.gateway-client-error");

function branded(value: unknown, kind?: GatewayFailureKind): value is GatewayClientError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true &&
    (kind === undefined || (value as { kind?: unknown }).kind === kind)
  );
}

export abstract class GatewayClientError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return branded(value);
  }
  readonly [BRAND] = true;
  abstract readonly kind: GatewayFailureKind;
  /**
   * True when the request may have reached the gateway and been acted on although we got no
   * usable answer (timeout, dropped connection, unreadable 200). A send in this state must never
   * be repeated blindly: its recipients may already have the message.
   */
  abstract readonly outcomeUnknown: boolean;

  protected constructor(
    readonly action: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toJSON() {
    return { name: this.name, kind: this.kind, action: this.action, message: this.message, outcomeUnknown: this.outcomeUnknown };
  }
}

/** The gateway answered with its error envelope `{"error":{code,type,message}}`: it refused the request. */
export class GatewayError extends GatewayClientError {
  static [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, "api");
  }
  readonly kind = "api" as const;
  readonly outcomeUnknown = false;
  constructor(
    action: string,
    readonly code: number,
    readonly type: string,
    readonly gatewayMessage: string,
    readonly httpStatus = 200,
    /**
     * For a code this app does not know (error-codes.ts), the gateway's own description of it from
     * `error/<code>`; null for known codes or when the gateway could not say.
     */
    readonly description: string | null = null,
  ) {
    super(action, `${action}: gateway error ${code} ${type}: ${gatewayMessage}`);
  }
}

/** A non-200 status without the error envelope (proxy error page, 429, 5xx...). */
export class GatewayHttpError extends GatewayClientError {
  static [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, "http");
  }
  readonly kind = "http" as const;
  readonly outcomeUnknown = false;
  constructor(
    action: string,
    readonly status: number,
    /** Milliseconds the gateway asked us to wait (Retry-After), when it said so. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(action, `${action}: gateway answered HTTP ${status}`);
  }
}

export class GatewayTimeoutError extends GatewayClientError {
  static [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, "timeout");
  }
  readonly kind = "timeout" as const;
  readonly outcomeUnknown = true;
  constructor(
    action: string,
    readonly timeoutMs: number,
  ) {
    super(action, `${action}: no answer from the gateway within ${Math.round(timeoutMs / 1000)} s`);
  }
}

export class GatewayNetworkError extends GatewayClientError {
  static [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, "network");
  }
  readonly kind = "network" as const;
  constructor(
    action: string,
    /** Low-level code such as ECONNREFUSED or ECONNRESET, when known. */
    readonly code: string | null,
    readonly outcomeUnknown: boolean,
  ) {
    super(
      action,
      `${action}: ${outcomeUnknown ? "connection to the gateway broke before it answered" : "could not connect to the gateway"}${code ? ` (${code})` : ""}`,
    );
  }
}

/** The gateway answered 200 but not with the JSON we expect. */
export class GatewayMalformedResponseError extends GatewayClientError {
  static [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, "malformed");
  }
  readonly kind = "malformed" as const;
  readonly outcomeUnknown = true;
  constructor(
    action: string,
    readonly detail: string,
  ) {
    super(action, `${action}: unexpected answer from the gateway (${detail})`);
  }
}

export function isGatewayClientError(error: unknown): error is GatewayClientError {
  return error instanceof GatewayClientError;
}
