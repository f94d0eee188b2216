"""No input within the limits makes a regular expression (or the HTML parser) backtrack.

Two parts:

- a property test per request-path pattern: hypothesis builds adversarial text from the pattern's
  own metacharacters and separators (long runs of spaces, brackets, half-open markup) at the
  largest length the service lets reach it, and the time must stay within ``PATTERN_BOUND``
  times the same pattern on a normal job ad of that length (floored at a plain per-character
  scan of that ad, so a pattern that skips normal text at once is not held to zero);
- the known offenders as whole requests through the HTTP test client (``/v1/score`` and
  ``/v1/score/batch``), each within ``REQUEST_BOUND`` times a normal ~150-word ad (a batch:
  times a batch of as many normal ads).

Every bound is a ratio to a measurement of the same run, never an absolute time. Before the
fix the offenders took 1,000-3,000 times a normal request; linear work stays far below.
"""

from __future__ import annotations

import csv
import json
import random
import re
import time

import pytest
from hypothesis import HealthCheck, Phase, given, settings, target
from hypothesis import strategies as st

from risk_service import config, coordination, create_app, features, jobad, schemas, text
from risk_service.web import telemetry
from risk_service.web.api import feedback
from tests.conftest import ADMIN_TOKEN

PATTERN_BOUND = 50  # × the same pattern on a normal text of the same length (or a plain scan)
REQUEST_BOUND = 50  # × a normal request of the same shape
DESCRIPTION = schemas.MAX_TEXT_CHARS
TITLE = schemas.MAX_TITLE_CHARS
HEADING = 64  # _heading_kind looks further only at lines _HEADING_LINE accepts (≤ 62 chars)

with open(config.DATA_DIR / "tasks.csv", encoding="utf-8") as _fh:
    _ROWS = list(csv.DictReader(_fh))


