import { sql } from "drizzle-orm";
import { json } from "@remix-run/node";
import { db } from "~/db.server";

export async function loader() {
  try {
    db.get(sql`select 1`);
    return json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return json({ status: "database unavailable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
