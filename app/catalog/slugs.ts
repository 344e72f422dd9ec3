/** Long enough for a readable title, short enough for a link and a media folder name. */
export const SLUG_MAX_LENGTH = 80;

/**
 * Module slugs sit beside the learner's own pages under /kurser/<course>/, so a module may
 * never take one of their names.
 */
export const RESERVED_MODULE_SLUGS: readonly string[] = ["feedback", "kursusbevis", "quiz"];

function trimToLength(slug: string, maxLength: number): string {
  return slug.slice(0, maxLength).replace(/-+$/, "");
}

/** "Pædagogen i SFO: Barnet, der ikke vil hjem" → "paedagogen-i-sfo-barnet-der-ikke-vil-hjem". */
export function slugFromTitle(title: string, fallback: string, maxLength = SLUG_MAX_LENGTH): string {
  const slug = title
    .toLowerCase()
    .replaceAll("æ", "ae")
    .replaceAll("ø", "oe")
    .replaceAll("å", "aa")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return trimToLength(slug, maxLength) || fallback;
}

/**
 * The base itself when it is free, otherwise base-2, base-3…; the base is shortened where a
 * suffix would make the slug longer than allowed.
 */
export function unusedSlug(base: string, isTaken: (slug: string) => boolean, maxLength = SLUG_MAX_LENGTH): string {
  if (!isTaken(base)) return base;
  for (let n = 2; ; n += 1) {
    const suffix = `-${n}`;
    const candidate = `${trimToLength(base, maxLength - suffix.length)}${suffix}`;
    if (!isTaken(candidate)) return candidate;
  }
}
