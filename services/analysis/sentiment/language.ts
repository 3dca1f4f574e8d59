/**
 * Which language a text is in, so text the analyzer cannot judge is `unknown` rather
 * than silently neutral. The platform's language field decides when it is given;
 * otherwise a small detector counts the commonest function words of each language.
 */

export type SupportedLanguage = 'en' | 'es' | 'pt';
export const SUPPORTED_LANGUAGES: readonly SupportedLanguage[] = ['en', 'es', 'pt'];

// Function words that are frequent in one language and rare in the others (written for Earshot).
const PROFILES: Record<string, readonly string[]> = {
  en: ['the', 'and', 'is', 'was', 'were', 'are', 'it', 'i', 'you', 'we', 'they', 'this', 'that', 'with', 'for', 'of', 'to', 'my', 'our', 'have', 'has', 'had', 'not', 'but', 'very', 'be', 'at', 'on', 'in', 'will', 'would', 'just', 'so', "i'm", "it's", 'what', 'an', 'from', 'me', 'your', 'been', 'there'],
  es: ['el', 'la', 'los', 'las', 'y', 'es', 'muy', 'con', 'para', 'por', 'pero', 'que', 'una', 'un', 'del', 'lo', 'nos', 'fue', 'estaba', 'está', 'mi', 'su', 'sin', 'más', 'nunca', 'comida', 'servicio', 'todo', 'hay', 'como', 'esta', 'este', 'también', 'nada', 'porque', 'ya'],
  pt: ['o', 'os', 'as', 'e', 'é', 'muito', 'com', 'para', 'por', 'mas', 'que', 'uma', 'um', 'do', 'da', 'não', 'foi', 'estava', 'meu', 'minha', 'sem', 'mais', 'nunca', 'comida', 'atendimento', 'tudo', 'isso', 'você', 'também', 'nada', 'porque', 'já', 'em', 'ao', 'nem'],
  fr: ['le', 'la', 'les', 'et', 'est', 'très', 'avec', 'pour', 'mais', 'que', 'une', 'un', 'du', 'des', 'pas', 'ne', 'était', 'je', 'nous', 'vous', 'il', 'ce', 'cette', 'sont', 'tout', 'jamais', 'rien', 'au', 'sur', "c'est", "j'ai"],
  de: ['der', 'die', 'das', 'und', 'ist', 'sehr', 'mit', 'für', 'aber', 'nicht', 'ein', 'eine', 'war', 'ich', 'wir', 'sie', 'es', 'auf', 'zu', 'den', 'dem', 'auch', 'nie', 'nichts', 'wurde', 'haben', 'hat', 'kein', 'keine', 'essen'],
  it: ['il', 'lo', 'gli', 'e', 'è', 'molto', 'con', 'per', 'ma', 'che', 'una', 'un', 'della', 'del', 'non', 'era', 'sono', 'mai', 'niente', 'anche', 'questo', 'questa', 'tutto', 'ho', 'abbiamo', 'cibo', 'servizio'],
  nl: ['de', 'het', 'een', 'en', 'is', 'zeer', 'heel', 'met', 'voor', 'maar', 'niet', 'was', 'ik', 'wij', 'we', 'ze', 'op', 'te', 'van', 'ook', 'nooit', 'niets', 'geen', 'eten', 'hebben', 'heeft'],
};

const PROFILE_ORDER = Object.keys(PROFILES);
const PROFILE_INDEX = new Map<string, string[]>();
for (const [language, words] of Object.entries(PROFILES)) {
  for (const word of words) PROFILE_INDEX.set(word, [...(PROFILE_INDEX.get(word) ?? []), language]);
}

/** The platform's language tag as a bare code ("en-GB" → "en"); null when it says nothing. */
export function normaliseLanguageTag(tag: string | null): string | null {
  if (tag === null) return null;
  const code = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return code === '' || code === 'und' || code === 'zxx' || code === 'mul' ? null : code;
}

/**
 * The language to judge a text in: the platform's field when given, else detected
 * from the text's tokens. `undefined` means it cannot be judged.
 */
export function resolveLanguage(tag: string | null, tokens: Iterable<string>): SupportedLanguage | undefined {
  const code = normaliseLanguageTag(tag) ?? detectLanguage(tokens);
  return (SUPPORTED_LANGUAGES as readonly string[]).includes(code) ? (code as SupportedLanguage) : undefined;
}

/**
 * The language whose function words the tokens use most. Text with none of them is
 * taken as English when it is written in Latin letters (short posts such as "Awful!"),
 * and as undetermined ("und") otherwise.
 */
export function detectLanguage(tokens: Iterable<string>): string {
  const counts = new Map<string, number>();
  let latin = 0;
  let other = 0;
  for (const token of tokens) {
    const languages = PROFILE_INDEX.get(token);
    if (languages !== undefined) for (const language of languages) counts.set(language, (counts.get(language) ?? 0) + 1 / languages.length);
    const code = token.charCodeAt(0);
    if (code < 0x250) latin++;
    else if (/^\p{L}/u.test(token)) other++;
  }
  let best = '';
  let bestCount = 0;
  // Ties go to the supported languages, English first: they are listed first.
  for (const language of PROFILE_ORDER) {
    const count = counts.get(language) ?? 0;
    if (count > bestCount) {
      best = language;
      bestCount = count;
    }
  }
  if (bestCount > 0) return best;
  return latin >= other ? 'en' : 'und';
}
