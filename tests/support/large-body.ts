import http from "node:http";

export type LargePostResult = {
  status: number;
  body: string;
  /** Bytes of the body handed to the socket before the answer came (the rest was never sent). */
  written: number;
  ms: number;
};

/**
 * POSTs a body of `totalBytes` (declared in Content-Length unless `chunked`) and keeps writing only
 * until the server answers, then drops the connection. A server that refuses a body without reading
 * it answers with `written` far below `totalBytes`; one that reads it all makes `written` reach it.
 * Raw node:http rather than fetch: fetch would not return an answer before its upload finished.
 */
export function postLargeBody(url: string, opts: { headers?: Record<string, string>; totalBytes: number; chunked?: boolean }): Promise<LargePostResult> {
  const target = new URL(url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, "a");
    let written = 0;
    let answered = false;
    const headers = { ...opts.headers, ...(opts.chunked ? {} : { "content-length": String(opts.totalBytes) }) };
    const outgoing = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: "POST", headers }, (incoming) => {
      answered = true;
      let body = "";
      incoming.setEncoding("utf8");
      incoming.on("data", (text: string) => (body += text));
      incoming.on("end", () => {
        outgoing.destroy();
        resolve({ status: incoming.statusCode ?? 0, body, written, ms: performance.now() - started });
      });
    });
    outgoing.on("error", (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && written < opts.totalBytes) {
        written += chunk.length;
        if (!outgoing.write(chunk)) return void outgoing.once("drain", pump);
      }
      if (!answered) outgoing.end();
    };
    pump();
  });
}
