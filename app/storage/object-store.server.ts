import fs from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { type Env, getEnv } from "~/env.server";

export type StoredObject = { key: string; size: number; lastModified: Date | null };

/** The few operations on an S3-compatible bucket the platform uses, each on whole files. */
export type ObjectStore = {
  /** `s3://bucket`, for logs and the status page. */
  describe: string;
  /** Streams a local file up as `key`, never holding it in memory. */
  putFile(key: string, file: string): Promise<void>;
  /** Streams `key` down into a local file. */
  getToFile(key: string, file: string): Promise<void>;
  /** Every object whose key starts with `prefix`, page by page until the last. */
  list(prefix: string): Promise<StoredObject[]>;
  delete(key: string): Promise<void>;
};

type S3Settings = Pick<
  Env,
  "S3_ENDPOINT" | "S3_REGION" | "S3_BUCKET" | "S3_ACCESS_KEY_ID" | "S3_SECRET_ACCESS_KEY" | "S3_FORCE_PATH_STYLE"
>;

export function createObjectStore(settings: S3Settings): ObjectStore | null {
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
    async putFile(key, file) {
      // A stream needs its length up front: S3 takes no upload of unknown size in one request.
      const { size } = await fs.promises.stat(file);
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: fs.createReadStream(file), ContentLength: size }),
      );
    },
    async getToFile(key, file) {
      const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!(answer.Body instanceof Readable)) throw new Error(`s3://${bucket}/${key} kom ikke som en datastrøm`);
      await pipeline(answer.Body, fs.createWriteStream(file));
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
  };
}

/** The object store the environment names (S3_*), or null when the platform keeps its files locally. */
export function objectStoreFromEnv(): ObjectStore | null {
  return createObjectStore(getEnv());
}
