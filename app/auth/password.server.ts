import { hash, verify } from "@node-rs/argon2";

// argon2id with OWASP's second recommended profile: 19 MiB, 2 passes, 1 lane.
const options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string) {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string) {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | undefined;

/** Verifying against a throw-away hash keeps "unknown e-mail" as slow as "wrong password". */
export async function spendVerifyTime(password: string) {
  decoy ??= hashPassword("rettidig-decoy-password");
  await verifyPassword(await decoy, password);
}
