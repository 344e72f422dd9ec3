import { randomBytes } from "node:crypto";
import { openAsBlob } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import {
  unstable_composeUploadHandlers,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type UploadHandler,
  type UploadHandlerPart,
} from "@remix-run/node";
import { requireOwner } from "~/auth/session.server";
import { getEnv } from "~/env.server";
import type { MessageKey } from "~/i18n/da";
import { logger } from "~/ops/logger.server";
import { idFromPath } from "~/utils/form-schema";
import { invariantResponse, parseSubmission } from "~/utils/http.server";
import { probeAudio, probeHasVideo } from "./ffmpeg.server";
import { uploadTarget } from "./film-overview.server";
import { enqueueMediaJob, type NewMediaJob } from "./jobs.server";
import {
  UPLOAD_DESCRIBED,
  UPLOAD_FILM,
  UPLOAD_SUBTITLES,
  UploadStoreError,
  keepUpload,
  removeUpload,
  uploadRoot,
} from "./upload-folder.server";
import { isWebVtt } from "./webvtt.server";
import {
  SUBTITLES_MAX_BYTES,
  describedUploadSchema,
  filmUploadSchema,
  subtitlesUploadSchema,
  type UploadFormId,
  type UploadReply,
} from "./upload-forms";

// Room for the subtitles, the hidden fields and the multipart framing around the film.
const FORM_OVERHEAD_BYTES = SUBTITLES_MAX_BYTES + 64 * 1024;
const FIELD_MAX_BYTES = 1024;
// Enough for every signature below, including MPEG-TS's second sync byte.
export const SNIFF_BYTES = 189;
const MAX_NAME_LENGTH = 200;

/** A refusal of the upload as sent: the status to answer with and the message beside the field. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly field: string,
    readonly key: MessageKey,
  ) {
    super(key);
  }
}

export const unreadable = () => new Refusal(400, "", "upload.unreadable");

function ascii(bytes: Uint8Array, start: number, end: number) {
  return String.fromCharCode(...bytes.subarray(start, end));
}

// QuickTime files from older cameras may open with one of these atoms instead of ftyp.
const QUICKTIME_ATOMS = new Set(["ftyp", "moov", "mdat", "wide", "free", "skip"]);

/**
 * Whether the first bytes of a file are those of a film container (MP4/MOV, Matroska/WebM,
 * MPEG-TS or AVI), whatever the file is called. ffprobe has the last word afterwards.
 */
export function looksLikeVideo(head: Uint8Array): boolean {
  if (head.length >= 8 && QUICKTIME_ATOMS.has(ascii(head, 4, 8))) return true;
  if (head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return true;
  // One 0x47 could be a text file starting with "G"; two, one 188-byte packet apart, are a transport stream.
  if (head.length >= 189 && head[0] === 0x47 && head[188] === 0x47) return true;
  return head.length >= 12 && ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 12) === "AVI ";
}

/**
 * The described soundtrack may be a film (its sound is taken) or an audio file: WAV, MP3 (with
 * or without an ID3 tag), FLAC or Ogg; M4A is an MP4 container and passes as a film.
 */
export function looksLikeSoundtrack(head: Uint8Array): boolean {
  if (looksLikeVideo(head)) return true;
  if (head.length >= 12 && ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 12) === "WAVE") return true;
  if (head.length >= 4 && ["ID3", "fLa", "Ogg"].includes(ascii(head, 0, 3))) return true;
  return head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0;
}

export function displayName(filename: string | undefined, fallback: string) {
  const cleaned = (filename ?? "")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .trim()
    .slice(0, MAX_NAME_LENGTH);
  return cleaned || fallback;
}

/** The film or the described soundtrack, each with its own check of what the first bytes may be. */
const MEDIA_PARTS = {
  film: { looksRight: looksLikeVideo, refusal: "upload.notVideo", fileName: UPLOAD_FILM },
  described: { looksRight: looksLikeSoundtrack, refusal: "upload.describedNotMedia", fileName: UPLOAD_DESCRIBED },
} as const satisfies Record<
  string,
  { looksRight: (head: Uint8Array) => boolean; refusal: MessageKey; fileName: string }
>;

