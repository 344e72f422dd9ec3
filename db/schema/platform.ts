import { sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Small values the platform keeps for itself, such as the id of the VAT rate created once at Stripe. */
export const platformSettings = sqliteTable("platform_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});
