/** How many years a measure's trend shows, ending with the chosen one. */
export const TREND_YEARS = 4;

/** Late items per page: small enough to read (the API allows up to 1000). */
export const PAGE_SIZE = 25;
