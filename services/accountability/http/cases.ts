/** Routes of the accountability service: cases (being built, issue #7). */
export const caseRoutes = {} as const;
