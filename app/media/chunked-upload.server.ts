import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { getEnv } from "~/env.server";
import { UPLOAD_FILM, pruneUploadFolder, uploadRoot } from "./upload-folder.server";
import { CHUNK_BYTES, type ChunkAccepted, type ChunkedUploadStarted, type UploadReply } from "./upload-forms";
import {
  Refusal,
  SNIFF_BYTES,
  displayName,
  ensureFilm,
  looksLikeVideo,
  queueUpload,
  queuedReply,
  readUploadForm,
  refusalReply,
  unreadable,
  type UploadTarget,
} from "./upload.server";

const SESSION_FILE = "upload.json";
const UPLOAD_ID = /^[A-Za-z0-9_-]{32}$/;
const OFFSET = /^\d{1,15}$/;
/** Open uploads one owner may have; starting one more discards the one left idle longest. */
export const OPEN_UPLOADS_PER_OWNER = 3;
const SESSION_PREFIX = ".chunks-";

// An entry of the upload folder like any other, so pruneUploadFolder clears it once pieces stop coming;
// with MEDIA_STORAGE=s3 too, the pieces stay on the machine receiving them until the film is whole.
const sessionFolder = (uploadId: string) => path.join(uploadRoot(), `${SESSION_PREFIX}${uploadId}`);
// Left once the film is queued, so a finish sent again because its answer was lost gets the same
// answer; pruneUploadFolder clears it an hour later like any other entry.
const queuedMarker = (uploadId: string) => path.join(uploadRoot(), `.queued-${uploadId}.json`);

const ownerSchema = z.object({
  moduleId: z.number().int(),
  ownerId: z.number().int(),
});

const sessionSchema = ownerSchema.extend({
  size: z.number().int().positive(),
  name: z.string(),
});

const startSchema = z.object({
  filmName: z.string(),
  filmSize: z
    .string()
    .regex(/^\d{1,16}$/)
    .transform(Number),
});

const gone = () => new Refusal(404, "", "upload.expired");
const isMissing = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code === "ENOENT";
const discarded: UploadReply = { formId: "film", result: {}, notice: { key: "upload.cancelled" } };
// Only a broken or altered page sends pieces that do not fit; the person can but try again.
const misfit = (status: number) => new Refusal(status, "", "upload.failed");

// Uploads are received by one server process, so this is enough to keep a piece sent twice at
// the same moment, say a retry while the first attempt still trickles in, from being appended twice.
const busy = new Map<string, Promise<unknown>>();

async function oneAtATime<T>(uploadId: string, work: () => Promise<T>): Promise<T> {
  const turn = (busy.get(uploadId) ?? Promise.resolve()).catch(() => undefined).then(work);
  busy.set(uploadId, turn);
  try {
    return await turn;
  } finally {
    if (busy.get(uploadId) === turn) busy.delete(uploadId);
  }
}

/** One of our small JSON files, or null when it is not there; one cut short by a crash counts as not there. */
async function readJson<T>(file: string, schema: z.ZodType<T>): Promise<T | null> {
  try {
    return schema.parse(JSON.parse(await fs.readFile(file, "utf8")));
  } catch (error) {
    if (isMissing(error) || error instanceof SyntaxError || error instanceof z.ZodError) return null;
    throw error;
  }
}

// Another owner's or another module's upload is as unknown as one that never was.
const belongs = (found: z.infer<typeof ownerSchema> | null, moduleId: number, ownerId: number) =>
  found !== null && found.moduleId === moduleId && found.ownerId === ownerId;

async function openSession(uploadId: string, moduleId: number, ownerId: number) {
  const folder = sessionFolder(uploadId);
  const film = path.join(folder, UPLOAD_FILM);
  const session = await readJson(path.join(folder, SESSION_FILE), sessionSchema);
  // Never started, finished, refused or cleared away.
  if (!session || !belongs(session, moduleId, ownerId)) throw gone();
  try {
    // Freshened before the work, as pruneUploadFolder goes by the folder's time: an upload idle for
    // nearly an hour is not cleared away under a piece or a finish that has just begun.
    const now = new Date();
    await fs.utimes(folder, now, now);
    return { ...session, uploadId, folder, film, held: (await fs.stat(film)).size };
  } catch (error) {
    if (isMissing(error)) throw gone();
    throw error;
  }
}

type Session = Awaited<ReturnType<typeof openSession>>;

