import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A hand-labelled complaint: its text and the topics it is about. */
export interface TopicCase {
  text: string;
  topics: string[];
}

/** Every `*.json` file in the folder: an array of { text, topics }. */
export function loadTopicCases(dir: string): TopicCase[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .flatMap((file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as TopicCase[]);
}
