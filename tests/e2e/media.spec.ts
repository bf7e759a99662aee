import fs from "node:fs";
import { expect, test } from "./support/fixtures";
import {
  expectImageLoaded,
  fileInput,
  fixtureFile,
  fixturePath,
  libraryCard,
  libraryCards,
  libraryTotal,
  openMedia,
  startFixtureServer,
  uploadRow,
} from "./support/media";
import { resetSandbox } from "./support/gateway";
import { signIn } from "./support/session";

// The tests build on each other's library, so they run in order, starting from an empty gateway
// library (other spec files put files of their own into the shared sandbox).
test.describe.configure({ mode: "serial" });
test.beforeAll(async ({ request }) => {
  await resetSandbox(request);
});

test("a sender drops a PNG, a JPG and a text file: three progress bars, then all three in the library with previews", async ({ page }) => {
  await signIn(page, "sender");
  await openMedia(page);
  await expect(page.getByText("No MMS files yet")).toBeVisible();

  await fileInput(page).setInputFiles([fixturePath("banner.png"), fixturePath("photo.jpg"), fixturePath("notes.txt")]);
  const uploads = page.getByRole("region", { name: "Uploads" });
  await expect(uploads.getByRole("progressbar")).toHaveCount(3);
  for (const name of ["banner.png", "photo.jpg", "notes.txt"]) {
    await expect(uploadRow(page, name)).toHaveAttribute("data-status", "done", { timeout: 20_000 });
    await expect(uploadRow(page, name).getByTestId("upload-status")).toHaveText("Uploaded");
    await expect(uploadRow(page, name).getByRole("progressbar")).toHaveAttribute("aria-valuenow", String(fs.statSync(fixturePath(name)).size));
  }

  for (const name of ["banner.png", "photo.jpg"]) {
    await expectImageLoaded(libraryCard(page, name).getByRole("img", { name: `Preview of ${name}` }));
    await expect(libraryCard(page, name)).toContainText(name.endsWith(".png") ? "image/png" : "image/jpeg");
  }
  await expect(libraryCard(page, "notes.txt").getByLabel("First lines of notes.txt")).toContainText("Promocja: kawa za 9,99 zł do niedzieli.");
  await expect(libraryCard(page, "banner.png")).toContainText("1.4 kB");

  // The previews survive a reload: they come from our stored copies, listed against files/index.
  await page.reload();
  await expect(libraryCards(page)).toHaveCount(3);
  await expectImageLoaded(libraryCard(page, "photo.jpg").getByRole("img", { name: "Preview of photo.jpg" }));

  // Stored files are served with their real type and nosniff.
  const href = await libraryCard(page, "banner.png").getByRole("link", { name: "Open banner.png in a new tab" }).getAttribute("href");
  const response = await page.request.get(href ?? "");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("image/png");
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  expect(Buffer.from(await response.body()).equals(fs.readFileSync(fixturePath("banner.png")))).toBe(true);
});

test("a .jpg that is really a PDF and an empty file are each refused with their own reason; a valid file in the same drop uploads", async ({ page }) => {
  await signIn(page, "sender");
  await openMedia(page);
  await fileInput(page).setInputFiles([fixtureFile("offer.jpg"), fixtureFile("empty.bin", "empty.txt"), fixtureFile("jingle.mp3")]);

  await expect(uploadRow(page, "offer.jpg")).toHaveAttribute("data-status", "refused", { timeout: 20_000 });
  await expect(uploadRow(page, "offer.jpg").getByTestId("upload-message")).toHaveText(
    '"offer.jpg" is a PDF document, not a JPEG image: rename it to .pdf or upload the real image.',
  );
  await expect(uploadRow(page, "empty.txt")).toHaveAttribute("data-status", "refused");
  await expect(uploadRow(page, "empty.txt").getByTestId("upload-message")).toHaveText(
    '"empty.txt" is empty (0 bytes). Check the file on your computer and upload it again.',
  );
  await expect(uploadRow(page, "jingle.mp3")).toHaveAttribute("data-status", "done", { timeout: 20_000 });

  await expect(libraryCard(page, "jingle.mp3").getByLabel("Play jingle.mp3")).toBeVisible();
  await expect(libraryCard(page, "offer.jpg")).toHaveCount(0);
  await expect(libraryCard(page, "empty.txt")).toHaveCount(0);
});

