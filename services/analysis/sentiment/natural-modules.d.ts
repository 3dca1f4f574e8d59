// natural's top-level entry loads dotenv and database clients; Earshot imports
// only the modules it uses, which ship without type declarations of their own.
declare module 'natural/lib/natural/sentiment/SentimentAnalyzer.js' {
  export default class SentimentAnalyzer {
    constructor(language: string, stemmer: unknown, vocabularyType: string);
    vocabulary: Record<string, number>;
    negations: string[];
    getSentiment(words: string[]): number;
  }
}
