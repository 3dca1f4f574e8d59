/** A Place Details (New) response with the given reviews, shaped like the real one. Synthetic text. */
export interface SyntheticReview {
  id: string;
  rating: number;
  text: string;
  author: string;
  /** Hours before now. */
  hoursAgo: number;
}

export function placeDetails(placeId: string, reviews: SyntheticReview[], now = new Date()): object {
  return {
    id: placeId,
    displayName: { text: 'Chez Test', languageCode: 'en' },
    rating: 4.1,
    userRatingCount: 212,
    googleMapsUri: `https://maps.google.com/?cid=${placeId}`,
    reviews: reviews.map((review) => ({
      name: `places/${placeId}/reviews/${review.id}`,
      relativePublishTimeDescription: 'a day ago',
      rating: review.rating,
      text: { text: review.text, languageCode: 'en' },
      originalText: { text: review.text, languageCode: 'en' },
      authorAttribution: { displayName: review.author, uri: `https://www.google.com/maps/contrib/${review.id}`, photoUri: 'https://lh3.googleusercontent.com/a/x' },
      publishTime: new Date(now.getTime() - review.hoursAgo * 3_600_000).toISOString(),
      flagContentUri: 'https://www.google.com/local/review/rap/report?postId=x',
      googleMapsUri: `https://www.google.com/maps/reviews/data=${review.id}`,
    })),
  };
}
