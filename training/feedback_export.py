"""Users' task feedback → corpus files, so ``train --data training/data --data DIR`` learns from it.

Rules (each one visible in the output, none invented):

- one pseudo-occupation per assessment with task feedback, ``occupation_id`` =
  ``feedback_<first 12 characters of the assessment id>``;
- its ISCO-08 code is the code of the corpus occupation the assessment matched. Assessments
  without a match have no trustworthy code; a made-up one would put the tasks into a wrong ISCO
  group of the grouped evaluation, so they are skipped and counted instead;
- tasks are in the assessment's language; ``degree`` 3 when the user said rule-based, else 1
  (the rubric's "mostly rule-based" / "mostly judgement", not the extremes a user rarely means);
  the user's category, else ``routine_cognitive`` / ``nonroutine_analytic`` by the flag;
- there is no counterpart in the other language: ``pair_id`` = ``task_id``;
- when several feedbacks label the same task of one assessment, the latest wins.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from risk_service.web.store import Store, TaskFeedback
from training.corpus import OCCUPATION_COLUMNS, TASK_COLUMNS

DEGREE_RULE_BASED = 3
DEGREE_NOT_RULE_BASED = 1
DEFAULT_CATEGORY = {True: "routine_cognitive", False: "nonroutine_analytic"}


@dataclass(frozen=True)
class ExportSummary:
    occupations: int
    tasks: int
    skipped_without_isco: int


def feedback_frames(items: Iterable[TaskFeedback]) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Corpus frames from task feedback (oldest first).

    Returns
    -------
    occupations, tasks : DataFrame
        In the columns of ``occupations.csv`` and ``tasks.csv``.
    skipped : int
        Assessments left out because they matched no occupation (no ISCO-08 code).
    """
    occupations: dict[str, dict] = {}
    tasks: dict[tuple[str, str], dict] = {}
    skipped: set[str] = set()
    for item in items:
        if not item.matched_isco08:
            skipped.add(item.assessment_id)
            continue
        short = item.assessment_id[:12]
        occupation_id = f"feedback_{short}"
        occupations[occupation_id] = {
            "occupation_id": occupation_id,
            "isco08": item.matched_isco08,
            "title_en": f"Feedback on assessment {short}",
            "title_de": f"Rückmeldung zu Bewertung {short}",
            "synonyms_en": "",
            "synonyms_de": "",
        }
        for task in item.tasks:
            text = " ".join(str(task["text"]).split())
            rule_based = bool(task["rule_based"])
            task_id = f"{occupation_id}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10]}"
            tasks[(occupation_id, text)] = {
                "task_id": task_id,
                "occupation_id": occupation_id,
                "pair_id": task_id,
                "lang": item.language,
                "text": text,
                "degree": DEGREE_RULE_BASED if rule_based else DEGREE_NOT_RULE_BASED,
                "category": task.get("category") or DEFAULT_CATEGORY[rule_based],
            }
    occ = pd.DataFrame(list(occupations.values()), columns=OCCUPATION_COLUMNS)
    task_frame = pd.DataFrame(list(tasks.values()), columns=TASK_COLUMNS)
    return occ, task_frame, len(skipped)


def export_feedback(store: Store, output: str | Path) -> ExportSummary:
    """Write ``occupations.csv`` and ``tasks.csv`` of the store's task feedback into ``output``."""
    occ, tasks, skipped = feedback_frames(store.task_feedback())
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    occ.to_csv(out / "occupations.csv", index=False, encoding="utf-8", lineterminator="\n")
    tasks.to_csv(out / "tasks.csv", index=False, encoding="utf-8", lineterminator="\n")
    return ExportSummary(len(occ), len(tasks), skipped)
