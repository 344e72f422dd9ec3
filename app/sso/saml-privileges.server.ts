import { DOMParser } from "@xmldom/xmldom";
import xpath from "xpath";

const cvrScopePrefix = "urn:dk:gov:saml:cvrNumberIdentifier:";

/**
 * KOMBIT's Context Handler sends a person's roles as one attribute: a base64-encoded
 * PrivilegeList (OIOSAML basic privilege profile) with a PrivilegeGroup per organisation, scoped
 * by CVR number. A person may hold roles in several municipalities; only the groups scoped to this
 * municipality's CVR count here. Null when the value is not such a list, so it is read as
 * ordinary group names instead.
 */
export function privilegesForCvr(value: string, cvr: string): string[] | null {
  const compact = value.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length < 20) return null;
  const xml = Buffer.from(compact, "base64").toString("utf8");
  if (!xml.includes("PrivilegeList") || /<!DOCTYPE/i.test(xml)) return null;
  let failed = false;
  const doc = new DOMParser({
    errorHandler: (level) => {
      if (level !== "warning") failed = true;
    },
  }).parseFromString(xml, "text/xml") as unknown as Document;
  const list = xpath.select("/*[local-name()='PrivilegeList']", doc);
  if (failed || !Array.isArray(list) || list.length === 0) return null;
  const groups = xpath.select(
    `/*[local-name()='PrivilegeList']/*[local-name()='PrivilegeGroup'][@Scope='${cvrScopePrefix}${cvr.replace(/\D/g, "")}']/*[local-name()='Privilege']`,
    doc,
  ) as Node[];
  return [...new Set(groups.map((node) => (node.textContent ?? "").trim()).filter(Boolean))];
}
