"""Ranking and abstention on the shipped passages, pinned by tables of (question, expected
passage or no_match)."""

from __future__ import annotations

import pytest

RANKING = [
    ("what is RLS", "what-is-rls"),
    # An adult's age is no child ("a 64-year-old man" once read as a question about children).
    ("I'm a 64-year-old man with restless legs, what are the symptoms?", "rls-symptoms"),
    ("my legs have to keep moving when I rest", "symptom-urge-to-move"),
    ("creepy crawly feeling in my legs at night", "symptom-tingling-crawling"),
    ("restless legs keep me up all night", "symptom-disrupted-sleep"),
    ("are painful leg cramps one of the symptoms", "symptom-leg-cramps"),
    ("why does stretching only help for a little while", "symptom-relief-with-movement"),
    ("will massage loosen my tight calves", "muscle-relaxation"),
    ("can massage calm burning nerves in my legs", "nerve-function"),
    ("my legs feel heavy, is it my circulation", "blood-circulation"),
    ("massage for charley horses", "reducing-leg-cramps"),
    ("I feel anxious and stressed, does massage help", "stress-reduction"),
    ("rubdown before bed to sleep better", "sleep-quality"),
    ("list of massage techniques for restless legs", "massage-techniques"),
    ("is firm pressure massage ok", "deep-tissue-massage"),
    ("sweedish massge", "swedish-massage"),
    ("knots in my leg muscles", "trigger-point-therapy"),
    ("fascia release", "myofascial-release"),
    ("foot pressure points", "reflexology"),
    ("lifestyle changes have not helped my restless legs", "when-to-seek-massage"),
    ("does a physio clinic tailor massage sessions", "tailored-sessions"),
    ("can massage be part of a self-care routine", "managing-rls-naturally"),
    ("massage clinic in yeg", "granville-physiotherapy"),
    ("good evening, can massage help with restless legs?", "massage-overview"),
    ("hi there! tips for sleeping better with restless legs", "symptom-disrupted-sleep"),
    # Why, or what makes it worse: answered where the article says so.
    ("why do my legs get worse every night", "symptom-disrupted-sleep"),
    ("does poor circulation make restless legs worse", "blood-circulation"),
    ("can tight calves bring on restless legs", "muscle-relaxation"),
    ("my legs need to move all evening when I sit, is this RLS?", "symptom-urge-to-move"),
    # Lifestyle changes that did not help are when to seek massage, not a topic left out.
    ("lifestyle changes haven't done much for my legs, is massage next?", "when-to-seek-massage"),
    ("what is mfr", "myofascial-release"),
    # How to recognise it is its symptoms; whether legs need a massage is when to seek one;
    # what to do on one's own is massage as self-care.
    ("how would you recognise restless legs?", "rls-symptoms"),
    ("does my leg need a massage?", "when-to-seek-massage"),
    ("is there anything I can try by myself?", "managing-rls-naturally"),
    # A verb the article never uses leaves only the topic word to say which passage: the one
    # on sleep, not the symptom list that also names sleep.
    ("what is it about a massage that readies you for sleep?", "sleep-quality"),
    # Which kind of condition it is, or what part of the body it concerns, is the definition
    # ("a neurological disorder"), even when its symptoms are what is asked about.
    ("What body system is restless legs a problem of?", "what-is-rls"),
    ("What category do the symptoms of RLS come under?", "what-is-rls"),
    # "Nocturnal" is at night and an "indication" is a sign: everyday words the article does
    # not use, which would otherwise outweigh the cramps it lists as a symptom.
    ("Are nocturnal cramps in my calves an indication of RLS?", "symptom-leg-cramps"),
]

# Questions for the clinic itself: its reply, never a passage picked for a word.
CLINIC = [
    # Speaking up when the pressure is too hard is how one's comfort is looked after at a
    # session: the clinic's to say.
    "what if the pressure is too hard for me",
    "How much does a massage cost?",
    "what's the price of a 30 minute session",
    "Is physiotherapy covered by my insurance plan?",
    "what time do you close on Saturday",
    "how long does a massage session last",
    "how do i book an appointment",
    "are you taking new patients",
    "how long is the wait to be seen",
    "do you do 90 minute massage sessions",
    "how far ahead should I book a session",
    "can you take people in wheelchairs",
    # How long a treatment runs and what its time covers, arriving late, what to wear, forms.
    "how long will my first treatment take?",
    "does the appointment time include getting changed?",
    "I'm running late, do I still get the whole session?",
    "should I wear shorts for a leg massage?",
    "do I need to fill out any forms before I come in?",
    # Whether a plan covers it, how scheduling works, masks (a story the ask points back to).
    "does my benefits plan cover a leg massage?",
    "how does scheduling work at your clinic?",
    "I would rather not wear a face mask. Is that required?",
    # How much a plan pays, and a second plan (a spouse's).
    "how do I find out how much I'm covered for?",
    "can I claim under my wife's plan too?",
    # How often to come in is for the therapist to advise.
    "how often should I come in for a massage?",
    # "A big deal" asks whether it matters, not about dealing with something.
    "is it a big deal if I eat a meal before my massage?",
    # What is left on a plan is the benefits balance, an insurance question.
    "how much is left on my benefits for this year?",
    "what's my remaining balance for massage?",
]

