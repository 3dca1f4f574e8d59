/** Platforms owners ask about that Earshot deliberately does not watch, and why. */
export const unsupportedPlatforms: ReadonlyArray<{ id: string; displayName: string; reason: string }> = [
  {
    id: 'facebook_ratings',
    displayName: 'Facebook Page ratings',
    reason: 'Facebook removed the Page ratings (recommendations) endpoint from its current Graph API versions (v22.0 and later answer with error 12).',
  },
  {
    id: 'tripadvisor',
    displayName: 'Tripadvisor',
    reason: "Tripadvisor's Content API terms forbid storing review content, and Earshot must store reviews to alert on them and measure responses.",
  },
];
