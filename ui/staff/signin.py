"""The staff sign-in form. The limit on wrong passwords lives in the process
(assistant.signin.LIMITER), not in the session, so a new browser session does not reset it.
"""

from __future__ import annotations

import math
from collections.abc import MutableMapping

import streamlit as st

from assistant import settings, signin

SIGNED_IN, MESSAGE = "staff_signed_in", "login_message"


def password_help() -> str:
    """What the page says when no staff password is set."""
    return (f"The staff tools are switched off because no staff password is set. To switch them "
            f"on, set the environment variable `{settings.STAFF_PASSWORD_ENV}` before starting "
            f"the app, or add `{settings.STAFF_PASSWORD_SECRET} = \"...\"` to "
            "`.streamlit/secrets.toml`, then restart the app.")


def client() -> str:
    """Who is signing in, as the limit counts them (see assistant.signin.client_key)."""
    try:
        peer, forwarded = st.context.ip_address, st.context.headers.get("X-Forwarded-For")
    except (AttributeError, RuntimeError):  # no browser connection (a script run)
        return signin.LOCAL
    # Anything but text (no connection, or a test harness's stand-in) counts as no address.
    return signin.client_key(peer if isinstance(peer, str) else None,
                             forwarded if isinstance(forwarded, str) else None)


def message(verdict: signin.Verdict) -> str | None:
    """What to tell the person after an attempt; None when it signed them in."""
    if verdict.signed_in:
        return None
    wait = _duration(verdict.wait)
    if verdict.everyone:
        return (f"Too many wrong passwords were typed on this server in the last minute. Please "
                f"wait {wait} before trying again.")
    if verdict.refused:
        return f"Too many wrong passwords. Please wait {wait} before trying again."
    if verdict.wait:
        return f"Wrong password. Too many wrong passwords: please wait {wait} before trying again."
    left = verdict.tries_left
    return f"Wrong password. {left} more {'try' if left == 1 else 'tries'} before a wait."


def _duration(seconds: int) -> str:
    return f"{seconds} seconds" if seconds < 120 else f"{math.ceil(seconds / 60)} minutes"


def signed_in(state: MutableMapping) -> bool:
    return state.get(SIGNED_IN) is True


def log_out(state: MutableMapping) -> None:
    """Forget everything this session held: sign-in, drafts, messages."""
    state.clear()


def gate(state: MutableMapping, password: str) -> bool:
    """The sign-in form until the session is signed in; True once it is."""
    if signed_in(state):
        return True

    def log_in() -> None:
        verdict = signin.LIMITER.attempt(client(), state.pop("password", "") or "", password)
        if verdict.signed_in:
            state[SIGNED_IN] = True
            state.pop(MESSAGE, None)
        else:
            state[MESSAGE] = message(verdict)

    with st.form("login"):
        st.text_input("Staff password", type="password", key="password")
        st.form_submit_button("Log in", key="login", on_click=log_in, type="primary")
    if state.get(MESSAGE):
        st.error(state[MESSAGE], icon=":material/block:")
    return False
