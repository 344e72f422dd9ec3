import type { ChunkAccepted, ChunkedUploadStarted } from "./upload-forms";

// How the studio's upload forms talk to the server: one request for subtitles, a film in
// pieces (start, the pieces, finish), each request retried when the line or the server stumbles.

/** `checking` once every piece is in: the server probes the film, and the upload can no longer be cancelled. */
export type Sending = { loaded: number; total: number; retrying: boolean; checking?: boolean };
export type Answer = { status: number; body: unknown };

/** Thrown once the person has pressed Cancel. */
export class Cancelled extends Error {}

/**
 * One request with XMLHttpRequest, whose upload events are the only way a browser reports how
 * far a request body has got. Resolves with any answer; rejects when the connection breaks or on Cancel.
 */
function exchange(
  signal: AbortSignal,
  url: string,
  body: FormData | Blob | null,
  onProgress?: (loaded: number, total: number) => void,
) {
  return new Promise<Answer>((resolve, reject) => {
    if (signal.aborted) return reject(new Cancelled());
    const xhr = new XMLHttpRequest();
    const abort = () => xhr.abort();
    signal.addEventListener("abort", abort, { once: true });
    const done = () => signal.removeEventListener("abort", abort);
    xhr.open(body instanceof Blob ? "PUT" : "POST", url);
    if (body instanceof Blob) xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.responseType = "json";
    if (onProgress)
      xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : 0);
    xhr.onload = () => {
      done();
      resolve({ status: xhr.status, body: xhr.response });
    };
    xhr.onerror = () => {
      done();
      reject(new Error("network"));
    };
    xhr.onabort = () => {
      done();
      reject(new Cancelled());
    };
    xhr.send(body);
  });
}

function pause(signal: AbortSignal, ms: number) {
  return new Promise<void>((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      reject(new Cancelled());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", stop);
      resolve();
    }, ms);
    signal.addEventListener("abort", stop, { once: true });
  });
}

const RETRIES = 3;
const RETRY_PAUSE_MS = 2_000;
// The server's own time limit, a proxy in trouble, or the server restarting: worth another try.
const worthRetrying = (status: number) => status === 408 || status === 429 || status >= 500;

/** A request is sent again after a short, growing pause when the connection breaks or the server stumbles. */
async function withRetries(signal: AbortSignal, onRetry: () => void, send: () => Promise<Answer>): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = await send();
      if (!worthRetrying(answer.status) || attempt > RETRIES) return answer;
    } catch (error) {
      if (error instanceof Cancelled || attempt > RETRIES) throw error;
    }
    onRetry();
    await pause(signal, RETRY_PAUSE_MS * attempt);
  }
}

const notOurs: Answer = { status: 0, body: null };

/**
 * Sends a film in pieces, each its own request, so that no request meets the server's time
 * limit however slow the line; returns the answer that ends the upload, or the first refusal.
 * `discardAt` is told where Cancel discards the upload, and null once it can no longer be cancelled.
 */
export async function sendInChunks(
  signal: AbortSignal,
  url: string,
  film: File,
  start: FormData,
  report: (sending: Sending) => void,
  discardAt: (url: string | null) => void,
): Promise<Answer> {
  const started = await withRetries(
    signal,
    () => report({ loaded: 0, total: film.size, retrying: true }),
    () => exchange(signal, `${url}?trin=start`, start),
  );
  if (started.status !== 200) return started;
  const { uploadId, chunkBytes } = (started.body ?? {}) as Partial<ChunkedUploadStarted>;
  if (typeof uploadId !== "string" || !(typeof chunkBytes === "number" && chunkBytes > 0)) return notOurs;
  const id = encodeURIComponent(uploadId);
  discardAt(`${url}?trin=annuller&upload=${id}`);
  let received = 0;
  while (received < film.size) {
    const from = received;
    const piece = film.slice(from, from + chunkBytes);
    const answer = await withRetries(
      signal,
      () => report({ loaded: from, total: film.size, retrying: true }),
      () =>
        exchange(signal, `${url}?trin=del&upload=${id}&fra=${from}`, piece, (loaded) =>
          report({ loaded: from + loaded, total: film.size, retrying: false }),
        ),
    );
    if (answer.status !== 200) return answer;
    const next = ((answer.body ?? {}) as Partial<ChunkAccepted>).received;
    // The server says where the next piece starts; an answer that does not move on would never end.
    if (typeof next !== "number" || next <= from) return notOurs;
    received = next;
  }
  // Cancel now would leave the film queued while the page said otherwise.
  discardAt(null);
  const checking = (retrying: boolean) => report({ loaded: film.size, total: film.size, retrying, checking: true });
  checking(false);
  return withRetries(
    signal,
    () => checking(true),
    () => exchange(signal, `${url}?trin=afslut&upload=${id}`, null),
  );
}

/** What starts a film sent in pieces: everything in the form but the film itself, which follows piece by piece. */
export function chunkedStart(formData: FormData, film: File) {
  const start = new FormData();
  start.set("filmName", film.name);
  start.set("filmSize", String(film.size));
  const subtitles = formData.get("subtitles");
  if (subtitles instanceof File && subtitles.name) start.set("subtitles", subtitles);
  return start;
}

/** Sends the whole form in one request, reporting how far its body has got. */
export function sendWhole(signal: AbortSignal, url: string, formData: FormData, report: (sending: Sending) => void) {
  return exchange(signal, url, formData, (loaded, total) => report({ loaded, total, retrying: false }));
}

/** Best effort, so the server clears a cancelled upload now; one that is lost is pruned within the hour. */
export function discardUpload(url: string) {
  void fetch(url, { method: "POST" }).catch(() => undefined);
}
