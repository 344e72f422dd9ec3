import { z } from "zod";
import { message } from "~/utils/form-schema";
import type { FormReply } from "~/utils/form-reply";

/** WebVTT for a feature-length film is a few hundred kilobytes; more than this is not subtitles. */
export const SUBTITLES_MAX_BYTES = 1024 * 1024;

/** The largest piece of a film taken; at 8 MiB a piece stays under the five-minute limit down to about 0.25 Mbit/s. */
export const CHUNK_BYTES = 8 * 1024 * 1024;

// Conform turns an input left empty into undefined, so instanceof is also the "choose a file" check.
export const filmUploadSchema = z.object({
  intent: z.literal("film", message("validation.invalidChoice")),
  film: z.instanceof(File, message("upload.filmRequired")),
  subtitles: z.instanceof(File).optional(),
});

export const subtitlesUploadSchema = z.object({
  intent: z.literal("subtitles", message("validation.invalidChoice")),
  subtitles: z.instanceof(File, message("upload.subtitlesRequired")),
});

export const describedUploadSchema = z.object({
  intent: z.literal("described", message("validation.invalidChoice")),
  described: z.instanceof(File, message("upload.describedRequired")),
});

export type UploadFormId = "film" | "subtitles" | "described";

/** The answer to an upload, the same from the page's action and from the route the browser sends it to with progress. */
export type UploadReply = FormReply & { formId: UploadFormId };

/**
 * With JavaScript, a film goes to …/film/dele in pieces, each its own request, so no request
 * comes near the server's five-minute limit: `?trin=start` with the film's name and size (and
 * any subtitles), then `?trin=del&upload=…&fra=<byte>` per piece, then `?trin=afslut&upload=…`;
 * `?trin=annuller&upload=…` throws an unfinished upload away.
 */
export interface ChunkedUploadStarted {
  uploadId: string;
  /** The largest piece the server takes. */
  chunkBytes: number;
}

/** The answer to a piece: how many bytes of the film the server now holds, where the next piece starts. */
export interface ChunkAccepted {
  received: number;
}
