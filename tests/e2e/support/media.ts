import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, type Locator, type Page } from "@playwright/test";

const FIXTURES = path.join(process.cwd(), "tests", "fixtures", "media");

export function fixturePath(name: string): string {
  return path.join(FIXTURES, name);
}

const MIME_BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  gif: "image/gif",
  mp3: "audio/mpeg",
  pdf: "application/pdf",
  txt: "text/plain",
};

/**
 * A fixture as an in-memory file, optionally under another name (Playwright cannot mix file paths
 * and buffers in one setInputFiles call). The type is what a browser would guess from the name.
 */
export function fixtureFile(fixture: string, name = fixture) {
  const extension = name.split(".").pop()?.toLowerCase() ?? "";
  return { name, mimeType: MIME_BY_EXTENSION[extension] ?? "application/octet-stream", buffer: fs.readFileSync(fixturePath(fixture)) };
}

export async function openMedia(page: Page): Promise<void> {
  await page.goto("/media");
  await expect(page.getByRole("heading", { level: 1, name: "Media" })).toBeVisible();
  // Viewers get no upload area (it is in the server HTML for everyone else).
  if ((await page.getByTestId("media-dropzone").count()) > 0) await waitForDropzone(page);
}

/** The dropzone takes files only once hydrated; choosing them earlier silently does nothing. */
export async function waitForDropzone(page: Page): Promise<void> {
  await expect(page.getByTestId("media-dropzone").first()).toHaveAttribute("data-ready", "true");
}

/** react-dropzone's hidden <input type=file>: setInputFiles on it fires onDrop like a real drop. */
export function fileInput(page: Page): Locator {
  return page.getByTestId("media-file-input");
}

export function uploadRow(page: Page, name: string): Locator {
  return page.getByTestId("upload-row").filter({ has: page.getByText(name, { exact: true }) });
}

/** A library card, by its accessible name (the file name). */
export function libraryCard(page: Page, name: string): Locator {
  return page.getByRole("list", { name: "MMS files" }).getByRole("listitem", { name, exact: true });
}

export function libraryCards(page: Page): Locator {
  return page.getByRole("list", { name: "MMS files" }).getByRole("listitem");
}

/** "12 files" or "Showing 3 of 12 files" → 12. */
export async function libraryTotal(page: Page): Promise<number> {
  const text = (await page.getByTestId("library-count").textContent()) ?? "";
  const match = /(\d+) files?$/.exec(text.trim());
  if (!match) throw new Error(`Unexpected library count text: ${text}`);
  return Number(match[1]);
}

/** Waits until an <img> has really decoded (a broken thumbnail URL would leave naturalWidth at 0). */
export async function expectImageLoaded(image: Locator): Promise<void> {
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
}

/**
 * A tiny HTTP server on 127.0.0.1 (random port) serving fixtures for the URL import: the embedded
 * sandbox gateway downloads from it (127.0.0.1 is allow-listed for e2e in playwright.config.ts).
 */
export async function startFixtureServer(routes: Record<string, { fixture: string; contentType: string }>) {
  const server = http.createServer((request, response) => {
    const route = routes[request.url ?? ""];
    if (!route) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": route.contentType }).end(fs.readFileSync(fixturePath(route.fixture)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (pathname: string) => `http://127.0.0.1:${port}${pathname}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
