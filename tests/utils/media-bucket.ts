import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { inject } from "vitest";

/**
 * Puts this test file's film versions and uploads in a bucket of its own on the run's s3rver
 * (MEDIA_STORAGE=s3). Called at the top of the file, before anything reads the environment,
 * which is settled on first use; the bucket is made before the first test.
 */
export function ownMediaBucket(name: string) {
  const endpoint = inject("s3Endpoint");
  const bucket = `media-${name}-${process.pid}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, 63);
  const settings = {
    MEDIA_STORAGE: "s3",
    S3_ENDPOINT: endpoint,
    S3_REGION: "eu-central-1",
    S3_BUCKET: bucket,
    // s3rver checks signatures against these fixed credentials.
    S3_ACCESS_KEY_ID: "S3RVER",
    S3_SECRET_ACCESS_KEY: "S3RVER",
    S3_FORCE_PATH_STYLE: "true",
  };
  Object.assign(process.env, settings);
  beforeAll(async () => {
    const client = new S3Client({
      endpoint,
      region: settings.S3_REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: settings.S3_ACCESS_KEY_ID, secretAccessKey: settings.S3_SECRET_ACCESS_KEY },
    });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    client.destroy();
  });
  return settings;
}
