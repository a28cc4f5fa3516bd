"""Read a visitor's message the way a receptionist would, before anything is looked up.

Entry point: `Reader(knowledge, tokenizer).read(text) -> Reading`. A message is cut into
sentences; each is the visitor's question or request (an "ask"), part of their story, or only
filler (greetings, thanks, interjections, swearing). Two questions in one sentence ("does
reflexology help, and how much is it?") become two asks. For each ask the reader finds the kinds
of question it is (kinds.yaml) and the topics the article does not cover that it names
(scope.yaml). Pure: no ranking here, and the result is plain data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .knowledge import Kind, Knowledge, SmalltalkReply, Topic
from .patterns import Matcher, clauses, parse, sentences
from .text import REMEMBERED_TEXTS, STOP_WORDS, Remembered, Tokenizer, words

ASK, STORY, FILLER = "ask", "story", "filler"
_QUESTION_WORDS = frozenset("""
what whats how hows why when where which who whom whose is are am was were isnt arent can cant
could couldnt should shouldnt would wouldnt will wont does doesnt do dont did didnt has have
any anyone anybody r wat wht
""".split())
_WH = frozenset("what whats how hows why when where which who wat wht".split())
_AUXILIARIES = frozenset("""
is are am was were isnt arent can cant could couldnt should shouldnt would wouldnt will wont
does doesnt do dont did didnt has have may might must
""".split())
_SUBJECTS = frozenset(
    "i you it this that there massage rls we they he she my your the a an".split())
_REQUESTS = re.compile(
    r"\b(please|pls|plz|tell me|explain|describe|help me|i need help|need advice|any advice|"
    r"any suggestions?|any tips|any ideas|i want to know|i'?d like to know|i would like to know|"
    r"wondering|looking for|recommend|suggest|advise|could you|can you|would you)\b",
    re.IGNORECASE)
# A request for help and nothing else ("Can you help?", "please help me"): small talk alone, but
# after the visitor's story it asks what can help with what they told.
_HELP_REQUEST = re.compile(
    r"^\W*(?:(?:can|could|would|will)\s+(?:you|u|someone|anyone|anybody)\s+(?:please\s+)?help"
    r"(?:\s+me)?(?:\s+(?:please|pls|plz))?|(?:please\s+|pls\s+|plz\s+)?help(?:\s+me)?"
    r"(?:\s+(?:please|pls|plz))?|any\s+help|i\s+need\s+help)\W*$", re.IGNORECASE)
# A second question inside one sentence: ", and how much is it?"
_SECOND_QUESTION = re.compile(
    r",?\s+(?:and|or|also|plus|but)\s+(?=(?:what|how|why|where|when|which|who|is|are|can|could|"
    r"should|would|will|does|do|did)\b)", re.IGNORECASE)
# A question after a comma: "i bruise easily and hate hard pressure, is there a softer kind?"
_QUESTION_AFTER_COMMA = re.compile(
    r"(?<=,)\s+(?=(?:is|are|can|could|should|would|will|does|do|did|what|how|why|any)\b)",
    re.IGNORECASE)
# A question after "but" in a sentence that first tells something: "massages are part of my
# routine but are they safe with ...?" The part before is the visitor's story, not an ask.
_QUESTION_AFTER_BUT = re.compile(
    r",?\s+but\s+(?=(?:is|are|can|could|should|would|will|does|do|did)\s+(?:i|you|it|they|"
    r"there|this|that|massage|massages)\b)", re.IGNORECASE)
# A question starting inside a run-on sentence: "my legs jump at night what can i do".
_INNER_QUESTION = re.compile(
    r"(?<=\w)(?<!\bwhat)(?<!\bhow)(?<!\bwhy)(?<!\bwhen)(?<!\bwhere)(?<!\bwhich)(?<!\bwho)"
    r"\s+(?=(?:what|how|why|where|which|when)\s+(?:can|should|could|do|does|is|are|would|"
    r"will|to|about|kind|type)\b|(?:can|could|should|would|will|does|do|is|are)\s+"
    r"(?:i|you|massage|it|this|that|rls|there|anyone|someone)\b)", re.IGNORECASE)
# A preamble that only announces questions: "Two questions:", "quick q -", "I have a question."
_PREAMBLE = re.compile(
    r"^\s*(?:(?:i\s+(?:have|had|got)|i'?ve\s+got|got|just)\s+)?(?:a\s+)?"
    r"(?:(?:couple(?:\s+of)?|few|two|2|three|3|quick|short|simple|silly|dumb|stupid|random)\s+)*"
    r"(?:questions?|qs?)\s*(?:for\s+you\s*)?[:.!,\-\u2013\u2014]+\s*", re.IGNORECASE)
# Phrases that say when or how sure, never what about: "should I try massage at this point?"
_HEDGES = re.compile(
    r"\b(?:at this point|at this stage|at the moment|by now|these days|nowadays|to be honest|"
    r"in all honesty|or what)\b", re.IGNORECASE)
# What the visitor does not want is not what they ask about: "I don't like hard pressure, which
# kind?" asks for a kind without it. The words after a dislike, up to the end of its clause, are
# left out of the ask; medicines are kept, since not wanting them asks for a natural option, and
# so are what to wear or take off ("I don't like wearing a mask. Do I have to?" asks about that)
# and the music played at a session ("What if I don't like the music?").
_DISLIKES = re.compile(
    r"\b(?:(?:do\s*n[o']?t|didn'?t|never|would\s*n'?t|wouldnt)\s+(?:really\s+)?"
    r"(?:like|love|enjoy|want|handle|tolerate)|hate|dislike|can'?t\s+(?:stand|handle|take|"
    r"tolerate)|cannot\s+(?:stand|handle|take|tolerate)|not\s+a\s+fan\s+of|not\s+into)\s+"
    r"(?!(?:\w+\s+){0,2}(?:pills?|medications?|medicines?|meds|drugs?|tablets?)\b)"
    r"(?!(?:to\s+)?(?:wear|undress|take\s+off|strip|remove|wearing|undressing|taking\s+off|"
    r"stripping|removing)\b)"
    r"(?!(?:the\s+|their\s+|that\s+)?(?:music|playlist)\b)"
    r"[^,;:.!?]*?(?=\s*(?:[,;:.!?]|\b(?:and|but|so|which|what|how|is|are|can|could|should|"
    r"would|any)\b|$))", re.IGNORECASE)
# An ask that only points back at what the visitor just said: "is this normal?", "why is that?",
# "what happens if I do?"
_POINTS_BACK = re.compile(r"\b(?:this|that|it|information|info|if so|if (?:i|you|they|he|she|we) "
                          r"(?:do|does|did|am|are|is))\b", re.IGNORECASE)
# A story sentence that speaks of something told before it: "I read that the effect wears off."
_LEANS_BACK = re.compile(r"\b(?:this|that|it|its|these|those|they|them|the effect)\b",
                         re.IGNORECASE)
_SMALLTALK_FILLER = frozenset("sir maam guys folks friend ya".split())
# A question about the massage appointment itself, not about a health matter: how to prepare
# for it, what to do at it, where and how long it is, whether it should hurt, what it feels like
# and which parts it works on, talking before it starts, how one feels after it, tipping. Only
# the clinic can say how its sessions go. Matched on the ask's lower-case words, apostrophes
# dropped ("dont").
_SESSION = (r"(?:(?:massage therapy |massage |therapy |bodywork )?(?:session|sessions|"
            r"appointment|appointments|visit|visits|treatment|treatments)|massage therapy|"
            r"massage|massages|"
            r"bodywork|rmt|rubdown)")
_ABOUT_A_SESSION = re.compile(
    # "what should I do to prepare for a massage therapy session?"
    rf"\b(?:prepare|prepared|preparing|preparation|get ready|getting ready)\b"
    rf"(?: \w+){{0,5}}? {_SESSION}\b"
    # "should I eat before my massage?", "can I talk during the session?"
    rf"|\b(?:before|during|throughout) (?:my|a|the|your|an|each|our)(?: first| next)? "
    rf"{_SESSION}\b"
    # "should I eat before I come for a massage?", "what to do before I go in for my session"
    r"|\bbefore (?:i|we) (?:come|go|head|arrive|get|have|book)(?: in| over| out)?"
    rf"(?: for| to)?(?: (?:my|a|the|your|an|our))?(?: first| next)? {_SESSION}\b"
    # "will we have time to talk before we start?"
    r"|\b(?:talk|chat|speak|discuss|consult|go over)\b(?: \w+){0,6}? before "
    r"(?:we|you|i|the therapist) (?:start|begin|get started)\b"
    # "what should I do after my massage?", "what do I avoid after a session?"
    r"|\bwhat (?:should|do|can|must|shall) (?:i|we|you|one) (?:do|avoid|eat|drink)"
    r" (?:after|afterwards|following)(?: (?:my|a|the|your|an|each|our))?(?: first| next)?"
    rf" {_SESSION}\b"
    # "how will I feel after the massage?" (not "will I be sore after it?")
    r"|\bhow (?:will|would|should|do|does|might|am|can) (?:i|you|we|one|people) (?:feel|be "
    r"feeling)(?: \w+)? (?:after|afterwards|following)(?: (?:my|a|the|your|an|each|our))?"
    rf" {_SESSION}\b"
    # "is it appropriate to tip?", "should I tip my therapist?", "do I leave a tip?", "do you
    # accept tips?"
    r"|\b(?:to|i|we|you|people|should|do) tip\b|\btipping\b|\bgratuit(?:y|ies)\b"
    r"|\btip (?:my|the|your|a|our) (?:massage )?(?:therapist|masseuse|masseur|rmt)\b"
    r"|\b(?:leave|leaving|give|giving|add|adding|include|including|expect|expected|accept|"
    r"accepting|allow|allowed) "
    r"(?:a |the |any )?tips?\b"
    r"|\b(?:(?:is|are)(?: a| the| any)? tips?|tips? (?:is|are)) (?:\w+ )?(?:expected|customary|"
    r"included|required|necessary|mandatory|appreciated)\b"
    # "should massage hurt?", "is a massage supposed to be painful?"
    rf"|\b(?:should|will|does|do|would|is|are|can)(?: (?:a|the|my|your|an))? {_SESSION} "
    r"(?:be )?(?:hurt|painful|uncomfortable)\b"
    rf"|\b{_SESSION} (?:is |are )?(?:supposed|meant) to (?:hurt|be painful|be uncomfortable)\b"
    # "what will the massage feel like?", "how does a massage feel?"
    rf"|\b(?:what|how) (?:will|does|do|would|should|is|might|could)(?: (?:a|the|my|your|an))?"
    rf" {_SESSION}(?: or (?:(?:a|the) )?{_SESSION})? feel(?: like)?\b"
    # "what parts of my body will be massaged?"
    r"|\b(?:what|which) (?:parts?|areas?|body parts?|muscles)(?: of (?:my|the|your) body)?"
    r"(?: \w+){0,4}? (?:massaged|massage|work on|works on|worked on|treated|treat|touched|"
    r"covered)\b"
    # "is it ok to fall asleep during a massage?"
    r"|\b(?:fall|falling|fell|doze|dozing|dozed|drift|drifting|nod|nodding) (?:asleep|off) "
    rf"(?:during|on the table|in the middle of|while (?:getting|having|receiving)) "
    rf"(?:(?:my|a|the|your|an) )?(?:\w+ )?{_SESSION}\b"
    # "where will I be massaged?", "where do you massage?"
    r"|\bwhere (?:will|would|do|does|should|can) (?:i|you|they|we|the therapist) (?:be )?"
    r"massag(?:ed|e)\b"
    # "where will my session take place?"
    rf"|\bwhere (?:will|does|do|is|are|would|should|can)\b(?: \w+){{0,4}}? {_SESSION}"
    r"(?: \w+){0,2}? (?:take place|be held|held|happen|be done|done|be given|given)\b"
    # "how long should a massage be?", "how long does a session last?" (not "...take to work")
    rf"|\bhow long (?:should|will|does|do|is|are|would|can)(?: (?:a|my|the|your|an|each|one|"
    rf"these|those|the first))? {_SESSION}(?: be| last| take| run|"
    r" go for| go)?$")
# How far to undress: "exactly how far do I dress down?", "do I take off my underwear?"
_UNDRESS = re.compile(
    r"\b(?:dress|dressed|dressing|strip|stripped|stripping) down\b|\bundress\w*|\bdisrob\w*"
    r"|\b(?:get|getting|be) (?:naked|nude)\b"
    r"|\btak(?:e|ing) (?:off|of) (?:my|all|all my|the|your|our) (?:clothes|clothing|underwear|"
    r"pants|shirt|top|bra|socks)\b")
# What to expect at the appointment: "what can I expect when I go to get a massage?" (not "what
# can I expect from massage for RLS?": its other words are the article's, so it is read as usual).
_EXPECT = re.compile(
    r"\bwhat (?:can|should|do|will|would|might|could) (?:i|you|we|one|people|clients|patients) "
    rf"expect\b(?: \w+){{0,6}}? {_SESSION}\b")
# Whether a therapist is the real thing, and how kinds of practitioner differ: "how do I know if
# my massage therapist is legit?", "is an RMT different from a masseuse?"
_PRACTITIONER = (r"(?:rmt|rmts|(?:(?:registered|licensed|certified) )?(?:massage )?"
                 r"(?:therapist|therapists|pract\w*ioners?)|masseuse|masseuses|masseur|masseurs|"
                 r"physiotherapist|physiotherapists|physio|physios|kinesiologist|kinesiologists)")
_GENUINE = (r"(?:legit|legitimate|real|registered|licensed|certified|qualified|trained|"
            r"accredited|insured|a scam|fake|reputable|trustworthy|trusted|reliable|experienced|"
            r"professional|competent|skilled|credible)")
_CREDENTIALS = re.compile(
    rf"\b{_PRACTITIONER} (?:is|are|be) (?:\w+ )?{_GENUINE}\b"
    rf"|\b(?:is|are) (?:my|the|your|a|an|this|that|these|those|our) {_PRACTITIONER} (?:\w+ )?"
    rf"{_GENUINE}\b"
    rf"|\b{_GENUINE} (?:or not )?{_PRACTITIONER}(?: or not)?$"
    # "how do I find a good massage therapist?", "what to look for in a practitioner"
    r"|\b(?:find|finding|choose|choosing|pick|picking|select|selecting|vet|vetting|spot|"
    rf"look for|looking for)(?: \w+){{0,3}}? {_PRACTITIONER}\b"
    # "do you have RMTs?", "does the clinic employ a female massage therapist?"
    r"|\b(?:do|does) (?:you|you guys|the clinic|your clinic)(?: still| also)? (?:have|"
    rf"employ|offer|staff)(?: \w+){{0,2}}? {_PRACTITIONER}\b"
    r"|\b(?:difference|differences|different|differ|differs|distinguish|compare|compared|"
    rf"comparison|vs|versus)\b(?: \w+){{0,4}}? {_PRACTITIONER}(?: \w+){{0,8}} {_PRACTITIONER}\b"
    rf"|\b{_PRACTITIONER} (?:\w+ ){{0,3}}?(?:different|differ|differs|vs|versus|compared|"
    rf"compare)\b(?: \w+){{0,8}} {_PRACTITIONER}\b")
# How to pay: "do you accept credit cards?", "can I pay by e-transfer?"
_PAYMENT = re.compile(
    r"\b(?:credit|debit) cards?\b|\bcredit\b|\bdebit\b|\be ?transfers?\b|\binterac\b"
    r"|\bcheques?\b|\bcash\b|\bapple pay\b|\bgoogle pay\b|\bpaypal\b"
    r"|\bpayment (?:methods?|options?|types?|plans?)\b|\b(?:methods?|forms?|ways?|types?) of "
    r"payment\b")
# A question asking how to reach something: "how can I get a good night's sleep?", "how do we
# improve my sleep?" (not "how do I get there?": what follows must name something).
_MEANS = re.compile(
    r"^how (?:can|could|do|should|would|might|will) (?:i|we|one|you|my \w+) "
    r"((?:get|have|achieve|enjoy|improve|find|keep|regain)(?: \w+){1,4})")
# What each of these readings is about, as the clinic's reply names it (compose.py).
SESSION, PAYMENT, THERAPISTS = "session", "payment", "therapists"
_CLINIC_READINGS = ((SESSION, _ABOUT_A_SESSION), (SESSION, _UNDRESS), (SESSION, _EXPECT),
                    (THERAPISTS, _CREDENTIALS), (PAYMENT, _PAYMENT))
# "What if I fall asleep?" asks about the session when the message speaks of one.
_ASLEEP = re.compile(
    r"\b(?:what if|if|is it (?:ok|okay|rude|normal|bad|fine|alright|common|weird)(?: to| if)?|"
    r"do (?:people|clients|most people)|will i|would it be)(?: i)? (?:fall|doze|drift|nod)\w* "
    r"(?:asleep|off)$")
_AT_A_SESSION = re.compile(rf"\b(?:{_SESSION}|therapist|therapists|masseuse|masseur)\b")
# The appointment and the people giving it: words of any question about a session, never what
# else it asks ("is it ok to tip my therapist?" asks nothing besides tipping).
_THE_APPOINTMENT = re.compile(rf"\b(?:{_PRACTITIONER}|{_SESSION})\b")


@dataclass(frozen=True)
class Sentence:
    """One sentence of the message and what it does: ask, story or filler."""

    text: str
    role: str


@dataclass(frozen=True)
class Ask:
    """One question or request: its text, the kinds of question it is and the topics the
    article does not cover that it names (clinic topics among them)."""

    text: str
    kinds: tuple[Kind, ...] = ()
    not_covered: tuple[Topic, ...] = ()
    # When it asks about the massage appointment itself (preparing, tipping, where, how long,
    # undressing) or the clinic's business (paying, its therapists): its words besides those.
    # Only the clinic can answer, unless they name a health matter (the engine decides that).
    session: str | None = None
    # What that is about: SESSION, PAYMENT or THERAPISTS.
    about: str = SESSION


@dataclass(frozen=True)
class Reading:
    """A message as the reader understood it. `story` is what the visitor told about
    themselves; `smalltalk` is set when the message is nothing but small talk."""

    text: str
    sentences: tuple[Sentence, ...]
    asks: tuple[Ask, ...]
    story: str
    smalltalk: SmalltalkReply | None = None
    anywhere: tuple[Topic, ...] = ()


def _asks(words_: list[str]) -> bool:
    """True for a sentence worded as a question though it has no question mark: "can massage
    help", "what can i do", "how does it work", "any tips" (not "when i fly, my legs...")."""
    first, second = words_[0], words_[1] if len(words_) > 1 else ""
    if first in ("any", "anyone", "anybody"):
        return True
    if first in _AUXILIARIES:
        return second in _SUBJECTS
    if first in _WH:
        return second in _AUXILIARIES or second in ("to", "about", "kind", "type", "if")
    return False


