"""The engine end to end: statuses, snippets, follow-ups and bad input that never raises."""

from __future__ import annotations

import pytest

from assistant.compose import EMPTY, plain, worth_logging
from assistant.engine import MAX_QUESTION_CHARS, Engine, clean_question
from assistant.knowledge import fold


def test_answer_quotes_one_to_three_sentences_verbatim(engine, knowledge):
    answer = engine.ask("Is a massage before bedtime helpful?")
    assert answer.status == "answered"
    first = answer.citations[0]
    passage = knowledge.passage(first.id)
    assert fold(first.snippet) in fold(passage.text)
    assert fold(first.snippet) != fold(passage.text)  # a part, not the whole passage
    assert "before bedtime" in first.snippet
    assert f"> {first.snippet.splitlines()[0]}" in answer.answer


def test_every_status_but_urgent_and_small_talk_refers_to_the_clinic(engine):
    for question in ["What is reflexology?", "How much is parking?", ""]:
        answer = engine.ask(question)
        assert "Granville Physiotherapy" in answer.referral
        assert plain(answer.referral) in answer.answer
    assert engine.ask("my calf is swollen and red").referral == ""
    assert engine.ask("hello").referral == ""


def test_follow_up_keeps_the_topic(engine):
    first = engine.ask("Can restless legs cause cramps?")
    follow = engine.ask("and what about at night?", ["Can restless legs cause cramps?"])
    alone = engine.ask("and what about at night?")
    assert first.status == follow.status == "answered"
    assert {c.id for c in follow.citations} & {"reducing-leg-cramps", "symptom-leg-cramps"}
    assert alone.status == "no_match" or alone.citations[0].id != follow.citations[0].id


def test_follow_up_accepts_answer_records_as_history(engine):
    history = [{"question": "Tell me about Swedish massage", "status": "answered"}]
    answer = engine.ask("is it good for mild symptoms?", history)
    assert answer.citations[0].id == "swedish-massage"


def test_an_out_of_scope_follow_up_stays_out_of_scope(engine):
    answer = engine.ask("and what about magnesium?", ["Can massage help cramps?"])
    assert answer.status == "no_match"


@pytest.mark.parametrize("text", ["", "   ", "\n\t  \n"])
def test_empty_input_asks_for_a_question(engine, text):
    answer = engine.ask(text)
    assert (answer.status, answer.body) == ("no_match", plain(EMPTY))


@pytest.mark.parametrize("text", ["🦵😩❓", "¿Qué es el síndrome de piernas inquietas?",
                                  "下肢不宁综合征是什么", "!!!???"])
def test_other_languages_and_emoji_get_no_match(engine, text):
    assert engine.ask(text).status == "no_match"


def test_long_input_is_cut_with_a_notice(engine):
    answer = engine.ask("What is Swedish massage? " + "x" * 5000)
    assert len(answer.question) == MAX_QUESTION_CHARS
    assert answer.notice == "Your message was long, so I read only its first 2,000 characters."
    assert answer.answer.startswith("_Your message was long")


def test_control_characters_are_stripped(engine):
    text, notice = clean_question("What\x00 is\x1b[31m reflexology?\u200b")
    assert (text, notice) == ("What is[31m reflexology?", "")
    assert engine.ask("What\x00 is\x1b reflexology?").citations[0].id == "reflexology"


@pytest.mark.parametrize("value", [None, 42, b"bytes", ["list"]])
def test_non_text_input_never_raises(engine, value):
    assert engine.ask(value).status in ("no_match", "answered")


def test_visitor_text_is_never_echoed_into_the_answer(engine):
    for text in ["<img src=x onerror=alert(1)> massage",
                 "[click](javascript:alert(1)) reflexology"]:
        answer = engine.ask(text)
        assert "<img" not in answer.answer and "javascript:" not in answer.answer


@pytest.mark.parametrize("text, intent", [
    ("hello", "greeting"),
    ("Good morning!", "greeting"),
    ("thanks so much, that was helpful", "thanks"),
    ("ok thanks, bye", "goodbye"),
    ("am i talking to a real person or a bot", "about"),
    ("hi, what kind of questions can you answer?", "about"),
])
def test_small_talk(engine, text, intent):
    answer = engine.ask(text)
    assert (answer.status, answer.reason) == ("smalltalk", intent)


