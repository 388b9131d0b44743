/** Routes of the accountability service: assessments (being built, issue #7). */
export const assessmentRoutes = {} as const;
