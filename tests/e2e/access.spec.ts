import { expect, test } from "./support/fixtures";
import { callServerAction, pagePaths, routeEndpoints, serverActions } from "./support/enumerate";
import { isPublicRoute } from "./support/public-routes";
import { signIn } from "./support/session";

/** The least role each server-action module needs; a new module must be added here (the test fails otherwise). */
const ACTION_ROLES: Record<string, "public" | "viewer" | "sender" | "admin"> = {
  "app/signin/actions.ts": "public",
  "app/(dashboard)/account/actions.ts": "viewer",
  "app/(dashboard)/admin/actions.ts": "admin",
  "app/(dashboard)/admin/push-actions.ts": "admin",
  "app/(dashboard)/compose/actions.ts": "sender",
  "app/(dashboard)/history/actions.ts": "sender",
  "app/(dashboard)/media/actions.ts": "sender",
};
/** Actions that differ from their module's role. */
const ACTION_ROLE_EXCEPTIONS: Record<string, "viewer" | "sender" | "admin"> = {
  refreshDeliveryStatuses: "viewer",
  deleteMedia: "admin",
};

const ROUTE_ROLES: Record<string, "viewer" | "sender" | "admin"> = {
  "GET /api/account/limits": "sender",
  "POST /api/campaigns": "sender",
};

test.describe("signed out", () => {
  test("every page redirects to sign-in", async ({ page }) => {
    const pages = pagePaths().filter((p) => p.url !== "/signin");
    expect(pages.length).toBeGreaterThanOrEqual(6);
    for (const { url } of pages) {
      await page.goto(url);
      await expect(page, `${url} should redirect`).toHaveURL(/\/signin/);
    }
  });

  test("every route handler answers 401 (or 403 for a cross-site write)", async ({ request, baseURL }) => {
    const endpoints = routeEndpoints().filter((e) => !e.file.startsWith("app/sandbox-api/") && !isPublicRoute(e));
    expect(endpoints.length).toBeGreaterThanOrEqual(6);
    for (const endpoint of endpoints) {
      const sameSite = await request.fetch(endpoint.url, { method: endpoint.method, headers: { origin: baseURL! }, data: endpoint.method === "GET" ? undefined : {} });
      expect(sameSite.status(), `${endpoint.method} ${endpoint.url}`).toBe(401);
      expect(await sameSite.json()).toMatchObject({ ok: false, code: "unauthorized" });
      if (endpoint.method !== "GET") {
        const crossSite = await request.fetch(endpoint.url, { method: endpoint.method, headers: { origin: "https://evil.example" }, data: {} });
        expect(crossSite.status(), `cross-site ${endpoint.method} ${endpoint.url}`).toBe(403);
      }
    }
  });

  test("the public-by-design routes are secret-gated: without the secret every method answers 404", async ({ request, baseURL }) => {
    const endpoints = routeEndpoints().filter(isPublicRoute);
    expect(endpoints.map((e) => e.method).sort()).toEqual(["GET", "POST"]);
    for (const endpoint of endpoints) {
      for (const origin of [baseURL!, "https://evil.example"]) {
        const response = await request.fetch(endpoint.url, { method: endpoint.method, headers: { origin }, form: endpoint.method === "GET" ? undefined : { smsid: "a1b2c3d4e5", stan: "delivered" } });
        expect(response.status(), `${endpoint.method} ${endpoint.url}`).toBe(404);
        expect(await response.text()).toBe("Not found");
      }
    }
  });

  test("every server action answers unauthorized", async ({ request, baseURL }) => {
    const actions = serverActions().filter((a) => ACTION_ROLES[a.file] !== "public");
    expect(actions.length).toBeGreaterThanOrEqual(5);
    for (const action of actions) {
      expect(ACTION_ROLES[action.file], `map ${action.file} in ACTION_ROLES`).toBeDefined();
      const { text } = await callServerAction(request, baseURL!, action, [{}]);
      expect(text, `${action.file}#${action.name}`).toContain('"code":"unauthorized"');
    }
  });

  test("the sandbox gateway keeps its own gateway-style auth", async ({ request }) => {
    const response = await request.post("/sandbox-api/files/index", { headers: { authorization: "Bearer wrong" }, data: { type: "mms" } });
    expect(await response.json()).toEqual({ error: { code: 1001, type: "InvalidUser", message: "Incorrect login or password" } });
  });
});

test.describe("a viewer", () => {
  test("is refused every sender and admin action and route", async ({ page, baseURL }) => {
    await signIn(page, "viewer");
    for (const action of serverActions()) {
      const needed = ACTION_ROLE_EXCEPTIONS[action.name] ?? ACTION_ROLES[action.file];
      if (needed !== "sender" && needed !== "admin") continue;
      const { text } = await callServerAction(page.request, baseURL!, action, [{}]);
      expect(text, `${action.file}#${action.name}`).toContain('"code":"forbidden"');
    }
    for (const endpoint of routeEndpoints()) {
      const needed = ROUTE_ROLES[`${endpoint.method} ${endpoint.url}`];
      if (!needed) continue;
      const response = await page.request.fetch(endpoint.url, { method: endpoint.method, headers: { origin: baseURL! }, data: endpoint.method === "GET" ? undefined : {} });
      expect(response.status(), `${endpoint.method} ${endpoint.url}`).toBe(403);
    }
  });

  test("cannot see Compose or Admin in the navigation, and is turned away from them", async ({ page }) => {
    await signIn(page, "viewer");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Media" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "History" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Compose" })).toHaveCount(0);
    await expect(nav.getByRole("link", { name: "Admin" })).toHaveCount(0);
    await page.goto("/compose");
    await expect(page).toHaveURL(/\/denied\?need=sender/);
    await expect(page.getByRole("heading", { name: "You do not have access to that page" })).toBeVisible();
  });
});
