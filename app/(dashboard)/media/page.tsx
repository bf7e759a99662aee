import type { Metadata } from "next";
import { ImportUrlForm } from "@/components/media/ImportUrlForm";
import { MediaDropzone } from "@/components/media/MediaDropzone";
import { MediaLibrary } from "@/components/media/MediaLibrary";
import { requirePageUser } from "@/lib/auth/current";
import { hasRole } from "@/lib/auth/roles";
import { readLibrary } from "@/lib/media/library";
import type { MediaLibraryPage } from "@/lib/media/library-types";

export const metadata: Metadata = { title: "Media" };

/** A gateway hiccup must not take the page down: the client shows the error and retries. */
function settled(result: PromiseSettledResult<MediaLibraryPage>, what: string): MediaLibraryPage | undefined {
  if (result.status === "fulfilled") return result.value;
  console.error(`[media] listing ${what} on the server failed:`, result.reason);
  return undefined;
}

export default async function MediaPage() {
  const user = await requirePageUser("viewer", "/media");
  const canUpload = hasRole(user.role, "sender");
  const canDelete = hasRole(user.role, "admin");
  // Both lists are read in parallel and handed to react-query as its initial data.
  const [mms, voice] = await Promise.allSettled([readLibrary("mms"), readLibrary("voice")]);

  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-2xl font-bold">Media</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Files at SerwerSMS that MMS campaigns can attach. Upload each file once: its id is reused by every campaign that sends it.
        </p>
      </header>

      {canUpload ? (
        <section aria-labelledby="upload-heading" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
          <h2 id="upload-heading" className="mb-4 text-lg font-semibold">
            Add files
          </h2>
          <div className="grid gap-6 lg:grid-cols-3">
            <div className="lg:col-span-2">
              <MediaDropzone />
            </div>
            <ImportUrlForm />
          </div>
        </section>
      ) : (
        <p className="rounded-md bg-slate-100 p-3 text-sm text-slate-700">
          You can browse the library. Uploading needs the sender role; ask an admin if you need it.
        </p>
      )}

      <MediaLibrary initialItems={settled(mms, "MMS files")} initialVoice={settled(voice, "voice files")} canDelete={canDelete} canUpload={canUpload} />
    </div>
  );
}
