import { randomBytes } from "node:crypto";

/**
 * Row ids for rows the lib/db modules insert, of the shape Prisma's `cuid()`
 * gives the rows the Prisma client inserts (25 characters, starting with "c",
 * roughly time-ordered), so both kinds of row look alike. No cuid library is
 * installed; this is the one place ids are made.
 */
export function newId(): string {
  const time = Date.now().toString(36).padStart(9, "0").slice(-9);
  let random = "";
  for (const byte of randomBytes(15)) random += (byte % 36).toString(36);
  return `c${time}${random}`;
}
