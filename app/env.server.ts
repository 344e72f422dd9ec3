import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { isValidCvr } from "~/licensing/danish-ids";

/** 32 bytes as 64 hex digits (`openssl rand -hex 32`) or as base64 (`openssl rand -base64 32`); otherwise undefined. */
function decodeEncryptionKey(text: string): Buffer | undefined {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, "hex");
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) return undefined;
  const key = Buffer.from(value, "base64");
  return key.length === 32 ? key : undefined;
}

const encryptionKey = z.string().transform((value, ctx) => {
  const key = decodeEncryptionKey(value);
  if (!key) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "skal være 32 bytes som 64 hex-tegn eller base64" });
    return z.NEVER;
  }
  return key;
});

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_PATH: z.string().min(1).default("db/rettidig.sqlite"),
    MEDIA_DIR: z.string().min(1).default("media/generated"),
    /** Uploaded films wait here for the transcoding queue; outside MEDIA_DIR, so the media route can never serve them. */
    UPLOAD_DIR: z.string().min(1).default("media/uploads"),
    /**
     * Where published film versions and waiting uploads live: `local` (MEDIA_DIR and UPLOAD_DIR, the
     * default) or `s3` (the S3_* bucket, under media/ and uploads/; the local folders are then the
     * worker's workshop only).
     */
    MEDIA_STORAGE: z.enum(["local", "s3"]).default("local"),
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
    /**
     * Who sends a film's bytes once the seat is checked: the platform itself ("app"), nginx from
     * its internal location after an X-Accel-Redirect ("nginx"), or an edge that checks signed
     * links alone ("edge": nginx's secure_link or CloudFront).
     */
    MEDIA_DELIVERY: z.enum(["app", "nginx", "edge"]).default("app"),
    /** How long a media grant is reused per token and session, in seconds; 0 checks every request. */
    MEDIA_ACCESS_CACHE_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
    MEDIA_EDGE_FORMAT: z.enum(["nginx", "cloudfront"]).default("nginx"),
    /** The secret nginx's secure_link checks edge links with (the README's `$rettidig_edge_secret`). */
    MEDIA_EDGE_SECRET: z.string().min(32, "MEDIA_EDGE_SECRET skal være mindst 32 tegn").optional(),
    /** Where signed segment links point; unset: PUBLIC_URL + /edge, the README's nginx location. */
    MEDIA_EDGE_URL: z.string().url().optional(),
    /** A signed link lives this long past the moment its segment is due in the film. */
    MEDIA_EDGE_LINK_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    CLOUDFRONT_KEY_PAIR_ID: z.string().min(1).optional(),
    CLOUDFRONT_PRIVATE_KEY_FILE: z.string().min(1).optional(),
    SESSION_SECRET: z.string().min(32, "SESSION_SECRET skal være mindst 32 tegn").optional(),
    /** How much the server logs (pino's levels); unset: info, and warn under NODE_ENV=test, where every request would flood the output. */
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
    /** Lets a monitoring system read /metrics and the details of /healthz with `Authorization: Bearer <token>`. */
    METRICS_TOKEN: z.string().min(32, "METRICS_TOKEN skal være mindst 32 tegn").optional(),
    /** Seals the identity providers' client secrets and keys in the database (AES-256-GCM). */
    SSO_ENCRYPTION_KEY: encryptionKey.optional(),
    /** The key before the latest rotation: what it sealed can still be opened until it is sealed again. */
    SSO_ENCRYPTION_KEY_PREVIOUS: encryptionKey.optional(),
    /**
     * Keys the pseudonyms that pair one person's before-and-after answers. Kept away from the
     * database (and its backups), so nobody holding only the database can tell whose answers they are.
     */
    MEASUREMENT_PSEUDONYM_KEY: encryptionKey.optional(),
    /** How long the access log (who viewed or exported personal data) is kept; 12 months unless agreed otherwise. */
    ACCESS_LOG_RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
    // Named in the processing annex (/administration/databehandling) as sub-processors.
    /** Who runs the server the database and films are on, and in which country; unset: the seller's own. */
    HOSTING_PROVIDER: z.string().min(1).optional(),
    HOSTING_COUNTRY: z.string().min(1).optional(),
    /** Who delivers the mail; unset: the host of SMTP_URL. */
    MAIL_PROVIDER: z.string().min(1).optional(),
    SMTP_URL: z.string().url().optional(),
    MAIL_FROM: z.string().min(3).default("Rettidig <no-reply@rettidig.dk>"),
    /** Where the accessibility statement tells people to report what they cannot use. */
    ACCESSIBILITY_CONTACT_EMAIL: z.string().email().default("tilgaengelighed@rettidig.dk"),
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
    /** Where the hourly database backups go when no object store is set; unset: `backups` beside the database file. */
    BACKUP_DIR: z.string().min(1).optional(),
    /** How many of the newest backups are kept; older ones are deleted after each new one. */
    BACKUP_KEEP: z.coerce.number().int().min(1).max(10_000).default(48),
    BACKUP_INTERVAL_MINUTES: z.coerce.number().int().min(5).max(1440).default(60),
    // An S3-compatible object store (Hetzner, Scaleway, OVH, Ceph, AWS): all five or none.
    S3_ENDPOINT: z.string().url().optional(),
    S3_REGION: z.string().min(1).optional(),
    S3_BUCKET: z.string().min(3).optional(),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** Buckets addressed as endpoint/bucket instead of bucket.endpoint, which most self-hosted stores need. */
    S3_FORCE_PATH_STYLE: z
      .enum(["true", "false", "1", "0"])
      .transform((value) => value === "true" || value === "1")
      .default("false"),
  })
  .transform((raw) => {
    const publicUrl = (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/$/, "");
    return {
      ...raw,
      PUBLIC_URL: publicUrl,
      MEDIA_EDGE_URL: (raw.MEDIA_EDGE_URL ?? `${publicUrl}/edge`).replace(/\/$/, ""),
      LOG_LEVEL: raw.LOG_LEVEL ?? (raw.NODE_ENV === "test" ? "warn" : "info"),
    };
  })
  .superRefine((value, ctx) => {
    if (!isValidCvr(value.SELLER_CVR)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["SELLER_CVR"],
        message: "er ikke et gyldigt CVR-nummer (modulus 11)",
      });
    }
    const s3 = ["S3_ENDPOINT", "S3_REGION", "S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const;
    const missingS3 = s3.filter((name) => value[name] === undefined);
    // Half an object store would silently send backups to the local folder instead.
    if (missingS3.length > 0 && missingS3.length < s3.length) {
      for (const name of missingS3) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [name],
          message:
            "mangler: sæt alle S3_-variablerne (endpoint, region, bucket, nøgle-id og hemmelig nøgle) eller ingen",
        });
      }
    }
    if (value.MEDIA_STORAGE === "s3" && missingS3.length > 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["MEDIA_STORAGE"],
        message: "er s3, men der er intet objektlager: sæt S3_-variablerne, eller lad MEDIA_STORAGE være local",
      });
    }
    // A waiting upload goes into the bucket in one PUT, and S3 takes at most 5 GiB that way: a larger
    // film would be refused by the bucket every time, with a "try again" that could never help.
    if (value.MEDIA_STORAGE === "s3" && value.MAX_UPLOAD_BYTES > 5 * 1024 ** 3) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["MAX_UPLOAD_BYTES"],
        message: "må højst være 5368709120 (5 GiB), når MEDIA_STORAGE er s3: en upload lægges i bucket'en i ét stykke",
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
    if (value.MEDIA_DELIVERY === "edge" && value.MEDIA_EDGE_FORMAT === "nginx" && !value.MEDIA_EDGE_SECRET) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["MEDIA_EDGE_SECRET"],
        message: "mangler: MEDIA_DELIVERY=edge med nginx kræver den samme hemmelighed som i nginx' konfiguration",
      });
    }
    if (value.MEDIA_DELIVERY === "edge" && value.MEDIA_EDGE_FORMAT === "cloudfront") {
      for (const name of ["CLOUDFRONT_KEY_PAIR_ID", "CLOUDFRONT_PRIVATE_KEY_FILE"] as const) {
        if (!value[name])
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [name],
            message: "mangler: kræves af MEDIA_EDGE_FORMAT=cloudfront",
          });
      }
    }
    // A key kept in a file beside the database would travel with every copy of it (decision 59).
    if (value.NODE_ENV === "production" && !local && !value.MEASUREMENT_PSEUDONYM_KEY) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["MEASUREMENT_PSEUDONYM_KEY"],
        message: "mangler: sæt 32 tilfældige bytes, fx fra `openssl rand -base64 32`, og gem dem uden for databasen",
      });
    }
  });

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** The variables read and checked; a bad one throws with one readable line per problem. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".") || "(miljø)"}: ${issue.message}`);
    throw new Error(`Ugyldige miljøvariabler:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** Validated once per process; a bad variable stops the start. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export function isProduction() {
  return getEnv().NODE_ENV === "production";
}