async function writeMedia(part: UploadHandlerPart, field: keyof typeof MEDIA_PARTS, file: string, maxBytes: number) {
  const { looksRight, refusal } = MEDIA_PARTS[field];
  const handle = await fs.open(file, "wx");
  try {
    const head = new Uint8Array(SNIFF_BYTES);
    let headLength = 0;
    let sniffed = false;
    let size = 0;
    for await (const chunk of part.data) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new Refusal(413, field, "upload.tooLarge");
      if (!sniffed) {
        const take = chunk.subarray(0, SNIFF_BYTES - headLength);
        head.set(take, headLength);
        headLength += take.byteLength;
        if (headLength === SNIFF_BYTES) {
          // Refused before the rest is read: a wrong file costs the first chunk, not the whole upload.
          if (!looksRight(head)) throw new Refusal(415, field, refusal);
          sniffed = true;
        }
      }
      await handle.write(chunk);
    }
    if (!sniffed && !looksRight(head.subarray(0, headLength))) throw new Refusal(415, field, refusal);
  } finally {
    await handle.close();
  }
}

async function readSubtitles(part: UploadHandlerPart): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of part.data) {
    size += chunk.byteLength;
    if (size > SUBTITLES_MAX_BYTES) throw new Refusal(413, "subtitles", "upload.subtitlesTooLarge");
    chunks.push(chunk);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new Refusal(415, "subtitles", "upload.subtitlesNotUtf8");
  }
  if (!isWebVtt(text)) throw new Refusal(415, "subtitles", "upload.subtitlesNotVtt");
  return text;
}

async function drain(part: UploadHandlerPart) {
  let size = 0;
  for await (const chunk of part.data) {
    size += chunk.byteLength;
    if (size > FIELD_MAX_BYTES) throw unreadable();
  }
}

/** What a multipart upload has told so far; kept outside the parse, so a refusal halfway knows which form it was. */
export interface ReceivedParts {
  intent?: string;
  names: Map<string, string>;
}

/**
 * Streams the film and the subtitles into a folder of their own and keeps the small fields in
 * memory. Files are checked while they arrive, so a refusal comes before the body is read.
 * Without a film limit, a film part is refused: it is sent in pieces instead.
 */
function fileHandler(incoming: string, maxBytes: number | null, fields: ReceivedParts): UploadHandler {
  const files = unstable_createMemoryUploadHandler({ maxPartSize: FIELD_MAX_BYTES });
  const own: UploadHandler = async (part) => {
    if (part.filename === undefined) {
      if (part.name !== "intent") return undefined;
      const value = await files(part);
      fields.intent = typeof value === "string" ? value : undefined;
      return value;
    }
    // An input left empty still sends a part, with no name and no bytes.
    if (part.filename === "") {
      await drain(part);
      return undefined;
    }
    await fs.mkdir(incoming, { recursive: true });
    const media = part.name === "film" || part.name === "described" ? part.name : null;
    if (media && maxBytes !== null && fields.intent === media && !fields.names.has(media)) {
      const file = path.join(incoming, MEDIA_PARTS[media].fileName);
      await writeMedia(part, media, file, maxBytes);
      fields.names.set(media, displayName(part.filename, media === "film" ? "film" : "synstolkning"));
      return new File([await openAsBlob(file)], fields.names.get(media)!);
    }
    if (part.name === "subtitles" && !fields.names.has("subtitles")) {
      const text = await readSubtitles(part);
      await fs.writeFile(path.join(incoming, UPLOAD_SUBTITLES), text, { encoding: "utf8", flag: "wx" });
      fields.names.set("subtitles", displayName(part.filename, "undertekster.vtt"));
      return new File([text], fields.names.get("subtitles")!, { type: "text/vtt" });
    }
    throw unreadable();
  };
  return unstable_composeUploadHandlers(own, files);
}

export function refusalReply(formId: UploadFormId, refusal: Refusal): { status: number; reply: UploadReply } {
  return {
    status: refusal.status,
    reply: { formId, result: { status: "error", error: { [refusal.field]: [refusal.key] } }, notice: null },
  };
}

const QUEUED_NOTICES: Record<UploadFormId, MessageKey> = {
  film: "upload.filmQueued",
  subtitles: "upload.subtitlesQueued",
  described: "upload.describedQueued",
};

/** The answer once a job is queued: the form is emptied, and the page says what happens next. */
export function queuedReply(formId: UploadFormId): UploadReply {
  return {
    formId,
    result: { initialValue: null },
    notice: { key: QUEUED_NOTICES[formId] },
  };
}

/**
 * Reads a multipart upload, writing its files into `incoming` and keeping the small fields.
 * Anything but a readable multipart body is a Refusal.
 */
