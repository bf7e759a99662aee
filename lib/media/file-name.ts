/**
 * Extension handling shared by detection, validation and display names.
 * A suffix only counts as an extension when it is short and alphanumeric, so "Promocja 10.5%"
 * or "Jan Kowalski.Oferta na lato" are treated as names without an extension.
 */

const EXTENSION_PATTERN = /^[A-Za-z0-9]{1,10}$/;

/** Drops everything up to the last "/" or "\" (browsers on Windows may send full paths). */
export function baseName(name: string): string {
  const cut = Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\"));
  return cut === -1 ? name : name.slice(cut + 1);
}

/** Splits "offer.JPG" into { stem: "offer", extension: "JPG" }; a leading dot (".env") is not an extension. */
export function splitExtension(name: string): { stem: string; extension: string | undefined } {
  const base = baseName(name);
  const dot = base.lastIndexOf(".");
  if (dot <= 0) return { stem: base, extension: undefined };
  const candidate = base.slice(dot + 1);
  if (!EXTENSION_PATTERN.test(candidate)) return { stem: base, extension: undefined };
  return { stem: base.slice(0, dot), extension: candidate };
}

/** Lower-case extension of a file name, or undefined when the name has none. */
export function extensionOf(name: string): string | undefined {
  return splitExtension(name).extension?.toLowerCase();
}
