import QRCode from "qrcode";
import { getEnv } from "~/env.server";

/**
 * Where a phone pointed at the meeting's screen lands: the join page with the code filled in.
 * The QR code is drawn here, as SVG, so the page needs no script to show it.
 */
export async function meetingJoinLink(code: string) {
  const url = `${getEnv().PUBLIC_URL}/moede?kode=${encodeURIComponent(code)}`;
  const svg = await QRCode.toString(url, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
  return { url, qrImage: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` };
}
