"use client";

import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState, useTransition } from "react";

import { importMediaFromUrl } from "@/app/(dashboard)/media/actions";
import { Button } from "@/components/ui/Button";
import { FieldError } from "@/components/ui/FieldError";

import { refreshMediaLibrary, rememberMediaItem } from "./library-cache";

type UrlSchema = (typeof import("@/lib/media/upload-schemas"))["MediaUrlSchema"];
let loadingSchema: Promise<UrlSchema> | null = null;

/**
 * The URL schema brings zod (~31 kB gzipped) with it, so it is fetched when someone starts typing an
 * address, not with the page: the media page's first load stays small. A failed fetch is retried.
 */
function loadUrlSchema(): Promise<UrlSchema> {
  loadingSchema ??= import("@/lib/media/upload-schemas").then(
    (module) => module.MediaUrlSchema,
    (error: unknown) => {
      loadingSchema = null;
      throw error;
    },
  );
  return loadingSchema;
}

/**
 * files/add with a URL. The gateway downloads the file; this app never fetches the address itself.
 * The same zod schema as the server refuses javascript:, file:, data: and ftp: addresses here first.
 */
export function ImportUrlForm() {
  const client = useQueryClient();
  const inputId = useId();
  const errorId = `${inputId}-error`;
  const [url, setUrl] = useState("");
  const [errors, setErrors] = useState<string[] | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(null);
    let schema: UrlSchema;
    try {
      schema = await loadUrlSchema();
    } catch {
      setErrors(["The page could not load the address check. Check your network and try again."]);
      return;
    }
    const parsed = schema.safeParse(url);
    if (!parsed.success) {
      setErrors(parsed.error.issues.map((issue) => issue.message));
      return;
    }
    setErrors(undefined);
    startTransition(async () => {
      let result: Awaited<ReturnType<typeof importMediaFromUrl>>;
      try {
        result = await importMediaFromUrl({ url: parsed.data });
      } catch {
        setErrors(["The connection to the server was interrupted. Check your network and try again."]);
        return;
      }
      if (!result.ok) {
        setErrors(result.fieldErrors.url ?? [result.message]);
        return;
      }
      rememberMediaItem(client, result.item);
      void refreshMediaLibrary(client);
      setDone(result.message);
      setUrl("");
    });
  }

  return (
    <form onSubmit={(event) => void submit(event)} noValidate className="space-y-2" aria-label="Import a file from a web address">
      <label htmlFor={inputId} className="block text-sm font-semibold text-slate-800">
        Import from a web address
      </label>
      <p className="text-xs text-slate-500">The gateway downloads the file from this http(s) address and adds it to the library.</p>
      <div className="flex gap-2">
        <input
          id={inputId}
          name="url"
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="https://example.com/picture.jpg"
          value={url}
          onChange={(event) => setUrl(event.target.value)}
          onFocus={() => void loadUrlSchema().catch(() => undefined)}
          aria-invalid={errors ? true : undefined}
          aria-describedby={errors ? errorId : undefined}
          className="min-w-0 flex-1 rounded-md border border-slate-300 px-3 py-2 text-sm"
        />
        <Button type="submit" disabled={pending}>
          {pending ? "Importing…" : "Import"}
        </Button>
      </div>
      <FieldError id={errorId} messages={errors} />
      <p aria-live="polite" className="text-sm text-ok" data-testid="import-result">
        {done}
      </p>
    </form>
  );
}
