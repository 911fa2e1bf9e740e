"""The context checker: does an ask give the recipient what they need to say yes?

Pure and deterministic (no Django, no network; import-linter keeps it so), like the
engine: plain inputs, a score 0-100, ``ready``, and findings a person can act on. Each
rule is a small function that reads the message and says what it found; the score is 100
minus a fixed cost per finding's severity. An ask is ready when nothing blocks it and the
score is at least READY_SCORE.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from mentormesh.matching.text import STOPWORDS, stem, tokenize

BLOCK, WARN, TIP = "block", "warn", "tip"
COST = {BLOCK: 35, WARN: 15, TIP: 5}
READY_SCORE = 60

MIN_WORDS = 25
MAX_WORDS = 300
MAX_PARAGRAPH_WORDS = 150
# A time ask above the recipient's monthly offer is far beyond it; above half, a stretch.
FAR_BEYOND_SHARE = 1.0
STRETCH_SHARE = 0.5
# Two messages are "the same" when this share of their word triples is shared.
SAME_MESSAGE_SIMILARITY = 0.6
MANY_RECIPIENTS = 3


@dataclass(frozen=True)
class Recipient:
    """What the recipient publishes: the things an asker can refer to."""

    name: str
    handle: str = ""
    # Skills they offer, their headline, titles of their posts and events, organizations.
    topics: tuple[str, ...] = ()
    bio: str = ""
    # Minutes a month they offer to helping; None when they have not said.
    monthly_minutes: int | None = None


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str


@dataclass(frozen=True)
class Check:
    score: int
    ready: bool
    findings: list[Finding] = field(default_factory=list)


def check_ask(
    message: str,
    *,
    recipient: Recipient,
    time_minutes: int | None,
    question: str = "",
    earlier_messages: Sequence[str] = (),
) -> Check:
    """Check ``message`` to ``recipient``. ``question`` is the composer's separate "what
    exactly" line: it counts for everything but the greeting and sign-off, which belong to
    the message. ``earlier_messages`` are the sender's recent asks to other people (for
    copy-paste); ``time_minutes`` None means an answer in writing."""
    letter = message.strip()
    text = f"{letter}\n\n{question.strip()}".strip()
    words = _words(text)
    findings: list[Finding] = []
    for rule in (_length, _job_first, _question, _reference):
        findings.extend(rule(text, words, recipient))
    findings.extend(_tone(letter, _words(letter), recipient))
    findings.extend(_time(text, time_minutes, recipient))
    findings.extend(_copy_paste(text, recipient, earlier_messages))
    findings.sort(key=lambda f: (list(COST).index(f.severity), f.code))
    score = max(0, 100 - sum(COST[f.severity] for f in findings))
    ready = score >= READY_SCORE and not any(f.severity == BLOCK for f in findings)
    return Check(score, ready, findings)


_WORD = re.compile(r"[\w'’]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _length(text: str, words: list[str], recipient: Recipient) -> list[Finding]:
    if not words:
        return [Finding("empty", BLOCK, "Write a message: who you are, why them, what you ask.")]
    if len(words) < MIN_WORDS:
        return [
            Finding(
                "one_liner",
                BLOCK,
                f"At {len(words)} words this reads like a one-liner. In two or three sentences "
                "say who you are, why you are asking them, and what exactly you want to know.",
            )
        ]
    longest = max(len(_words(p)) for p in re.split(r"\n\s*\n", text))
    if len(words) > MAX_WORDS or longest > MAX_PARAGRAPH_WORDS:
        return [
            Finding(
                "wall_of_text",
                WARN,
                f"At {len(words)} words{' in one block' if longest > MAX_PARAGRAPH_WORDS else ''} "
                "this is a lot to read from a stranger. Keep the background to a few lines, "
                "break it into short paragraphs, and put your question where it is easy to find.",
            )
        ]
    return []


_JOB = re.compile(
    r"\b(refer(ral|ring)?\s+(me|for)|(a|your)\s+referral|hire\s+me|((are|is)\s+)?(you|u|your\s+\w+)\s+"
    r"hiring|job\s+(opening|opportunit\w*|application)|open\s+(position|role)s?|any\s+(openings|positions|vacancies)|"
    r"get\s+(me\s+)?(a\s+)?(job|interview|foot\s+in)|put\s+in\s+a\s+(good\s+)?word|"
    r"recommend\s+me\s+(for|to)|forward\s+my\s+(cv|resume|résumé))\b",
    re.IGNORECASE,
)


def _job_first(text: str, words: list[str], recipient: Recipient) -> list[Finding]:
    if _JOB.search(text):
        return [
            Finding(
                "job_first",
                BLOCK,
                "Asking for a job or a referral in a first message puts people off. Ask for "
                "their advice or experience first; referrals come from people who know your work.",
            )
        ]
    return []


# Concrete asks: a question mark, or a request phrased as one.
_ASKING = re.compile(
    r"\?|\b(could|would|can|will)\s+you\b|\bwould\s+you\s+be\s+(open|willing)\b|"
    r"\b(i['’]?d|i\s+would)\s+(love|like|appreciate|value)\b|\bare\s+you\s+open\b|"
    r"\bhow\s+(did|do|would|should)\s+you\b|\bwhat\s+(did|do|would)\s+you\b",
    re.IGNORECASE,
)
# "any advice?" ends in punctuation, where a closing \b cannot match: it has its own branch.
_VAGUE = re.compile(
    r"\b(pick\s+your\s+brain|"
    r"help\s+me\s+with\s+my\s+career|be\s+my\s+mentor|mentor\s+me|"
    r"(have\s+a|grab\s+a|virtual)\s+coffee|connect\s+and\s+chat|"
    r"(just\s+)?(want|wanted|like)\s+to\s+(connect|chat|network)|anything\s+you\s+can\s+share)\b|"
    r"\bany\s+(advice|tips|guidance|help)\s*(\?|\.|!|$)",
    re.IGNORECASE | re.MULTILINE,
)
# What makes a question concrete: a number, a named thing, or a specific situation.
_CONCRETE = re.compile(
    r"\b(how|which|what|whether|when|should)\b.{12,}\?|\b\d+\b|\b(vs\.?|versus)\b",
    re.IGNORECASE,
)


def _question(text: str, words: list[str], recipient: Recipient) -> list[Finding]:
    if not words:
        return []
    if not _ASKING.search(text):
        return [
            Finding(
                "no_question",
                BLOCK,
                "There is no question in it. End with the one thing you want to know, e.g. "
                "“How did you decide between X and Y when you …?”",
            )
        ]
    if _VAGUE.search(text) and not _CONCRETE.search(text):
        return [
            Finding(
                "vague",
                WARN,
                "The ask is vague (“pick your brain”, “any advice”). Name the decision or "
                "problem you are facing, so they can answer in one message or one call.",
            )
        ]
    return []


_YOUR_WORK = re.compile(
    r"\byour\s+(\w+\s+){0,2}(talk|post|article|answer|session|panel|lunch[- ]and[- ]learn|"
    r"workshop|blog|paper|book|repo|repository|project|library|course|thread|presentation|"
    r"newsletter|podcast|video|write-?up|comment)s?\b|\byou\s+(wrote|said|built|shared|"
    r"presented|mentioned|gave|ran|led|answered|posted)\b",
    re.IGNORECASE,
)


def _terms(text: str) -> set[str]:
    return {stem(t) for t in tokenize(text) if t not in STOPWORDS and len(t) > 2}


def _reference(text: str, words: list[str], recipient: Recipient) -> list[Finding]:
    if not words:
        return []
    said = _terms(text)
    about_them = set().union(*(_terms(topic) for topic in recipient.topics), _terms(recipient.bio))
    # Their name only opens the message; it shows nothing about why them.
    about_them -= _terms(recipient.name) | _terms(recipient.handle)
    if said & about_them or _YOUR_WORK.search(text):
        return []
    hint = ", ".join(recipient.topics[:3])
    return [
        Finding(
            "no_reference",
            BLOCK,
            "Nothing in it shows why you are asking this person. Mention something of theirs"
            + (f" — for example {hint}" if hint else "")
            + " — and how it connects to your question.",
        )
    ]


_TEXT_SPEAK = re.compile(
    r"\b(u|ur|r\s+u|pls|plz|thx|thnx|ty|lol|omg|idk|imo|btw|gonna|wanna|bc|cuz|coz|sry|ppl)\b",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^\W*(hi|hello|hey|dear|good\s+(morning|afternoon|evening)|greetings)\b", re.I
)
_SIGN_OFF = re.compile(
    r"\b(thanks|thank\s+you|thx|cheers|best|regards|all\s+the\s+best|warmly|sincerely|"
    r"many\s+thanks|appreciate\s+it)\b[^\n]{0,40}$",
    re.IGNORECASE,
)


def _tone(text: str, words: list[str], recipient: Recipient) -> list[Finding]:
    if not words:
        return []
    found = []
    slang = sorted({m.group(0).lower() for m in _TEXT_SPEAK.finditer(text)})
    if slang:
        found.append(
            Finding(
                "text_speak",
                WARN,
                f"Write words out ({', '.join(slang)}): a first message is read like a letter.",
            )
        )
    if not _GREETING.search(text):
        first = recipient.name.split()[0] if recipient.name.strip() else "there"
        found.append(Finding("no_greeting", TIP, f"Open with a greeting, e.g. “Hi {first},”."))
    if not _SIGN_OFF.search(text.rstrip()[-120:]):
        found.append(
            Finding("no_sign_off", TIP, "Close with thanks and your name, e.g. “Thanks, Dana”.")
        )
    if text.isupper() and len(words) > 3:
        found.append(Finding("shouting", WARN, "Writing in capitals reads as shouting."))
    return found


_BIG_COMMITMENT = re.compile(
    r"\b(every|each)\s+(week|day|month)\b|\bweekly\b|\bdaily\b|\bongoing\b|\blong[- ]term\b|"
    r"\bfew\s+hours\b|\ball\s+day\b|\bfull[- ]day\b",
    re.IGNORECASE,
)


def _time(text: str, minutes: int | None, recipient: Recipient) -> list[Finding]:
    found = []
    offered = recipient.monthly_minutes
    if minutes is not None and offered is not None:
        if offered == 0 or minutes > FAR_BEYOND_SHARE * offered:
            found.append(
                Finding(
                    "time_too_long",
                    BLOCK,
                    f"You ask for {minutes} minutes; they offer {offered} minutes a month in all. "
                    "Ask for 15–30 minutes, or an answer in writing.",
                )
            )
        elif minutes > STRETCH_SHARE * offered:
            found.append(
                Finding(
                    "time_stretch",
                    WARN,
                    f"{minutes} minutes is more than half of the {offered} minutes a month "
                    "they offer. A shorter first ask is easier to say yes to.",
                )
            )
    if _BIG_COMMITMENT.search(text):
        found.append(
            Finding(
                "big_commitment",
                WARN,
                "A standing commitment (weekly, ongoing) is a big first ask. Ask for one "
                "conversation; if it helps, you can agree on more together.",
            )
        )
    return found


def _shingles(text: str, recipient: Recipient) -> set[tuple[str, ...]]:
    names = set(_words(recipient.name)) | {recipient.handle.lower()}
    words = [w for w in _words(text) if w not in names]
    return {tuple(words[i : i + 3]) for i in range(max(0, len(words) - 2))}


def similarity(first: str, second: str, recipient: Recipient) -> float:
    """Share of word triples the two messages have in common (Jaccard), names aside."""
    a, b = _shingles(first, recipient), _shingles(second, recipient)
    return len(a & b) / len(a | b) if a and b else 0.0


def _copy_paste(text: str, recipient: Recipient, earlier: Sequence[str]) -> list[Finding]:
    same = sum(
        1 for other in earlier if similarity(text, other, recipient) >= SAME_MESSAGE_SIMILARITY
    )
    if same == 0:
        return []
    severity = BLOCK if same + 1 >= MANY_RECIPIENTS else WARN
    return [
        Finding(
            "copy_paste",
            severity,
            f"You sent nearly the same message to {same} other "
            f"{'person' if same == 1 else 'people'} this week. Write to each person about why them.",
        )
    ]
