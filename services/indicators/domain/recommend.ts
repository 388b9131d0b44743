/**
 * Matching a free-text description (Chinese) of a spending object against the library's
 * individual indicators. Words come from `Intl.Segmenter` (ICU's dictionary segmentation, no
 * network model); character bigrams back it up where the segmenter splits a term differently
 * (人数 / 人次). Scores are BM25-like: rare words count more, name matches count double.
 * Pure: the caller fetches candidates and passes them in.
 */
// Built on first use: loading ICU's Chinese dictionary costs ~10 ms, which every cold start of
// the API would otherwise pay although only recommendations segment text.
let segmenter: Intl.Segmenter | undefined;

/** Function words and generic terms that say nothing about what an indicator measures. */
const STOP_WORDS = new Set([
  '的', '了', '和', '与', '及', '或', '等', '于', '为', '是', '在', '对', '将', '把', '被', '其', '之', '以', '并', '由', '从', '向',
  '年', '年度', '项目', '资金', '情况', '工作', '开展', '进行', '相关', '有关', '通过', '用于', '实施', '完成', '提高', '提升',
]);

export function words(text: string): string[] {
  const out: string[] = [];
  segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  for (const part of segmenter.segment(text.toLowerCase())) {
    if (!part.isWordLike) continue;
    const word = part.segment.trim();
    // Single Han characters (助, 学, 人) are mostly fragments of words the dictionary missed;
    // the bigrams below cover those, so single characters only add noise.
    if (!word || STOP_WORDS.has(word) || /^\d+(\.\d+)?$/.test(word) || /^\p{Script=Han}$/u.test(word)) continue;
    out.push(word);
  }
  return out;
}

/** Character bigrams of the Han runs in a text. */
export function bigrams(text: string): string[] {
  const out: string[] = [];
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  }
  return out;
}

export interface Candidate<T> {
  item: T;
  name: string;
  explanation?: string;
}

export interface Match<T> {
  item: T;
  score: number;
  /** Query words found in the candidate's name / explanation. */
  inName: string[];
  inExplanation: string[];
}

interface Indexed<T> {
  candidate: Candidate<T>;
  name: Set<string>;
  explanation: Set<string>;
}

function terms(text: string): Set<string> {
  return new Set([...words(text), ...bigrams(text)]);
}

export function rankMatches<T>(description: string, candidates: readonly Candidate<T>[], limit: number): Match<T>[] {
  const queryWords = [...new Set(words(description))];
  const queryBigrams = [...new Set(bigrams(description))].filter((b) => !queryWords.includes(b));
  if (!queryWords.length && !queryBigrams.length) return [];
  const indexed: Indexed<T>[] = candidates.map((candidate) => ({
    candidate,
    name: terms(candidate.name),
    explanation: terms(candidate.explanation ?? ''),
  }));
  const n = indexed.length;
  const idf = (term: string) => {
    const df = indexed.filter((d) => d.name.has(term) || d.explanation.has(term)).length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };
  const weights = new Map<string, number>([
    ...queryWords.map((w) => [w, idf(w)] as const),
    ...queryBigrams.map((b) => [b, idf(b) * 0.4] as const),
  ]);

  const matches: Match<T>[] = [];
  for (const doc of indexed) {
    let score = 0;
    const inName: string[] = [];
    const inExplanation: string[] = [];
    for (const [term, weight] of weights) {
      if (doc.name.has(term)) {
        score += 2 * weight;
        if (queryWords.includes(term)) inName.push(term);
      } else if (doc.explanation.has(term)) {
        score += weight;
        if (queryWords.includes(term)) inExplanation.push(term);
      }
    }
    if (score > 0) matches.push({ item: doc.candidate.item, score: Math.round(score * 1000) / 1000, inName, inExplanation });
  }
  return matches.sort((a, b) => b.score - a.score).slice(0, limit);
}

export function explainMatch(match: Pick<Match<unknown>, 'inName' | 'inExplanation'>, sectorLabel: string): string {
  const parts: string[] = [];
  if (match.inName.length) parts.push(`its name shares ${match.inName.map((w) => `「${w}」`).join('')} with the description`);
  if (match.inExplanation.length) parts.push(`its explanation mentions ${match.inExplanation.map((w) => `「${w}」`).join('')}`);
  if (!parts.length) parts.push('its wording is close to the description');
  return `${parts.join('; ')}; an individual indicator of the ${sectorLabel} sector`;
}
