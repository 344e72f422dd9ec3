import { isSafeSlug } from "~/media/library.server";
import { RESERVED_MODULE_SLUGS, SLUG_MAX_LENGTH, slugFromTitle, unusedSlug } from "~/catalog/slugs";

describe("slugs made from titles", () => {
  it("writes æ, ø and å the Danish way and joins words with hyphens", () => {
    expect(slugFromTitle("Pædagogen i SFO: Barnet, der ikke vil hjem", "modul")).toBe(
      "paedagogen-i-sfo-barnet-der-ikke-vil-hjem",
    );
    expect(slugFromTitle("ÆBLER, ØER OG ÅER", "modul")).toBe("aebler-oeer-og-aaer");
    expect(slugFromTitle("Fra bekymring til handling – sammen", "kursus")).toBe("fra-bekymring-til-handling-sammen");
    expect(slugFromTitle("Café-samtalen: Noël & Zoë", "modul")).toBe("cafe-samtalen-noel-zoe");
  });

  it("trims hyphens at both ends and collapses runs of other characters", () => {
    expect(slugFromTitle("  --«Hvad nu?»--  ", "modul")).toBe("hvad-nu");
    expect(slugFromTitle("a   /  b", "modul")).toBe("a-b");
  });

  it("falls back when nothing usable is left", () => {
    expect(slugFromTitle("!!! ???", "kursus")).toBe("kursus");
    expect(slugFromTitle("Σχολείο", "modul")).toBe("modul");
  });

  it("stays within the maximum length without ending on a hyphen", () => {
    const title = `${"a".repeat(SLUG_MAX_LENGTH - 1)} bbbb`;
    const slug = slugFromTitle(title, "modul");
    expect(slug).toBe("a".repeat(SLUG_MAX_LENGTH - 1));
    expect(slugFromTitle("ord ".repeat(60), "modul").length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
    expect(slugFromTitle("ord ".repeat(60), "modul")).not.toMatch(/-$/);
  });

  it("always makes names the media library accepts as folders", () => {
    for (const title of [
      "Sofie: Ingen spurgte til mig",
      "---",
      "Ø",
      `${"x".repeat(200)}`,
      "1. samtale",
      "Ünïcødé ævløp",
    ]) {
      const slug = slugFromTitle(title, "modul");
      expect(isSafeSlug(slug), `${title} → ${slug}`).toBe(true);
      expect(isSafeSlug(unusedSlug(slug, (candidate) => candidate === slug)), title).toBe(true);
    }
  });
});

describe("unused slugs", () => {
  it("keeps the base when it is free and numbers it from 2 when it is not", () => {
    const taken = new Set(["samtalen", "samtalen-2", "samtalen-3"]);
    expect(unusedSlug("ny", (slug) => taken.has(slug))).toBe("ny");
    expect(unusedSlug("samtalen", (slug) => taken.has(slug))).toBe("samtalen-4");
  });

  it("shortens a long base so the suffix fits", () => {
    const base = `${"a".repeat(SLUG_MAX_LENGTH - 5)}-bbbb`;
    const slug = unusedSlug(base, (candidate) => candidate === base);
    expect(slug).toBe(`${"a".repeat(SLUG_MAX_LENGTH - 5)}-bb-2`);
    expect(slug.length).toBe(SLUG_MAX_LENGTH);
  });

  it("does not leave a double hyphen when the cut falls on one", () => {
    const base = `${"a".repeat(SLUG_MAX_LENGTH - 3)}-bb`;
    expect(unusedSlug(base, (candidate) => candidate === base)).toBe(`${"a".repeat(SLUG_MAX_LENGTH - 3)}-2`);
  });

  it("reserves the learner's own page names for modules", () => {
    expect(RESERVED_MODULE_SLUGS).toEqual(expect.arrayContaining(["feedback", "kursusbevis", "quiz"]));
  });
});
