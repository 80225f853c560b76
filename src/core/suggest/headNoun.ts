/** The head noun of an entity phrase, shared by the kind and box suggestions. */

/** Words that end the head noun phrase: what follows them only qualifies it. */
const CUTTERS = new Set([
  'of',
  'in',
  'on',
  'at',
  'with',
  'near',
  'under',
  'behind',
  'beside',
  'by',
  'from',
  'to',
  'into',
  'onto',
  'over',
  'above',
  'below',
  'between',
  'next',
  'inside',
  'outside',
  'holding',
  'that',
  'which',
  'who',
  'where',
  'for',
  'against',
  'along',
  'across',
  'around',
  'wearing',
]);

/** Leading words that are never the head. */
const DETERMINERS = new Set([
  'the',
  'a',
  'an',
  'this',
  'that',
  'these',
  'those',
  'its',
  'his',
  'her',
  'their',
  'my',
  'our',
  'your',
  'some',
]);

/** Irregular plurals seen in entity text; regular ones lose their -s / -es. */
const IRREGULAR: Readonly<Record<string, string>> = {
  children: 'child',
  people: 'person',
  men: 'man',
  women: 'woman',
  feet: 'foot',
  teeth: 'tooth',
  mice: 'mouse',
  knives: 'knife',
  shelves: 'shelf',
  leaves: 'leaf',
  glasses: 'glass',
  boxes: 'box',
  dishes: 'dish',
  brushes: 'brush',
  benches: 'bench',
  couches: 'couch',
  clothes: 'clothes',
};

/** Words that end in s but are singular. */
const KEEP_S = new Set([
  'glass',
  'grass',
  'bus',
  'dress',
  'mattress',
  'cactus',
  'clothes',
  'lens',
  'scissors',
  'pants',
  'shorts',
  'jeans',
  'glasses',
  'compass',
  'canvas',
  'walrus',
  'surface',
  'is',
  'this',
  'its',
  'his',
  'was',
  'gas',
]);

/** Lower-case words of a phrase, punctuation dropped, hyphens kept inside words. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9\s-]/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

/** The singular form of one lower-case word (a small rule set, good enough for matching). */
export function singular(word: string): string {
  const irregular = IRREGULAR[word];
  if (irregular) return irregular;
  if (KEEP_S.has(word) || word.length <= 3 || word.endsWith('ss') || word.endsWith('us'))
    return word;
  if (word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (/(ches|shes|xes|sses)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

/** The words of the leading noun phrase: determiners dropped, cut at the first preposition or clause word. */
export function nounPhrase(text: string): string[] {
  const all = words(text);
  let start = 0;
  while (start < all.length - 1 && DETERMINERS.has(all[start] as string)) start++;
  const out: string[] = [];
  for (let i = start; i < all.length; i++) {
    const w = all[i] as string;
    if (out.length > 0 && CUTTERS.has(w)) break;
    out.push(w);
  }
  return out;
}

/** The head noun (singular) of an entity phrase: the last word of its leading noun phrase. */
export function headNoun(text: string): string {
  const phrase = nounPhrase(text);
  return singular(phrase[phrase.length - 1] ?? '');
}
