/**
 * Route handlers that need no session BY DESIGN, and what gates them instead. The gateway's push
 * (issue 12 item 5, app/api/push/[secret]/route.ts) cannot sign in: the secret in its path is the
 * gate, and without it (or while SERWERSMS_PUSH_SECRET is unset, as in the shared e2e server) every
 * method answers a plain-text 404. It speaks plain text to the gateway, not our JSON results, so the
 * suites that check those skip it; access.spec.ts tests its gate and fidelity-cancel-push.spec.ts
 * its answers (with the secret: bad JSON, oversize body, unknown fields). A new public route must be
 * listed here, or the 401 check of access.spec.ts fails for it.
 */
export const PUBLIC_ROUTES: Readonly<Record<string, "secret in the path">> = {
  "app/api/push/[secret]/route.ts": "secret in the path",
};

export const isPublicRoute = (endpoint: { file: string }): boolean => Object.hasOwn(PUBLIC_ROUTES, endpoint.file);
