/// <reference lib="webworker" />
import { analyzeRecipientSource } from "./analyze-source";
import type { RecipientsWorkerRequest, RecipientsWorkerResponse } from "./worker-protocol";

// Parsing and checking 100 000 numbers takes long enough to freeze typing, so it runs off the main thread.
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<RecipientsWorkerRequest>) => {
  void analyzeRecipientSource(event.data).then((response: RecipientsWorkerResponse) => {
    scope.postMessage(response);
  });
};

export {};