def _questions(sentence: str) -> list[str]:
    """The questions in one asking sentence: "does reflexology help, and how much is it?" is
    two; "could you help with a problem that robs me of sleep, and which lately persists?" is
    one, the part after "and which" telling more of the problem, not asking."""
    out: list[str] = []
    for part in _SECOND_QUESTION.split(sentence):
        plain = words(part)
        if not plain:
            continue
        if out and plain[0] in ("which", "who") and not _asks(plain):
            out[-1] = f"{out[-1]} and {part}"
        else:
            out.append(part)
    return out


def _about_a_session(text: str, message: str = "") -> tuple[str, str] | None:
    """For an ask about the massage appointment itself or the clinic's business ("how should I
    prepare for my session?", "what if I fall asleep?" in a message about a massage, "do you
    take credit cards?", "is my therapist registered?"): its other words besides those naming
    the appointment or its therapist, and what it is about (SESSION, PAYMENT or THERAPISTS);
    None for any other ask."""
    plain = " ".join(words(text))
    about, found = next(((about, found) for about, pattern in _CLINIC_READINGS
                         if (found := pattern.search(plain)) is not None), (SESSION, None))
    if found is None:
        found = _ASLEEP.search(plain)
        if found is None or not _AT_A_SESSION.search(" ".join(words(message or text))):
            return None
    rest = _THE_APPOINTMENT.sub(" ", f"{plain[:found.start()]} {plain[found.end():]}")
    return " ".join(rest.split()), about


