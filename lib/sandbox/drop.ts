/**
 * How `Sandbox.handle` asks for the connection to be dropped without an answer (fault kinds "reset",
 * "resetAfterAccept", and a hang that ended). Symbol.for so that copies of this module in different
 * Next bundles agree on the key.
 */
export const DROP_CONNECTION: unique symbol = Symbol.for("serwersms-sandbox.drop-connection") as never;

type DroppableResponse = Response & { [DROP_CONNECTION]?: true };

/**
 * Inside Next the route can only return a Response: a body stream that errors makes Next abort the
 * socket. `startSandboxServer` checks the symbol instead and destroys the socket before writing anything.
 */
export function droppedConnectionResponse(): Response {
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.error(new Error("SerwerSMS sandbox fault: connection dropped"));
    },
  });
  const response = new Response(body, { status: 200, headers: { "content-type": "application/json; charset=utf-8" } });
  Object.defineProperty(response, DROP_CONNECTION, { value: true, enumerable: false });
  return response;
}

export function isDroppedConnection(response: Response): boolean {
  return (response as DroppableResponse)[DROP_CONNECTION] === true;
}