export async function readUploadForm(
  request: Request,
  incoming: string,
  filmMaxBytes: number | null,
  fields: ReceivedParts,
): Promise<FormData> {
  const contentType = request.headers.get("Content-Type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) throw new Refusal(415, "", "upload.notMultipart");
  try {
    return await unstable_parseMultipartFormData(request, fileHandler(incoming, filmMaxBytes, fields));
  } catch (error) {
    if (error instanceof Refusal) throw error;
    // A malformed body, a field too long or a connection dropped halfway.
    throw unreadable();
  }
}

/** ffprobe's word on a film the first bytes let through. */
export async function ensureFilm(file: string) {
  if (!(await probeHasVideo(file))) throw new Refusal(415, "film", "upload.notVideo");
}

/** ffprobe's word on a described soundtrack; its length against the film's is the job's to check. */
async function ensureSoundtrack(file: string) {
  if (!(await probeAudio(file))) throw new Refusal(415, "described", "upload.describedNoAudio");
}

/**
 * Keeps a whole and checked upload as a waiting upload of its own (keepUpload) and queues its job.
 * The folder is named only now, so a job never sees a file still arriving. A bucket that will not
 * take the upload is the store's fault, not the file's: 503, and `incoming` is left to be tried again.
 */
export async function queueUpload(incoming: string, job: Omit<NewMediaJob, "sourceFile">) {
  const folder = randomBytes(16).toString("hex");
  const file = { film: UPLOAD_FILM, subtitles: UPLOAD_SUBTITLES, described: UPLOAD_DESCRIBED }[job.kind];
  const sourceFile = `${folder}/${file}`;
  try {
    await keepUpload(incoming, folder);
  } catch (error) {
    if (!(error instanceof UploadStoreError)) throw error;
    logger().error({ err: error }, "upload not stored in the bucket");
    throw new Refusal(503, "", "upload.storeFailed");
  }
  try {
    await enqueueMediaJob({ ...job, sourceFile });
  } catch (error) {
    // The queue's failure is the one to tell; an upload the bucket keeps anyway is pruned within the hour.
    await removeUpload(sourceFile).catch(() => undefined);
    throw error;
  }
}

export interface UploadTarget {
  moduleId: number;
  /** The film subtitles are laid on; null until the module has one. */
  mediaVersion: string | null;
}

/** The owner sending a file to the module in the URL; anyone else, or a module that does not exist, is answered 404. */
export async function requireUploadTarget(request: Request, params: ActionFunctionArgs["params"]) {
  const owner = await requireOwner(request);
  const moduleId = idFromPath(params.moduleId);
  const target = moduleId === null ? null : uploadTarget(moduleId);
  invariantResponse(target, "notFound.module", { status: 404 });
  return { owner, target };
}

/**
 * Takes a film (with optional subtitles) or new subtitles for a module from a multipart POST
 * and queues the job that publishes them. Anything refused leaves nothing on disk and no job;
 * the module's current film is only ever replaced by the job, once the new ladder is whole.
 */
export async function receiveUpload(
  request: Request,
  target: UploadTarget,
  userId: number,
): Promise<{ status: number; reply: UploadReply }> {
  const maxBytes = getEnv().MAX_UPLOAD_BYTES;
  const fields: ReceivedParts = { names: new Map() };
  const formIdNow = (): UploadFormId =>
    fields.intent === "subtitles" || fields.intent === "described" ? fields.intent : "film";

  const declared = Number(request.headers.get("Content-Length"));
  // Refused before a byte is read; a missing or lying length is caught while counting instead.
  if (Number.isFinite(declared) && declared > maxBytes + FORM_OVERHEAD_BYTES)
    return refusalReply("film", new Refusal(413, "film", "upload.tooLarge"));

  const incoming = path.join(uploadRoot(), `.incoming-${randomBytes(16).toString("hex")}`);
  try {
    const form = await readUploadForm(request, incoming, maxBytes, fields);
    const submission =
      fields.intent === "subtitles"
        ? parseSubmission(form, subtitlesUploadSchema)
        : fields.intent === "described"
          ? parseSubmission(form, describedUploadSchema)
          : parseSubmission(form, filmUploadSchema);
    if (submission.status !== "success")
      return { status: 400, reply: { formId: formIdNow(), result: submission.reply(), notice: null } };

    const kind = submission.value.intent;
    if (kind === "film") await ensureFilm(path.join(incoming, UPLOAD_FILM));
    else if (!target.mediaVersion)
      throw new Refusal(409, kind, kind === "subtitles" ? "upload.noFilmYet" : "upload.describedNeedsFilm");
    if (kind === "described") await ensureSoundtrack(path.join(incoming, UPLOAD_DESCRIBED));

    await queueUpload(incoming, {
      moduleId: target.moduleId,
      kind,
      originalName: fields.names.get(kind)!,
      requestedBy: userId,
    });
    return { status: 200, reply: queuedReply(formIdNow()) };
  } catch (error) {
    if (error instanceof Refusal) return refusalReply(formIdNow(), error);
    throw error;
  } finally {
    // Gone already once queued; otherwise whatever arrived before the refusal.
    await fs.rm(incoming, { recursive: true, force: true });
  }
}
