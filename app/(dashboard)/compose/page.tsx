import type { Metadata } from "next";
import { ComposeForm } from "@/components/compose/ComposeForm";
import { requirePageUser } from "@/lib/auth/current";
import { listLibrary } from "@/lib/media/library";
import type { MediaItem } from "@/lib/media/library-types";

export const metadata: Metadata = { title: "Compose" };

/** The library rendered with the page saves a round trip; if the gateway is slow to answer, the picker loads it itself. */
async function prefetchLibrary(): Promise<MediaItem[] | undefined> {
  try {
    return await listLibrary(AbortSignal.timeout(3000));
  } catch (error) {
    console.error("[compose] library prefetch failed; the browser will load it:", error instanceof Error ? error.message : error);
    return undefined;
  }
}

export default async function ComposePage() {
  await requirePageUser("sender", "/compose");
  const library = await prefetchLibrary();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Compose</h1>
        <p className="mt-1 text-sm text-slate-600">
          Write an MMS, check it with a test preview (nothing is sent), then send it now or schedule it in Warsaw time.
        </p>
      </div>
      <ComposeForm initialLibrary={library} />
    </div>
  );
}