ABSTAIN = [
    # Whether someone's age still allows a massage is the safety question the article leaves
    # to the therapist; the story's "living" is not the article's "living with RLS".
    "My mother is in her 90s and lives in a care home. Could she still have a massage?",
    "Am I too old for a massage?",
    # The reason for one's own symptoms is their cause, however common.
    "What's the main reason my legs feel jumpy in the evening?",
    "my 9-year-old has restless legs at bedtime, can a massage help her?",
    "Can I take iron supplements for restless legs?",
    "is ropinirole safe",
    "Is massage safe in the first trimester of pregnancy?",
    "do massage guns work for restless legs",
    "Can acupuncture help RLS?",
    "what is the capital of France",
    "how to clean a roof",
    "xqzt vbnm",
    "Quelle est la meilleure massage?",
    "what's the weather in edmonton",
    "does massage help back pain",
    "Do you offer hot stone massage?",
    # Why, or what makes it worse, where the article does not say: not a passage that only
    # shares a word.
    "why do my feet go cold at night",
    "does running make restless legs worse",
    "my legs feel like jelly, what could it be?",
    # Whether it is restless legs, where the description does not have what is told; how it
    # goes untreated; movements in someone else's sleep; massage making it worse.
    "My toes tingle and go numb. Is this RLS?",
    "what happens to restless legs left untreated",
    "my husband twitches while he's asleep, how do I stop it",
    "could deep tissue massage make my restless legs worse",
    # How it goes with age, telling it from something else, positions in bed.
    "does restless legs get worse as I get older",
    "how can you tell if it's restless legs or a circulation problem",
    "is there a good position to sleep in with RLS?",
    "is it just my nerves or is it restless legs?",
    "does RLS cause any long term damage",
    "my feet tingle when I kneel down, any idea what that is?",
    "is restless legs the same as leg cramps",
    # Soreness following a session, problems later on, lifestyle changes, reflexology's foot
    # maps of the organs and the research behind it: the article says none of it.
    "is it normal to feel sore following a deep tissue session?",
    "could restless legs leave me with long term health problems?",
    "which lifestyle changes are good for restless legs?",
    "does the reflexology foot chart really show where the liver is?",
    "is there scientific evidence that trigger point therapy works?",
    "I love a good leg massage but is it ok if I have diabetes?",
    # Who should not have a massage, how commonly it occurs: not in the article.
    "is it ever a bad idea to have a leg massage?",
    "how commonly do people get restless legs?",
    # Whether one has it, quizzed ("or are you just restless?"), and why legs hurt.
    "could you have RLS without knowing it?",
    "am I just restless?",
    "why do my calves ache so much?",
    # How often to massage one's own legs is not a visit, and the article does not say.
    "how often should I massage my legs at home?",
]


@pytest.mark.parametrize("question, passage_id", RANKING)
def test_best_passage(engine, question, passage_id):
    answer = engine.ask(question)
    assert answer.status == "answered"
    assert answer.citations[0].id == passage_id


@pytest.mark.parametrize("question", ABSTAIN)
def test_abstains_when_the_article_does_not_answer(engine, question):
    answer = engine.ask(question)
    assert answer.status == "no_match"
    assert answer.citations == ()


def test_new_findings_are_named_as_the_research_the_article_does_not_cover(engine):
    answer = engine.ask("any recent findings on massage for restless legs?")
    assert answer.status == "no_match"
    assert "research" in answer.body


@pytest.mark.parametrize("question", CLINIC)
def test_questions_for_the_clinic_get_the_clinic_reply(engine, question):
    answer = engine.ask(question)
    assert answer.status == "clinic"
    assert answer.citations == ()


def test_every_passage_is_reachable_by_its_own_questions(engine):
    for passage in engine.knowledge.passages:
        for question in passage.questions:
            answer = engine.ask(question)
            assert answer.status == "answered", question
            # A list item may come within its list, and a list through one of its items.
            quoted = {c.id for c in answer.citations} | {
                item["id"] for c in answer.citations for item in c.items}
            assert passage.id in quoted or quoted & set(passage.items), question
