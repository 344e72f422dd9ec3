import { getEnv } from "~/env.server";

/**
 * When the statement was last checked against the platform. Move it whenever the known gaps or
 * the testing change; the webtilgængelighedslov asks for a statement that is reviewed, not one
 * that merely exists.
 */
export const STATEMENT_REVIEWED_ON = "2026-12-07";

/** What the accessibility statement fills in from the running system: where to write, and when it was reviewed. */
export function accessibilityStatement() {
  return { contactEmail: getEnv().ACCESSIBILITY_CONTACT_EMAIL, reviewedOn: STATEMENT_REVIEWED_ON };
}
