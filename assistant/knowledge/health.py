"""Words that make a text a health claim: symptoms, conditions, treatments, parts of the body.

Clinic facts (facts.yaml) are about the clinic itself: hours, parking, prices, billing, access.
Everything the assistant says about health must be quoted from an article, so a clinic fact
that names a symptom, a condition, a treatment or a part of the body is refused. The clinic's
own services (massage, physiotherapy, a session, an appointment) are not treatments in this
sense: a fact may say that massage sessions last an hour, not what massage does.

Entry point: `health_words(text) -> list[HealthWord]`, every such word in the text, in order.
The staff page also uses it to offer "answer as a clinic fact" only for questions that name
none of them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SYMPTOM, CONDITION, TREATMENT, BODY = "a symptom", "a health condition", "a treatment", \
    "a part of the body"

# A word ending in * matches any ending ("cramp*": cramp, cramps, cramping); a space matches
# any run of spaces or dashes ("restless leg*": "restless legs", "restless-leg").
_WORDS = {
    SYMPTOM: """symptom* pain painful pains ache aches aching achy hurt hurts hurting sore
        soreness tingl* crawl* itch* cramp* numb numbness spasm* twitch* jerk* stiff stiffness
        swell* swollen throbbing burning discomfort insomnia sleepless* fatigue exhaust*
        restlessness urge+to+move pins+and+needles charley+horse*""",
    CONDITION: """rls restless+leg* willis+ekbom* syndrome* disorder* disease* condition*
        illness* diagnos* neurolog* neuropath* diabet* pregnan* arthritis fibromyalgia
        parkinson* anemi* anaemi* kidney* sciatica injur* varicose circulation+problem*
        deficien*""",
    TREATMENT: """treat treats treated treating treatment* cure cures cured curing heal heals
        healing relief relieve* remed* medication* medicine* drug drugs pill pills prescri*
        dose dosage supplement* surgery injection* therapeutic* alleviat* symptom+relief
        reduce+symptom* improve+circulation boost+circulation""",
    BODY: """leg legs foot feet calf calves thigh thighs knee knees ankle* toe toes hip hips
        neck shoulder* arm arms muscle* nerve* tendon* ligament* joint joints spine blood""",
}


@dataclass(frozen=True)
class HealthWord:
    """A health word found in a text: the word as written and what it is (`SYMPTOM`...)."""

    word: str
    kind: str


def _pattern(word: str) -> str:
    parts = [re.escape(part.rstrip("*")) + (r"\w*" if part.endswith("*") else "")
             for part in word.split("+")]
    return r"(?<![\w-])" + r"[\s-]+".join(parts) + r"(?![\w-])"


_FINDERS = tuple((kind, re.compile("|".join(_pattern(w) for w in words.split()), re.IGNORECASE))
                 for kind, words in _WORDS.items())


def health_words(text: str) -> list[HealthWord]:
    """Every symptom, condition, treatment or body word in `text`, in the order they appear."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'")
    found = []
    for kind, finder in _FINDERS:
        found += [(match.start(), HealthWord(match.group(0), kind))
                  for match in finder.finditer(text)]
    return [word for _, word in sorted(found, key=lambda pair: pair[0])]