def normal_text(length: int, seed: int = 0) -> str:
    """A job ad of corpus statements (bullets, semicolons, sentences), cut to ``length``."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < length:
        part = (
            rng.choice(["- ", "• ", ""])
            + rng.choice(_ROWS)["text"]
            + rng.choice(["\n", "; ", ". "])
        )
        parts.append(part)
        size += len(part)
    return "".join(parts)[:length]


def best_time(fn, arg, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn(arg)
        best = min(best, time.perf_counter() - started)
    return best


_SCAN = re.compile(r".", re.DOTALL)

# name → (the pattern applied as the service applies it, its metacharacters and separators,
# the longest input the service lets reach it)
PATTERNS = {
    "text._GENDER_TAG": (
        lambda s: text._GENDER_TAG.sub(" ", s),
        ["(", ")", " ", "\t", "m", "w", "d", "x", "/", "|", ",", "(m/", "(m/w/", "all genders"],
        DESCRIPTION,
    ),
    "text._GENDER_SUFFIX": (
        lambda s: text._GENDER_SUFFIX.sub("", s),
        ["/", "-", "*", ":", "_", "in", "innen", "In", "Innen", "a", "ä", " "],
        DESCRIPTION,
    ),
    "text._MANN_FRAU": (
        lambda s: text._MANN_FRAU.sub(text._mann_frau, s),
        ["mann", "Mann", "mann/", "mann/-", "frau", "/", "-", " ", "\t", "\n", "a", "_"],
        DESCRIPTION,
    ),
    "text._FEMININE_ER": (  # titles only
        lambda s: text._FEMININE_ER.sub(r"\1", s),
        ["er", "eur", "or", "ist", "ant", "ent", "loge", "walt", "arzt", "in", "nen", "a", " "],
        TITLE,
    ),
    "text._NUMBER": (
        lambda s: text._NUMBER.sub("0", s),
        ["1", "12", ".", ",", " ", "a"],
        DESCRIPTION,
    ),
    "text._WORD": (text.detect_language, ["a", "ä", "ß", " ", "1", "-", "der "], DESCRIPTION),
    "text.neutralise_gender": (
        text.neutralise_gender,
        [
            "(",
            ")",
            "/",
            "-",
            "in",
            "In",
            "mann/",
            "frau",
            " ",
            "(m/",
            "m",
            "w",
            "*",
            ":",
            "_",
            "er",
        ],
        DESCRIPTION,
    ),
    "jobad._LINE_CUES": (
        lambda s: [jobad._LINE_CUES[kind].search(" " + s) for kind in jobad._LINE_CUES],
        [" ", "erfahrung", " erfahrung i", "you ", "we ", "a", "-", "bonus"],
        DESCRIPTION,
    ),
    "jobad._HTML_TAG": (
        jobad._has_html_tag,
        ["<", ">", "</", "/", " ", "\t", "\n", "a"],
        DESCRIPTION,
    ),
    "jobad._MD_LINK": (
        lambda s: jobad._MD_LINK.sub(jobad._md_link, s),
        ["[", "]", "(", ")", "](", "!", " ", "\n", "a"],
        DESCRIPTION,
    ),
    "jobad._MD_BOLD": (
        lambda s: jobad._MD_BOLD.sub(r"\2", s),
        ["*", "**", "_", "__", " ", "\n", "a"],
        DESCRIPTION,
    ),
    "jobad._MD_HEADING": (
        lambda s: jobad._MD_HEADING.sub("", s),
        ["#", "######", " ", "\t", "\n", "a"],
        DESCRIPTION,
    ),
    "jobad._MD_CODE": (lambda s: jobad._MD_CODE.sub(r"\1", s), ["`", " ", "\n", "a"], DESCRIPTION),
    "jobad._BULLET": (
        lambda s: jobad._BULLET.sub("", s),
        [" ", "\t", "\u00a0", "-", "*", "•", "1", ".", ")", "(", "a", "o"],
        DESCRIPTION,
    ),
    "jobad._SENTENCE_END": (
        lambda s: jobad._SENTENCE_END.split(s),
        [".", "!", "?", " ", "\t", "A", "Ä", "a", "1", "(", '"', "„"],
        DESCRIPTION,
    ),
    "jobad._HEADING_LINE": (
        lambda s: jobad._HEADING_LINE.match(s),
        [".", ":", ";", " ", "a"],
        DESCRIPTION,
    ),
    "jobad._CHUNK_BREAK": (
        lambda s: jobad._CHUNK_BREAK.split(s),
        [";", " ", "\t", "\u00a0", "•", "·", "a"],
        DESCRIPTION,
    ),
    "jobad._WORDLIKE": (lambda s: jobad._WORDLIKE.search(s), ["ab", "a", " ", "1"], DESCRIPTION),
    "jobad._ABBREVIATION": (
        jobad._protect_abbreviations,
        ["z.", "B.", "z. B.", " ", ".", "e.g", "Co", "GmbH & Co.", "u. a"],
        DESCRIPTION,
    ),
    "jobad._HEADING_MATCHERS": (
        jobad._heading_kind,
        ["aufgaben", "ihre ", "your ", "tasks", " ", ":", "*", "#", "a"],
        HEADING,
    ),
    "jobad._TITLE_LINE": (
        lambda s: jobad._TITLE_LINE.search(s),
        ["(", ")", " ", "\t", "m", "w", "d", "x", "/", "|", ",", "(m/", "(m/w/", "all genders"],
        DESCRIPTION,
    ),
    "jobad._PUNCTUATION": (
        jobad._line_kind,
        ["a", ".", "'", "-", " ", "!", "(m/w/d)"],
        DESCRIPTION,
    ),
    "jobad.strip_markup (HTML parser)": (
        jobad.strip_markup,
        [
            "<",
            ">",
            "b",
            "a",
            " ",
            "\n",
            "'",
            '"',
            "=",
            "!",
            "--",
            "?",
            "/",
            "&",
            "#",
            "[",
            "](",
            "**",
        ],
        DESCRIPTION,
    ),
    "jobad.split_statements": (
        jobad.split_statements,
        [";", " ", ".", "A", "abc", "•", "\n", "- ", "1.", "z.B.", "(", "m/", "\t"],
        DESCRIPTION,
    ),
    "jobad.parse_job_ad": (
        lambda s: (jobad._read_line.cache_clear(), jobad.parse_job_ad(s)),  # uncached
        ["<", ">", "(", "m/", " ", "\n", ";", "[", "](", "**", "#", "Aufgaben:", "mann/", "abc"],
        DESCRIPTION,
    ),
    "jobad._CONDITION": (
        jobad.is_condition,
        ["arbeiten ", "auf ", "wechselnden ", "bereitschaft", "working ", "at ", " ", "-", "a"],
        DESCRIPTION,
    ),
    "jobad.duty_part_label": (
        jobad.duty_part_label,
        ["reporting ", "to ", "hold ", "an ", "card", "have ", "some ", "teilnahme am ", " ", "a"],
        DESCRIPTION,
    ),
    "coordination.split_coordinated": (
        lambda s: coordination.split_coordinated(s, "en"),
        [", ", " and ", "a ", "friendly", "der ", "internen", "Schülerinnen", "ing ", "to ", "x"],
        DESCRIPTION,
    ),
    "coordination._LEAD_IN": (
        lambda s: coordination._LEAD_IN.match(s),
        ["zu ", "ihren ", "aufgaben", "gehören ", "u. a. ", "duties ", "include ", " ", ":", "a"],
        DESCRIPTION,
    ),
    "text.title_narrowed": (
        text.title_narrowed,
        [" – ", " - ", "-", " ", "(", ")", "m/w/d", ",", "a", "Senior "],
        TITLE,
    ),
    "text.normalise_title": (
        text.normalise_title.__wrapped__,  # uncached: every call does the work
        ["leiter ", "Leiterin ", "/", " ", "für ", "a ", "a b ", "Bühne "],
        TITLE,
    ),
    "features._TOKEN/_WORD": (
        lambda s: (features._TOKEN.findall(s), features._WORD.findall(s)),
        ["a", "ab", " ", "-", "ä"],
        DESCRIPTION,
    ),
    "telemetry._SANE_REQUEST_ID": (
        telemetry._SANE_REQUEST_ID.fullmatch,
        ["a", ".", ":", "/", "+", "=", "@", "-", " "],
        8_192,  # a header line
    ),
    "api.feedback._ID": (feedback._ID.fullmatch, ["a", "_", "-", "/", " "], 8_192),
}

_NORMAL: dict[str, float] = {}


def normal_time(name: str) -> float:
    """The pattern on a normal ad of its input length, floored at a per-character scan of it."""
    if name not in _NORMAL:
        fn, _, length = PATTERNS[name]
        sample = normal_text(length)
        _NORMAL[name] = max(best_time(fn, sample, 5), best_time(_SCAN.findall, sample, 5))
    return _NORMAL[name]


def adversarial(pieces: list[str], length: int):
    """A unit of 1-6 metacharacters repeated to ``length``, with a short head and tail."""
    piece = st.sampled_from(pieces)
    return st.tuples(
        st.lists(piece, max_size=3),
        st.lists(piece, min_size=1, max_size=6),
        st.lists(piece, max_size=3),
    ).map(lambda t: _repeat("".join(t[0]), "".join(t[1]), "".join(t[2]), length))


def _repeat(head: str, unit: str, tail: str, length: int) -> str:
    body = max(0, length - len(head) - len(tail))
    return head + (unit * (body // len(unit) + 1))[:body] + tail


def _assert_fast(name: str, fn, s: str, bound: float) -> float:
    elapsed = best_time(fn, s, 1)
    if elapsed > bound:  # a second look before failing: a busy machine is not backtracking
        elapsed = best_time(fn, s, 2)
    assert elapsed <= bound, (
        f"{name}: {elapsed * 1000:.1f} ms on {s[:60]!r}… ({len(s)} chars), "
        f"{elapsed / normal_time(name):.0f}× a normal text"
    )
    return elapsed


@pytest.mark.parametrize("name", list(PATTERNS))
def test_pattern_stays_linear_on_adversarial_text(name):
    fn, pieces, length = PATTERNS[name]
    bound = PATTERN_BOUND * normal_time(name)
    # Every opener followed by a long run of every piece, then a piece that breaks the run: the
    # shape of every backtracking case found (\s* next to \s*, a scan retried from each start).
    for head in pieces:
        for run in pieces:
            for tail in ("x", ")", ""):
                _assert_fast(name, fn, _repeat(head, run, tail, length), bound)

    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        derandomize=True,
        # No shrinking: every example has the full length, and a backtracking one takes seconds.
        phases=[Phase.generate, Phase.target],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(adversarial(pieces, length))
    def check(s: str) -> None:
        target(_assert_fast(name, fn, s, bound) / bound)  # steer towards slower inputs

    check()


# Known offenders, each within the limits (the first five from the attack run in issue 16).
OFFENDERS = {
    "mann/ + 19,994 spaces + x": {"description": "mann/" + " " * 19_994 + "x"},
    "< + spaces": {"description": "<" + " " * (DESCRIPTION - 1)},
    "a + spaces + b": {"description": "a" + " " * (DESCRIPTION - 2) + "b"},
    "[ × 19,998 + ](": {"description": "[" * (DESCRIPTION - 2) + "]("},
    "200 tasks of mann/ + 990 spaces": {
        "tasks": ["mann/" + " " * 990 + f"x{i:03d}" for i in range(schemas.MAX_TASKS)]
    },
    "(m/ + spaces + abcd": {"description": "(m/" + " " * (DESCRIPTION - 8) + " abcd"},
    "<b × 6,666 (unclosed tags)": {"description": "<a>" + "<b " * ((DESCRIPTION - 3) // 3)},
    "<a newline × 6,666": {"description": "<a>" + "<a\n" * ((DESCRIPTION - 3) // 3)},
    "abc. + spaces + A": {"description": "abc." + " " * (DESCRIPTION - 6) + "A"},
    "<a × 10,000": {"description": "<a" * (DESCRIPTION // 2)},
}


@pytest.fixture(scope="module")
def client(registry_dir, tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "MODELS_DIR": str(registry_dir),
            "ADMIN_TOKEN": ADMIN_TOKEN,
            "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('redos') / 'risk.db'}",
        }
    )
    return app.test_client()


def _normal_roles(n: int, seed: int) -> list[dict]:
    """``n`` ~150-word ads of corpus statements, each statement new to the service."""
    rng = random.Random(seed)
    roles = []
    for i in range(n):
        bullets, words = [], 0
        while words < 150:
            statement = f"{rng.choice(_ROWS)['text']} {seed}x{i}x{len(bullets)}"
            bullets.append(f"- {statement}")
            words += len(statement.split())
        roles.append(
            {"title": "Sachbearbeiter/in", "description": "\n".join(["Ihre Aufgaben:", *bullets])}
        )
    return roles


_seeds = iter(range(1_000, 1_000_000))


def timed_post(client, path: str, body: dict) -> float:
    started = time.perf_counter()
    response = client.post(path, json=body)
    elapsed = time.perf_counter() - started
    assert response.status_code in (200, 422), response.get_data(as_text=True)[:300]
    assert response.mimetype in ("application/json", "application/problem+json")
    return elapsed


def normal_request(client, n_roles: int = 0) -> float:
    """The fastest of five normal requests (new statements each): one role, or a batch."""
    times = []
    for _ in range(5):
        roles = _normal_roles(max(1, n_roles), next(_seeds))
        if n_roles:
            times.append(timed_post(client, "/v1/score/batch", {"roles": roles}))
        else:
            times.append(timed_post(client, "/v1/score", roles[0]))
    return min(times)


def variant(role: dict, k: int) -> dict:
    """``role`` made new to the service (no line or statement of it is cached), still within
    the limits and still the same attack: a word in front, the middle a little shorter."""
    tag = f"y{next(_seeds)}x{k} "
    if "description" in role:
        s = role["description"]
        cut = max(0, len(s) + len(tag) - DESCRIPTION)
        middle = len(s) // 2
        return {**role, "description": tag + s[:middle] + s[middle + cut :]}
    tasks = [tag + t[: len(t) // 2] + t[len(t) // 2 + len(tag) :] for t in role["tasks"]]
    return {**role, "tasks": tasks}


@pytest.mark.parametrize("name", list(OFFENDERS))
def test_known_offender_answers_like_a_normal_request(client, name):
    normal = normal_request(client)
    elapsed = timed_post(client, "/v1/score", variant(OFFENDERS[name], 0))
    if elapsed > REQUEST_BOUND * normal:  # once more (new text again), against a new normal
        normal = normal_request(client)
        elapsed = min(elapsed, timed_post(client, "/v1/score", variant(OFFENDERS[name], 1)))
    assert elapsed <= REQUEST_BOUND * normal, f"{name}: {elapsed / normal:.0f}× a normal request"


def test_batch_of_offenders_answers_like_a_batch_of_normal_ads(client):
    """A batch of the offenders in turn (each role new to the service) as large as the body
    limit allows (~1 MB, about 45 roles), against a batch of as many normal ads."""
    offenders = list(OFFENDERS.values())
    roles: list[dict] = []
    size = 20  # {"roles": [...]} and separators
    while True:
        role = variant(offenders[len(roles) % len(offenders)], len(roles))
        size += len(json.dumps(role)) + 2
        if size > config.DEFAULTS.max_body_bytes:
            break
        roles.append(role)
    normal = normal_request(client, len(roles))
    elapsed = timed_post(client, "/v1/score/batch", {"roles": roles})
    assert elapsed <= REQUEST_BOUND * normal, f"{elapsed / normal:.0f}× a normal batch"
