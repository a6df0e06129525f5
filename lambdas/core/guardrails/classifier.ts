/**
 * A small multinomial naive Bayes text classifier over word unigrams and bigrams, for the compliance
 * checks that must read meaning rather than fixed phrases ("I heard from the CFO before the
 * announcement…" is insider information though it says neither "insider" nor "non-public").
 *
 * It is trained when the module loads, from the versioned labelled corpus in compliance-corpus.ts
 * (a few hundred short sentences: milliseconds), on the training split only, so the held-out split
 * measures it honestly (`evaluateHeldOut`). Tickers and figures are folded to placeholder tokens so
 * the model learns the wording around them, not the symbols of the corpus.
 *
 * Pure: no I/O.
 */
import { skeleton } from './text';

export interface LabelledExample<Label extends string> {
  text: string;
  label: Label;
}

export interface Classification<Label extends string> {
  label: Label;
  /** Posterior probability of `label`. */
  probability: number;
  /** How many of the text's features the model has seen: little evidence, little to go on. */
  evidence: number;
}

/** Words that carry no meaning for these decisions; dropped before counting. */
const STOPWORDS = new Set(['a', 'an', 'the', 'of', 'to', 'and', 'or', 'in', 'on', 'for', 'is', 'are', 'be', 'it', 'its', 'this', 'that']);

/** The tokens a text is counted by: placeholders for tickers and figures, then unigrams and bigrams. */
export function featuresOf(text: string): string[] {
  const folded = text
    .replace(/\$?\d+(?:[.,]\d+)*%?/g, ' num ')
    .replace(/\b[A-Z]{2,5}\b(?!')/g, (word) => (/^(?:I|CFO|CEO|COO|CTO|IRA|SEC|EPS|FY)$/.test(word) ? word : ' tkr '));
  const words = (skeleton(folded).match(/[a-z]+(?:'[a-z]+)?/g) ?? []).filter((w) => !STOPWORDS.has(w));
  const features = [...words];
  for (let i = 1; i < words.length; i += 1) features.push(`${words[i - 1]}_${words[i]}`);
  return features;
}

export class NaiveBayes<Label extends string> {
  private readonly logPrior = new Map<Label, number>();
  private readonly logLikelihood = new Map<Label, Map<string, number>>();
  private readonly logUnseen = new Map<Label, number>();

  constructor(
    examples: ReadonlyArray<LabelledExample<Label>>,
    readonly labels: readonly Label[],
    private readonly smoothing = 0.5,
  ) {
    const counts = new Map<Label, Map<string, number>>(labels.map((l) => [l, new Map()]));
    const totals = new Map<Label, number>(labels.map((l) => [l, 0]));
    const docs = new Map<Label, number>(labels.map((l) => [l, 0]));
    const vocabulary = new Set<string>();
    for (const { text, label } of examples) {
      docs.set(label, docs.get(label)! + 1);
      for (const feature of featuresOf(text)) {
        vocabulary.add(feature);
        const perLabel = counts.get(label)!;
        perLabel.set(feature, (perLabel.get(feature) ?? 0) + 1);
        totals.set(label, totals.get(label)! + 1);
      }
    }
    // Uniform priors: the corpus's class balance says nothing about how often FAs ask each kind.
    for (const label of labels) {
      this.logPrior.set(label, Math.log(1 / labels.length));
      const denominator = totals.get(label)! + smoothing * (vocabulary.size + 1);
      const map = new Map<string, number>();
      for (const [feature, n] of counts.get(label)!) map.set(feature, Math.log((n + smoothing) / denominator));
      this.logLikelihood.set(label, map);
      this.logUnseen.set(label, Math.log(smoothing / denominator));
    }
    this.vocabulary = vocabulary;
  }

  private readonly vocabulary: Set<string>;

  /** The most probable label and its posterior; features never seen in training are ignored. */
  classify(text: string): Classification<Label> {
    const features = featuresOf(text).filter((f) => this.vocabulary.has(f));
    const scores = this.labels.map((label) => {
      const likelihood = this.logLikelihood.get(label)!;
      const unseen = this.logUnseen.get(label)!;
      return features.reduce((sum, f) => sum + (likelihood.get(f) ?? unseen), this.logPrior.get(label)!);
    });
    const max = Math.max(...scores);
    const weights = scores.map((s) => Math.exp(s - max));
    const total = weights.reduce((a, b) => a + b, 0);
    const best = scores.indexOf(max);
    return { label: this.labels[best]!, probability: weights[best]! / total, evidence: features.length };
  }
}

/** Every fifth example of each label is held out of training, the same ones on every load. */
export function splitCorpus<Label extends string>(
  examples: ReadonlyArray<LabelledExample<Label>>,
): { train: LabelledExample<Label>[]; heldOut: LabelledExample<Label>[] } {
  const seen = new Map<Label, number>();
  const train: LabelledExample<Label>[] = [];
  const heldOut: LabelledExample<Label>[] = [];
  for (const example of examples) {
    const n = seen.get(example.label) ?? 0;
    seen.set(example.label, n + 1);
    (n % 5 === 4 ? heldOut : train).push(example);
  }
  return { train, heldOut };
}

export interface HeldOutReport {
  n: number;
  /** Over the non-`none` labels taken together: flagged as any of them vs. labelled as any of them. */
  precision: number;
  recall: number;
  /** The exact label right. */
  accuracy: number;
}

/** Precision and recall of `decide` (a label, or `none`) on labelled examples. */
export function evaluate<Label extends string>(
  examples: ReadonlyArray<LabelledExample<Label>>,
  decide: (text: string) => Label | 'none',
): HeldOutReport {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let exact = 0;
  for (const { text, label } of examples) {
    const predicted = decide(text);
    if (predicted === label) exact += 1;
    const flagged = predicted !== 'none';
    const positive = label !== 'none';
    if (flagged && positive) tp += 1;
    else if (flagged) fp += 1;
    else if (positive) fn += 1;
  }
  return {
    n: examples.length,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    accuracy: examples.length === 0 ? 1 : exact / examples.length,
  };
}
