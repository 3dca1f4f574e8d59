import { CLAUSE_BREAK, CONTRAST, splitSentences, tokenize } from './tokens.ts';

/** What a complaint is about, so an owner reads "4 complaints about waiting this week". */
export type ComplaintTopic = 'wait' | 'service' | 'staff_attitude' | 'quality' | 'price' | 'cleanliness' | 'booking_delivery' | 'other';
export const COMPLAINT_TOPICS: readonly ComplaintTopic[] = ['wait', 'service', 'staff_attitude', 'quality', 'price', 'cleanliness', 'booking_delivery', 'other'];

/**
 * Each topic in words, as it reads after "complaints about" — in digests, rule summaries
 * and the inbox's filter. Typed by the topic list, so a new topic cannot be added without
 * saying how people read it.
 */
export const TOPIC_WORDS: Readonly<Record<ComplaintTopic, string>> = {
  wait: 'waiting',
  service: 'service',
  staff_attitude: 'staff attitude',
  quality: 'quality',
  price: 'price',
  cleanliness: 'cleanliness',
  booking_delivery: 'booking or delivery',
  other: 'something else',
};

/** A stored topic in words; one from a later analyzer than this one still reads as words. */
export function topicWords(topic: string): string {
  return Object.hasOwn(TOPIC_WORDS, topic) ? TOPIC_WORDS[topic as ComplaintTopic] : topic.replaceAll('_', ' ');
}

// Word stems (matched at the start of a word) and phrases, English and Spanish. Written for Earshot.
const CUES: Record<Exclude<ComplaintTopic, 'other'>, string[]> = {
  wait: [
    'wait', 'queue', 'slow', 'forever', 'took ages', 'ages', 'on hold', 'hold for', 'minutes', 'mins', 'hour', 'hrs', 'delay', 'late', 'still no', 'still not', 'still have not', 'took so long', 'long time', 'too long', 'sat there', 'line', 'kept us', 'kept me',
    'esper', 'lent', 'tard', 'demor', 'cola', 'minutos', 'hora',
  ],
  service: [
    'service', 'ignored', 'ignoring', 'forgot', 'forgotten', 'no one came', 'nobody came', 'never came', 'no response', 'no reply', 'answer', 'callback', 'never called', 'never got back', 'call back', 'called back', 'support', 'helpdesk', 'help desk', 'unhelpful', 'wrong order', 'got my order wrong', 'mixed up', 'brought the wrong', 'attention', 'refused', 'complain', 'hung up',
    'servicio', 'atención', 'atencion', 'ignor', 'olvid', 'nadie', 'no contestan', 'no responden', 'pedido equivocado',
  ],
  staff_attitude: [
    'rude', 'arrogant', 'attitude', 'unfriendly', 'condescending', 'dismissive', 'yelled', 'shouted', 'snapped', 'insult', 'disrespect', 'unprofessional', 'rolled her eyes', 'rolled his eyes', 'rolled their eyes', 'eye roll', 'sarcastic', 'hostile', 'aggressive', 'patroniz', 'patronis', 'laughed at', 'made fun', 'mean to', 'grumpy', 'annoyed with us', 'treated us like', 'treated me like',
    'grosero', 'grosera', 'maleducad', 'antipátic', 'antipatic', 'borde', 'prepotente', 'nos gritó', 'me gritó', 'desagradable', 'mala actitud', 'mal trato', 'malos modos',
  ],
  quality: [
    'cold', 'bland', 'stale', 'soggy', 'greasy', 'undercooked', 'overcooked', 'raw', 'burnt', 'burned', 'tasteless', 'salty', 'dry', 'tough', 'chewy', 'flavor', 'flavour', 'taste', 'quality', 'broke', 'broken', 'defective', 'faulty', 'stopped working', 'does not work', 'did not work', 'not working', 'flimsy', 'cheaply made', 'poisoning', 'sick', 'inedible', 'disgusting', 'lukewarm', 'watery', 'rubbery', 'frozen', 'mushy', 'falls apart', 'fell apart', 'battery', 'cracked', 'tore', 'ripped',
    'frí', 'fria', 'frio', 'crud', 'quemad', 'sabor', 'insípid', 'insipid', 'calidad', 'roto', 'rota', 'no funciona', 'dejó de funcionar', 'salado', 'salada', 'duro', 'seco', 'seca', 'intoxica',
  ],
  price: [
    'price', 'pricey', 'expensive', 'overpriced', 'over priced', 'overcharg', 'charged', 'extra charge', 'bill', 'cost', 'money', 'rip off', 'ripoff', 'refund', 'fee', 'deposit', 'paid', 'pay', 'value', 'worth', '$', '€', '£', 'euros', 'dollars',
    'caro', 'cara', 'carísim', 'precio', 'cobr', 'cuenta', 'dinero', 'pagu', 'pagamos', 'pagar', 'reembolso', 'estafa', 'euro',
  ],
  cleanliness: [
    'dirty', 'filthy', 'unclean', 'not clean', 'never clean', 'smell', 'smelly', 'stink', 'stank', 'sticky', 'cockroach', 'roach', 'bugs', 'mice', 'mouse', 'rats', 'a rat', 'mold', 'mould', 'hair in', 'a hair', 'stain', 'dust', 'grime', 'grimy', 'gross', 'greasy floor', 'toilet', 'bathroom', 'restroom', 'hygien', 'unsanitary', 'crumbs', 'trash', 'garbage',
    'suci', 'limpi', 'olor', 'huele', 'apest', 'cucarach', 'bicho', 'ratón', 'pelo en', 'un pelo', 'mancha', 'baño', 'higien', 'asquer',
  ],
  booking_delivery: [
    'booking', 'booked', 'book a', 'reservation', 'reserved', 'delivery', 'deliver', 'delivered', 'never arrived', 'package', 'parcel', 'shipping', 'shipped', 'shipment', 'courier', 'tracking', 'cancel', 'rebook', 'appointment', 'no record', 'lost our', 'lost my', 'flight', 'order never', 'missing item', 'missing from', 'check in', 'check-in', 'overbooked', 'double booked', 'wrong address',
    'reserv', 'entreg', 'envío', 'envio', 'paquete', 'cancel', 'cita', 'llegó', 'llego', 'nunca llegó', 'pedido',
  ],
};

