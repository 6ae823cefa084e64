import type { IncomingMessage } from "http";

/**
 * The largest request body the emulator reads. Every documented body is a few hundred bytes; Graph
 * answers 413 above about 4 MB, so the emulator does too, on every API.
 */
export const maxBodyBytes = 4 * 1024 * 1024;

/**
 * Reads a request body of at most `limit` bytes. Returns undefined, having stopped reading, as soon
 * as the body is known to be larger: from Content-Length before any byte, or while counting a
 * chunked body. The rest stays unread in the socket, which the caller then closes.
 */
export function readBody(req: IncomingMessage, limit = maxBodyBytes): Promise<Buffer | undefined> {
  if (Number(req.headers["content-length"]) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off("data", onData).off("end", onEnd).off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      done();
      // Not destroy(): the socket must stay open long enough to carry the 413.
      req.pause();
      resolve(undefined);
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks));
    };
    const onError = (e: Error) => {
      done();
      reject(e);
    };
    req.on("data", onData).on("end", onEnd).on("error", onError);
  });
}
