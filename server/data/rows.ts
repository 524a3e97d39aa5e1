/** Helpers shared by the table modules for turning rows into wire values. */

/** A timestamp column (a Date from node-postgres, a string from PGlite or inside row_to_json) as ISO 8601. */
export const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());
