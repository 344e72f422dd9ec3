import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_PATH: z.string().min(1).default("db/rettidig.sqlite"),
    MEDIA_DIR: z.string().min(1).default("media/generated"),
    PUBLIC_URL: z.string().url().optional(),
    SESSION_SECRET: z.string().min(32, "SESSION_SECRET skal være mindst 32 tegn").optional(),
    SMTP_URL: z.string().url().optional(),
    MAIL_FROM: z.string().min(3).default("Rettidig <no-reply@rettidig.dk>"),
    FFMPEG_PATH: z.string().optional(),
    FFPROBE_PATH: z.string().optional(),
  })
  .transform((raw) => ({
    ...raw,
    PUBLIC_URL: (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/$/, ""),
  }))
  .superRefine((value, ctx) => {
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
