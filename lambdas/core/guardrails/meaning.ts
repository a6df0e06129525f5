/**
 * The compliance classifiers (classifier.ts) trained on the versioned corpus (compliance-corpus.ts):
 * one for questions (guaranteed returns, insider information, personalised advice) and one for answer
 * sentences (promises, recommendations). They decide only when confident; below the threshold the
 * lexical rules (compliance.ts, output-guardrails.ts) still apply, so the two together catch both
 * the known phrases and their rewordings.
 *
 * Pure: no I/O. Training runs once, when the module loads.
 */
import { NaiveBayes, splitCorpus } from './classifier';
import { ANSWER_CORPUS, QUESTION_CORPUS } from './compliance-corpus';
import type { AnswerLabel, QuestionLabel } from './compliance-corpus';

/** Posterior a non-`none` label needs before the classifier blocks on its own. */
export const QUESTION_THRESHOLD = 0.8;
export const ANSWER_THRESHOLD = 0.6;
/** Known features (words and word pairs) a text needs before the classifier may block it: "Tell me about X" is too little to judge. */
export const MIN_QUESTION_EVIDENCE = 5;
export const MIN_ANSWER_EVIDENCE = 3;

const questionModel = new NaiveBayes<QuestionLabel>(splitCorpus(QUESTION_CORPUS).train, [
  'none',
  'guaranteed_returns',
  'insider_information',
  'personalised_advice',
]);
const answerModel = new NaiveBayes<AnswerLabel>(splitCorpus(ANSWER_CORPUS).train, ['none', 'promissory', 'recommendation']);

/** What the question asks for, by meaning: a compliance label, or `none`. */
export function questionMeaning(text: string, threshold = QUESTION_THRESHOLD): QuestionLabel {
  const { label, probability, evidence } = questionModel.classify(text);
  return label !== 'none' && probability >= threshold && evidence >= MIN_QUESTION_EVIDENCE ? label : 'none';
}

/** What an answer sentence does, by meaning: promise, recommend, or `none`. */
export function answerMeaning(text: string, threshold = ANSWER_THRESHOLD): AnswerLabel {
  const { label, probability, evidence } = answerModel.classify(text);
  return label !== 'none' && probability >= threshold && evidence >= MIN_ANSWER_EVIDENCE ? label : 'none';
}
