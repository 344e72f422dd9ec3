import { privateFileHeaders } from "~/utils/http.server";
import { renderPersonalDataPdf } from "./personal-data-pdf.server";
import type { PersonalData } from "./personal-data.server";

/**
 * A person's data as a JSON download: the sections' keys as personalDataOf gives them, dates as
 * ISO 8601, the moment it was made first.
 */
export function personalDataJson(data: PersonalData, fileName: string, now = new Date()): Response {
  const body = JSON.stringify({ exportedAt: now, ...data }, null, 2);
  return new Response(body, { headers: privateFileHeaders("application/json; charset=utf-8", fileName) });
}

export async function personalDataPdf(data: PersonalData, fileName: string, now = new Date()): Promise<Response> {
  const pdf = await renderPersonalDataPdf(data, now);
  return new Response(new Uint8Array(pdf), { headers: privateFileHeaders("application/pdf", fileName) });
}
