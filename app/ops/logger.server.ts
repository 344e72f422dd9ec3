import { pino, type Logger } from "pino";
import { getEnv } from "~/env.server";

// One logger per process, however often the module is loaded (the server and the Remix build both do).
const globalForLogger = globalThis as unknown as { rettidigLogger?: Logger };

/** The platform's structured log: one JSON object a line on standard output, at LOG_LEVEL. */
export function logger(): Logger {
  globalForLogger.rettidigLogger ??= pino({ level: getEnv().LOG_LEVEL });
  return globalForLogger.rettidigLogger;
}
