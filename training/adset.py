"""How well the job-ad parser finds duties, measured on our line-labelled ads.

``training/data/ads/ads_{de,en}.jsonl`` hold whole ads written by the team in the shapes real
boards produce (sectioned, inline headings, prose, HTML, Markdown), every line labelled duty /
requirement / benefit / company / contact / other. Every fifth ad is ``heldout``: never looked
at while tuning the parser.

Each ad is rebuilt as the raw text a user would paste (its HTML for HTML ads), parsed by
:func:`risk_service.jobad.parse_job_ad`, and every duty the parser returns is traced back to
the line it came from. A line counts as *scored* when at least one returned duty came from it.

``python -m training.adset [--split heldout|tune|all] [--method rules] [--dir DIR]`` prints
precision and recall of duty lines per language, the share of ads whose scored tasks hold no
non-duty line, how often a line with several coordinated duties was split into them (also by
the line's shape: prose, list or pair), and how many duty lines were cut into more duties than
they hold. ``--dir`` measures another folder of ads in the same format.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from risk_service import jobad
from risk_service.jobad import parse_job_ad

ADS_DIR = Path(__file__).parent / "data" / "ads"
LABELS = ("duty", "requirement", "benefit", "company", "contact", "other")
_NON_WORD = re.compile(r"[\W_]+")
_LIST_ITEM = re.compile(r"\s*(?:[-*+•–—]|\d{1,2}[.)])\s")
_HEADING_SHAPE = re.compile(r"#|\*\*[^*]+\*\*$|.{1,60}:$")
_PUNCTUATED_END = re.compile(r"[.,;:!?…][\"“”»)]*\s*$")


def load_ads(ads_dir: Path = ADS_DIR) -> list[dict]:
    ads = []
    for path in sorted(ads_dir.glob("ads_*.jsonl")):
        with open(path, encoding="utf-8") as f:
            ads += [json.loads(line) for line in f if line.strip()]
    return ads


def raw_text(ad: dict) -> str:
    """The ad as a user pastes it: HTML as is; text and Markdown with paragraphs on lines."""
    if ad.get("format") == "html" and ad.get("html"):
        return ad["html"]
    paragraphs: list[list[str]] = []
    last = None
    heading = False
    for line in ad["lines"]:
        # A list item is a line of its own, and so is a heading ("## Kontakt", "**Benefits**",
        # "What you'll do:") and an item of a list without bullets (the line before it ends
        # with no punctuation), whichever paragraph a writer filed them under.
        if (
            line["para"] != last
            or heading
            or _LIST_ITEM.match(line["text"])
            or (paragraphs and not _PUNCTUATED_END.search(paragraphs[-1][-1]))
        ):
            paragraphs.append([])
            last = line["para"]
        paragraphs[-1].append(line["text"])
        heading = _HEADING_SHAPE.match(line["text"].strip()) is not None
    return "\n".join(" ".join(p) for p in paragraphs)


def _key(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower()).strip()


def source_line(duty: str, lines: list[str]) -> int | None:
    """Index of the line a returned duty came from (the first line holding its words in order,
    else the largest word overlap)."""
    key = _key(duty)
    if not key:
        return None
    padded = f" {key} "
    for i, line in enumerate(lines):
        if padded in f" {line} ":  # whole words: "plan" is not in "PlantBox"
            return i
    words = set(key.split())
    best, best_overlap = None, 0.0
    for i, line in enumerate(lines):
        overlap = len(words & set(line.split())) / len(words)
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    return best if best_overlap >= 0.6 else None


@dataclass
class AdResult:
    ad_id: str
    lang: str
    split: str
    labels: list[str]
    scored: list[bool]  # per line: did a returned duty come from it?
    parts_expected: list[int]  # per line: coordinated duties it holds (0 when not labelled)
    parts_found: list[int]  # per line: returned duties traced to it
    shapes: list[str]  # per line: "prose", "list" or "pair" (see line_shape)
    untraced: list[str]  # returned duties traced to no line

    @property
    def clean(self) -> bool:
        """No non-duty line among the scored tasks."""
        return not self.untraced and not any(
            s and label != "duty" for s, label in zip(self.scored, self.labels, strict=True)
        )


def evaluate_ad(ad: dict, labeller: Callable | None = None) -> AdResult:
    """Parse one ad (statements labelled by ``labeller``, default the shipped one) and trace
    its duties to its lines."""
    lines = [_key(line["text"]) for line in ad["lines"]]
    if labeller is None:
        parsed = parse_job_ad(raw_text(ad))
    else:
        parsed = parse_job_ad(raw_text(ad), labeller=labeller)
    found = [0] * len(lines)
    untraced = []
    for duty in parsed.duties:
        i = source_line(duty, lines)
        if i is None:
            untraced.append(duty)
        else:
            found[i] += 1
    return AdResult(
        ad_id=ad["ad_id"],
        lang=ad["lang"],
        split=ad.get("split", "tune"),
        labels=[line["label"] for line in ad["lines"]],
        scored=[n > 0 for n in found],
        parts_expected=[len(line.get("parts") or []) for line in ad["lines"]],
        parts_found=found,
        untraced=untraced,
        shapes=[line_shape(line["text"]) for line in ad["lines"]],
    )


_ADDRESSED = re.compile(r"\b(?:Sie|du|Du|you|You|you'll|You'll|you’ll|You’ll)\b")
_BRACKETED = re.compile(r"\([^()]*\)")


def line_shape(text: str) -> str:
    """How a line coordinates its duties: "prose" (a sentence addressing the reader: "Sie
    kontieren …, gleichen … ab und …"), "list" (commas: "Aufgaben: Kontierung, Zahlungsverkehr
    und Mahnwesen") or "pair" (one conjunction: "Kontieren und Buchen von Belegen", which
    the parser keeps whole when both share one object)."""
    if _ADDRESSED.search(text):
        return "prose"
    body = _BRACKETED.sub("", text.split(":", 1)[-1])
    return "list" if re.search(r"\w, \w", body) else "pair"


def summarise(results: list[AdResult]) -> dict:
    """Duty-line precision and recall, clean-ad share and split rate, per language."""
    out: dict = {}
    for lang in sorted({r.lang for r in results}):
        part = [r for r in results if r.lang == lang]
        tp = sum(
            s and lab == "duty" for r in part for s, lab in zip(r.scored, r.labels, strict=True)
        )
        scored = sum(sum(r.scored) for r in part) + sum(len(r.untraced) for r in part)
        duty = sum(lab == "duty" for r in part for lab in r.labels)
        multi = [
            (e, f, shape)
            for r in part
            for e, f, lab, shape in zip(
                r.parts_expected, r.parts_found, r.labels, r.shapes, strict=True
            )
            if lab == "duty" and e > 1
        ]
        wrong_kind: dict[str, int] = {}
        for r in part:
            for s, lab in zip(r.scored, r.labels, strict=True):
                if s and lab != "duty":
                    wrong_kind[lab] = wrong_kind.get(lab, 0) + 1
        out[lang] = {
            "ads": len(part),
            "duty_lines": duty,
            "precision": round(tp / scored, 3) if scored else None,
            "recall": round(tp / duty, 3) if duty else None,
            "clean_ads": round(sum(r.clean for r in part) / len(part), 3),
            "split_lines": len(multi),
            "split_exact": (
                round(sum(e == f for e, f, _ in multi) / len(multi), 3) if multi else None
            ),
            "split_at_least_two": (
                round(sum(f >= 2 for _, f, _ in multi) / len(multi), 3) if multi else None
            ),
            # the same by how the line coordinates: lines, share split into at least two
            "split_by_shape": {
                shape: [n, round(sum(f >= 2 for _, f, s in multi if s == shape) / n, 3)]
                for shape in ("prose", "list", "pair")
                if (n := sum(s == shape for _, _, s in multi))
            },
            # duty lines cut into more duties than they hold: scraps of one duty scored alone
            # ("Durchführung der internen" | "externen Qualitätskontrollen")
            "over_split_lines": sum(
                f > max(e, 1)
                for r in part
                for e, f, lab in zip(r.parts_expected, r.parts_found, r.labels, strict=True)
                if lab == "duty"
            ),
            "non_duty_scored": wrong_kind,
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("heldout", "tune", "all"), default="heldout")
    parser.add_argument("--show", type=int, default=0, help="print N ads with wrong lines")
    parser.add_argument(
        "--dir",
        type=Path,
        default=ADS_DIR,
        help="a folder of ads_*.jsonl in the same format (e.g. a set labelled blind elsewhere)",
    )
    parser.add_argument(
        "--method",
        choices=("default", "rules"),
        default="default",
        help="label statements by the shipped line classifier (default) or by the cue rules",
    )
    args = parser.parse_args(argv)
    ads = [a for a in load_ads(args.dir) if args.split == "all" or a.get("split") == args.split]
    labeller = jobad.label_rules if args.method == "rules" else None
    results = [evaluate_ad(a, labeller) for a in ads]
    print(json.dumps(summarise(results), indent=2, ensure_ascii=False))
    shown = 0
    for ad, r in zip(ads, results, strict=True):
        if (
            shown >= args.show
            or r.clean
            and all(s or lab != "duty" for s, lab in zip(r.scored, r.labels, strict=True))
        ):
            continue
        shown += 1
        print(f"\n--- {r.ad_id} ({ad.get('format')})")
        for line, s, lab, n in zip(ad["lines"], r.scored, r.labels, r.parts_found, strict=True):
            mark = "OK " if s == (lab == "duty") else "ERR"
            print(f"{mark} {lab:11} {n} {line['text'][:110]}")
        for u in r.untraced:
            print(f"ERR untraced    {u[:110]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
