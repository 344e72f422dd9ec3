/**
 * The whole schema, one file per domain, in the order they build on each other: a file imports
 * only from the files above it here (and columns.ts), so there are no import cycles. drizzle's
 * types take one relations() per table, so a table's relations sit beside it and name only tables
 * of its own file or of earlier ones: a parent in an earlier file (users, organisations, courses,
 * modules) does not list its children in a later one; such a link is read from the child's side.
 * drizzle-kit reads the whole folder: run `npm run db:generate` after a change here.
 */
export * from "./identity";
export * from "./organisations";
export * from "./catalog";
export * from "./licensing";
export * from "./sso";
export * from "./billing";
export * from "./learning";
export * from "./training";
export * from "./feedback";
export * from "./measurements";
export * from "./meetings";
export * from "./media";
export * from "./email";
export * from "./platform";
export * from "./privacy";
