/** Routes of the accountability service: disclosure (being built, issue #7). */
export const disclosureRoutes = {} as const;
