import fs from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { type Env, getEnv } from "~/env.server";

export type StoredObject = { key: string; size: number; lastModified: Date | null };

/** A client's conditions for reading an object, passed on to the store as the client sent them. */
export type ReadConditions = {
  /** HEAD: the answer's headers without a body. */
  method: "GET" | "HEAD";
  range?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: Date;
};

/** What the store answered a conditional read with; `body` streams from the store, never held whole. */
export type ObjectRead =
  | {
      status: 200 | 206;
      /** Absent for HEAD. */
      body: Readable | null;
      contentLength: number;
      contentRange: string | null;
      etag: string | null;
      lastModified: Date | null;
    }
  | { status: 304 }
  | { status: 404 }
  /** The range lies beyond the object's `size` bytes. */
  | { status: 416; size: number };

/** The few operations on an S3-compatible bucket the platform uses, each on whole files. */
export type ObjectStore = {
  /** `s3://bucket`, for logs and the status page. */
  describe: string;
  /** Streams a local file up as `key`, never holding it in memory; `contentType` is what the store answers with. */
  putFile(key: string, file: string, contentType?: string): Promise<void>;
  /** Streams `key` down into a local file. */
  getToFile(key: string, file: string): Promise<void>;
  /** A small object as text, or null when there is no such key. */
  getText(key: string): Promise<string | null>;
  /** A small object written from text in one request. */
  putText(key: string, text: string, contentType?: string): Promise<void>;
  /** Every object whose key starts with `prefix`, page by page until the last. */
  list(prefix: string): Promise<StoredObject[]>;
  delete(key: string): Promise<void>;
  /**
   * Reads `key` under the client's Range and validators, as a file server answers: 200 or 206 with
   * a streamed body, 304, 404 for no such key, or 416. Anything else the store says is thrown.
   */
  openObject(key: string, conditions: ReadConditions): Promise<ObjectRead>;
  /**
   * A GET address for `key` that anyone holding it may use until `seconds` after `signedAt`; the
   * store answers it with `contentType`, whatever the object was stored as. Signed here, no request.
   */
  presignGet(key: string, signedAt: Date, seconds: number, contentType: string): Promise<string>;
};

/** The HTTP status an error from the store carries, if the store answered at all. */
function storeStatus(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("$metadata" in error)) return undefined;
  return (error as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode;
}

type S3Settings = Pick<
  Env,
  "S3_ENDPOINT" | "S3_REGION" | "S3_BUCKET" | "S3_ACCESS_KEY_ID" | "S3_SECRET_ACCESS_KEY" | "S3_FORCE_PATH_STYLE"
>;

const S3_SETTINGS = [
  "S3_ENDPOINT",
  "S3_REGION",
  "S3_BUCKET",
  "S3_ACCESS_KEY_ID",
  "S3_SECRET_ACCESS_KEY",
  "S3_FORCE_PATH_STYLE",
] as const;
const stores = new Map<string, ObjectStore | null>();

/**
 * The object store these settings name, or null when there is none. One per settings for the life
 * of the process: a client keeps its connections and credentials, and the backups, /healthz and
 * every media answer ask for the same bucket.
 */
export function createObjectStore(settings: S3Settings): ObjectStore | null {
  const key = JSON.stringify(S3_SETTINGS.map((name) => settings[name] ?? null));
  if (!stores.has(key)) stores.set(key, connectObjectStore(settings));
  return stores.get(key) ?? null;
}

function connectObjectStore(settings: S3Settings): ObjectStore | null {
  const { S3_ENDPOINT, S3_REGION, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY } = settings;
  // The schema accepts all five or none (app/env.server.ts).
  if (!S3_ENDPOINT || !S3_REGION || !S3_BUCKET || !S3_ACCESS_KEY_ID || !S3_SECRET_ACCESS_KEY) return null;
  const bucket = S3_BUCKET;
  const client = new S3Client({
    endpoint: S3_ENDPOINT,
    region: S3_REGION,
    forcePathStyle: settings.S3_FORCE_PATH_STYLE,
    credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: S3_SECRET_ACCESS_KEY },
    // The SDK's default CRC checksums (and the chunked uploads that carry them) are AWS's own;
    // several S3-compatible stores refuse them, so checksums are sent only where S3 requires one.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });

  return {
    describe: `s3://${bucket}`,
    async putFile(key, file, contentType) {
      // A stream needs its length up front: S3 takes no upload of unknown size in one request.
      const { size } = await fs.promises.stat(file);
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: fs.createReadStream(file),
          ContentLength: size,
          ContentType: contentType,
        }),
      );
    },
    async getToFile(key, file) {
      const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!(answer.Body instanceof Readable)) throw new Error(`s3://${bucket}/${key} kom ikke som en datastrøm`);
      await pipeline(answer.Body, fs.createWriteStream(file));
    },
    async getText(key) {
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return (await answer.Body?.transformToString("utf8")) ?? "";
      } catch (error) {
        if (error instanceof NoSuchKey) return null;
        throw error;
      }
    },
    async putText(key, text, contentType = "text/plain; charset=utf-8") {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: contentType }));
    },
    async list(prefix) {
      const found: StoredObject[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const item of page.Contents ?? []) {
          if (item.Key) found.push({ key: item.Key, size: item.Size ?? 0, lastModified: item.LastModified ?? null });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return found;
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async openObject(key, { method, range, ifNoneMatch, ifModifiedSince }) {
      // The store decides validators as HTTP does: If-Modified-Since only counts without If-None-Match.
      const input = {
        Bucket: bucket,
        Key: key,
        Range: range,
        IfNoneMatch: ifNoneMatch,
        IfModifiedSince: ifNoneMatch === undefined ? ifModifiedSince : undefined,
      };
      try {
        const answer = await client.send(
          method === "HEAD" ? new HeadObjectCommand(input) : new GetObjectCommand(input),
        );
        const body = "Body" in answer ? answer.Body : undefined;
        if (method === "GET" && !(body instanceof Readable))
          throw new Error(`s3://${bucket}/${key} kom ikke som en datastrøm`);
        return {
          status: answer.ContentRange ? 206 : 200,
          body: body instanceof Readable ? body : null,
          contentLength: answer.ContentLength ?? 0,
          contentRange: answer.ContentRange ?? null,
          etag: answer.ETag ?? null,
          lastModified: answer.LastModified ?? null,
        };
      } catch (error) {
        // The SDK throws for every answer but 2xx, with the status in its metadata.
        const status = storeStatus(error);
        if (status === 304) return { status: 304 };
        // HEAD's 404 has no body either, so for HEAD a missing bucket also reads as a missing key.
        if (status === 404 && (error instanceof NoSuchKey || (error as Error).name === "NotFound"))
          return { status: 404 };
        if (status === 416) {
          // HEAD's 416 has no body to name the size; a HEAD without the range does.
          const whole = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
          return { status: 416, size: whole.ContentLength ?? 0 };
        }
        throw error;
      }
    },
    presignGet(key, signedAt, seconds, contentType) {
      const command = new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentType: contentType });
      return getSignedUrl(client, command, { expiresIn: seconds, signingDate: signedAt });
    },
  };
}

/** The object store the environment names (S3_*), or null when there is none. */
export function objectStoreFromEnv(): ObjectStore | null {
  return createObjectStore(getEnv());
}
