import { ownMediaBucket } from "../utils/media-bucket";

// described-audio.test.ts again with the soundtracks waiting in a bucket (MEDIA_STORAGE=s3), as a
// worker on another machine fetches them. Imported only after the bucket is named, since the
// environment is settled on first use.
ownMediaBucket("described-audio");
await import("./described-audio.test");
