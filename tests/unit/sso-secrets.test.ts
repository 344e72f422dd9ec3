import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getEnv, getSsoEncryptionKeys } from "~/env.server";
import { openSecret, sealSecret } from "~/sso/secrets.server";

const context = "identity_provider:7:oidc_client_secret";
const plain = "Kl13nt-hemmelighed æøå";
const keyA = randomBytes(32);
const keyB = randomBytes(32);

const original = { ...getEnv() };
afterEach(() => void Object.assign(getEnv(), original));

function useKeys(current: Buffer | undefined, previous?: Buffer) {
  Object.assign(getEnv(), { SSO_ENCRYPTION_KEY: current, SSO_ENCRYPTION_KEY_PREVIOUS: previous });
}

/** Flips one bit in one of the dot-separated parts, the way a changed database value would look. */
function tamper(sealed: string, partIndex: number) {
  return sealed
    .split(".")
    .map((part, index) => {
      if (index !== partIndex) return part;
      const bytes = Buffer.from(part, "base64url");
      bytes.writeUInt8(bytes.readUInt8(0) ^ 1, 0);
      return bytes.toString("base64url");
    })
    .join(".");
}

describe("sealed secrets", () => {
  it("open again with the same key and context", () => {
    useKeys(keyA);
    const sealed = sealSecret(plain, context);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(openSecret(sealed, context)).toBe(plain);
  });

  it("never contain the plain text, and differ each time the same value is sealed", () => {
    useKeys(keyA);
    const first = sealSecret(plain, context);
    const second = sealSecret(plain, context);
    expect(first).not.toBe(second);
    for (const sealed of [first, second]) {
      expect(sealed).not.toContain(plain);
      expect(sealed).not.toContain(Buffer.from(plain).toString("base64url"));
      expect(sealed).not.toContain(Buffer.from(plain).toString("hex"));
    }
  });

  it("do not open in another row or column", () => {
    useKeys(keyA);
    const sealed = sealSecret(plain, context);
    expect(() => openSecret(sealed, "identity_provider:8:oidc_client_secret")).toThrow(/kan ikke åbnes/);
    expect(() => openSecret(sealed, "identity_provider:7:sp_key")).toThrow(/kan ikke åbnes/);
  });

  it("refuse a changed tag, ciphertext or IV, and anything not in the format", () => {
    useKeys(keyA);
    const sealed = sealSecret(plain, context);
    for (const part of [1, 2, 3]) {
      expect(() => openSecret(tamper(sealed, part), context)).toThrow(/kan ikke åbnes/);
    }
    expect(() => openSecret(sealed.replace(/^v1\./, "v2."), context)).toThrow(/Ikke en forseglet hemmelighed/);
    expect(() => openSecret(plain, context)).toThrow(/Ikke en forseglet hemmelighed/);
    const shortTag = sealed.replace(/^(v1\.[\w-]+\.)([\w-]{8})[\w-]+/, "$1$2");
    expect(() => openSecret(shortTag, context)).toThrow(/Ikke en forseglet hemmelighed/);
  });

  it("sealed with the previous key still open after a rotation, and new ones use the new key", () => {
    useKeys(keyA);
    const beforeRotation = sealSecret(plain, context);

    useKeys(keyB, keyA);
    expect(openSecret(beforeRotation, context)).toBe(plain);
    const afterRotation = sealSecret(plain, context);

    useKeys(keyB);
    expect(openSecret(afterRotation, context)).toBe(plain);
    expect(() => openSecret(beforeRotation, context)).toThrow(/kan ikke åbnes/);
  });

  it("use a key kept beside the database when none is set, but production must set one", () => {
    useKeys(undefined);
    const sealed = sealSecret(plain, context);
    const keyFile = path.join(path.dirname(path.resolve(getEnv().DATABASE_PATH)), ".sso-encryption-key");
    expect(fs.existsSync(keyFile)).toBe(true);
    expect(getSsoEncryptionKeys().current.toString("hex")).toBe(fs.readFileSync(keyFile, "utf8").trim());
    expect(openSecret(sealed, context)).toBe(plain);

    Object.assign(getEnv(), { NODE_ENV: "production" });
    expect(() => sealSecret(plain, context)).toThrow(/SSO_ENCRYPTION_KEY mangler/);
  });
});

describe("SSO_ENCRYPTION_KEY", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  /** The variable as a fresh start of the server reads it. */
  async function keyFromEnvironment(value: string) {
    vi.stubEnv("SSO_ENCRYPTION_KEY", value);
    vi.resetModules();
    const { getEnv: freshEnv } = await import("~/env.server");
    return freshEnv().SSO_ENCRYPTION_KEY;
  }

  it("takes 32 bytes as 64 hex digits or as base64", async () => {
    expect(await keyFromEnvironment(keyA.toString("hex"))).toEqual(keyA);
    expect(await keyFromEnvironment(keyA.toString("base64"))).toEqual(keyA);
    expect(await keyFromEnvironment(keyA.toString("base64url"))).toEqual(keyA);
  });

  it("stops the start on a key of another length or in another form", async () => {
    for (const value of [randomBytes(16).toString("hex"), randomBytes(31).toString("base64"), "x".repeat(64)]) {
      await expect(keyFromEnvironment(value)).rejects.toThrow(/SSO_ENCRYPTION_KEY: skal være 32 bytes/);
    }
  });
});
