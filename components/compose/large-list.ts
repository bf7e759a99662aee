/**
 * Pasted recipient lists too long to edit in a textarea. Browsers lay out every line of a textarea's
 * text: with 100 000 numbers (1.3 MB) Chromium blocks the page for 2–5 s on the paste (or on a draft
 * restored after a reload), and again on each later edit. Above this size the composer keeps the text
 * but shows a summary instead of the textarea, unless the person asks to edit it as text.
 */
export const LARGE_LIST_CHARS = 30_000;

export function isLargeList(text: string): boolean {
  return text.length > LARGE_LIST_CHARS;
}

/** The textarea's value after pasting `pasted` over the selection `start`–`end` (what the browser would do). */
export function textAfterPaste(value: string, start: number, end: number, pasted: string): string {
  const from = Math.max(0, Math.min(start, end, value.length));
  const to = Math.min(value.length, Math.max(start, end));
  // Browsers turn pasted CRLF/CR line breaks into LF in a textarea's value.
  return value.slice(0, from) + pasted.replace(/\r\n?/g, "\n") + value.slice(to);
}

/** Lines of a list as the summary counts them (a trailing line break adds none). */
export function countLines(text: string): number {
  if (text === "") return 0;
  let lines = 1;
  for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) lines++;
  return text.endsWith("\n") ? lines - 1 : lines;
}
