import { analyzeRecipients, type RecipientPlanOptions } from "./plan";
import { parseCsvWithLines, parseXlsx, UnreadableFileError } from "./spreadsheet";
import type { RecipientsWorkerRequest, RecipientsWorkerResponse } from "./worker-protocol";

const UNEXPECTED_FAILURE_MESSAGE =
  "Something went wrong while reading the recipients. Try again; if it keeps happening, save the file as CSV and upload that.";

/**
 * The whole job of the recipients worker, kept free of worker globals so it can be tested and, if
 * ever needed, run on the main thread. Never throws: every failure becomes a message for the user.
 */
export async function analyzeRecipientSource(
  request: RecipientsWorkerRequest,
  opts: RecipientPlanOptions = {},
): Promise<RecipientsWorkerResponse> {
  const { id } = request;
  try {
    const analysis = await analyze(request, opts);
    if (analysis.error !== undefined) return { id, ok: false, message: analysis.error };
    return { id, ok: true, plan: analysis.plan, column: analysis.column ?? null };
  } catch (error) {
    return { id, ok: false, message: error instanceof UnreadableFileError ? error.message : UNEXPECTED_FAILURE_MESSAGE };
  }
}

async function analyze(request: RecipientsWorkerRequest, opts: RecipientPlanOptions) {
  switch (request.kind) {
    case "text":
      return analyzeRecipients({ text: request.text }, opts);
    case "csv": {
      const { rows, lines } = parseCsvWithLines(request.text);
      return analyzeRecipients({ rows, rowLines: lines }, opts);
    }
    case "xlsx":
      return analyzeRecipients({ rows: await parseXlsx(request.data) }, opts);
  }
}
