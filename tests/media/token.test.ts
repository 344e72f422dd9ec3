import { signMediaToken, verifyMediaToken } from "~/media/token.server";

const SECRET = "a-secret-that-is-long-enough-for-the-tests";
const NOW = 1_750_000_000_000;
const payload = { userId: 12, moduleId: 7, version: "a1b2c3d4e5f60718", expiresAt: NOW + 60_000 };

function flip(char: string) {
  return char === "A" ? "B" : "A";
}

describe("media tokens", () => {
  it("round-trip and stay URL-safe and short", () => {
    const token = signMediaToken(payload, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThan(120);
    expect(encodeURIComponent(token)).toBe(token);
    expect(verifyMediaToken(token, SECRET, NOW)).toEqual({ ok: true, payload });
  });

  it("refuse a changed payload, another version included", () => {
    const [, signature] = signMediaToken(payload, SECRET).split(".");
    for (const changed of [{ u: 13 }, { v: "ffffffffffffffff" }]) {
      const other = Buffer.from(
        JSON.stringify({ u: 12, m: 7, v: payload.version, e: payload.expiresAt, ...changed }),
      ).toString("base64url");
      expect(verifyMediaToken(`${other}.${signature}`, SECRET, NOW)).toEqual({ ok: false, reason: "signature" });
    }
  });

  it("refuse a changed signature, whichever character changes", () => {
    const token = signMediaToken(payload, SECRET);
    const [body, signature = ""] = token.split(".");
    for (const index of [0, 10, signature.length - 1]) {
      const changed = signature.slice(0, index) + flip(signature[index]!) + signature.slice(index + 1);
      expect(verifyMediaToken(`${body}.${changed}`, SECRET, NOW)).toEqual({ ok: false, reason: "signature" });
    }
    expect(verifyMediaToken(`${body}.${signature.slice(0, 10)}`, SECRET, NOW)).toEqual({
      ok: false,
      reason: "signature",
    });
    expect(verifyMediaToken(token, "another-secret-of-sufficient-length", NOW)).toEqual({
      ok: false,
      reason: "signature",
    });
  });

  it("refuse an expired token", () => {
    const token = signMediaToken(payload, SECRET);
    expect(verifyMediaToken(token, SECRET, payload.expiresAt - 1).ok).toBe(true);
    expect(verifyMediaToken(token, SECRET, payload.expiresAt)).toEqual({ ok: false, reason: "expired" });
  });

  it("call garbage malformed", () => {
    for (const garbage of ["", "abc", "a.b.c", "!!!.???", ".", "a.", ".b", "x".repeat(2000)]) {
      expect(verifyMediaToken(garbage, SECRET, NOW)).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("are only issued for real ids and a version that can be a folder", () => {
    expect(() => signMediaToken({ ...payload, userId: 0 }, SECRET)).toThrow();
    expect(() => signMediaToken({ ...payload, userId: 1.5 }, SECRET)).toThrow();
    expect(() => signMediaToken({ ...payload, expiresAt: Number.NaN }, SECRET)).toThrow();
    for (const version of ["", "..", "../other", "A".repeat(65)])
      expect(() => signMediaToken({ ...payload, version }, SECRET)).toThrow();
  });
});
