/**
 * What counts as a body that shows the platform's internals: a stack trace, a source path, an
 * SQL error, or a validation library's own dump instead of our messages. Bodies are checked as
 * they arrive, JSON-escaped page data included (hence `\\n` beside a real line break).
 */
const INTERNALS: Array<{ label: string; pattern: RegExp }> = [
  {
    label: "stack trace",
    pattern: /(?:\n|\\n)\s*at (?:async )?[^\s(]*\s*\(?(?:file:|node:|\/|[A-Za-z]:\\)[^\s)]*:\d+:\d+/,
  },
  { label: "stack property", pattern: /"stack"\s*:\s*"/ },
  {
    label: "source path",
    pattern:
      /(?:\/app\/(?:routes|utils|auth|billing|catalog|learning|feedback|licensing|media|email|i18n|components)\/[\w.$[\]-]+\.tsx?\b|node_modules\/|\/build\/(?:index|server)\.js|file:\/\/\/)/,
  },
  {
    label: "SQL error",
    pattern:
      /SQLITE_[A-Z_]+|SqliteError|no such (?:column|table)|constraint failed|near "[^"]{0,40}": syntax error|datatype mismatch|too many SQL variables/,
  },
  {
    label: "zod dump",
    pattern:
      /ZodError|"code"\s*:\s*"(?:invalid_type|invalid_enum_value|too_small|too_big|invalid_string|invalid_union|unrecognized_keys|custom)"|Expected (?:string|number|boolean|object|array|date), received|Invalid enum value|String must contain|Number must be (?:less|greater)|"(?:Required|Invalid input|Invalid date)"/,
  },
  { label: "error text", pattern: /\b(?:TypeError|ReferenceError|RangeError|SyntaxError|URIError): / },
];

/** The first internal detail a body shows, with what is around it; null when it shows none. */
export function findInternals(body: string): { label: string; excerpt: string } | null {
  for (const { label, pattern } of INTERNALS) {
    const match = pattern.exec(body);
    if (match) {
      const start = Math.max(0, match.index - 120);
      return { label, excerpt: body.slice(start, match.index + match[0].length + 160).replace(/\s+/g, " ") };
    }
  }
  return null;
}

/** Content types whose bodies are text someone could read internals in. */
export const isTextual = (contentType: string) =>
  contentType === "" ||
  /^(?:text\/|application\/(?:json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(?:json|xml))/.test(contentType);