interface Cue {
  topic: ComplaintTopic;
  /** Tokens of the cue; the last one matches as a word prefix. */
  tokens: string[];
}

const CUE_INDEX = new Map<string, Cue[]>();
const SYMBOL_CUES: Cue[] = [];
for (const [topic, cues] of Object.entries(CUES) as Array<[ComplaintTopic, string[]]>) {
  for (const cue of cues) {
    if (!/\p{L}/u.test(cue)) {
      SYMBOL_CUES.push({ topic, tokens: [cue] });
      continue;
    }
    const tokens = tokenize(cue).filter((t) => t !== CLAUSE_BREAK && t !== CONTRAST);
    // Indexed by the first three letters of the first token, so a lookup costs one Map read per word.
    const key = (tokens[0] as string).slice(0, 3);
    CUE_INDEX.set(key, [...(CUE_INDEX.get(key) ?? []), { topic, tokens }]);
  }
}

// Words that look like cues but are not complaints about that topic.
const NOT_CUES = new Set(['waiter', 'waiters', 'waitress', 'waitresses', 'waitstaff', 'later', 'lately', 'latest', 'costume', 'costumes', 'dryer', 'billion', 'toughest', 'worthy', 'worthwhile', 'colapso', 'lentejas', 'sickness']);

/** The topics a complaint is about; `other` when none is recognised. */
export function tagTopics(text: string): ComplaintTopic[] {
  const found = new Set<ComplaintTopic>();
  for (const sentence of splitSentences(text)) {
    const tokens = tokenize(sentence);
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as string;
      const candidates = CUE_INDEX.get(token.slice(0, 3));
      if (candidates === undefined) continue;
      for (const cue of candidates) if (!found.has(cue.topic) && cueMatches(tokens, i, cue.tokens)) found.add(cue.topic);
    }
    for (const cue of SYMBOL_CUES) if (sentence.includes(cue.tokens[0] as string)) found.add(cue.topic);
  }
  return found.size === 0 ? ['other'] : COMPLAINT_TOPICS.filter((t) => found.has(t));
}

function cueMatches(tokens: readonly string[], start: number, cue: readonly string[]): boolean {
  if (start + cue.length > tokens.length) return false;
  const last = cue.length - 1;
  for (let k = 0; k < last; k++) if (tokens[start + k] !== cue[k]) return false;
  const word = tokens[start + last] as string;
  const stem = cue[last] as string;
  if (!word.startsWith(stem)) return false;
  // A one-word cue must not match inside a longer unrelated word ("rat" in "rather").
  return !(cue.length === 1 && word !== stem && NOT_CUES.has(word));
}