@pytest.mark.parametrize("text", ["hi, what is swedish massage?", "thanks, and what about cramps?"])
def test_small_talk_around_a_question_still_answers_it(engine, text):
    assert engine.ask(text).status == "answered"


def test_a_new_standalone_question_is_not_pulled_back_to_the_earlier_topic(engine):
    answer = engine.ask("Is there a clinic in Edmonton that does this?",
                        ["What is Swedish massage?"])
    assert [c.id for c in answer.citations] == ["granville-physiotherapy"]


def test_a_story_that_leads_away_does_not_drop_the_asks_own_words(engine):
    # The story (cramps, sleep) has passages of its own, none of them gentle.
    answer = engine.ask("I get cramps every night and can't sleep. Which one is gentle?")
    assert answer.status == "answered"
    assert "swedish-massage" in [c.id for c in answer.citations]


def test_a_kind_of_question_is_answered_by_its_topic_words_when_the_rest_is_the_visitors_own(
        engine):
    answer = engine.ask("What can I do about leg cramps that attack me when deeply asleep at "
                        "night?")
    assert answer.status == "answered"
    assert [c.id for c in answer.citations] == ["reducing-leg-cramps"]


def test_a_conversation_reads_the_same_whether_its_questions_were_asked_here_or_not(knowledge):
    history = ["Tell me about Swedish massage", "I want to kill myself", "does it help cramps?"]
    asked = Engine(knowledge)
    for i, question in enumerate(history):
        asked.ask(question, history[:i])
    for follow in ("is it good for mild symptoms?", "and at night?", "how does that work?"):
        assert asked.ask(follow, history).as_record() == \
            Engine(knowledge).ask(follow, history).as_record()


def test_a_message_about_a_crisis_is_not_remembered(knowledge):
    engine = Engine(knowledge)
    engine.ask("I want to kill myself")
    engine.ask("I can't cope anymore, can massage help my legs?")
    engine.ask("Tell me about Swedish massage")
    assert engine._read.get("I want to kill myself") is None
    assert engine._read.get("I can't cope anymore, can massage help my legs?") is None
    assert engine._read.get("Tell me about Swedish massage") is not None


def test_a_replayed_conversation_step_is_remembered_but_never_one_about_a_crisis(knowledge):
    engine = Engine(knowledge)
    history = ["Tell me about Swedish massage", "does it help cramps?",
               "I can't cope anymore, can massage help my legs?", "and at night?"]
    for i, question in enumerate(history + ["is it good for mild symptoms?"]):
        engine.ask(question, history[:i])
    steps = [text for text, _ in engine._steps._entries]
    assert steps[:2] == ["Tell me about Swedish massage", "does it help cramps?"]
    # The crisis message, and the questions read in a topic it may have led to, are not kept.
    assert history[2] not in steps and history[3] not in steps
    follow = "is it good for mild symptoms?"
    assert engine.ask(follow, history[:2]).as_record() == \
        Engine(knowledge).ask(follow, history[:2]).as_record()


def test_a_story_may_choose_the_passage_but_the_ask_chooses_what_to_quote_of_it(engine):
    answer = engine.ask("My calves get sudden painful contractions that disrupt my sleep. What "
                        "can I do about it?")
    assert [c.id for c in answer.citations] == ["reducing-leg-cramps"]
    assert "preventing cramps" in answer.body
    assert "These sudden, painful contractions" not in answer.body


@pytest.mark.parametrize("message", ["je ne peux plus, que faire?", "我想死"])
def test_a_message_in_another_language_gets_the_emergency_numbers_and_is_not_logged(engine,
                                                                                     message):
    answer = engine.ask(message)
    assert answer.status == "no_match"
    assert "911" in answer.support and "988" in answer.support
    assert answer.answer.index("911") < answer.answer.index("English")
    assert answer.citations == () and answer.related == ()
    assert not worth_logging(answer.as_record())


def test_why_a_listed_symptom_happens_is_answered_from_the_passages_that_describe_it(engine):
    answer = engine.ask("Why do my legs get so stiff and painful?")
    assert answer.status == "answered"
    assert [c.id for c in answer.citations] == ["symptom-leg-cramps"]