/** The file that makes a folder an open upload; only what the schema names is written. */
async function writeSession(folder: string, session: z.infer<typeof sessionSchema>) {
  await fs.writeFile(path.join(folder, SESSION_FILE), JSON.stringify(sessionSchema.parse(session)), { flag: "wx" });
}

/**
 * Keeps the owner's open uploads to OPEN_UPLOADS_PER_OWNER by discarding those left idle longest:
 * uploads left behind by a closed tab or a lost Cancel must not fill the disk, nor lock the owner
 * out for the hour until they are pruned.
 */
async function discardIdlest(ownerId: number, newest: string) {
  const open: { folder: string; touched: number }[] = [];
  for (const name of await fs.readdir(uploadRoot())) {
    const folder = path.join(uploadRoot(), name);
    if (!name.startsWith(SESSION_PREFIX) || folder === newest) continue;
    // Being started or finished, it has no session file and is not counted.
    const session = await readJson(path.join(folder, SESSION_FILE), sessionSchema);
    const stat = session?.ownerId === ownerId ? await fs.stat(folder).catch(() => null) : null;
    if (stat) open.push({ folder, touched: stat.mtimeMs });
  }
  open.sort((a, b) => b.touched - a.touched);
  for (const { folder } of open.slice(OPEN_UPLOADS_PER_OWNER - 1))
    await fs.rm(folder, { recursive: true, force: true });
}

/**
 * Begins a film upload: the subtitles, if any, are checked and kept at once, so they are refused
 * before the film is sent; the film's size is checked against the limit before its first byte.
 */
async function start(request: Request, moduleId: number, ownerId: number): Promise<ChunkedUploadStarted> {
  // Only this machine's folder: the bucket's debris is the worker's to clear, and a start never waits on the bucket.
  await pruneUploadFolder();
  const uploadId = randomBytes(24).toString("base64url");
  const folder = sessionFolder(uploadId);
  let started = false;
  try {
    const form = await readUploadForm(request, folder, null, { names: new Map() });
    const fields = startSchema.safeParse({ filmName: form.get("filmName"), filmSize: form.get("filmSize") });
    if (!fields.success) throw unreadable();
    const { filmName, filmSize } = fields.data;
    if (filmSize === 0) throw new Refusal(415, "film", "upload.notVideo");
    if (filmSize > getEnv().MAX_UPLOAD_BYTES) throw new Refusal(413, "film", "upload.tooLarge");
    await fs.mkdir(folder, { recursive: true });
    await fs.writeFile(path.join(folder, UPLOAD_FILM), "", { flag: "wx" });
    // Written last: until it is there, the upload does not exist.
    await writeSession(folder, { moduleId, ownerId, size: filmSize, name: displayName(filmName, "film") });
    started = true;
    await discardIdlest(ownerId, folder);
    return { uploadId, chunkBytes: CHUNK_BYTES };
  } finally {
    if (!started) await fs.rm(folder, { recursive: true, force: true });
  }
}

/**
 * Writes the bytes of a piece the file does not hold yet: a piece sent again adds nothing, and
 * one that overlaps the end adds only its tail. A piece refused or cut off leaves the file as it was.
 */
async function appendChunk(
  file: string,
  body: ReadableStream<Uint8Array> | null,
  from: number,
  held: number,
  size: number,
): Promise<number> {
  const handle = await fs.open(file, "r+");
  let end = from;
  try {
    const reader = body?.getReader();
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array> | undefined;
      try {
        next = await reader?.read();
      } catch {
        // The connection dropped halfway; the page sends the piece again.
        throw unreadable();
      }
      if (!next || next.done) break;
      const start = end;
      end += next.value.byteLength;
      if (end - from > CHUNK_BYTES || end > size) throw misfit(413);
      if (end > held) {
        const fresh = next.value.subarray(Math.max(0, held - start));
        await handle.write(fresh, 0, fresh.byteLength, Math.max(start, held));
      }
    }
    return Math.max(held, end);
  } catch (error) {
    await handle.truncate(held);
    throw error;
  } finally {
    await handle.close();
  }
}

async function readHead(file: string, length: number) {
  const handle = await fs.open(file, "r");
  try {
    const head = new Uint8Array(length);
    await handle.read(head, 0, length, 0);
    return head;
  } finally {
    await handle.close();
  }
}

