/** Routes of the accountability service: reports (being built, issue #7). */
export const reportRoutes = {} as const;
