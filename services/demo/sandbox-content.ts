/**
 * What the demo sandbox starts with: invented reviews of an invented restaurant
 * and invented Bluesky posts about it. Times are relative to the sandbox's start
 * so a fresh demo always finds them recent.
 */

export interface SeedReview {
  rating: number;
  text: string;
  author: string;
  hoursAgo: number;
}

export interface SeedPost {
  text: string;
  author: string;
  hoursAgo: number;
}

export const DEMO_PLACE_NAME = 'Demo Bistro';

export const SEED_REVIEWS: readonly SeedReview[] = [
  { rating: 5, author: 'Maren Holt', hoursAgo: 70, text: 'The duck confit was perfectly crisp and the staff remembered our anniversary. A lovely evening.' },
  { rating: 4, author: 'Tomas Ekberg', hoursAgo: 200, text: 'Good seasonal menu and fair prices. The desserts could be a little less sweet.' },
  { rating: 1, author: 'Priya Nandakumar', hoursAgo: 6, text: 'Booked a table for eight and found it given away when we arrived. The manager just shrugged. We left hungry and angry.' },
  { rating: 2, author: 'Colm Brady', hoursAgo: 26, text: 'The soup came out lukewarm and we waited forty minutes for mains. The bread was nice, though.' },
  { rating: 5, author: 'Ines Duarte', hoursAgo: 50, text: 'Best brunch in the neighbourhood; the shakshuka is worth the queue.' },
];

export const SEED_POSTS: readonly SeedPost[] = [
  { author: 'Juno Park', hoursAgo: 5, text: 'Lunch at Demo Bistro today: the mushroom risotto was excellent. Will be back!' },
  { author: 'Rafael Ortiz', hoursAgo: 2, text: 'Avoid Demo Bistro. There was a hair in my salad and the waiter argued with me instead of replacing it. Awful.' },
  { author: 'Lena Vogel', hoursAgo: 12, text: 'Has anyone tried the new tasting menu at Demo Bistro? Thinking of going on Friday.' },
  // Found by the platform's loose search, dropped by Earshot's whole-word match.
  { author: 'Design Fair', hoursAgo: 8, text: 'Our demo bistros pop-up at the design fair was a hit, thanks all who came by.' },
];
