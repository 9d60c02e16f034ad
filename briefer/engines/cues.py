"""Lexical cues the extractive engine uses to place a sentence in a section.

All patterns are case-insensitive regular expressions over one sentence. They are data: extend
them here, and add a test case in ``tests/test_cues.py`` for each new shape.
"""

from __future__ import annotations

import re


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


# Limits a party says it will not accept or cross.
RED_LINE = _rx(
    r"\bred[- ]lines?\b",
    r"\bmust not\b|\bmustn[’']t\b|\bmust never\b",
    r"\b(?:will|would|could|can|shall)(?: not|n[’']t)(?: \w+)? (?:accept|tolerate|allow|permit"
    r"|compromise|back down|negotiate|give up|cede|surrender|recogni[sz]e)\b",
    r"\bcannot (?:accept|tolerate|allow|agree)\b|\bcan[’']t (?:accept|tolerate|allow)\b",
    r"\bnever (?:accept|allow|agree|tolerate|give up|surrender)\b",
    r"\bnon-?negotiable\b|\bnot negotiable\b|\bnon-?starter\b",
    r"\bunacceptable\b|\bnot acceptable\b|\bnot be accepted\b",
    r"\bcore interests?\b|\bbottom line\b|\bline in the sand\b",
    r"(?<!options )(?<!option )\boff the table\b",
    r"\bunder no circumstances?\b|\bin no way\b",
    r"(?<!cannot )(?<!can't )(?<!can’t )(?<!not )\b(?:rules?|ruled|ruling) out\b",
    r"\brefus(?:es|ed|e|ing) to (?:accept|recogni[sz]e|withdraw|negotiate|cede|give up|back down"
    r"|compromise|allow|tolerate)\b",
    r"\bset out (?:his|her|its|their) (?:terms|conditions|demands)\b",
    r"\bnot prepared to\b|\bnot (?:the )?path we are prepared\b",
    r"\bmust be met\b|\bpreconditions?\b|\bultimatums?\b",
    r"\bsovereignty\b.*\b(?:non-?negotiable|must|will not|never)\b",
)

# Pending or future actions: what happens next.
NEXT_STEP_STRONG = _rx(
    r"\bwill (?!not\b)\w+",
    r"\b(?:plans?|planning|planned|intends?|aims?|expects?|vows?|pledges?|promises?|seeks?)"
    r" to\b",
    r"\b(?:is|are|was|were) (?:expected|set|due|scheduled|slated|poised|going) to\b",
    r"\bnext (?:week|month|year|round|step|steps|meeting|summit|talks)\b",
    r"\b(?:later|early) (?:this|next) (?:week|month|year)\b",  # "earlier this week" is past
    r"\bin the coming (?:days|weeks|months|years)\b|\bupcoming\b|\bforthcoming\b",
    r"\bpush(?:es|ing)? for\b|\bcall(?:s|ing)? for\b|\burg(?:es|ing) \w+ to\b",
    r"\bdeadline\b|\bby the end of\b|\bpending\b|\bawait(?:s|ing)?\b",
    r"\boptions? (?:off|on) the table\b|\bconsidering\b|\bweighing\b",
    r"\bto (?:vote|decide|rule|meet|visit|hold talks|resume)\b",
)
NEXT_STEP_WEAK = _rx(r"\bagenda\b", r"\bfollow[- ]up\b")
# A weak cue in a sentence about the past ("The agenda had been set...") is background.
PAST_ONLY = _rx(r"\b(?:was|were|had|did)\b", r"\blast (?:week|month|year)\b", r"\bago\b")

# Reporting verbs: the sentence attributes a statement to a party.
REPORTING_VERBS = frozenset(
    """said says say told tells tell warned warns warn argued argues argue stated states
    added adds noted notes insisted insists insist stressed stresses urged urges urge claimed
    claims claim announced announces declared declares acknowledged acknowledges accused
    accuses denied denies deny complained complains cautioned cautions signaled signalled
    signals demanded demands demand vowed vows pledged pledges promised promises threatened
    threatens suggested suggests believes believe maintained maintains reiterated reiterates
    emphasized emphasised emphasizes countered counters responded responds wrote writes
    asserted asserts proposed proposes rejected rejects conceded concedes admitted admits
    predicted predicts indicated indicates explained explains contended contends
    confirmed confirms objected objects protested protests reaffirmed reaffirms
    repeated estimated estimates reacted reacts fumed replied replies tweeted remarked
    answered lamented""".split()
)