class SmalltalkMatcher:
    """Recognises greetings, thanks, goodbyes and "who are you" talk.

    A message is small talk when it contains at least one of the phrases and every other word is
    a word of some phrase, a stop word or a filler ("are you a bot or a real person").
    """

    def __init__(self, intents, tokenizer: Tokenizer):
        self._tokenizer = tokenizer
        phrases = [(tuple(words(p)), intent) for intent in intents for p in intent.phrases]
        self._phrases = sorted((p for p in phrases if p[0]), key=lambda p: -len(p[0]))
        self._words = ({w for phrase, _ in self._phrases for w in phrase} | _SMALLTALK_FILLER
                       | STOP_WORDS)

    def _phrase_at(self, plain: list[str], i: int, greeting_only: bool = False):
        for phrase, intent in self._phrases:
            if (not greeting_only or intent.id == "greeting") and \
                    tuple(plain[i:i + len(phrase)]) == phrase:
                return len(phrase), intent
        return None

    def strip(self, text: str) -> str:
        """`text` without a leading greeting ("Hi, good evening, can massage..." -> "can
        massage..."), so "evening" in a greeting is not read as part of the question."""
        spelled = self._tokenizer.spelled(text)
        i = 0
        while i < len(spelled) and (found := self._phrase_at(spelled, i, greeting_only=True)):
            i += found[0]
        return " ".join(words(text)[i:]) if i else text

    def match(self, text: str) -> SmalltalkReply | None:
        """The intent for a pure small-talk text, or None when it asks or tells something.
        A question word outside the phrases ("what does it help with") makes it a question."""
        plain = self._tokenizer.spelled(text)
        if not plain or any(w not in self._words for w in plain):
            return None
        found, i = [], 0
        while i < len(plain):
            at = self._phrase_at(plain, i)
            if at is None:
                if plain[i] in _QUESTION_WORDS - {"are", "is", "can", "do"}:
                    return None
                i += 1
            else:
                found.append(at[1])
                i += at[0]
        if not found:
            return None
        specific = [intent for intent in found if intent.id != "greeting"]
        return (specific or found)[-1]