@pytest.mark.parametrize("text", [
    # Flexibility is in the article, but only where it says what massage does.
    "Why do my legs lose their flexibility?",
    # A sensation the article never names.
    "Why do my feet go numb?",
    # The story says what the visitor feels; the ask only asks what it is.
    "My feet feel numb and cold every evening. What could it be?",
])
def test_why_a_symptom_the_description_does_not_list_happens_is_not_covered(engine, text):
    answer = engine.ask(text)
    assert answer.status == "no_match"
    assert answer.citations == ()


def test_the_same_words_asked_another_way_still_find_the_passage_that_has_them(engine):
    assert [c.id for c in engine.ask("Does massage help flexibility?").citations] == \
        ["reducing-leg-cramps"]


def test_a_strict_kind_of_question_about_a_passages_own_topic_is_read_as_usual(engine):
    answer = engine.ask("Swedish massage, what could it be?")
    assert [c.id for c in answer.citations] == ["swedish-massage"]


def test_a_bare_why_after_a_story_is_answered_only_where_the_description_has_the_story(engine):
    assert engine.ask("My legs lose their flexibility in the evening, why?").status == "no_match"
    assert [c.id for c in engine.ask("My legs get so stiff and painful, why?").citations] == \
        ["symptom-leg-cramps"]


def test_a_strict_kind_that_describes_nothing_particular_does_not_choose_the_passage(engine):
    # "why do my..." with only restless legs in it: read as the treatment question it is,
    # not answered with the symptom list the strict kind names.
    answer = engine.ask("why do my restless legs need treatment?")
    assert [c.id for c in answer.citations] == ["massage-overview"]


def test_a_strict_kind_of_question_of_nothing_particular_is_general_beside_one_not_covered(
        engine):
    # Alone, "why is my restless leg syndrome like that?" is read as usual; beside a question
    # the article does not cover, it asks nothing of its own that a quote would answer.
    assert engine.ask("why is my restless leg syndrome like that?").status == "answered"
    answer = engine.ask("should I take magnesium, and why is my restless leg syndrome like "
                        "that?")
    assert answer.status == "no_match"
    assert answer.citations == ()


def test_a_question_naming_a_passages_title_is_answered_beside_one_not_covered(engine):
    # "What is RLS?" names "What RLS is": its quote answers it, so the reply keeps it and says
    # the other half is not covered; a general quote for the form of a question does not stay.
    answer = engine.ask("What is restless leg syndrome (RLS) and what causes it?")
    assert answer.status == "answered"
    assert [c.id for c in answer.citations] == ["what-is-rls"]
    assert "doesn't cover what causes it" in answer.answer
    answer = engine.ask("How can I treat RLS, and what causes it?")
    assert answer.status == "no_match"
    assert answer.citations == ()


def test_a_question_naming_a_passages_title_is_answered_by_it_whatever_the_story(engine):
    # The story (the visitor's own nights) would find the passage on sleep; the ask names
    # "What RLS is" and is of the kind it answers.
    for story in ("My legs feel crawly at bedtime and I keep having to get up and walk.",
                  "My legs ache and tingle every evening and I can't sleep."):
        for ask in ("What is RLS?", "Can you explain restless legs syndrome?"):
            answer = engine.ask(f"{ask} {story}")
            assert [c.id for c in answer.citations] == ["what-is-rls"], (ask, story)
        # Naming no title, the ask is read with the story, which says what is asked.
        answer = engine.ask(f"Can you explain? {story}")
        assert [c.id for c in answer.citations][:1] == ["sleep-quality"], story


def test_an_ask_pointing_back_at_the_ask_before_it_follows_its_answer(engine):
    # "How can I stop them?" has no topic of its own: "them" are the cramps the ask before it
    # named, and the sentence on preventing cramps answers it, in the same quote (the
    # sentences between come too: a quote never skips one).
    answer = engine.ask("Do you get leg cramps at night? How can I stop them?")
    assert [c.id for c in answer.citations] == ["reducing-leg-cramps"]
    snippet = answer.citations[0].snippet
    assert snippet.startswith("Leg cramps can be an additional challenge")
    assert "These sudden, painful contractions" in snippet
    assert "preventing cramps" in snippet


