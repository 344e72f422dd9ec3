import { randomBytes } from "node:crypto";
import { parseEnv } from "~/env.server";

describe("the environment", () => {
  const production = { NODE_ENV: "production", PUBLIC_URL: "https://laering.kommune.example" };

  it("stops a production server on a real address without the measurement pseudonym key", () => {
    expect(() => parseEnv(production)).toThrow(/MEASUREMENT_PSEUDONYM_KEY: mangler/);
    const key = randomBytes(32);
    expect(
      parseEnv({ ...production, MEASUREMENT_PSEUDONYM_KEY: key.toString("base64") }).MEASUREMENT_PSEUDONYM_KEY,
    ).toEqual(key);
  });

  it("lets the demo on localhost and every non-production run keep the key in a file instead", () => {
    expect(
      parseEnv({ NODE_ENV: "production", PUBLIC_URL: "http://localhost:3000" }).MEASUREMENT_PSEUDONYM_KEY,
    ).toBeUndefined();
    expect(parseEnv({ NODE_ENV: "test", PUBLIC_URL: "https://laering.kommune.example" }).NODE_ENV).toBe("test");
  });

  it("refuses a key that is not 32 bytes", () => {
    expect(() => parseEnv({ MEASUREMENT_PSEUDONYM_KEY: "for-kort" })).toThrow(
      /MEASUREMENT_PSEUDONYM_KEY: skal være 32 bytes/,
    );
  });

  it("asks for the edge's secret or CloudFront key when films go through a signed edge, and defaults its address", () => {
    expect(parseEnv({ PUBLIC_URL: "https://laering.kommune.example" })).toMatchObject({
      MEDIA_DELIVERY: "app",
      MEDIA_ACCESS_CACHE_SECONDS: 5,
      MEDIA_EDGE_URL: "https://laering.kommune.example/edge",
      MEDIA_EDGE_LINK_SECONDS: 300,
    });
    expect(() => parseEnv({ MEDIA_DELIVERY: "edge" })).toThrow(/MEDIA_EDGE_SECRET: mangler/);
    expect(() => parseEnv({ MEDIA_DELIVERY: "edge", MEDIA_EDGE_SECRET: "for-kort" })).toThrow(
      /MEDIA_EDGE_SECRET skal være mindst 32 tegn/,
    );
    expect(() => parseEnv({ MEDIA_DELIVERY: "edge", MEDIA_EDGE_FORMAT: "cloudfront" })).toThrow(
      /CLOUDFRONT_KEY_PAIR_ID: mangler[\s\S]*CLOUDFRONT_PRIVATE_KEY_FILE: mangler/,
    );
    expect(() => parseEnv({ MEDIA_DELIVERY: "cdn" })).toThrow(/MEDIA_DELIVERY/);
  });
});

describe("the object store settings", () => {
  const store = {
    S3_ENDPOINT: "https://fsn1.your-objectstorage.com",
    S3_REGION: "fsn1",
    S3_BUCKET: "rettidig",
    S3_ACCESS_KEY_ID: "id",
    S3_SECRET_ACCESS_KEY: "secret",
  };

  it("takes all five or none, so half a store never sends backups elsewhere unnoticed", () => {
    expect(parseEnv(store).S3_BUCKET).toBe("rettidig");
    expect(parseEnv({}).S3_BUCKET).toBeUndefined();
    const { S3_REGION: _region, S3_SECRET_ACCESS_KEY: _secret, ...partial } = store;
    expect(() => parseEnv(partial)).toThrow(/S3_REGION: mangler.*\n.*S3_SECRET_ACCESS_KEY: mangler/);
  });

  it("reads path-style addressing as a yes or no", () => {
    expect(parseEnv(store).S3_FORCE_PATH_STYLE).toBe(false);
    expect(parseEnv({ ...store, S3_FORCE_PATH_STYLE: "true" }).S3_FORCE_PATH_STYLE).toBe(true);
    expect(() => parseEnv({ ...store, S3_FORCE_PATH_STYLE: "ja" })).toThrow(/S3_FORCE_PATH_STYLE/);
  });

  it("keeps the upload limit within one PUT when uploads wait in the bucket", () => {
    const fiveGiB = String(5 * 1024 ** 3);
    const inBucket = { ...store, MEDIA_STORAGE: "s3" };
    expect(parseEnv({ ...inBucket, MAX_UPLOAD_BYTES: fiveGiB }).MAX_UPLOAD_BYTES).toBe(5 * 1024 ** 3);
    expect(() => parseEnv({ ...inBucket, MAX_UPLOAD_BYTES: String(5 * 1024 ** 3 + 1) })).toThrow(
      /MAX_UPLOAD_BYTES: må højst være 5368709120/,
    );
    // On the local disk there is no such limit.
    expect(parseEnv({ ...store, MAX_UPLOAD_BYTES: String(8 * 1024 ** 3) }).MAX_UPLOAD_BYTES).toBe(8 * 1024 ** 3);
  });
});
