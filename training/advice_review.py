"""Render the service's answers to role requests as Markdown, for a blind advice review.

A reviewer who sees only this output rates each role's advice sensible / minor / absurd (the
advice issue's acceptance; method and results in ``docs/advice-review.md``). The requests are
what a user sends (``title``, ``description`` or ``tasks``; the language is detected, as for a
user who names none); the output shows what the user would read: the score and how the input
was read, the matched occupation and its note, each task with its advice and reason, and the
three upskilling areas with their "why" and actions.

``python -m training.advice_review ROLES.json [ROLES.json …] --out OUT.md [--models-dir DIR]``;
a roles file is a JSON list of objects with an ``id`` and the request's fields.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from pathlib import Path

from risk_service.registry import Registry
from risk_service.schemas import Role
from risk_service.scoring import RoleError, assess_many
from risk_service.settings import Settings
from risk_service.taskmodel import TaskModel

REQUEST_FIELDS = ("title", "description", "tasks")


def load_roles(paths: Iterable[Path]) -> list[dict]:
    roles: list[dict] = []
    for path in paths:
        roles += json.loads(Path(path).read_text(encoding="utf-8"))
    return roles


def request(role: dict) -> dict:
    """The request a user sends for ``role`` (its id and any language hint left out)."""
    return {key: role[key] for key in REQUEST_FIELDS if key in role}


def render(roles: list[dict], model: TaskModel) -> str:
    """One ``## id`` section per role, in the order given."""
    bodies = [request(role) for role in roles]
    answers = assess_many([Role(**body) for body in bodies], model)
    out: list[str] = []
    for role, body, answer in zip(roles, bodies, answers, strict=True):
        shown = json.dumps(body, ensure_ascii=False)
        out += [f"## {role['id']}", "", f"**Request:** `{shown}`", ""]
        if isinstance(answer, RoleError):
            out += [f"**Not scored (HTTP 422):** {answer}", ""]
            continue
        out += [_headline(answer), "", "**Tasks**", ""]
        out += [
            f"- {t['text']} — P(rule-based) {t['rule_based']:.3f}, {t['category']}, "
            f"**{t['advice']}**: {t['advice_reason']}"
            for t in answer["tasks"]
        ]
        out += ["", "**Upskilling**", ""]
        for area in answer["upskilling"]:
            out.append(f"{area['rank']}. **{area['area']}** — {area['why']}")
            out += [f"   - {action}" for action in area["actions"]]
        out.append("")
    return "\n".join(out)


def _headline(answer: dict) -> str:
    line = f"**Score** {answer['risk_score']} ({answer['risk_band']}), read as {answer['read_as']}"
    match = answer.get("matched_occupation")
    if match:
        line += f"; occupation: {match.get('label') or match['title']} (ISCO {match['isco08']})"
        if match.get("tasks_note"):
            line += f"\n\n_{match['tasks_note']}_"
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roles", nargs="+", type=Path, help="JSON lists of role requests")
    parser.add_argument("--out", type=Path, required=True, help="the Markdown file to write")
    parser.add_argument("--models-dir", type=Path, default=None, help="default: the settings'")
    args = parser.parse_args(argv)
    registry = Registry(args.models_dir or Settings().models_dir)
    version = registry.current_version()
    roles = load_roles(args.roles)
    args.out.write_text(render(roles, registry.load(version)) + "\n", encoding="utf-8")
    print(f"{len(roles)} roles -> {args.out} (model {version})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
