/** Databases are left in place for post-mortems; the next run drops and recreates them. */
export default async function globalTeardown(): Promise<void> {}
