"""O*NET text release → occupations and weakly labelled English task statements.

Input: the directory of an O*NET "db_XX_X_text" release (tab-separated, header row, no quoting).
Read are ``Occupation Data.txt``, ``Task Statements.txt``, ``Work Context.txt`` and
``Work Activities.txt``; only the columns used below are required, so releases with or without
the ``Title`` column both work.

Weak rule-based degree (0-4), after Acemoglu & Autor (2011), "Skills, tasks and technologies":

1. Routine index per occupation from three Work Context items (scale ``CX``, means 1-5),
   selected by element name because element ids have moved between releases:
   "Importance of Repeating Same Tasks" (4.C.3.b.7), "Importance of Being Exact or Accurate"
   (4.C.3.b.4) and "Structured versus Unstructured Work" (4.C.3.b.8; renamed "Determine Tasks,
   Priorities and Goals" in later releases, same question: high = the worker sets the tasks,
   so it enters reversed). Each item is standardised across the release's occupations
   (unweighted: the release carries no employment), the three z-scores are averaged.
2. Base degree = the occupation's quintile of that index among all occupations of the release
   (lowest fifth 0 … highest fifth 4). Occupations missing one of the items are skipped.
3. Each task then shifts by at most one step per rule, clipped to 0-4:
   * ``Supplemental`` tasks (less central to the occupation) move one step towards 2: the
     occupation-level signal says less about them. ``Core`` and unrated (``n/a``) keep it.
   * A task whose leading verb marks it as routine (see :data:`VERB_CATEGORIES`) gains one
     step, one whose verb marks it as non-routine loses one: the only task-level evidence.

Category, in this order:

1. AI/automation wording ("machine learning", "chatbot", …) → ``ai_process_interface``;
2. the task's leading verb in :data:`VERB_CATEGORIES` (O*NET statements start with one);
3. otherwise the occupation's most pronounced Work Activities group (:data:`ACTIVITY_GROUPS`,
   importance scale ``IM``, each element standardised across occupations, averaged per group).
   Tasks of occupations without Work Activities ratings and without a known verb are skipped.

These are weak labels: occupation-level survey means projected onto task statements. They
widen the vocabulary the model sees; they do not replace hand-annotated statements.

ISCO-08: only through a crosswalk CSV (columns ``onet_soc``, ``isco08``; e.g. derived from the
BLS SOC-ISCO crosswalk). Codes may be full O*NET-SOC (``43-3031.00``) or 6-digit SOC
(``43-3031``); where a code maps to several ISCO groups the first row wins (counted in the
report). Occupations without an ISCO code are skipped and counted; without a crosswalk that is
every occupation, so the import stops with a message asking for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from training.importers import ISCO08, SourceError, fail, parse_number, read_table

OCCUPATION_FILE = "Occupation Data.txt"
TASK_FILE = "Task Statements.txt"
CONTEXT_FILE = "Work Context.txt"
ACTIVITY_FILE = "Work Activities.txt"

SOC = "O*NET-SOC Code"
_SOC_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_SOC6 = re.compile(r"^\d{2}-\d{4}$")


@dataclass(frozen=True)
class RoutineItem:
    key: str
    names: tuple[str, ...]  # accepted element names (renamed across releases)
    reverse: bool


ROUTINE_ITEMS = (
    RoutineItem("repeating", ("Importance of Repeating Same Tasks",), reverse=False),
    RoutineItem("exactness", ("Importance of Being Exact or Accurate",), reverse=False),
    RoutineItem(
        "unstructured",
        ("Structured versus Unstructured Work", "Determine Tasks, Priorities and Goals"),
        reverse=True,
    ),
)

# Work Activities (IM) per category for tasks whose verb says nothing; the non-routine groups
# follow Acemoglu & Autor's task measures, the routine ones the nearest activities.
ACTIVITY_GROUPS = {
    "routine_cognitive": (
        "Documenting/Recording Information",
        "Processing Information",
        "Performing Administrative Activities",
    ),
    "routine_manual": ("Controlling Machines and Processes", "Handling and Moving Objects"),
    "nonroutine_analytic": (
        "Analyzing Data or Information",
        "Thinking Creatively",
        "Interpreting the Meaning of Information for Others",
        "Making Decisions and Solving Problems",
    ),
    "nonroutine_interpersonal": (
        "Establishing and Maintaining Interpersonal Relationships",
        "Guiding, Directing, and Motivating Subordinates",
        "Coaching and Developing Others",
        "Assisting and Caring for Others",
    ),
    "nonroutine_manual": (
        "Operating Vehicles, Mechanized Devices, or Equipment",
        "Repairing and Maintaining Mechanical Equipment",
        "Performing General Physical Activities",
    ),
}

# Leading verbs with an unambiguous category; verbs that go either way ("prepare", "maintain",
# "monitor", "review", "perform", "conduct") are deliberately absent.
VERB_CATEGORIES = {
    **dict.fromkeys(
        "record enter file post verify compile calculate compute process type transcribe "
        "check reconcile schedule update tabulate log count classify proofread bill invoice "
        "register retrieve route answer book issue copy compare".split(),
        "routine_cognitive",
    ),
    **dict.fromkeys(
        "operate tend feed load unload assemble package pack stack weigh label fill wrap sew "
        "press stamp".split(),
        "routine_manual",
    ),
    **dict.fromkeys(
        "repair install drive clean cook build construct paint plant prune harvest transport "
        "carry climb lift".split(),
        "nonroutine_manual",
    ),
    **dict.fromkeys(
        "counsel advise negotiate supervise train teach instruct coach mentor motivate persuade "
        "sell interview consult confer collaborate coordinate direct lead manage care comfort "
        "greet mediate represent recruit hire encourage explain present liaise".split(),
        "nonroutine_interpersonal",
    ),
    **dict.fromkeys(
        "analyze analyse design develop plan research evaluate assess diagnose investigate "
        "formulate devise create interpret determine identify solve forecast study recommend "
        "propose examine".split(),
        "nonroutine_analytic",
    ),
}
_AI_WORDING = re.compile(
    r"\b(?:artificial intelligence|machine learning|ai|chatbots?|language models?|"
    r"robotic process automation|rpa)\b",
    re.IGNORECASE,
)
_FIRST_WORD = re.compile(r"[A-Za-z]+")


@dataclass
class OnetReport:
    """What an import read, wrote and skipped (printed by the CLI)."""

    occupations_read: int = 0
    occupations_written: int = 0
    tasks_written: int = 0
    skipped_no_context: int = 0
    skipped_no_isco: int = 0
    skipped_no_tasks: int = 0
    tasks_without_category: int = 0
    ambiguous_isco: int = 0
    category_source: dict[str, int] = field(default_factory=dict)
    degree: dict[int, int] = field(default_factory=dict)
    category: dict[str, int] = field(default_factory=dict)


def _soc_column(path: Path, frame: pd.DataFrame) -> None:
    bad = ~frame[SOC].str.strip().str.match(_SOC_CODE)
    if bad.any():
        row = int(bad.idxmax())
        fail(path, row, SOC, f"{frame.at[row, SOC]!r} is not an O*NET-SOC code like '43-3031.00'")


def _element_means(
    path: Path, frame: pd.DataFrame, scale: str, names: dict[str, str]
) -> pd.DataFrame:
    """Mean ``Data Value`` per occupation × wanted element (rows of ``scale`` only)."""
    wanted = frame[frame["Scale ID"].str.strip() == scale]
    keys = wanted["Element Name"].str.strip().str.casefold().map(names)
    wanted, keys = wanted[keys.notna()], keys[keys.notna()]
    values = [
        parse_number(path, row, "Data Value", value, 1.0, 5.0)
        for row, value in wanted["Data Value"].items()
    ]
    long = pd.DataFrame({"soc": wanted[SOC].str.strip(), "key": keys, "value": values})
    return long.pivot_table(index="soc", columns="key", values="value", aggfunc="mean")


def _standardise(frame: pd.DataFrame) -> pd.DataFrame:
    # z-scores across occupations; a constant column or a missing rating counts as average (0)
    std = frame.std(ddof=0).replace(0.0, np.nan)
    return ((frame - frame.mean()) / std).fillna(0.0)


def routine_index(context_path: Path, context: pd.DataFrame) -> pd.Series:
    """Acemoglu-Autor routine index per O*NET-SOC code (mean of three standardised items).

    Occupations lacking any of the three items are left out.
    """
    names = {n.casefold(): item.key for item in ROUTINE_ITEMS for n in item.names}
    means = _element_means(context_path, context, "CX", names)
    for item in ROUTINE_ITEMS:
        if item.key not in means.columns:
            fail(context_path, None, "Element Name", f"no 'CX' rows for {item.names[0]!r}")
    means = means[[i.key for i in ROUTINE_ITEMS]].dropna()
    z = _standardise(means)
    for item in ROUTINE_ITEMS:
        if item.reverse:
            z[item.key] = -z[item.key]
    return z.mean(axis=1).rename("routine_index")


def base_degrees(index: pd.Series) -> pd.Series:
    """Quintile of the routine index (0 = least routine fifth, 4 = most routine fifth)."""
    position = (index.rank(method="average") - 0.5) / len(index)
    return np.floor(position * 5).clip(0, 4).astype(int)


def activity_categories(activity_path: Path, activities: pd.DataFrame) -> pd.Series:
    """Each occupation's most pronounced Work Activities group (the fallback category)."""
    names = {n.casefold(): n for group in ACTIVITY_GROUPS.values() for n in group}
    means = _element_means(activity_path, activities, "IM", names)
    if means.empty:
        fail(activity_path, None, "Element Name", "none of the expected 'IM' activities found")
    z = _standardise(means)
    groups = pd.DataFrame(
        {
            category: z[[n for n in elements if n in z.columns]].mean(axis=1)
            for category, elements in ACTIVITY_GROUPS.items()
            if any(n in z.columns for n in elements)
        }
    )
    return groups.idxmax(axis=1)


