import fs from "node:fs";
import path from "node:path";
import S3rver from "s3rver";

/**
 * An S3-compatible object store for the tests: s3rver, which answers the S3 REST API (signed
 * requests, ListObjectsV2, streamed bodies) and keeps the objects as files in the test's folder,
 * so the real @aws-sdk/client-s3 is what talks to it.
 */

export type TestS3 = {
  /** The settings the platform reads from its environment, pointing at this server. */
  env: {
    S3_ENDPOINT: string;
    S3_REGION: string;
    S3_BUCKET: string;
    S3_ACCESS_KEY_ID: string;
    S3_SECRET_ACCESS_KEY: string;
    S3_FORCE_PATH_STYLE: "true";
  };
  stop(): Promise<void>;
};

/** Starts s3rver on a free loopback port, with one empty bucket, storing under `workDir`. */
export async function startS3Server(workDir: string, bucket = "rettidig-test"): Promise<TestS3> {
  const directory = path.resolve(workDir);
  fs.rmSync(directory, { recursive: true, force: true });
  fs.mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  return {
    env: {
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_REGION: "eu-central-1",
      S3_BUCKET: bucket,
      // s3rver checks the signature against these fixed credentials.
      S3_ACCESS_KEY_ID: "S3RVER",
      S3_SECRET_ACCESS_KEY: "S3RVER",
      S3_FORCE_PATH_STYLE: "true",
    },
    stop: () => server.close(),
  };
}
