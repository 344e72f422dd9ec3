import { ownMediaBucket } from "../utils/media-bucket";

// upload.test.ts again with the uploads kept in a bucket (MEDIA_STORAGE=s3); imported only after
// the bucket is named, since the environment is settled on first use.
ownMediaBucket("upload");
await import("./upload.test");
