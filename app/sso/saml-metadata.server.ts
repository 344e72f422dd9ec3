import { X509Certificate } from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import xpath from "xpath";
import { isProduction } from "~/env.server";
import type { MessageKey } from "~/i18n/da";

/** What the platform needs from a provider's SAML metadata. */
export type IdpMetadata = { entityId: string; ssoUrl: string; certificates: string[] };

/** Metadata larger than this is not a provider's description of itself. */
export const maxMetadataBytes = 1024 * 1024;
const fetchTimeoutMs = 5_000;

const redirectBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const selectNs = xpath.useNamespaces({
  md: "urn:oasis:names:tc:SAML:2.0:metadata",
  ds: "http://www.w3.org/2000/09/xmldsig#",
});

function select(expression: string, node: Node): Node[] {
  const found = selectNs(expression, node);
  return Array.isArray(found) ? found : [];
}

export type MetadataFailure = Extract<
  MessageKey,
  | "sso.saml.metadataUnreachable"
  | "sso.saml.metadataInsecure"
  | "sso.saml.metadataTooLarge"
  | "sso.saml.metadataInvalid"
  | "sso.saml.metadataNoSso"
  | "sso.saml.metadataNoCertificate"
>;

export type MetadataResult =
  { ok: true; metadata: IdpMetadata } | { ok: false; reason: MetadataFailure; detail: string };

/** A provider on this machine may serve http outside production (tests, local development); elsewhere https only. */
export function isAllowedMetadataUrl(value: string) {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.protocol === "https:") return true;
  const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost";
  return url.protocol === "http:" && loopback && !isProduction();
}

/** PEM with the usual 64-character lines, from the base64 body metadata carries. */
export function certificateToPem(base64: string) {
  const body = base64.replace(/\s+/g, "");
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join("\n") ?? ""}\n-----END CERTIFICATE-----\n`;
}

/**
 * Reads the entity id, the HTTP-Redirect sign-on address and every signing certificate (a
 * provider lists two while it rolls one over). A DOCTYPE is refused outright: metadata has no
 * use for one, and entity expansion is how XML is turned against its reader.
 */
export function parseIdpMetadata(xml: string): MetadataResult {
  if (Buffer.byteLength(xml) > maxMetadataBytes) {
    return { ok: false, reason: "sso.saml.metadataTooLarge", detail: `over ${maxMetadataBytes} bytes` };
  }
  if (/<!DOCTYPE/i.test(xml)) return { ok: false, reason: "sso.saml.metadataInvalid", detail: "DOCTYPE refused" };
  const problems: string[] = [];
  const errorHandler = (level: string, message: unknown) => {
    if (level !== "warning") problems.push(String(message));
  };
  const doc = new DOMParser({ errorHandler }).parseFromString(xml, "text/xml") as unknown as Document;
  const entity = select("//md:EntityDescriptor[md:IDPSSODescriptor]", doc)[0] as Element | undefined;
  const entityId = entity?.getAttribute("entityID")?.trim();
  if (problems.length > 0 || !entity || !entityId) {
    return { ok: false, reason: "sso.saml.metadataInvalid", detail: problems[0] ?? "no IdP EntityDescriptor" };
  }
  const ssoUrl = (
    select(`md:IDPSSODescriptor/md:SingleSignOnService[@Binding='${redirectBinding}']/@Location`, entity)[0] as
      Attr | undefined
  )?.value.trim();
  if (!ssoUrl || !URL.canParse(ssoUrl)) {
    return { ok: false, reason: "sso.saml.metadataNoSso", detail: "no HTTP-Redirect SingleSignOnService" };
  }
  const certificateNodes = select(
    "md:IDPSSODescriptor/md:KeyDescriptor[not(@use) or @use='signing']//ds:X509Certificate",
    entity,
  );
  const certificates = [...new Set(certificateNodes.map((node) => certificateToPem(node.textContent ?? "")))];
  const unreadable = certificates.find((pem) => !readCertificate(pem));
  if (certificates.length === 0 || unreadable) {
    return { ok: false, reason: "sso.saml.metadataNoCertificate", detail: "no readable signing certificate" };
  }
  return { ok: true, metadata: { entityId, ssoUrl, certificates } };
}

function readCertificate(pem: string) {
  try {
    return new X509Certificate(pem);
  } catch {
    return null;
  }
}

/** Who a certificate names and until when, for the admin page; the certificate itself is public anyway. */
export function certificateSummary(pem: string) {
  const certificate = readCertificate(pem);
  return {
    subject: certificate?.subject.replace(/\n/g, ", ") ?? "?",
    validTo: certificate ? new Date(certificate.validTo).getTime() : 0,
  };
}

/** The certificates that are not (or not yet) valid at `now`, by their expiry date; empty when all are fine. */
export function invalidCertificates(pems: string[], now: Date) {
  return pems.flatMap((pem) => {
    const certificate = readCertificate(pem);
    if (!certificate) return ["unreadable"];
    const from = new Date(certificate.validFrom);
    const to = new Date(certificate.validTo);
    return now < from || now > to ? [`${certificate.subject.replace(/\n/g, ", ")}: ${certificate.validTo}`] : [];
  });
}

/** Fetches and reads the provider's metadata, refusing a slow, huge or insecure source. */
export async function fetchIdpMetadata(url: string): Promise<MetadataResult> {
  if (!isAllowedMetadataUrl(url)) return { ok: false, reason: "sso.saml.metadataInsecure", detail: url.slice(0, 200) };
  let response: Response;
  try {
    response = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(fetchTimeoutMs) });
  } catch (error) {
    return { ok: false, reason: "sso.saml.metadataUnreachable", detail: String(error).slice(0, 300) };
  }
  if (!response.ok) return { ok: false, reason: "sso.saml.metadataUnreachable", detail: `HTTP ${response.status}` };
  const declared = Number(response.headers.get("Content-Length") ?? "0");
  if (declared > maxMetadataBytes) {
    await response.body?.cancel();
    return { ok: false, reason: "sso.saml.metadataTooLarge", detail: `${declared} bytes` };
  }
  const text = await readCapped(response);
  if (text === null)
    return { ok: false, reason: "sso.saml.metadataTooLarge", detail: `over ${maxMetadataBytes} bytes` };
  return parseIdpMetadata(text);
}

/** The body as text, or null as soon as it passes the cap (a server may leave Content-Length out). */
async function readCapped(response: Response) {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxMetadataBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Whether the sign-on address answers at all; any HTTP status counts, as it expects a request we do not send. */
export async function ssoUrlAnswers(url: string) {
  try {
    const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(fetchTimeoutMs) });
    await response.body?.cancel();
    return { ok: true as const };
  } catch (error) {
    return { ok: false as const, detail: String(error).slice(0, 300) };
  }
}
