/** Routes of the accountability service: alerts (being built, issue #7). */
export const alertRoutes = {} as const;