class Reader:
    """Everything needed to read messages for one knowledge base; never changed once built."""

    def __init__(self, knowledge: Knowledge, tokenizer: Tokenizer):
        self.tokenizer = tokenizer
        self.smalltalk = SmalltalkMatcher(knowledge.smalltalk, tokenizer)
        known = tokenizer.vocabulary
        self._kinds = Matcher([(kind, parse(w)) for kind in knowledge.kinds for w in kind.words],
                              known)
        self._topics = Matcher([(("topic", i), parse(w))
                                for i, topic in enumerate(knowledge.not_covered)
                                for w in topic.words]
                               + [(("unless", i), parse(w))
                                  for i, topic in enumerate(knowledge.not_covered)
                                  for w in topic.unless], known)
        self._topic_list = knowledge.not_covered
        self._kind_order = {kind.id: n for n, kind in enumerate(knowledge.kinds)}
        # A message that is one ask is searched for topics as a whole and as its ask: each
        # text's are found once.
        self._topics_of = Remembered(REMEMBERED_TEXTS)

    def read(self, text: str) -> Reading:
        """The message's sentences and roles, its asks, and small talk when that is all it is."""
        whole = self.smalltalk.match(text)
        parts = self._sentences(text)
        roles = [self._role(part) for part in parts]
        asks, told = [], {}
        before: tuple[str, ...] = ()  # the story so far, the latest sentence first
        for part, role in zip(parts, roles, strict=True):
            if role == STORY:
                before = (part, *before)
            elif role == ASK or before and _HELP_REQUEST.match(part):
                for ask in _questions(part):
                    asks.append(ask)
                    told[len(asks) - 1] = before
        story = [part for part, role in zip(parts, roles, strict=True) if role == STORY]
        if not asks and story:
            # Nothing is asked outright ("jittery legs when trying to sleep"): the story is the ask.
            asks, story, told = story, [], {}
        anywhere = tuple(t for t in self.topics(text) if t.anywhere)
        return Reading(
            text=text,
            sentences=tuple(Sentence(p, r) for p, r in zip(parts, roles, strict=True)),
            asks=tuple(self._ask_after(a, told.get(i, ()), text) for i, a in enumerate(asks)),
            story=" ".join(story),
            smalltalk=whole,
            anywhere=anywhere)

    def ask(self, text: str, message: str = "") -> Ask:
        """One ask with its kinds and not-covered topics; `message` is all the visitor wrote
        (by default the ask alone)."""
        session, about = _about_a_session(text, message) or (None, SESSION)
        return Ask(text, self.kinds(text), self.topics(text), session, about)

    def _ask_after(self, text: str, told: tuple[str, ...], message: str = "") -> Ask:
        """An ask, read with the story sentences before it (the latest first) when it says
        nothing of its own: "I feel sore after a massage, is this normal?" has that sentence's
        not-covered topics, and so has "why?" or "why would it wear off?" after sentences
        pointing back to one that names such a topic ("I put soap under the sheets. I read
        that the effect wears off."); "my feet burn every night, why?" is a strict kind of
        question about what the sentence describes, as "why do my feet burn every night?"
        would be."""
        ask = self.ask(text, message)
        own = [w for w in words(text) if w not in STOP_WORDS]
        if not told or len(own) > 1:
            return ask
        kinds, topics = ask.kinds, ask.not_covered
        if not own or _POINTS_BACK.search(text):
            for sentence in told:
                topics += tuple(t for t in self.topics(sentence) if t not in topics)
                if not _LEANS_BACK.search(sentence):
                    break
        kinds += tuple(k for k in self.kinds(" ".join(words(text) + words(told[0])))
                       if k.strict and k not in kinds)
        return Ask(ask.text, kinds, topics, ask.session, ask.about) \
            if (kinds, topics) != (ask.kinds, ask.not_covered) else ask

    def kinds(self, text: str) -> tuple[Kind, ...]:
        """The kinds of question `text` is, in kinds.yaml order. "How can I get a good night's
        sleep?" asks what helps to get it: it is read as that too."""
        found = {}
        means = _MEANS.search(" ".join(words(text)))
        if means is not None and any(w not in STOP_WORDS for w in means.group(1).split()[1:]):
            text = f"{text}. what helps {means.group(1)}"
        for sentence in sentences(text):
            for kind in self._kinds.find(self._kinds.corrected(clauses(sentence))):
                found[kind.id] = kind
        return tuple(sorted(found.values(), key=lambda k: self._kind_order[k.id]))

    def topics(self, text: str) -> tuple[Topic, ...]:
        """The not-covered topics `text` names, in scope.yaml order."""
        return self._topics_of.get_or_make(text, self._find_topics)

    def _find_topics(self, text: str) -> tuple[Topic, ...]:
        found: set[int] = set()
        for sentence in sentences(text):
            tokens = self._topics.corrected(clauses(sentence))
            hits = self._topics.find(tokens)
            for kind, i in hits:
                if kind != "topic" or i in found:
                    continue
                hidden = hits.get(("unless", i))
                if hidden and ("topic", i) not in self._topics.find(
                        [("" if any(a <= n < b for a, b in hidden) else t)
                         for n, t in enumerate(tokens)]):
                    continue
                found.add(i)
        return tuple(self._topic_list[i] for i in sorted(found))

    def _sentences(self, text: str) -> list[str]:
        out = []
        for sentence in sentences(text):
            sentence = _DISLIKES.sub(" ", _HEDGES.sub(" ", _PREAMBLE.sub("", sentence)))
            if not sentence.strip():
                continue
            pieces = [p for part in _QUESTION_AFTER_BUT.split(sentence)
                      for p in _QUESTION_AFTER_COMMA.split(part) if p.strip()]
            if len(pieces) == 1 and not sentence.rstrip().endswith("?") and \
                    len(words(sentence)) >= 6:
                pieces = [p for p in _INNER_QUESTION.split(sentence, maxsplit=1) if p.strip()]
            out.extend(pieces)
        return out

    def _role(self, sentence: str) -> str:
        rest = words(self.smalltalk.strip(sentence))
        if not rest or self.smalltalk.match(sentence):
            return FILLER
        if sentence.rstrip().endswith("?") or _REQUESTS.search(sentence) or _asks(rest):
            return ASK  # "What should I do?" asks, though every word of it is a stop word
        return STORY if any(w not in STOP_WORDS for w in rest) else FILLER