def task_category(text: str) -> tuple[str | None, str]:
    """Category from the task's own wording, and which rule decided (``ai``/``verb``/``none``)."""
    if _AI_WORDING.search(text):
        return "ai_process_interface", "ai"
    first = _FIRST_WORD.search(text)
    category = VERB_CATEGORIES.get(first.group(0).lower()) if first else None
    return (category, "verb") if category else (None, "none")


def task_degree(base: int, task_type: str, category: str | None, source: str) -> int:
    """Base degree with the Supplemental and leading-verb shifts (module docstring)."""
    degree = base
    if task_type.strip().casefold() == "supplemental":
        degree += int(np.sign(2 - degree))
    if source == "verb" and category is not None:
        degree += 1 if category.startswith("routine_") else -1
    return int(min(4, max(0, degree)))


def read_crosswalk(path: str | Path) -> tuple[dict[str, str], int]:
    """``onet_soc → isco08`` from a CSV; returns the mapping and how many codes were ambiguous."""
    path = Path(path)
    frame = read_table(path, ["onet_soc", "isco08"], delimiter=",")
    mapping: dict[str, str] = {}
    ambiguous: set[str] = set()
    for row, code, isco in zip(frame.index, frame["onet_soc"], frame["isco08"], strict=True):
        code, isco = code.strip(), isco.strip()
        if not (_SOC_CODE.match(code) or _SOC6.match(code)):
            fail(path, row, "onet_soc", f"{code!r} is not a SOC code like '43-3031(.00)'")
        if not ISCO08.match(isco):
            fail(path, row, "isco08", f"{isco!r} is not a 4-digit ISCO-08 code")
        if code in mapping:
            if mapping[code] != isco:
                ambiguous.add(code)
            continue
        mapping[code] = isco
    return mapping, len(ambiguous)


