import type { ActionHandler } from "@/lib/sandbox/action-context";

/** Same shape as the documented example (reference §3.5); only MMS is available in the sandbox. */
const limits: ActionHandler = (_params, context) => {
  const { mmsCredit } = context.store.counters();
  return {
    account: { type: "prepaid" },
    items: [
      // Official tests read items[0].type === "eco", so the documented order is kept.
      { type: "eco", chars_limit: "918/6", value: "not_available" },
      { type: "full", chars_limit: "918/6", value: "not_available" },
      { type: "voice", chars_limit: "160/1", value: "not_available" },
      { type: "mms", chars_limit: "40/1", value: String(mmsCredit) },
      { type: "lookup", chars_limit: "nd", value: "not_available" },
      { type: "hlr", chars_limit: "nd", value: "not_available" },
    ],
  };
};

const help: ActionHandler = () => ({
  telephone: "+48 000 000 000",
  email: "sandbox@localhost",
  form: null,
  faq: null,
  quick_start: null,
  api: "This is the embedded SerwerSMS sandbox: nothing is really sent.",
});

/** Notices from SerwerSMS to the account holder (PHP2 AccountTest reads `items`); the sandbox has none. */
const messages: ActionHandler = () => ({ items: [] });

export const accountActions: Record<string, ActionHandler> = {
  "account/limits": limits,
  "account/help": help,
  "account/messages": messages,
};
