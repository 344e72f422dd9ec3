import { createCookie } from "@remix-run/node";
import { cookiesAreSecure } from "~/env.server";
import { isLanguage, translator, type Language } from "./i18n";

let cookie: ReturnType<typeof createCookie> | undefined;

function languageCookie() {
  cookie ??= createCookie("rettidig_lang", {
    httpOnly: true,
    sameSite: "lax",
    secure: cookiesAreSecure(),
    path: "/",
    maxAge: 365 * 24 * 3600,
  });
  return cookie;
}

/** Danish unless the person has chosen English with the switch. */
export async function getLanguage(request: Request): Promise<Language> {
  const value: unknown = await languageCookie().parse(request.headers.get("Cookie"));
  return isLanguage(value) ? value : "da";
}

export async function getTranslator(request: Request) {
  return translator(await getLanguage(request));
}

export function serializeLanguage(language: Language) {
  return languageCookie().serialize(language);
}