/** Cookies are Secure whenever the platform is reached over https, which every real deployment is. */
export function cookiesAreSecure() {
  return getEnv().PUBLIC_URL.startsWith("https://");
}

/**
 * A random secret kept in a file next to the database and made on first use, so a demo started
 * with no configuration keeps its sessions and sealed secrets across restarts.
 */
function secretKeptByDatabase(fileName: string): string {
  const file = path.join(path.dirname(path.resolve(getEnv().DATABASE_PATH)), fileName);
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    const made = randomBytes(32).toString("hex");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, made, { mode: 0o600 });
    return made;
  }
}

let secret: string | undefined;

export function getSessionSecret(): string {
  secret ??= getEnv().SESSION_SECRET ?? secretKeptByDatabase(".session-secret");
  return secret;
}

const SSO_KEY_FILE = ".sso-encryption-key";
let keptSsoKey: Buffer | undefined;

/**
 * The key new secrets are sealed with, and the one before it. Production must set it: a key file
 * beside the database would travel in every backup of it, next to what it protects. Required only
 * once something is sealed or opened, so a server without municipal sign-in starts without it.
 */
export function getSsoEncryptionKeys(): { current: Buffer; previous?: Buffer } {
  const env = getEnv();
  const previous = env.SSO_ENCRYPTION_KEY_PREVIOUS;
  if (env.SSO_ENCRYPTION_KEY) return { current: env.SSO_ENCRYPTION_KEY, previous };
  if (env.NODE_ENV === "production") {
    throw new Error("SSO_ENCRYPTION_KEY mangler: sæt 32 tilfældige bytes, fx fra `openssl rand -base64 32`");
  }
  if (!keptSsoKey) {
    const key = decodeEncryptionKey(secretKeptByDatabase(SSO_KEY_FILE));
    if (!key) {
      throw new Error(
        `${SSO_KEY_FILE} ved databasen er ikke en nøgle på 32 bytes; slet filen eller sæt SSO_ENCRYPTION_KEY`,
      );
    }
    keptSsoKey = key;
  }
  return { current: keptSsoKey, previous };
}

let keptPseudonymKey: Buffer | undefined;

/**
 * The key of the measurement pseudonyms. A production server on a real address does not start
 * without it (see the schema's check); the demo and the tests keep one in a file beside the
 * database. Changing it breaks the pairing of answers given before the change with those after.
 */
export function getPseudonymKey(): Buffer {
  const env = getEnv();
  if (env.MEASUREMENT_PSEUDONYM_KEY) return env.MEASUREMENT_PSEUDONYM_KEY;
  if (!keptPseudonymKey) {
    const key = decodeEncryptionKey(secretKeptByDatabase(".measurement-pseudonym-key"));
    if (!key) throw new Error(".measurement-pseudonym-key ved databasen er ikke en nøgle på 32 bytes");
    keptPseudonymKey = key;
  }
  return keptPseudonymKey;
}