def test_a_kind_whose_passages_miss_the_named_topic_lets_the_topic_pick(engine):
    # The list of techniques never names sleep: "which techniques" only says what is asked of
    # sleep, so the sleep passage answers, not the cramps one that uses "massage techniques".
    for question in ("What kind of massage technique helps with sleep?",
                     "Which massage techniques help sleep?"):
        answer = engine.ask(question)
        assert [c.id for c in answer.citations][:1] == ["sleep-quality"], question
    # The topic still picks its own passage when the kind's words are found there too.
    assert [c.id for c in engine.ask("Which massage techniques help cramps?").citations][:1] \
        == ["reducing-leg-cramps"]


def test_a_strict_kind_of_question_that_names_a_passages_topic_is_read_as_usual(engine):
    answer = engine.ask("why does my therapist press on my feet for reflexology?")
    assert [c.id for c in answer.citations] == ["reflexology"]


def test_a_symptom_word_in_a_title_does_not_make_a_strict_question_name_that_passage(engine):
    # "Helps reduce leg cramps" is a passage's topic; cramping feet are not what it says.
    answer = engine.ask("My feet cramp at night. What could it be?")
    assert answer.status == "no_match"


@pytest.mark.parametrize("text", [
    "What should I do to prepare for a massage therapy session?",
    "Should I shower before my massage?",
    "Is it appropriate to tip and how much?",
    "Is it ok to fall asleep during a massage?",
    "I'm nervous about my first massage. What if I fall asleep?",
    "Where will my bodywork session take place?",
    "How long should a massage be?",
    "Exactly how far do I dress down?",
    "What should I expect at my first massage appointment?",
    "Can I pay by e-transfer?",
    "Do you take debit cards?",
    "Is my masseuse licensed?",
    "How is an RMT different from a masseuse?",
    # The appointment's own words, and everyday ones, ask nothing besides it.
    "Is it ok to tip my massage therapist?",
    "What can I expect from massage therapy?",
    "Do you accept credit cards for a massage?",
    "Where does the massage therapist wait when I undress?",
    # What happens at it: whether it hurts, what it feels like, what is worked on, what to do.
    "Is a massage supposed to hurt?",
    "How does a massage feel?",
    "Which areas of my body does the therapist work on?",
    "Can I listen to music during my massage?",
    "Do people leave tips?",
    "Is a tip expected?",
    "Do you accept tips?",
    "Is my RMT trustworthy?",
    "How do I choose a good massage therapist?",
    # Whether the clinic has a kind of therapist; what to do before coming in, talking before it
    # begins, how one feels once it is over.
    "Does the clinic employ a registered massage therapist?",
    "Can I have a snack before I head in for my appointment?",
    "Can I chat with the therapist about my goals before we begin?",
    "How would I feel following a massage session?",
])
def test_a_question_about_the_appointment_itself_is_for_the_clinic(engine, text):
    answer = engine.ask(text)
    assert answer.status == "clinic"
    assert not answer.citations


@pytest.mark.parametrize("text", [
    "How should I prepare for a massage if I get leg cramps at night?",
    "Can massage help me fall asleep?",
    "What if I fall asleep?",
    "Is it normal to get leg cramps during a massage?",
    "What does massage feel like for restless legs?",
    "Do you have a massage therapist who can help my leg cramps?",
])
def test_a_question_about_a_session_that_names_a_health_matter_is_read_as_usual(engine, text):
    assert engine.ask(text).status != "clinic"


def test_a_question_about_a_session_that_names_a_topic_the_article_does_not_cover_names_it(
        engine):
    answer = engine.ask("Should I skip my pills before a massage?")
    assert answer.status == "no_match"
    assert "medication" in answer.body


@pytest.mark.parametrize(("text", "named"), [
    ("Do you accept credit cards?", "how to pay"),
    ("How do I know if my massage therapist is legit?", "therapists and their qualifications"),
    ("What is the difference between a registered massage therapist and other massage "
     "practitioners?", "therapists and their qualifications"),
    ("What can I expect when I go to get a massage?", "how a session at the clinic goes"),
])
def test_a_question_about_the_clinics_business_names_what_it_is_about(engine, text, named):
    answer = engine.ask(text)
    assert answer.status == "clinic"
    assert named in answer.body


