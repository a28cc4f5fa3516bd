"""The Articles section: import a new article, or edit what is known of one.

An import goes in three steps, each kept in session state: (1) the article's title, publisher,
date and text (pasted or uploaded); (2) the lines that look like web-page clutter, ticked to be
left out (staff confirm); (3) the draft passages (assistant.articles), each quoted word for
word, with a title and starting alternate questions staff improve, kept or left out. Then the
kept passages are reviewed and published at once (ui.staff.review), or saved as drafts to
publish later from Passages.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from assistant import articles as splitting
from assistant import editing
from assistant.editing.importing import article_edit
from assistant.errors import AssistantError, KnowledgeError, KnowledgeInvalid
from ui.resources import current_serving

from . import editor, review, session
from .show import alert, plain

state = st.session_state
IMPORT = "staff_import"
SOURCES = "sources.yaml"
MAX_UPLOAD = 1_000_000


def articles(directory: str) -> None:
    """The section: the import when one is under way, else a button to start one and the
    articles known."""
    if state.get(IMPORT):
        _import(directory)
        return
    st.button("Import an article", key="import-start", on_click=_start, args=(directory,),
              type="primary", icon=":material/upload_file:")
    st.caption("Paste or upload a new article: its paragraphs become passages visitors get "
               "quoted, after you review them.")
    editor.edit_file(directory, SOURCES, can_add=False)


def _start(directory: str) -> None:
    if editor.is_dirty(directory, SOURCES):
        editor.on_discard(SOURCES)
    state[IMPORT] = {"step": 1}
    for key in ("import-title", "import-url", "import-text"):
        state.pop(key, None)
    state["import-publisher"] = _clinic_name(directory)
    state["import-date"] = dt.date.today().isoformat()


def _clinic_name(directory: str) -> str:
    try:
        return str(session.draft(state, directory, "clinic.yaml").data["clinic"]["name"])
    except (KnowledgeError, KeyError, TypeError):
        return ""


def _cancel() -> None:
    state.pop(IMPORT, None)
    review.cancel()


def _import(directory: str) -> None:
    job = state[IMPORT]
    st.subheader("Import an article", anchor=False)
    st.caption(f"Step {job['step']} of 3: " + ("the article", "leave out page clutter",
                                               "the passages")[job["step"] - 1])
    for text in job.get("errors", []):
        alert("error", text)
    (_step_article, _step_clutter, _step_passages)[job["step"] - 1](directory, job)
    if not review.active("import"):
        st.button("Cancel the import", key="import-cancel", on_click=_cancel,
                  icon=":material/close:")


# --- step 1: the article --------------------------------------------------------------------


def _step_article(directory: str, job: dict) -> None:
    st.text_input("Title of the article", key="import-title")
    st.text_input("Publisher", key="import-publisher")
    st.text_input("Published (YYYY-MM-DD)", key="import-date")
    st.text_input("Web address of the article (optional)", key="import-url")
    st.text_area("Paste the article's text", key="import-text", height=220,
                 placeholder="Copy the whole article from its web page and paste it here")
    st.file_uploader("or upload it as a text file", type=["txt", "md"], key="import-file")
    st.button("Next: check for page clutter", key="import-next-1", type="primary",
              on_click=_after_article, icon=":material/arrow_forward:")


def _after_article() -> None:
    job = state[IMPORT]
    text = state.get("import-text") or ""
    upload = state.get("import-file")
    problems = []
    if upload is not None:
        raw = upload.getvalue()
        if len(raw) > MAX_UPLOAD:
            problems.append(f"The file is too big ({len(raw):,} bytes): an article's text is "
                            f"under {MAX_UPLOAD:,}.")
        else:
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                problems.append("The file is not plain text in UTF-8. Open it, copy the text "
                                "and paste it in the box instead.")
    if not problems and not text.strip():
        problems.append("Paste the article's text in the box, or upload it as a text file.")
    if not (state.get("import-title") or "").strip():
        problems.append("Write the article's title.")
    job["errors"] = problems
    if problems:
        return
    job.update(step=2, raw=text, title=state["import-title"].strip(),
               publisher=(state.get("import-publisher") or "").strip(),
               published=(state.get("import-date") or "").strip(),
               url=(state.get("import-url") or "").strip(),
               junk=[[j.line, j.text, j.reason] for j in splitting.junk(text)])
    for number, _, _ in job["junk"]:
        state[f"junk-{number}"] = True


# --- step 2: clutter ------------------------------------------------------------------------


def _step_clutter(directory: str, job: dict) -> None:
    if job["junk"]:
        st.markdown("These lines look like parts of the web page, not of the article. **Ticked "
                    "lines are left out**; untick any that belong to the article.")
        with st.container(key="junk-list"):
            for number, text, reason in job["junk"]:
                st.checkbox(f"{plain(text)}  \n:gray[{plain(reason)}]", key=f"junk-{number}")
    else:
        st.info("Nothing looks like page clutter: the whole text is kept.")
    with st.container(horizontal=True, gap="small"):
        st.button("Back", key="import-back-2", on_click=_go, args=(1,),
                  icon=":material/arrow_back:")
        st.button("Next: split into passages", key="import-next-2", type="primary",
                  on_click=_after_clutter, icon=":material/arrow_forward:")


def _go(step: int) -> None:
    """Back to an earlier step, with what was typed there (its boxes were not on the page
    since, so Streamlit forgot them)."""
    job = state[IMPORT]
    job.update(step=step, errors=[])
    if step == 1:
        state.update({"import-title": job["title"], "import-publisher": job["publisher"],
                      "import-date": job["published"], "import-url": job["url"],
                      "import-text": job["raw"]})
    elif step == 2:
        for number, _, _ in job["junk"]:
            state[f"junk-{number}"] = number in job.get("dropped", ())
    review.cancel()


def _after_clutter() -> None:
    job = state[IMPORT]
    drop = {number for number, _, _ in job["junk"] if state.get(f"junk-{number}")}
    job["dropped"] = sorted(drop)
    job["text"] = splitting.cleaned(job["raw"], drop)
    job["drafts"] = [{"section": d.section, "title": d.title, "text": d.text,
                      "questions": list(d.questions)}
                     for d in splitting.drafts(job["text"], job["title"])]
    job.update(step=3, errors=[] if job["drafts"] else
               ["No paragraphs were found to quote. Go back and check the text."])
    job["round"] = job.get("round", 0) + 1  # new drafts: new boxes
    for n, draft in enumerate(job["drafts"]):
        state[_key(job, "keep", n)] = True
        state[_key(job, "title", n)] = draft["title"]
        state[_key(job, "questions", n)] = "\n".join(draft["questions"])


def _key(job: dict, what: str, n: int) -> str:
    return f"draft-{job.get('round', 0)}-{what}-{n}"


# --- step 3: the passages -------------------------------------------------------------------


def _step_passages(directory: str, job: dict) -> None:
    drafts = job["drafts"]
    st.markdown(f"**{len(drafts)} passages** were found. Give each a clear title and 2 to 6 "
                "ways a visitor might ask for it (one a line); untick any to leave out.")
    for n, draft in enumerate(drafts):
        with st.container(border=True, key=f"draft-{n}"):
            st.checkbox("Keep this passage", key=_key(job, "keep", n))
            st.caption(plain(draft["section"]))
            st.text(draft["text"])
            st.text_input("Title", key=_key(job, "title", n))
            st.text_area("Ways a visitor might ask (one per line, 2 to 6)",
                         key=_key(job, "questions", n), height=120)
    st.text_input("Question to try before and after publishing (optional)",
                  key="import-question", placeholder="e.g. What should I wear?")
    with st.container(horizontal=True, gap="small"):
        st.button("Back", key="import-back-3", on_click=_go, args=(2,),
                  icon=":material/arrow_back:")
        st.button("Review and publish", key="import-review", type="primary",
                  on_click=_review, args=(directory,), icon=":material/fact_check:")
        st.button("Save as drafts", key="import-drafts", on_click=_save_drafts,
                  args=(directory,), icon=":material/draft:")
    review.panel("import", form=_form(job))


def _kept(job: dict) -> list[splitting.Draft]:
    out = []
    for n, draft in enumerate(job["drafts"]):
        if not state.get(_key(job, "keep", n)):
            continue
        questions = [q.strip() for q in (state.get(_key(job, "questions", n)) or "").splitlines()
                     if q.strip()]
        out.append(splitting.Draft(draft["section"],
                                   (state.get(_key(job, "title", n)) or "").strip(),
                                   draft["text"], tuple(questions)))
    return out


def _form(job: dict) -> list:
    return [[d.title, list(d.questions)] for d in _kept(job)]


def _edit(directory: str, job: dict, live: bool) -> editing.ImportArticle:
    return article_edit(directory, title=job["title"], publisher=job["publisher"],
                        published=job["published"], text=job["text"], url=job["url"],
                        drafts=_kept(job), live=live)


def _plan(directory: str, job: dict, live: bool, **options) -> editing.EditPlan | None:
    try:
        plan = editing.plan_edit(directory, _edit(directory, job, live), **options)
    except (AssistantError, OSError) as problem:
        job["errors"] = [session.worded(problem)]
        return None
    job["errors"] = [] if plan.valid else \
        [session.worded(KnowledgeInvalid(list(plan.errors)))]
    return plan if plan.valid else None


def _review(directory: str) -> None:
    job = state[IMPORT]
    kept = _kept(job)
    question = (state.get("import-question") or "").strip() or \
        next((d.questions[0] for d in kept if d.questions), "")
    current = current_serving(directory).engine
    plan = _plan(directory, job, live=True, preview=question or None, compare_with=current)
    if plan is None:
        review.cancel()
        return
    review.start("import", plan, current=current.knowledge if current else None,
                 done=f"Published {len(kept)} passage(s) of \u201c{job['title']}\u201d",
                 form=_form(job), then={"clear": IMPORT})


def _save_drafts(directory: str) -> None:
    job = state[IMPORT]
    plan = _plan(directory, job, live=False)
    if plan is None:
        return
    done = (f"Saved \u201c{job['title']}\u201d with {len(plan.edit.passages)} draft "
            "passage(s). Visitors do not get them yet: open each under Passages, then "
            "\u201cReview and publish this draft\u201d")
    if session.save(state, plan, done, lambda refused: None) is not None:
        state.pop(IMPORT, None)
        state.pop(session.UNDO, None)
