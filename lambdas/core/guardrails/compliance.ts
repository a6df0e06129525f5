/**
 * Compliance checks on the question (docs/DESIGN.md §6): requests for guaranteed returns, for insider
 * (material non-public) information, and for personalised advice that needs a human — suitability
 * for a named client, position sizing, what a particular client should buy or sell. Factual
 * questions about a stock ("Is KO's dividend covered by earnings?", "What do analysts rate MSFT?")
 * pass; the answer itself never recommends (see the output guardrails).
 *
 * Checks read the skeleton (text.ts). Pure: no I/O.
 */
import { questionMeaning } from './meaning';
import type { QuestionLabel } from './compliance-corpus';
import { skeleton } from './text';

export const COMPLIANCE_CODES = [
  'compliance_guaranteed_returns',
  'compliance_insider_information',
  'compliance_personalised_advice',
] as const;
export type ComplianceCode = (typeof COMPLIANCE_CODES)[number];

export interface ComplianceRule {
  id: string;
  code: ComplianceCode;
  pattern: RegExp;
}

// No third-person pronouns: "should they buy back stock?" is about the company, not a client.
const CLIENT = String.raw`(?:i|we|me|us|my (?:client|clients|customer|customers|wife|husband|mother|father|mom|dad|parents?|son|daughter|family)|our (?:client|clients|customers)|this client|that client|a client|(?:a|an|my|our) (?:\d{2}|retired|elderly|young|widowed|conservative|aggressive)[\w\s-]{0,20}(?:client|investor|retiree|widow|couple))`;
const TRADE = String.raw`(?:buy|sell|hold|short|add|trim|dump|invest|allocate|put|move|switch|rotate|load up|go all in|bet|double down|keep|get out|exit|purchase)`;