@pytest.mark.parametrize("text", [
    "What can I expect from massage for leg cramps?",
    "Is a registered massage therapist good for leg cramps at night?",
    "Is massage worth the cash for leg cramps?",
])
def test_a_question_about_the_clinics_business_that_names_a_health_matter_is_read_as_usual(
        engine, text):
    assert engine.ask(text).status != "clinic"


@pytest.mark.parametrize("text", [
    "When will RLS go away?",
    "Should you get treatment for restless legs?",
    "My legs ache every night when I lie down. What can this be from?",
    "So, how can you use this massager for restless legs?",
    # Whether it will pass by itself: how it goes over time.
    "My legs cramp at night. Will it just go away?",
    "My legs cramp at night. Is there any hope it will just pass?",
])
def test_a_question_naming_nothing_a_passage_speaks_of_is_not_answered_by_a_loose_passage(
        engine, text):
    answer = engine.ask(text)
    assert answer.status == "no_match"
    assert not answer.citations


@pytest.mark.parametrize("text", [
    "When can I get a massage for RLS?",
    "Should I get a massage for restless legs?",
    "Do I need treatment for my leg cramps?",
])
def test_when_or_whether_to_have_massage_or_treat_a_named_symptom_is_still_answered(engine, text):
    assert engine.ask(text).status == "answered"


def test_whether_massage_will_make_it_pass_is_still_answered(engine):
    assert engine.ask("My legs cramp at night. Will a massage make it go away?").status == \
        "answered"


@pytest.mark.parametrize("text", [
    "I put magnesium under my pillow and it helped my leg cramps. I read that the effect "
    "wears off after a few weeks. Why?",
    "I put magnesium under my pillow and it helped my leg cramps. I read that the effect "
    "wears off after a few weeks. Why would it wear off?",
    "I've heard iron helps restless legs, but nobody says how much to take. Can you provide "
    "some information?",
])
def test_an_ask_about_a_remedy_told_before_it_is_not_answered_with_the_symptom(engine, text):
    answer = engine.ask(text)
    assert answer.status == "no_match"
    assert "medication or supplements" in answer.body
    assert not answer.citations


def test_a_question_naming_nothing_particular_is_not_answered_with_a_list(engine):
    # The list of techniques names "massage" in every item's title; it says nothing of
    # massage for restless legs in general.
    answer = engine.ask("Should you massage restless legs?")
    assert answer.status == "answered"
    assert answer.citations[0].id == "massage-overview"


def test_a_question_about_the_list_itself_still_gets_it(engine):
    answer = engine.ask("What massage techniques help restless legs?")
    assert answer.citations[0].id == "massage-techniques"


def test_how_to_massage_is_answered_with_how_a_massage_is_given(engine):
    # Of the passages that answer equally well, the one saying how (strokes, a light touch).
    answer = engine.ask("How do you massage restless legs?")
    assert answer.citations[0].id == "swedish-massage"
    assert "strokes" in answer.citations[0].snippet


def test_how_to_massage_a_named_part_still_follows_what_is_named(engine):
    assert engine.ask("How do I massage my feet?").citations[0].id == "reflexology"
    assert engine.ask("How should I massage my legs for cramps?").citations[0].id == \
        "reducing-leg-cramps"


def test_a_long_story_is_read_a_sentence_at_a_time_when_all_of_it_finds_nothing(engine):
    # Together, the story's words (sit-ups, tingling feet) dilute the cramps it starts with.
    answer = engine.ask("I have leg cramps at night quite often. I do squats and sit-ups every "
                        "night, and my feet tingle. What can I do to stop them?")
    assert answer.status == "answered"
    assert answer.citations[0].id == "reducing-leg-cramps"


def test_a_topic_not_covered_is_named_though_the_ask_has_a_word_nobody_knows(engine):
    answer = engine.ask("Are treatments covered by OHIP?")
    assert answer.status == "clinic"
    assert "prices or insurance" in answer.answer