# Lower-case words that may be part of a speaker's noun phrase ("US officials", "China's
# top diplomat", "State Department spokesperson").
ROLE_WORDS = frozenset(
    """official officials spokesperson spokesman spokeswoman spokespeople minister ministers
    secretary president diplomat diplomats ambassador envoy envoys chief head leader leaders
    lawmakers lawmaker senator senators analyst analysts expert experts source sources
    negotiator negotiators ministry government administration top senior deputy foreign
    defense defence state prime general director executive chairman chairwoman chair
    governor mayor aide aides adviser advisers advisor advisors commander commanders
    representative representatives officers police prosecutors prosecutor investigators
    researchers economist economists authors author report statement court judge judges
    union company firm bank agency department military army media spokespersons counterpart
    counterparts delegation delegations allies partners critics supporters opponents
    residents officer regulator regulators authorities authority treasury security
    cabinet council committee board panel study survey poll group groups campaigners
    activists unions workers voters investors traders companies members parties
    delegates reporters journalists owners observers attorney attorneys lawyer lawyers
    founder professor candidate""".split()
)

# Capitalised words that are titles, not names ("Secretary of State Antony Blinken").
TITLE_WORDS = frozenset(
    """Secretary State President Vice Minister Prime Foreign Defense Defence Treasury Deputy
    Chief General Gen Lt Col Maj Capt Adm Senator Sen Rep Representative Gov Governor Mayor
    Speaker House Senate Ambassador Envoy Chancellor King Queen Prince Princess Pope Sheikh
    Director Chairman Chairwoman Chair Commissioner Commander Judge Justice Attorney Mr Mrs
    Ms Dr Prof Professor Sir Dame Lord Lady Premier Leader Spokesperson Spokesman
    Spokeswoman Department Ministry Office Council Commission Committee Public Security
    National Interior Finance Trade Commerce Economy Justice Health Energy Home Affairs
    Then Former Acting Top Senior Supreme Federal Central Party Communist Staff The A An""".split()
)

PRONOUNS = frozenset({"he", "she", "they", "it", "we"})
AUXILIARIES = frozenset(
    """has have had also previously repeatedly has long later again once earlier then
    reportedly publicly privately separately too""".split()
)

# "X raised concerns about ...": attribution without a reporting verb.
REPORTING_PHRASES = re.compile(
    r"\b(?:raised|raises|expressed|expresses|voiced|voices) (?:concerns?|alarm|doubts?|"
    r"objections?)\b|\bcalled (?:on|for)\b|\bcalls (?:on|for)\b|\baccording to\b",
    re.IGNORECASE,
)

# Time expressions for NextStep.when.
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
          r"December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)")
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
WHEN = re.compile(
    rf"\b(?:next|this|later this|early next|by next|until next) (?:week|month|year|{_DAY}"
    rf"|summer|autumn|fall|winter|spring|quarter|session)\b"
    rf"|\bin the coming (?:days|weeks|months|years)\b"
    rf"|\b(?:in|by|on|before|from|after|until) {_MONTH}(?: \d{{1,2}})?(?:,? \d{{4}})?\b"
    rf"|\bby (?:the (?:end|middle) of (?:the )?)?(?:{_MONTH}|\d{{4}}|year|month|week|decade"
    rf"|century|summer|autumn|winter|spring)(?: \d{{4}})?\b"
    rf"|\b(?:on|by|before|from|after) {_DAY}\b"
    rf"|\b{_MONTH} \d{{1,2}}(?:,? \d{{4}})?\b"
    rf"|\b(?:tomorrow|tonight|soon|within \w+ (?:days|weeks|months))\b"
    rf"|\blater in the (?:day|week|month|year)\b|\bthis weekend\b"
    rf"|\b(?:in |by )?(?:early|mid|late)[- ]{_MONTH}"
    rf"|\b(?:in|within|over) the next (?:\w+ )?(?:hours|days|weeks|months)\b",
)

