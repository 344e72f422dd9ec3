import { parseWithZod } from "@conform-to/zod";
import { z, type ZodErrorMap, type ZodTypeAny } from "zod";
import type { MessageKey } from "~/i18n/da";
import { isMessageKey } from "~/i18n/i18n";

// Messages are dictionary keys, so the same schema speaks Danish or English where it is shown.
export const message = (key: MessageKey) => ({ message: key });

/**
 * Zod's own messages are English sentences that would reach the page as they are. Any check a
 * schema gives no message of its own (a field sent twice, a file where text belongs, a value that
 * no option offers) answers with a dictionary key instead; a schema's own message still wins.
 */
const formErrorMap: ZodErrorMap = (issue, context) => {
  if (isMessageKey(context.defaultError)) return { message: context.defaultError };
  const missing = issue.code === z.ZodIssueCode.invalid_type && issue.received === z.ZodParsedType.undefined;
  return { message: missing ? "validation.required" : "validation.invalidChoice" } satisfies { message: MessageKey };
};

/** Conform's parseWithZod with the form error map: what every form's onValidate and every action use. */
export function validateForm<Schema extends ZodTypeAny>(formData: FormData, schema: Schema) {
  return parseWithZod(formData, { schema, errorMap: formErrorMap });
}

/** A row id posted by a form (a licence, seat, organisation, plan…). */
export const recordId = z.coerce.number(message("validation.required")).int().positive();

/** An id in an address or query string: digits only, so "1e3", "0x10" or " 7" name nothing rather than another row. */
export function idFromPath(value: string | null | undefined): number | null {
  return value != null && /^[1-9]\d{0,14}$/.test(value) ? Number(value) : null;
}

// What people type ends up in OIOUBL XML, PDFs and e-mails. XML 1.0 cannot carry C0 control
// characters other than tab, line feed and carriage return, lone surrogates, or U+FFFE/U+FFFF,
// so such text is refused where it is typed rather than breaking an invoice later. A one-line
// field also refuses tab, line breaks, DEL and the C1 controls: in an e-mail subject or a PDF
// heading they would split or garble the line.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_IN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/u;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_IN_LINE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\uD800-\uDFFF\uFFFE\uFFFF]/u;

/** True when the text holds nothing an XML document (an invoice) could not carry. */
const isSafeText = (value: string) => !FORBIDDEN_IN_TEXT.test(value);
/** True when the one-line text holds no control characters or line breaks. */
const isSafeLine = (value: string) => !FORBIDDEN_IN_LINE.test(value);
/** The text with what XML cannot carry replaced by U+FFFD: for text saved before the forms refused it. */
export const withXmlSafeCharacters = (value: string) =>
  value.replace(new RegExp(FORBIDDEN_IN_TEXT.source, "gu"), "\uFFFD");

/** Refinement for one-line fields: `z.string().max(200).refine(...safeLine)`. */
export const safeLine = [isSafeLine, message("validation.controlCharacter")] as const;
/** Refinement for fields that may hold several lines. */
export const safeText = [isSafeText, message("validation.controlCharacter")] as const;

/** A required one-line field up to `maxLength` characters, refused with `tooLong` beyond that. */
export const requiredText = (maxLength: number, tooLong: MessageKey) =>
  z
    .string(message("validation.required"))
    .trim()
    .min(1, message("validation.required"))
    .max(maxLength, message(tooLong))
    .refine(...safeLine);
