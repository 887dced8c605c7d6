const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a path id can be a row id at all. Checked before a lookup so a malformed id answers
 * 404 like another organization's object, instead of reaching PostgreSQL as a cast error.
 */
export const isUuid = (id: string): boolean => UUID.test(id);