# Sentences that are page furniture rather than reporting: captions, credits, bylines.
NOT_PROSE = _rx(
    r"\((?:photo|image|picture|video)\b[^)]*\)",
    r"\b(?:reporting|writing|editing|additional reporting) by\b",
    r"\b(?:REUTERS|AFP|AP|Getty Images)/",
    r"https?://|www\.",
    r"^(?:image|photo|picture|caption|credit|file photo)\s*:",
)

# Wire datelines that open a story: "MOSCOW, Feb 10 (Reuters) - ", "WASHINGTON — ",
# "KYIV, Ukraine — ", "WASHINGTON/BRUSSELS, April 7 (Reuters) - ".
DATELINE = re.compile(
    r"^[A-Z][A-Z .'/-]{2,40}(?:, [A-Z][a-z]+(?: [A-Z][a-z]+)?(?=,| [-–—]))?"  # KYIV, Ukraine —
    r"(?:, [A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?)?"
    r"(?: \((?:Reuters|AP|AFP|CNN|Bloomberg|UPI|dpa)\))?\s*[-–—]+\s+(?=[A-Z“\"])"
    # "(CNN)The ...", "Jerusalem (CNN)Benjamin ...", "Lausanne, Switzerland (CNN) -- Talks"
    r"|^(?:[A-Z][\w.'’-]*(?:[ ,]+[A-Z][\w.'’-]*){0,3} ?)?\((?:CNN|Reuters|AP|AFP)\)"
    r"\s*(?:--\s*|[-–—]\s+)?(?=[A-Z“\"])"
)


# What the annotation guide (GUIDE.md) defines as a red line: a condition ("only if", "on
# condition that", "unless"), a refusal ("refuses to", "won't withdraw"), an ultimatum, a
# stated limit ("must not", "will never", "won't accept", "non-negotiable").
LIMIT_SHAPE = re.compile(
    r"\bonly\b(?:\s+[\w'’-]+){0,8}?\s+(?:if|when|once|after|on condition)\b"
    r"|\bon (?:the )?condition (?:that|of)\b(?! anonymity)|\bunless\b|\bprovided that\b"
    r"|\bpreconditions?\b"
    r"|\b(?:refus(?:es|ed|ing|e) to|will never|would never|won[’']t|will not|would not|"
    r"wouldn[’']t|cannot|can[’']t|must not|mustn[’']t)\s+(?:\w+\s+)?(?:accept|agree|allow|"
    r"withdraw|negotiate|release|recogni[sz]e|give up|cede|back down|compromise|tolerate|"
    r"disarm|sign|pull out|stop|end|lift|return|step on|cross)\b"
    r"|\bultimatums?\b|\bred[- ]lines?\b|\bnon-?negotiable\b|\bnot negotiable\b"
    r"|\bunacceptable\b|\bnot acceptable\b|\boff the table\b(?<!options off the table)",
    re.IGNORECASE)

# The newsroom's note to the reader (embargoes, requests for comment, credits): what the
# article says about itself, never a matter at issue.
NEWSROOM = re.compile(
    r"\bembargoed\b|\b(?:did not|didn[’']t) (?:immediately )?(?:respond|reply) to (?:a |an )?"
    r"(?:emailed |written )?requests? for comment\b|\bcould not (?:immediately )?be reached\b"
    r"|\bcontributed (?:reporting )?to this (?:report|story|article)\b"
    r"|\bthis (?:story|article|report) (?:has been|was) (?:updated|corrected)\b",
    re.IGNORECASE)

# A sentence explaining a name or term to the reader: never one of the matters at issue.
ASIDE = re.compile(
    r"\b(?:is|are|was) (?:short|shorthand|an abbreviation|an acronym) for\b|\bstands for\b"
    r"|\b(?:is|are) (?:the|an?) (?:official|formal) (?:name|abbreviation) (?:of|for)\b"
    r"|^(?:the )?[A-Z]{2,6} (?:is|refers to) (?:the )?(?:abbreviation|acronym|name)\b",
    re.IGNORECASE)
