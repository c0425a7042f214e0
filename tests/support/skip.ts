/** True in the postgres project when no PostgreSQL server was found. */
export const noDatabase = process.env.WERIFY_TEST_NO_DB === "1";
