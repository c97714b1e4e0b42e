/**
 * Harm in a feedback story (issue 12, item 2): a pure lexicon-and-pattern detector for stories that
 * describe abuse, neglect, self-harm or danger, so they reach the service's safeguarding contact at
 * once. It errs towards flagging (a person reads every flag), but the patterns need an actor and a
 * harm together ("he hit me", not "the wait hit two hours"), so ordinary complaints pass.
 */

export const HARM_KINDS = ['abuse', 'neglect', 'self-harm', 'danger'] as const;
export type HarmKind = (typeof HARM_KINDS)[number];

export const HARM_KIND_LABELS: Record<HarmKind, string> = {
  abuse: 'Abuse',
  neglect: 'Neglect',
  'self-harm': 'Self-harm or suicide',
  danger: 'Danger',
};

export interface HarmFinding {
  kind: HarmKind;
  /** The words that matched, as written. */
  words: string;
}

const WHO =
  '(?:he|she|they|staff|someone|somebody|a (?:nurse|carer|doctor|member of staff|man|woman|patient|resident)|the (?:nurse|carer|doctor|staff|manager|worker)|my (?:husband|wife|partner|son|daughter|father|mother|dad|mum|carer|brother|sister))';
const VICTIM = String.raw`(?:me|him|her|them|us|my \w+|mum|dad|the (?:resident|patient|child))`;

const PATTERNS: readonly { kind: HarmKind; re: RegExp }[] = [
  // Abuse: someone hurting, threatening or exploiting someone.
  {
    kind: 'abuse',
    re: new RegExp(
      String.raw`\b${WHO}\s+(?:\w+\s+)?(?:hit|hits|punched|slapped|kicked|pushed|shoved|grabbed|shook|beat|strangled|choked|bit|pinched|hurt|assaulted|threatened|touched|raped|abused|bullied|restrained|locked)\s+${VICTIM}\b`,
      'iu',
    ),
  },
  {
    kind: 'abuse',
    re: /\b(?:sexual(?:ly)? (?:abuse[ds]?|assault(?:ed)?)|domestic (?:abuse|violence)|physical(?:ly)? abuse[ds]?|emotional(?:ly)? abuse[ds]?|financial(?:ly)? abuse[ds]?|abused|was raped|groomed|grooming|took (?:my|her|his|their) money|stole (?:from|my|her|his))\b/iu,
  },
  {
    kind: 'abuse',
    re: /\b(?:bruises?|bruising|black eye|burns?) (?:on|all over|that) (?:me|my|him|his|her|them|their)\b/iu,
  },
  // Neglect: basic care withheld.
  {
    kind: 'neglect',
    re: /\b(?:left|went|gone|was|were|been|kept)\s+(?:\w+\s+){0,3}without\s+(?:any\s+)?(?:food|water|a drink|drinks|fluids|meals?|eating|medication|medicine|meds|pain relief|insulin|being washed|a wash|help|care|heating)\b/iu,
  },
  {
    kind: 'neglect',
    re: /\b(?:left|lying|sitting|lay|sat)\s+(?:\w+\s+){0,3}in (?:(?:his|her|their|my) own )?(?:urine|faeces|feces|excrement|soiled|wet|dirty) (?:pads?|sheets?|bed|clothes)?|\bleft (?:\w+\s+){0,2}(?:on the floor|lying on the floor)|\b(?:bed ?sores?|pressure sores?) (?:nobody|no one|not) |\bnot (?:been )?(?:fed|washed|turned|given (?:any )?(?:food|water|drink|medication))\b|\b(?:starving|dehydrated|malnourished)\b/iu,
  },
  {
    kind: 'neglect',
    re: /\bneglect(?:ed)?\b/iu,
  },
  // Self-harm and suicide.
  {
    kind: 'self-harm',
    re: /\b(?:end (?:it all|my life|things)|kill(?:ing)? myself|take my (?:own )?life|suicid\w*|self[- ]harm\w*|harm(?:ing)? myself|hurt(?:ing)? myself|cut(?:ting)? myself|overdos\w+|(?:don'?t|do not|no longer) want to (?:live|be alive|be here)|better off dead|wish I (?:was|were) dead|no reason to live|not worth living)\b/iu,
  },
  // Danger: someone at risk of harm now.
  {
    kind: 'danger',
    re: /\b(?:door|doors|gate|window|exit)\s+(?:\w+\s+){0,3}(?:left\s+)?(?:unlocked|open|wide open)\b[^.]*\b(?:wander(?:ed)?|got out|walked out|went missing|escaped|left the (?:ward|building|home))|\b(?:wandered|walked|went) (?:off|out|away)\b[^.]*\b(?:unnoticed|alone|missing|on (?:her|his|their) own|into the road)|\bwent missing\b|\b(?:found|was) (?:wandering|on the floor|unconscious|in the road)\b/iu,
  },
  {
    kind: 'danger',
    re: /\b(?:fell|had a fall|fallen|falls?)\b[^.]*\b(?:nobody|no one|not found|for hours|left there|unattended|ignored)\b|\b(?:wrong (?:medication|medicine|dose|tablets|patient)|given (?:someone else'?s|another patient'?s) (?:medication|tablets))\b|\b(?:threatened with a knife|weapon|fire (?:risk|hazard)|in danger|unsafe|not safe|(?:do not|don't|did not|didn't|never) feel safe|feel(?:s)? scared (?:of|to)|afraid (?:of|to go))\b/iu,
  },
];

/** What harm, if any, a story's text describes (each kind once, first words that showed it). */
export function detectHarm(text: string): HarmFinding[] {
  const found = new Map<HarmKind, HarmFinding>();
  const flat = text.replace(/[’‘]/g, "'").replace(/\s+/g, ' ');
  for (const { kind, re } of PATTERNS) {
    if (found.has(kind)) continue;
    const m = re.exec(flat);
    if (m) found.set(kind, { kind, words: m[0].trim() });
  }
  return HARM_KINDS.flatMap((k) => {
    const f = found.get(k);
    return f ? [f] : [];
  });
}