async function receiveChunk(request: Request, session: Session, fromParam: string | null): Promise<ChunkAccepted> {
  if (!fromParam || !OFFSET.test(fromParam)) throw unreadable();
  const from = Number(fromParam);
  // A gap would leave bytes in the film that nobody sent.
  if (from > session.held) throw misfit(409);
  const length = Number(request.headers.get("Content-Length") ?? Number.NaN);
  // Refused before a byte is read when the length says so; counted while reading in any case.
  if (length > CHUNK_BYTES || from + length > session.size) throw misfit(413);
  const received = await appendChunk(session.film, request.body, from, session.held, session.size);

  // The first bytes decide, as for a film sent in one piece: a wrong file costs a piece, not the whole upload.
  const sniffed = Math.min(SNIFF_BYTES, session.size);
  if (session.held < sniffed && received >= sniffed && !looksLikeVideo(await readHead(session.film, sniffed))) {
    await fs.rm(session.folder, { recursive: true, force: true });
    throw new Refusal(415, "film", "upload.notVideo");
  }
  return { received };
}

async function finish(session: Session): Promise<UploadReply> {
  if (session.held !== session.size) throw misfit(409);
  try {
    await ensureFilm(session.film);
  } catch (error) {
    if (error instanceof Refusal) await fs.rm(session.folder, { recursive: true, force: true });
    throw error;
  }
  await fs.rm(path.join(session.folder, SESSION_FILE));
  try {
    await queueUpload(session.folder, {
      moduleId: session.moduleId,
      kind: "film",
      originalName: session.name,
      requestedBy: session.ownerId,
    });
  } catch (error) {
    // The bucket would not take the film (the only refusal here): the upload stays open, so the
    // finish the page sends again by itself after a 503 needs no film sent anew.
    if (error instanceof Refusal) await writeSession(session.folder, session);
    throw error;
  }
  const marker: z.infer<typeof ownerSchema> = { moduleId: session.moduleId, ownerId: session.ownerId };
  await fs.writeFile(queuedMarker(session.uploadId), JSON.stringify(marker));
  return queuedReply("film");
}

/** Cancel: the upload goes at once instead of an hour later. Nothing to discard is no error, whatever the reason. */
async function discard(uploadId: string, moduleId: number, ownerId: number) {
  const folder = sessionFolder(uploadId);
  if (belongs(await readJson(path.join(folder, SESSION_FILE), sessionSchema), moduleId, ownerId))
    await fs.rm(folder, { recursive: true, force: true });
}

/**
 * One step of a film sent in pieces (see ChunkedUploadStarted for the steps; `?trin=annuller&upload=…`
 * discards an upload, and answers 200 whether or not there was one). The upload lives on disk only,
 * so it survives a restart; finishing probes the film and queues it exactly as a film sent in one
 * request, and a finish sent again answers as the first did. Refusals answer as the film form's
 * reply, so the page shows them alike.
 */
export async function receiveChunkedUpload(
  request: Request,
  target: UploadTarget,
  ownerId: number,
): Promise<{ status: number; body: UploadReply | ChunkedUploadStarted | ChunkAccepted }> {
  const query = new URL(request.url).searchParams;
  const step = query.get("trin");
  const uploadId = query.get("upload") ?? "";
  try {
    if (step === "start") return { status: 200, body: await start(request, target.moduleId, ownerId) };
    if (step === "annuller") {
      // After a piece still coming in, so that piece cannot write into an upload already discarded.
      if (UPLOAD_ID.test(uploadId)) await oneAtATime(uploadId, () => discard(uploadId, target.moduleId, ownerId));
      return { status: 200, body: discarded };
    }
    if (step !== "del" && step !== "afslut") throw unreadable();
    if (!UPLOAD_ID.test(uploadId)) throw gone();
    const body = await oneAtATime(uploadId, async () => {
      try {
        if (step === "afslut" && belongs(await readJson(queuedMarker(uploadId), ownerSchema), target.moduleId, ownerId))
          return queuedReply("film");
        const session = await openSession(uploadId, target.moduleId, ownerId);
        return step === "del" ? await receiveChunk(request, session, query.get("fra")) : await finish(session);
      } catch (error) {
        // Discarded or pruned while this request was under way: as gone as if it had been before.
        if (isMissing(error)) throw gone();
        throw error;
      }
    });
    return { status: 200, body };
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    const { status, reply } = refusalReply("film", error);
    return { status, body: reply };
  }
}
