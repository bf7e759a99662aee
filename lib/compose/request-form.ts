/**
 * The composer's start-campaign request as the one FormData argument of its server action.
 *
 * Why not a plain object: React's server-action decoder counts every string of the arguments against
 * a budget of 10^6 "slots" (decodeReply's arraySizeLimit in react-server-dom-webpack), so 100 000
 * numbers as an array of strings failed at about 76 900 with "Maximum array nesting exceeded" (a 500,
 * issue 11 item 2). A Blob part travels as raw multipart bytes and is not counted. So the numbers go as
 * ONE text part, one E.164 number per line, and everything else as one small JSON part. The server
 * turns the form back into the plain request (requestFromForm) and validates that with
 * StartCampaignSchema, the very schema of the JSON API (app/api/campaigns), whose recipient check the
 * browser also runs: one set of rules and messages on every path.
 */
import { z } from "zod";
import { FORM_ERROR_KEY, recipientListBytesProblem } from "./field-schemas";

export const REQUEST_PART = "request";
export const RECIPIENTS_PART = "recipients";
/** The JSON part holds a title (40 code points), a text (2000), 10 file ids and a few small fields: far below this even with every character escaped. */
export const REQUEST_PART_MAX_BYTES = 64 * 1024;

const LINE = "\n";

export const FORM_UNREADABLE = "The form could not be read. Reload the page and try again.";

/** The form the browser sends: `recipients` as one text part, the other fields as JSON. */
export function encodeStartCampaignForm(request: { recipients: readonly string[] } & Record<string, unknown>): FormData {
  const { recipients, ...fields } = request;
  const form = new FormData();
  form.set(REQUEST_PART, JSON.stringify(fields));
  form.set(RECIPIENTS_PART, new Blob([recipients.join(LINE)], { type: "text/plain;charset=utf-8" }), "recipients.txt");
  return form;
}

const encoder = new TextEncoder();
const byteLength = (value: FormDataEntryValue): number => (typeof value === "string" ? encoder.encode(value).length : value.size);

/**
 * The plain request back from the form, for StartCampaignSchema to judge (a zod transform: problems
 * of the form itself become issues, so the answer is the usual {ok:false, fieldErrors}). Each part is
 * size-checked before it is read.
 */
export async function requestFromForm(form: FormData, ctx: z.RefinementCtx): Promise<Record<string, unknown>> {
  const fieldsPart = form.get(REQUEST_PART);
  let fields: unknown = null;
  if (typeof fieldsPart === "string" && byteLength(fieldsPart) <= REQUEST_PART_MAX_BYTES) {
    try {
      fields = JSON.parse(fieldsPart);
    } catch {
      fields = null;
    }
  }
  if (!fields || typeof fields !== "object" || Array.isArray(fields)) {
    ctx.addIssue({ code: "custom", message: FORM_UNREADABLE, path: [FORM_ERROR_KEY] });
    return z.NEVER;
  }
  const listPart = form.get(RECIPIENTS_PART);
  const tooLarge = listPart === null ? null : recipientListBytesProblem(byteLength(listPart));
  if (tooLarge) {
    ctx.addIssue({ code: "custom", message: tooLarge, path: [RECIPIENTS_PART] });
    return z.NEVER;
  }
  const text = listPart === null ? "" : typeof listPart === "string" ? listPart : await listPart.text();
  return { ...fields, recipients: text === "" ? [] : text.split(LINE) };
}
