import { readFileSync } from 'node:fs';
import path from 'node:path';

/** One labelled text: `negative` is the class the harness measures (the one that wakes an owner). */
export interface LabelledText {
  text: string;
  negative: boolean;
  /** Where the text came from inside its data set (file, star rating, original label). */
  group: string;
  /** VADER only: the mean human valence (-4..+4). */
  valence?: number;
}

export interface Dataset {
  name: string;
  texts: LabelledText[];
  /** Texts of the same set left out of the binary figures (neutral tweets, 3-star reviews), scored separately. */
  heldAside?: LabelledText[];
  note: string;
}

const UCI_DIR = 'uci-sentiment-labelled-sentences';
const VADER_DIR = 'vader-ground-truth';
export const UCI_FILES = ['yelp_labelled.txt', 'amazon_cells_labelled.txt', 'imdb_labelled.txt'];
export const VADER_FILES = ['tweets_GroundTruth.txt', 'amazonReviewSnippets_GroundTruth.txt', 'movieReviewSnippets_GroundTruth.txt', 'nytEditorialSnippets_GroundTruth.txt'];
/** VADER's labels are mean human valences on -4..+4; snippets closer to 0 than this are too mild to call either way. */
export const VADER_MIN_VALENCE = 0.5;

/** UCI sentiment-labelled sentences (CC BY 4.0): `sentence<TAB>0|1`, split on the last tab. */
export function loadUci(dir: string): LabelledText[] {
  const texts: LabelledText[] = [];
  for (const file of UCI_FILES) {
    for (const line of readFileSync(path.join(dir, UCI_DIR, file), 'utf8').split(/\r?\n/)) {
      const tab = line.lastIndexOf('\t');
      if (tab < 0) continue;
      const label = line.slice(tab + 1).trim();
      if (label !== '0' && label !== '1') continue;
      texts.push({ text: line.slice(0, tab).trim(), negative: label === '0', group: file.replace('_labelled.txt', '') });
    }
  }
  return texts;
}

/**
 * VADER ground truth (MIT): `id<TAB>valence<TAB>text`. Mild snippets (|valence| < 0.5)
 * are too mild to call either way; they are kept only when `mild` is true.
 */
export function loadVader(dir: string, mild = false): LabelledText[] {
  const texts: LabelledText[] = [];
  for (const file of VADER_FILES) {
    for (const line of readFileSync(path.join(dir, VADER_DIR, file), 'utf8').split(/\r?\n/)) {
      const [, valenceField, ...rest] = line.split('\t');
      const valence = Number(valenceField);
      const text = rest.join('\t').trim();
      if (!Number.isFinite(valence) || text === '' || (!mild && Math.abs(valence) < VADER_MIN_VALENCE)) continue;
      texts.push({ text, negative: valence < 0, group: file.replace('_GroundTruth.txt', ''), valence });
    }
  }
  return texts;
}

/** Airline-complaint tweets (CC BY-NC-SA, evaluation only): negative vs positive; neutral held aside. */
export function loadAirline(dir: string): Dataset {
  const rows = parseDelimited(readFileSync(path.join(dir, 'twitter-us-airline-sentiment', 'Tweets.csv'), 'utf8'), ',');
  const header = rows.shift() ?? [];
  const textAt = header.indexOf('text');
  const labelAt = header.indexOf('airline_sentiment');
  const texts: LabelledText[] = [];
  const heldAside: LabelledText[] = [];
  for (const row of rows) {
    const text = row[textAt]?.trim();
    const label = row[labelAt];
    if (!text) continue;
    if (label === 'neutral') heldAside.push({ text, negative: false, group: 'neutral' });
    else if (label === 'negative' || label === 'positive') texts.push({ text, negative: label === 'negative', group: label });
  }
  return { name: 'airline tweets', texts, heldAside, note: 'negative vs positive tweets; neutral tweets held aside (share labelled negative is reported)' };
}

/** Amazon Alexa reviews (no licence, evaluation only): 1–2★ negative vs 4–5★ positive, text only; 3★ held aside. */
export function loadAlexa(dir: string): Dataset {
  const rows = parseDelimited(readFileSync(path.join(dir, 'amazon-alexa-reviews', 'amazon_alexa.tsv'), 'utf8').replace(/^\uFEFF/, ''), '\t');
  const header = rows.shift() ?? [];
  const ratingAt = header.indexOf('rating');
  const textAt = header.indexOf('verified_reviews');
  const texts: LabelledText[] = [];
  const heldAside: LabelledText[] = [];
  for (const row of rows) {
    const rating = Number(row[ratingAt]);
    const text = row[textAt]?.trim();
    if (!text || !Number.isInteger(rating)) continue;
    const entry = { text, negative: rating <= 2, group: `${rating}★` };
    if (rating === 3) heldAside.push(entry);
    else texts.push(entry);
  }
  return { name: 'Amazon Alexa reviews', texts, heldAside, note: '1–2★ negative vs 4–5★ positive, text only; empty texts dropped, 3★ held aside' };
}

/** RFC 4180-style records: quoted fields may hold the delimiter, doubled quotes and newlines. */
export function parseDelimited(input: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStart = true;
  for (let i = 0; i < input.length; i++) {
    const c = input[i] as string;
    if (quoted) {
      if (c === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
    } else if (c === delimiter) {
      row.push(field);
      field = '';
      fieldStart = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      row.push(field);
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      field = '';
      fieldStart = true;
    } else {
      field += c;
      fieldStart = false;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
