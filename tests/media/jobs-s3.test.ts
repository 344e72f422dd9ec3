import { ownMediaBucket } from "../utils/media-bucket";

// jobs.test.ts again with the uploads waiting in a bucket (MEDIA_STORAGE=s3), so every job, and the
// worker in a process of its own, fetches its file from there. Imported only after the bucket is
// named, since the environment is settled on first use.
ownMediaBucket("jobs");
await import("./jobs.test");
