import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { isValidCvr } from "~/licensing/danish-ids";

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_PATH: z.string().min(1).default("db/rettidig.sqlite"),
    MEDIA_DIR: z.string().min(1).default("media/generated"),
    /** Uploaded films wait here for the transcoding queue; outside MEDIA_DIR, so the media route can never serve them. */
    UPLOAD_DIR: z.string().min(1).default("media/uploads"),
    MAX_UPLOAD_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(2 * 1024 ** 3),
    PUBLIC_URL: z.string().url().optional(),
    /**
     * Set behind a reverse proxy, so the client's address and https are read from its
     * X-Forwarded-* headers: a hop count ("1") or addresses ("loopback", "10.0.0.0/8"), as Express reads it.
     */
    TRUST_PROXY: z
      .string()
      .min(1)
      .transform((value) => (/^\d+$/.test(value) ? Number(value) : value))
      .optional(),
    SESSION_SECRET: z.string().min(32, "SESSION_SECRET skal være mindst 32 tegn").optional(),
    SMTP_URL: z.string().url().optional(),
    MAIL_FROM: z.string().min(3).default("Rettidig <no-reply@rettidig.dk>"),
    FFMPEG_PATH: z.string().optional(),
    FFPROBE_PATH: z.string().optional(),
    /** With a key, invoices go through Stripe; without one, the platform numbers and renders its own. */
    STRIPE_SECRET_KEY: z.string().min(1).optional(),
    STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
    /** Another Stripe-compatible server, e.g. the test suite's fake: http://127.0.0.1:12111 */
    STRIPE_API_BASE: z.string().url().optional(),
    // The seller printed on every invoice and in every OIOUBL file; the defaults are demo values.
    SELLER_NAME: z.string().min(1).default("Rettidig ApS"),
    SELLER_CVR: z
      .string()
      .regex(/^\d{8}$/, "skal være 8 cifre")
      .default("55133018"),
    SELLER_STREET: z.string().min(1).default("Vesterbrogade"),
    SELLER_BUILDING_NUMBER: z.string().min(1).default("12"),
    SELLER_POSTAL_CODE: z
      .string()
      .regex(/^\d{4}$/, "skal være 4 cifre")
      .default("1620"),
    SELLER_CITY: z.string().min(1).default("København V"),
    SELLER_EMAIL: z.string().email().default("faktura@rettidig.dk"),
    SELLER_PHONE: z.string().min(1).default("70 20 30 40"),
    SELLER_BANK_REG_NO: z
      .string()
      .regex(/^\d{4}$/, "skal være 4 cifre")
      .default("5301"),
    SELLER_BANK_ACCOUNT_NO: z
      .string()
      .regex(/^\d{1,10}$/, "skal være 1-10 cifre")
      .default("0241234567"),
  })
  .transform((raw) => ({
    ...raw,
    PUBLIC_URL: (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/$/, ""),
  }))
  .superRefine((value, ctx) => {
    if (!isValidCvr(value.SELLER_CVR)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["SELLER_CVR"],
        message: "er ikke et gyldigt CVR-nummer (modulus 11)",
      });
    }
    const url = new URL(value.PUBLIC_URL);
    const local = url.hostname === "localhost" || url.hostname === "127.0.0.1";
    if (value.NODE_ENV === "production" && url.protocol !== "https:" && !local) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["PUBLIC_URL"],
        message: "skal bruge https i produktion (kun localhost må bruge http)",
      });
    }
  });

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** Validated once per process; a bad variable stops the start with one readable line per problem. */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".") || "(miljø)"}: ${issue.message}`);
    throw new Error(`Ugyldige miljøvariabler:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

export function isProduction() {
  return getEnv().NODE_ENV === "production";
}

/** Cookies are Secure whenever the platform is reached over https, which every real deployment is. */
export function cookiesAreSecure() {
  return getEnv().PUBLIC_URL.startsWith("https://");
}

let secret: string | undefined;

/**
 * Without SESSION_SECRET a random secret is kept next to the database, so a demo
 * started with no configuration still keeps its sessions across restarts.
 */
export function getSessionSecret(): string {
  if (secret) return secret;
  const env = getEnv();
  if (env.SESSION_SECRET) return (secret = env.SESSION_SECRET);
  const file = path.join(path.dirname(path.resolve(env.DATABASE_PATH)), ".session-secret");
  try {
    secret = fs.readFileSync(file, "utf8").trim();
  } catch {
    secret = randomBytes(32).toString("hex");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, secret, { mode: 0o600 });
  }
  return secret;
}
