import { sqlite } from "~/db.server";

/** Every table of the database, as its rows in a fixed order: two dumps are equal only when nothing was written in between. */
export function dumpTables(): Record<string, unknown[]> {
  const tables = sqlite()
    .prepare(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name",
    )
    .all() as { name: string }[];
  // Without ORDER BY a table is read in its own key order, which an unchanged table keeps.
  return Object.fromEntries(tables.map(({ name }) => [name, sqlite().prepare(`select * from "${name}"`).all()]));
}
