"""The busy notice: shown when an answer takes too long, replaced by the answer, never shown for
a quick one."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from ui.busy import BUSY


def run(after: float, wait: bool, answer: bool) -> AppTest:
    def script(after, wait, answer):
        import streamlit as st

        from ui.busy import busy_notice

        with busy_notice(after=after) as busy:
            if wait:  # work that lasts until the notice has shown
                assert busy.shown.wait(10), "the notice never showed"
        if answer:
            with busy.slot.container():
                st.markdown("the answer")

    at = AppTest.from_function(script, args=(after, wait, answer), default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_slow_answer_shows_that_the_assistant_is_busy():
    at = run(after=0.01, wait=True, answer=False)
    [notice] = at.info
    assert notice.value == BUSY


def test_the_answer_replaces_the_notice():
    at = run(after=0.01, wait=True, answer=True)
    assert not at.info
    assert [m.value for m in at.markdown] == ["the answer"]


def test_a_quick_answer_never_shows_the_notice():
    at = run(after=60, wait=False, answer=True)
    assert not at.info
    assert [m.value for m in at.markdown] == ["the answer"]


def test_a_notice_due_sooner_than_one_already_waiting_is_not_held_up_by_it():
    def script():
        import streamlit as st

        from ui.busy import busy_notice

        with busy_notice(after=60) as first, busy_notice(after=0.01) as second:
            assert second.shown.wait(10), "the sooner notice waited for the later one"
        assert not first.shown.is_set()
        with first.slot.container():
            st.markdown("the answer")

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [notice.value for notice in at.info] == [BUSY]
    assert [m.value for m in at.markdown] == ["the answer"]
