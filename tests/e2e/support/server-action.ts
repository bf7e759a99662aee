import fs from "node:fs";
import type { APIRequestContext, Page, Request } from "@playwright/test";
import { type ServerActionEntry, serverActions } from "./enumerate";

/** A server action of the build by its exported name (and module, when the name is not unique). */
export function findAction(name: string, file?: string): ServerActionEntry {
  const found = serverActions().filter((action) => action.name === name && (!file || action.file === file));
  if (found.length !== 1) throw new Error(`expected one server action ${name}${file ? ` in ${file}` : ""}, found ${found.length}`);
  // enumerate.ts joins the manifest's worker ("app/(dashboard)/compose/page") onto app/ once more, so
  // its pageUrl starts with "/app" (a 404 page, which still runs the action); this needs the real page.
  return { ...found[0]!, pageUrl: found[0]!.pageUrl.replace(/^\/app(?=\/|$)/, "") || "/" };
}

type Part = string | { name: string; mimeType: string; buffer: Buffer };

/**
 * Calls a server action with ONE FormData argument, encoded the way React's client does it
 * (react-server-dom's encodeReply: the form's own entries under the prefix "_1_", then the argument
 * list as row "0" = ["$K1"]), so a test can send what the browser would, or something it never would.
 * Row "0" must come last: the server builds the FormData argument from the entries it has seen when
 * that row arrives.
 */
export async function postFormAction(
  request: APIRequestContext,
  baseURL: string,
  action: ServerActionEntry,
  entries: Record<string, Part>,
): Promise<{ status: number; text: string }> {
  // A FormData, not a plain object: an object would put the integer-like key "0" first.
  const multipart = new FormData();
  for (const [key, value] of Object.entries(entries)) {
    if (typeof value === "string") multipart.append(`_1_${key}`, value);
    else multipart.append(`_1_${key}`, new Blob([new Uint8Array(value.buffer)], { type: value.mimeType }), value.name);
  }
  multipart.append("0", '["$K1"]');
  const response = await request.post(action.pageUrl, {
    headers: { "next-action": action.id, accept: "text/x-component", origin: baseURL },
    multipart,
  });
  return { status: response.status(), text: await response.text() };
}

/** Posts a raw body (any content type) as a server action request, as a broken or hostile client could. */
export async function postRawAction(
  request: APIRequestContext,
  baseURL: string,
  action: ServerActionEntry,
  body: Buffer,
  contentType: string,
): Promise<{ status: number; text: string }> {
  const response = await request.post(action.pageUrl, {
    headers: { "next-action": action.id, accept: "text/x-component", origin: baseURL, "content-type": contentType },
    data: body,
  });
  return { status: response.status(), text: await response.text() };
}

/** The action's return value from its RSC answer (row 1), or null when the action threw instead of answering. */
export function actionAnswer<T = Record<string, unknown>>(text: string): T | null {
  const row = text.split("\n").find((line) => line.startsWith("1:{"));
  return row ? (JSON.parse(row.slice(2)) as T) : null;
}

/** True for the browser's POST that runs `action` (server actions post to the page with a next-action header). */
export function isActionRequest(request: Request, action: ServerActionEntry): boolean {
  return request.method() === "POST" && request.headers()["next-action"] === action.id;
}

/**
 * Lets the page's next call of `action` reach the server with its body cut in half: the server then
 * fails to decode it before any of our code runs (a 500 with only a digest), which is what the
 * browser gets for a body that is over the limit or malformed.
 */
export async function breakNextActionBody(page: Page, action: ServerActionEntry): Promise<{ broken: () => number }> {
  let count = 0;
  // Any URL: an action posts to whichever page calls it (uploadChunk from /media and from the composer).
  await page.route(
    () => true,
    async (route) => {
      const request = route.request();
      if (!isActionRequest(request, action) || count > 0) return route.fallback();
      count++;
      const body = request.postDataBuffer() ?? Buffer.alloc(0);
      await route.continue({ postData: body.subarray(0, Math.floor(body.length / 2)) });
    },
  );
  return { broken: () => count };
}

/** Everything a server wrote to its log file after `offset` (see playwright.config.ts: the live server's log is kept). */
export function logSince(file: string, offset: number): string {
  const all = fs.readFileSync(file);
  return all.subarray(offset).toString("utf8");
}

export function logSize(file: string): number {
  return fs.statSync(file).size;
}
