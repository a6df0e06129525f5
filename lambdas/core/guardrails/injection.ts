/**
 * Prompt-injection detection: requests that try to change the model's instructions, make it play
 * another role, reveal its prompt, or smuggle in markup that imitates our prompt's own blocks. The
 * checks read the skeleton of the text (see text.ts), so look-alike letters, leetspeak and spaced-out
 * words match the same rules as the plain phrases.
 *
 * Deterministic and conservative: an FA's question about a stock never needs any of these phrases,
 * and a blocked question costs a rephrase while a successful injection could cost a compliance
 * breach. Pure: no I/O.
 */
import { skeleton } from './text';

export interface InjectionRule {
  /** Stable id, reported with the block (never the matched text, which may be long or hostile). */
  id: string;
  description: string;
  pattern: RegExp;
}

const TARGETS = String.raw`(?:instructions?|prompts?|rules?|directions?|guidelines?|guardrails?|constraints?|polic(?:y|ies)|programming|context|system message|restrictions?)`;
const QUALIFIERS = String.raw`(?:(?:all|any|every|the|your|my|these|those|previous|prior|above|earlier|preceding|former|original|initial|system|safety|developer|existing|current|other)\s+)*`;

/** The rules, in the order they are tried. Exported for documentation and tests. */
export const INJECTION_RULES: readonly InjectionRule[] = [
  {
    id: 'override_instructions',
    description: 'asks the model to ignore, forget or override its instructions',
    pattern: new RegExp(
      String.raw`\b(?:ignore|disregard|forget|override|overrule|bypass|skip|drop|abandon|neglect|discard|cancel)\s+(?:of\s+)?${QUALIFIERS}${TARGETS}`,
    ),
  },
  {
    id: 'new_instructions',
    description: 'announces new or replacement instructions',
    // Not "new rules" or "new orders": regulation and order books are what FAs ask about.
    pattern:
      /\b(?:new|updated|replacement|real|actual|secret|hidden)\s+(?:system\s+)?(?:instructions?|prompts?|directives?)\b|\bfrom now on,? (?:you|your|act|answer|respond|always|never|only)\b|\binstead,? (?:you (?:must|will|should)|do the following)/,
  },
  {
    id: 'role_play',
    description: 'asks the model to become someone or something else',
    pattern:
      // Not "act as a catalyst": only roles that would replace the assistant's.
      /\byou are (?:now|no longer|not an?|free)\b|\b(?:act|behave|respond|answer|reply|talk) (?:as|like) (?:an? |the |my )?(?:unrestricted|unfiltered|uncensored|evil|different|new|another|other|rogue|hacker|ai\b|assistant|chatbot|model\b|bot\b|human|person|character|system|admin|administrator|developer|root|dan\b|grandma|insider)|\b(?:act|behave) as (?:if|though) you\b|\bpretend (?:to be|you are|that you)\b|\brole-?play\b|\bimpersonate\b|\bstay in character\b/,
  },
  {
    id: 'prompt_exfiltration',
    description: 'asks for the system prompt, instructions or hidden context',
    pattern:
      /\b(?:reveal|show|print|repeat|output|display|dump|leak|expose|echo|recite|give|tell|write out|spell out)\b(?:\s+(?:me|us))?\s+(?:\w+\s+){0,3}(?:system prompt|(?:your|the|hidden|initial|original|secret|internal)\s+(?:prompt|instructions|rules|guidelines|configuration|context window)|everything above|text above|words above)/,
  },
  {
    id: 'jailbreak',
    description: 'uses a known jailbreak phrase',
    pattern:
      // Not "without restrictions" alone: covenants and dividend policies have restrictions.
      /\bjail ?break|\bdan mode\b|\bdo anything now\b|\bdeveloper mode\b|\bgod mode\b|\bunfiltered\b|\buncensored\b|\b(?:answer|respond|reply|talk|speak|operate|act|work)\s+(?:\w+\s+){0,2}without (?:any |your )?(?:restrictions|limits|filters|rules|censorship|guardrails|safeguards)\b|\bno (?:restrictions|filters|guardrails|censorship) mode\b|\bunrestricted (?:mode|ai|assistant|model)\b|\bunlock(?:ed)? (?:mode|your)\b/,
  },
  {
    id: 'prompt_markup',
    description: 'imitates prompt or chat markup (system tags, role headers, our own blocks)',
    pattern:
      /<\s*\/?\s*(?:system|assistant|user|human|instructions?|facts|sources|excerpts|summaries|notes|task|question|history|companies|documents|conflicts|gaps|findings|prompt|context)\b[^>]*>|<\|[a-z_]+\|>|\[\/?(?:inst|sys|system)\]|#{2,}\s*(?:system|instruction|assistant)|(?:^|\n|\s)(?:system|assistant|human)\s*:\s|\{\{[^}]*\}\}/,
  },
  {
    id: 'encoded_payload',
    description: 'carries a long encoded blob (base64 or hex) that could hide instructions',
    pattern: /[a-z0-9+/]{80,}={0,2}|(?:\\x[0-9a-f]{2}){8,}|(?:%[0-9a-f]{2}){12,}/,
  },
  {
    id: 'tool_abuse',
    description: 'asks the model to execute code, call URLs or send data elsewhere',
    pattern:
      /\b(?:execute|run|eval(?:uate)?)\s+(?:this|the following|these)\s+(?:code|script|command|commands)\b|\b(?:send|post|upload|forward|email|exfiltrate)\s+(?:\w+\s+){0,3}(?:data|prompt|conversation|context|keys?|credentials|secrets?|tokens?)\s+to\b|\b(?:api keys?|credentials|passwords?|secrets?|access tokens?)\b.{0,40}\b(?:show|give|reveal|print|tell)|\b(?:show|give|reveal|print|tell)\b.{0,40}\b(?:api keys?|credentials|passwords?|secret keys?|access tokens?)\b/,
  },
];

export interface InjectionFinding {
  ruleId: string;
  description: string;
}

/**
 * The core phrases again, for text read with every non-letter removed: "i g n o r e  a l l" and
 * "ignore_all-previous.instructions" both squash to "ignoreallpreviousinstructions".
 */
const SQUASHED_RULES: ReadonlyArray<{ id: string; pattern: RegExp }> = [
  {
    id: 'override_instructions',
    pattern:
      /(?:ignore|disregard|forget|override|bypass)(?:all|any|the|your|previous|prior|above|earlier|system)*(?:instructions?|prompts?|rules|guidelines|guardrails)/,
  },
  {
    id: 'prompt_exfiltration',
    pattern:
      /(?:reveal|show|print|repeat|dump|leak)(?:me|us)?(?:your|the)(?:system|hidden|initial|original|secret)*(?:prompt|instructions)/,
  },
  { id: 'role_play', pattern: /youarenow(?:a|an|the|dan|free|unrestricted)/ },
  { id: 'jailbreak', pattern: /jailbreak|danmode|developermode|doanythingnow/ },
];

/** The first injection rule the text trips, or undefined. */
export function detectInjection(text: string): InjectionFinding | undefined {
  const form = skeleton(text);
  for (const rule of INJECTION_RULES) {
    if (rule.pattern.test(form)) return { ruleId: rule.id, description: rule.description };
  }
  const squashed = form.replace(/[^a-z]+/g, '');
  for (const rule of SQUASHED_RULES) {
    if (rule.pattern.test(squashed)) return { ruleId: rule.id, description: INJECTION_RULES.find((r) => r.id === rule.id)!.description };
  }
  return undefined;
}
