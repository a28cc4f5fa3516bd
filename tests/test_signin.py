"""The process-wide sign-in limit: per client address, overall, over time, across threads."""

from __future__ import annotations

import threading

import pytest

from assistant.signin import Limiter, Verdict, client_key, wait_after

SECRET = "correct horse battery staple"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def limiter(clock) -> Limiter:
    return Limiter(clock=clock)


@pytest.mark.parametrize(("failures", "seconds"), [
    (0, 0), (4, 0), (5, 30), (6, 60), (7, 120), (9, 480), (10, 900), (50, 900),
])
def test_the_wait_grows_after_five_failures(failures, seconds):
    assert wait_after(failures) == seconds


def test_five_wrong_passwords_then_a_growing_wait_even_for_the_right_one(limiter, clock):
    answers = [limiter.attempt("203.0.113.7", "guess", SECRET) for _ in range(5)]
    assert answers == [Verdict(False, tries_left=4), Verdict(False, tries_left=3),
                       Verdict(False, tries_left=2), Verdict(False, tries_left=1),
                       Verdict(False, wait=30)]
    clock.now += 10
    assert limiter.attempt("203.0.113.7", SECRET, SECRET) == Verdict(False, wait=20,
                                                                      refused=True)
    clock.now += 20
    assert limiter.attempt("203.0.113.7", "guess", SECRET) == Verdict(False, wait=60)
    clock.now += 60
    assert limiter.attempt("203.0.113.7", SECRET, SECRET) == Verdict(True)
    assert limiter.attempt("203.0.113.7", "guess", SECRET) == Verdict(False, tries_left=4)


def test_each_client_address_has_its_own_count(limiter):
    for _ in range(5):
        limiter.attempt("203.0.113.7", "guess", SECRET)
    assert limiter.attempt("203.0.113.7", SECRET, SECRET).refused
    assert limiter.attempt("198.51.100.2", SECRET, SECRET) == Verdict(True)


def test_many_addresses_meet_the_overall_limit(limiter, clock):
    for n in range(20):
        assert not limiter.attempt(f"10.0.0.{n}", "guess", SECRET).signed_in
    blocked = limiter.attempt("10.0.1.1", SECRET, SECRET)
    assert blocked == Verdict(False, wait=60, everyone=True, refused=True)
    clock.now += 61
    assert limiter.attempt("10.0.1.1", SECRET, SECRET) == Verdict(True)


def test_a_guesser_with_fresh_addresses_gets_20_guesses_a_minute(limiter, clock):
    checked = 0
    for n in range(600):  # one guess a second for ten minutes, each from a new address
        if not limiter.attempt(f"2001:db8::{n:x}", "guess", SECRET).refused:
            checked += 1
        clock.now += 1
    assert checked == 200


def test_a_count_is_forgotten_an_hour_after_the_last_wrong_password(limiter, clock):
    for _ in range(4):
        limiter.attempt("203.0.113.7", "guess", SECRET)
    clock.now += 3601
    assert limiter.attempt("203.0.113.7", "guess", SECRET) == Verdict(False, tries_left=4)


def test_only_so_many_clients_are_remembered(clock):
    limiter = Limiter(clock=clock, per_minute=10_000, max_clients=3)
    for n in range(4):
        limiter.attempt(f"10.0.0.{n}", "guess", SECRET)
    assert len(limiter._clients) == 3


def test_concurrent_guesses_are_all_counted(limiter):
    start = threading.Barrier(8)
    verdicts: list[Verdict] = []

    def guesser() -> None:
        start.wait()
        for _ in range(10):
            verdicts.append(limiter.attempt("203.0.113.7", "guess", SECRET))

    threads = [threading.Thread(target=guesser) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(not v.refused for v in verdicts) == 5  # the clock stands still: 5, then a wait


def test_failures_are_logged_without_the_password(limiter, caplog):
    limiter.attempt("203.0.113.7", "hunter2-guess", SECRET)
    assert "wrong password from 203.0.113.7 (1 in a row; no wait yet)" in caplog.text
    assert "hunter2" not in caplog.text and SECRET not in caplog.text


@pytest.mark.parametrize(("peer", "forwarded", "key"), [
    ("203.0.113.7", None, "203.0.113.7"),
    ("203.0.113.7", "198.51.100.2", "203.0.113.7"),  # a direct client cannot pick its address
    (None, "1.2.3.4, 198.51.100.2", "198.51.100.2"),  # behind a local proxy: the one it added
    (None, " ", "local"),
    (None, None, "local"),
])
def test_the_client_is_its_address_or_the_one_a_local_proxy_saw(peer, forwarded, key):
    assert client_key(peer, forwarded) == key
