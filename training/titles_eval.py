"""How well job-board titles resolve, measured on our labelled titles and on ESCO itself.

``training/data/titles/titles.csv`` (``title, lang, isco08, split``) holds job-ad titles written
by the team the way boards show them ("Sachbearbeiter Kreditorenbuchhaltung (m/w/d)", "Senior
Data Analyst – Marketing", "Werkstudent Controlling"), none of them an ESCO label verbatim,
each labelled with its ISCO-08 unit group; ``tune`` titles were looked at while tuning the title
index, ``heldout`` ones never.

Every title is scored title-only through the serving path (:func:`assess_many`), in its board's
language, so the figures are the served model's:

* **resolved**: the share answered with a score, not a 422;
* **right unit group**: the share whose ``matched_occupation.isco08`` is the label (a 422
  counts as wrong);
* **DE vs EN**: the German and the English preferred label of a fixed sample of ESCO
  occupations, scored title-only: how far apart the two scores of one occupation are.

``python -m training.titles_eval [--split heldout|tune|all] [--models-dir DIR] [--errors N]``
prints them for the registry's current model.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

from risk_service import config
from risk_service.schemas import Role
from risk_service.scoring import RoleError, assess_many
from risk_service.taskmodel import TaskModel
from training.esco_titles import load_esco

TITLES = Path(__file__).parent / "data" / "titles" / "titles.csv"
# ESCO occupations scored in both languages for the DE/EN gap (a fixed sample: same seed, same
# occupations).
GAP_SAMPLE = 300


def load_titles(path: Path = TITLES, split: str = "heldout") -> pd.DataFrame:
    titles = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = {"title", "lang", "isco08", "split"} - set(titles.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {sorted(missing)}")
    if split != "all":
        titles = titles[titles["split"] == split]
    return titles.reset_index(drop=True)


def resolve_titles(model: TaskModel, titles: pd.DataFrame) -> pd.DataFrame:
    """``titles`` with what each resolved to: ``resolved``, ``right``, ``matched_isco08``,
    ``label`` (the ESCO occupation), ``similarity``, ``basis``, ``score``."""
    pairs = zip(titles["title"], titles["lang"], strict=True)
    roles = [Role(title=title, language=lang) for title, lang in pairs]
    rows = []
    for result, label in zip(assess_many(roles, model), titles["isco08"], strict=True):
        match = None if isinstance(result, RoleError) else result["matched_occupation"]
        rows.append(
            {
                "resolved": match is not None,
                "right": match is not None and match["isco08"] == label,
                "matched_isco08": match["isco08"] if match else "",
                "label": (match.get("label") or match["title"]) if match else "",
                "similarity": match["similarity"] if match else np.nan,
                "basis": match.get("basis", "") if match else "",
                "score": result["risk_score"] if match else np.nan,
            }
        )
    return pd.concat([titles, pd.DataFrame(rows)], axis=1)


def language_gap(model: TaskModel, n: int = GAP_SAMPLE, seed: int = 0) -> dict:
    """Title-only scores of the German and the English preferred label of ``n`` ESCO
    occupations (a seeded sample): the absolute gap per occupation where both resolve."""
    esco = load_esco().sample(n=n, random_state=seed)
    roles = [Role(title=t, language="de") for t in esco["label_de"]]
    roles += [Role(title=t, language="en") for t in esco["label_en"]]
    results = assess_many(roles, model)
    de, en = results[:n], results[n:]
    gaps, same = [], 0
    for a, b in zip(de, en, strict=True):
        if isinstance(a, RoleError) or isinstance(b, RoleError):
            continue
        gaps.append(abs(a["risk_score"] - b["risk_score"]))
        same += a["matched_occupation"].get("esco_uri") == b["matched_occupation"].get("esco_uri")
    gap = np.asarray(gaps)
    return {
        "occupations": n,
        "both_resolved": len(gaps),
        "same_esco_occupation": same,
        "mean_abs_gap": round(float(gap.mean()), 2) if len(gap) else None,
        "median_abs_gap": round(float(np.median(gap)), 2) if len(gap) else None,
        "p90_abs_gap": round(float(np.percentile(gap, 90)), 2) if len(gap) else None,
    }


def summarise(resolved: pd.DataFrame) -> dict:
    out: dict = {}
    for lang, part in resolved.groupby("lang"):
        out[str(lang)] = {
            "titles": int(len(part)),
            "resolved": round(float(part["resolved"].mean()), 3),
            "right_unit_group": round(float(part["right"].mean()), 3),
        }
    out["all"] = {
        "titles": int(len(resolved)),
        "resolved": round(float(resolved["resolved"].mean()), 3),
        "right_unit_group": round(float(resolved["right"].mean()), 3),
    }
    return out


def main(argv: list[str] | None = None) -> int:
    from risk_service.registry import Registry

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("heldout", "tune", "all"), default="heldout")
    parser.add_argument("--models-dir", default=str(config.MODELS_DIR))
    parser.add_argument("--errors", type=int, default=0, help="print N titles resolved wrongly")
    args = parser.parse_args(argv)
    model = Registry(args.models_dir).load()
    resolved = resolve_titles(model, load_titles(split=args.split))
    report = {
        "model_version": model.meta.get("version"),
        "split": args.split,
        **summarise(resolved),
        "de_vs_en": language_gap(model),
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    wrong = resolved[~resolved["right"]].head(args.errors)
    for row in wrong.itertuples(index=False):
        got = f"{row.matched_isco08} {row.label} ({row.similarity:.2f})" if row.resolved else "422"
        print(f"{row.lang} {row.isco08}  {row.title}  →  {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
