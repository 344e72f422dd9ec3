import { ownMediaBucket } from "../utils/media-bucket";

// chunked-upload.test.ts again with the finished films kept in a bucket (MEDIA_STORAGE=s3); the
// pieces stay in the local folder either way. Imported only after the bucket is named, since the
// environment is settled on first use.
ownMediaBucket("chunked-upload");
await import("./chunked-upload.test");