test("import by URL: the sandbox gateway fetches the file from a local server; other schemes are refused", async ({ page }) => {
  const server = await startFixtureServer({ "/campaign/animated.gif": { fixture: "animated.gif", contentType: "image/gif" } });
  try {
    await signIn(page, "sender");
    await openMedia(page);
    const form = page.getByRole("form", { name: "Import a file from a web address" });
    const address = form.getByLabel("Import from a web address");

    await address.fill("javascript:alert(1)");
    await form.getByRole("button", { name: "Import" }).click();
    await expect(form.getByText("Only http:// and https:// addresses can be imported (this one is javascript:).")).toBeVisible();
    await expect(address).toHaveAttribute("aria-invalid", "true");

    await address.fill(server.url("/campaign/missing.gif"));
    await form.getByRole("button", { name: "Import" }).click();
    await expect(form.getByText("The gateway could not import this address: Could not download the file: HTTP 404")).toBeVisible({ timeout: 20_000 });

    await address.fill(server.url("/campaign/animated.gif"));
    await form.getByRole("button", { name: "Import" }).click();
    // No gateway gives a file back (issue 12 item 6), so an import is listed as the live gateway would show it.
    await expect(page.getByTestId("import-result")).toHaveText("Imported animated.gif. The gateway does not give files back, so it is listed without a preview.", { timeout: 20_000 });
    await expect(libraryCard(page, "animated.gif").getByText("No preview")).toBeVisible();
  } finally {
    await server.close();
  }
});

test("search by name and the type filter narrow the list", async ({ page }) => {
  await signIn(page, "sender");
  await openMedia(page);
  await expect(libraryCards(page)).toHaveCount(5);
  const total = await libraryTotal(page);

  await page.getByLabel("Search by name").fill("BANNER");
  await expect(libraryCards(page)).toHaveCount(1);
  await expect(libraryCard(page, "banner.png")).toBeVisible();
  await expect(page.getByTestId("library-count")).toHaveText(`Showing 1 of ${total} files`);

  await page.getByLabel("Search by name").fill("");
  await page.getByRole("combobox", { name: "Type" }).selectOption({ label: "Text" });
  await expect(libraryCards(page)).toHaveCount(1);
  await expect(libraryCard(page, "notes.txt")).toBeVisible();

  await page.getByRole("combobox", { name: "Type" }).selectOption({ label: "Images" });
  await expect(libraryCards(page)).toHaveCount(3);
  await page.getByLabel("Search by name").fill("zzz-nothing");
  await expect(page.getByText("No files match")).toBeVisible();
  await page.getByRole("button", { name: "Clear search and filter" }).click();
  await expect(libraryCards(page)).toHaveCount(total);
});

test("uploading the same PNG again (chosen with the keyboard) reuses it: the library does not grow", async ({ page }) => {
  await signIn(page, "sender");
  await openMedia(page);
  const before = await libraryTotal(page);

  const dropzone = page.getByRole("button", { name: /Upload files/ });
  await dropzone.focus();
  const chooser = page.waitForEvent("filechooser");
  await page.keyboard.press("Enter");
  await (await chooser).setFiles(fixturePath("banner.png"));

  await expect(uploadRow(page, "banner.png")).toHaveAttribute("data-status", "reused", { timeout: 20_000 });
  await expect(uploadRow(page, "banner.png").getByTestId("upload-message")).toHaveText("Already in the library as banner.png: reused, not uploaded again.");
  await page.reload();
  expect(await libraryTotal(page)).toBe(before);
  await expect(libraryCard(page, "banner.png")).toHaveCount(1);
});

test("a viewer sees the library but no upload area and no delete button", async ({ page }) => {
  await signIn(page, "viewer");
  await openMedia(page);
  await expect(libraryCard(page, "banner.png")).toBeVisible();
  await expect(page.getByTestId("media-dropzone")).toHaveCount(0);
  await expect(page.getByRole("form", { name: "Import a file from a web address" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Delete/ })).toHaveCount(0);
  await expect(page.getByText("Uploading needs the sender role")).toBeVisible();
});

test("an admin deletes a file after confirming in a dialog that names it", async ({ page }) => {
  await signIn(page, "admin");
  await openMedia(page);
  const before = await libraryTotal(page);

  await libraryCard(page, "photo.jpg").getByRole("button", { name: "Delete photo.jpg" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete this file?" });
  await expect(dialog).toContainText("photo.jpg will be deleted from SerwerSMS");
  await dialog.getByRole("button", { name: "Delete file" }).click();

  await expect(page.getByTestId("library-notice")).toHaveText("Deleted photo.jpg.");
  await expect(libraryCard(page, "photo.jpg")).toHaveCount(0);
  await page.reload();
  await expect(libraryCard(page, "photo.jpg")).toHaveCount(0);
  expect(await libraryTotal(page)).toBe(before - 1);
});
