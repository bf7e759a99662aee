import "server-only";
import { listLibrary } from "./library";

/**
 * File id → name for labelling campaigns. The library may be unreachable or a file deleted since;
 * then the id itself is shown rather than failing the page.
 */
export async function mediaNamesById(): Promise<Map<string, string>> {
  try {
    return new Map((await listLibrary()).map((item) => [item.id, item.name]));
  } catch {
    return new Map();
  }
}
