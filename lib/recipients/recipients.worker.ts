/// <reference lib="webworker" />
import { analyzeRecipientSource } from "./analyze-source";
import { packPlan, type RecipientsWorkerMessage, type RecipientsWorkerRequest, type RecipientsWorkerResponse } from "./worker-protocol";

// Parsing and checking 100 000 numbers takes long enough to freeze typing, so it runs off the main thread.
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<RecipientsWorkerRequest>) => {
  void analyzeRecipientSource(event.data).then((response: RecipientsWorkerResponse) => {
    if (!response.ok) {
      scope.postMessage(response satisfies RecipientsWorkerMessage);
      return;
    }
    const { packed, transfer } = packPlan(response.plan);
    scope.postMessage({ ...response, plan: packed } satisfies RecipientsWorkerMessage, transfer);
  });
};

export {};