export const COMPLIANCE_RULES: readonly ComplianceRule[] = [
  // Guaranteed returns: a promise of gain, not a question about whether a dividend is guaranteed.
  {
    id: 'guarantee_of_gain',
    code: 'compliance_guaranteed_returns',
    pattern:
      /\bguarantee(?:d|s)?\b[^.?!]{0,60}\b(?:returns?|profits?|gains?|income|yield|upside|money|payoff|to (?:go up|rise|double|triple|beat|outperform|make))|\b(?:returns?|profits?|gains?|upside)\b[^.?!]{0,40}\bguarantee(?:d)?\b|\b(?:can|could|will|would) you (?:guarantee|promise|assure)\b|\bpromise(?:d|s)?\b[^.?!]{0,40}\b(?:returns?|profits?|gains?|to (?:go up|rise|double))/,
  },
  {
    id: 'riskless_gain',
    code: 'compliance_guaranteed_returns',
    pattern:
      /\brisk[- ]?free (?:returns?|profits?|gains?|money|bet|trade|investment)\b|\bcan(?:'|no)?t (?:lose|go wrong|fail)\b|\bsure (?:thing|bet|win|winner|fire)\b|\b(?:100|hundred) ?(?:%|percent) (?:safe|sure|certain|guaranteed)\b|\bno[- ]lose\b|\bwhich stocks? (?:will|is going to|are going to) (?:double|triple|10x|moon)\b|\bcertain(?:ly)? (?:to )?(?:double|triple|go up|make money)\b/,
  },
  // Insider information: material non-public information, tips from inside a company, leaks.
  {
    id: 'insider_information',
    code: 'compliance_insider_information',
    pattern:
      /\binsider (?:info(?:rmation)?|tips?|knowledge|scoop|intel|news|details)\b|\binside (?:info(?:rmation)?|tips?|scoop|track)\b|\bnon[- ]?public (?:info(?:rmation)?|data|results|numbers|details)\b|\bmnpi\b|\bmaterial,? non[- ]?public\b|\b(?:leaked|confidential|secret|unreleased|unannounced|embargoed) (?:earnings|results|numbers|figures|deal|merger|acquisition|information|info|guidance|data|report|financials)\b|\bbefore (?:it(?:'s| is)|they(?:'re| are)|the (?:news|deal|results|earnings) (?:is|are)) (?:announced|public|released|out)\b|\b(?:friend|contact|source|someone|buddy|cousin|guy|employee|person) (?:at|inside|in|who works at)\b[^.?!]{0,40}\b(?:told|says|said|tipped|leaked|knows)\b|\btrade (?:on|ahead of) (?:this|that|the|a) (?:tip|info(?:rmation)?|leak|news before)\b|\b(?:heard|learned|was told|got word|found out)\b[^.?!]{0,40}\b(?:cfo|ceo|coo|cto|chair(?:man|woman)?|director|board member|treasurer|controller|insiders?)\b[^?!]{0,80}\b(?:before|ahead of|prior to)\b/,
  },
  // Personalised advice: what a particular person should do, or whether it suits them.
  {
    id: 'should_client_trade',
    code: 'compliance_personalised_advice',
    pattern: new RegExp(
      String.raw`\b(?:should|shall|must|ought)\s+${CLIENT}\s+(?:\w+\s+){0,2}${TRADE}\b|\b(?:is it (?:a good time|wise|smart) (?:for|to)\s+${CLIENT}\s+(?:to\s+)?${TRADE})`,
    ),
  },
  {
    id: 'suitability',
    code: 'compliance_personalised_advice',
    pattern: new RegExp(
      String.raw`\b(?:good|right|suitable|appropriate|safe|smart|best|wise|ok|okay|strong|solid|great)\s+(?:investment|buy|fit|choice|pick|stock|holding|move|idea|option|bet)?\s*for\s+${CLIENT}\b|\bsuit(?:able|s)?\s+(?:for\s+)?${CLIENT}\b|\bsuitability\b`,
    ),
  },
  {
    id: 'position_sizing',
    code: 'compliance_personalised_advice',
    pattern:
      /\bhow much (?:of|money|should|to|can|do)\b[^.?!]{0,60}\b(?:invest|allocate|put into|buy)\b|\bwhat (?:percent(?:age)?|share|portion|weight|allocation)\b[^.?!]{0,50}\b(?:portfolio|savings|ira|401 ?\(?k\)?|account|nest egg|retirement)\b|\b(?:allocate|rebalance|build|construct|design)\s+(?:my|our|a|the|his|her|their)?\s*(?:client(?:'s|s')?\s+)?(?:portfolio|retirement|savings|ira|401 ?\(?k\)?)\b/,
  },
  {
    id: 'client_holdings',
    code: 'compliance_personalised_advice',
    pattern:
      /\b(?:my|our|his|her|their|this) (?:client(?:'s|s')? )?(?:ira|roth|401 ?\(?k\)?|403 ?\(?b\)?|529|retirement (?:account|savings|money|fund)|nest egg|life savings|college fund|emergency fund|pension)\b[^.?!]{0,60}\b(?:buy|sell|invest|put|move|allocate|into|in)\b|\b(?:years? old|retirees?|retiring (?:soon|next|in)|about to retire|(?:close|near) to retirement|in retirement|widow(?:ed)?|risk tolerance|time horizon)\b[^.?!]{0,80}\b(?:should|buy|sell|invest|put|allocate|recommend)\b|\b(?:should|buy|sell|invest|put|allocate|recommend)\b[^.?!]{0,80}\b(?:years? old|retirees?|retiring (?:soon|next|in)|about to retire|(?:close|near) to retirement|in retirement|risk tolerance|time horizon)\b/,
  },
  {
    id: 'recommend_for_person',
    code: 'compliance_personalised_advice',
    pattern: new RegExp(
      String.raw`\b(?:recommend|suggest|pick|choose|tell)\s+(?:me\s+|us\s+)?(?:which|what|a|some|the best)?\s*(?:stocks?|shares|investments?|positions?|allocation|portfolio)?\s*(?:for|to)\s+${CLIENT}\b|\b(?:what|which)\s+(?:stocks?|shares)\s+(?:should|would you have)\s+${CLIENT}\s+${TRADE}\b|\btell\s+${CLIENT}\s+what to\s+${TRADE}\b`,
    ),
  },
];

export interface ComplianceFinding {
  code: ComplianceCode;
  ruleId: string;
}

const MESSAGES: Record<ComplianceCode, string> = {
  compliance_guaranteed_returns:
    "Nobody can guarantee investment returns, and this service will not suggest otherwise. Ask about the facts instead, for example how stable a company's earnings or dividend have been.",
  compliance_insider_information:
    'This service only uses public sources (filings, vendor data, published research and news) and cannot help with material non-public information. If you may have received such information, contact your compliance team.',
  compliance_personalised_advice:
    'Whether a security suits a particular client, and how much of it they should hold, needs a suitability review by a licensed person. Ask a factual question about the stock instead.',
};

/** The client-facing explanation of a compliance block. */
export function complianceMessage(code: ComplianceCode): string {
  return MESSAGES[code];
}

const MEANING_CODES: Record<Exclude<QuestionLabel, 'none'>, ComplianceCode> = {
  guaranteed_returns: 'compliance_guaranteed_returns',
  insider_information: 'compliance_insider_information',
  personalised_advice: 'compliance_personalised_advice',
};

/**
 * The first compliance rule the question trips, or undefined: the lexical rules first (their ids
 * name the wording), then the classifier over the question's meaning (rule `meaning_<label>`), which
 * catches rewordings no rule lists.
 */
export function checkCompliance(text: string): ComplianceFinding | undefined {
  const form = skeleton(text);
  for (const rule of COMPLIANCE_RULES) {
    if (rule.pattern.test(form)) return { code: rule.code, ruleId: rule.id };
  }
  const meaning = questionMeaning(text);
  return meaning === 'none' ? undefined : { code: MEANING_CODES[meaning], ruleId: `meaning_${meaning}` };
}
