/** Routes of the accountability service: rectifications (being built, issue #7). */
export const rectificationRoutes = {} as const;