def _isco_of(code: str, crosswalk: dict[str, str]) -> str | None:
    return crosswalk.get(code) or crosswalk.get(code[:7])


def import_onet(
    source: str | Path, crosswalk: str | Path | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, OnetReport]:
    """Read an O*NET text release and build corpus rows.

    Parameters
    ----------
    source : str or Path
        Directory holding the release's ``.txt`` files.
    crosswalk : str or Path, optional
        CSV with columns ``onet_soc`` and ``isco08``. Without it no occupation has an ISCO-08
        code, and the import fails with a message saying so.

    Returns
    -------
    occupations, tasks : DataFrame
        Rows in the :mod:`training.corpus` format (``lang`` "en", ``pair_id`` = ``task_id``,
        ``title_de`` repeats the English title since O*NET has no German one).
    report : OnetReport
        Counts of what was written and skipped.

    Raises
    ------
    SourceError
        A file is missing or malformed (message names file, row, column), or nothing is left.
    """
    source = Path(source)
    report = OnetReport()
    occ_path, task_path = source / OCCUPATION_FILE, source / TASK_FILE
    context_path, activity_path = source / CONTEXT_FILE, source / ACTIVITY_FILE
    occupations = read_table(occ_path, [SOC, "Title"], delimiter="\t")
    tasks = read_table(task_path, [SOC, "Task ID", "Task", "Task Type"], delimiter="\t")
    value_columns = [SOC, "Element Name", "Scale ID", "Data Value"]
    context = read_table(context_path, value_columns, delimiter="\t")
    activities = read_table(activity_path, value_columns, delimiter="\t")
    for path, frame in (
        (occ_path, occupations),
        (task_path, tasks),
        (context_path, context),
        (activity_path, activities),
    ):
        _soc_column(path, frame)
    for row, title in occupations["Title"].items():
        if not title.strip():
            fail(occ_path, row, "Title", "empty")
    titles = dict(zip(occupations[SOC].str.strip(), occupations["Title"].str.strip(), strict=True))
    report.occupations_read = len(titles)

    if crosswalk is not None:
        isco_map, report.ambiguous_isco = read_crosswalk(crosswalk)
    else:
        isco_map = {}
    base = base_degrees(routine_index(context_path, context))
    fallback = activity_categories(activity_path, activities)

    occ_rows, task_rows, seen = {}, [], set()
    with_tasks: set[str] = set()
    columns = [tasks[c].str.strip() for c in (SOC, "Task ID", "Task", "Task Type")]
    for row, code, task_id, text, task_type in zip(tasks.index, *columns, strict=True):
        if code not in titles:
            fail(task_path, row, SOC, f"{code!r} is not in {OCCUPATION_FILE}")
        if not task_id:
            fail(task_path, row, "Task ID", "empty")
        if not text:
            fail(task_path, row, "Task", "empty")
        if (code, task_id) in seen:
            fail(task_path, row, "Task ID", f"duplicate task {task_id!r} for {code}")
        seen.add((code, task_id))
        with_tasks.add(code)
        isco = _isco_of(code, isco_map)
        if code not in base.index or isco is None:
            continue
        category, rule = task_category(text)
        if category is None:
            category, rule = fallback.get(code), "activities"
        if category is None:
            report.tasks_without_category += 1
            continue
        report.category_source[rule] = report.category_source.get(rule, 0) + 1
        occupation_id = f"onet_{code}"
        occ_rows[code] = {
            "occupation_id": occupation_id,
            "isco08": isco,
            "title_en": titles[code],
            "title_de": titles[code],
            "synonyms_en": "",
            "synonyms_de": "",
        }
        tid = f"onet_{code}_{task_id}"
        task_rows.append(
            {
                "task_id": tid,
                "occupation_id": occupation_id,
                "pair_id": tid,
                "lang": "en",
                "text": text,
                "degree": task_degree(int(base[code]), task_type, category, rule),
                "category": category,
            }
        )

    with_index = with_tasks & set(base.index)
    report.skipped_no_tasks = len(set(titles) - with_tasks)
    report.skipped_no_context = len(with_tasks - with_index)
    report.skipped_no_isco = sum(_isco_of(c, isco_map) is None for c in with_index)
    if not occ_rows:
        hint = "" if crosswalk is not None else "; pass --crosswalk with onet_soc,isco08 columns"
        raise SourceError(
            f"{source}: no occupation has tasks, Work Context ratings and an ISCO-08 code "
            f"({report.skipped_no_isco} lack an ISCO-08 code{hint})"
        )
    occ_frame = pd.DataFrame(list(occ_rows.values()))
    task_frame = pd.DataFrame(task_rows)
    report.occupations_written = len(occ_frame)
    report.tasks_written = len(task_frame)
    report.degree = {
        int(k): int(v) for k, v in task_frame["degree"].value_counts().sort_index().items()
    }
    report.category = {str(k): int(v) for k, v in task_frame["category"].value_counts().items()}
    task_frame["degree"] = task_frame["degree"].astype(str)
    return occ_frame, task_frame, report
