"""The blind advice review's renderer shows a reviewer what a user reads, role by role."""

from __future__ import annotations

import json

from training import advice_review

ROLES = [
    {"id": "r-title", "title": "Buchhalter (m/w/d)", "lang": "de"},
    {
        "id": "r-tasks",
        "title": "Accounts Payable Clerk",
        "tasks": ["Enter supplier invoices into SAP", "Resolve payment queries with suppliers"],
    },
    {"id": "r-unknown", "title": "Qwxzz Blorf"},
]


def test_each_role_shows_its_request_tasks_advice_and_upskilling(model, tmp_path):
    roles = tmp_path / "roles.json"
    roles.write_text(json.dumps(ROLES), encoding="utf-8")
    text = advice_review.render(advice_review.load_roles([roles]), model)
    sections = text.split("## ")[1:]
    assert [s.splitlines()[0] for s in sections] == ["r-title", "r-tasks", "r-unknown"]
    title, tasks, unknown = sections
    # the language hint is the writer's, not part of what a user sends
    assert '"lang"' not in title and "read as title" in title
    assert "Enter supplier invoices into SAP — P(rule-based)" in tasks and "read as tasks" in tasks
    assert "**automate**" in tasks or "**assist**" in tasks
    for section in (title, tasks):
        assert section.count("\n1. **") == 1 and "\n3. **" in section and "\n   - " in section
    assert "Not scored (HTTP 422)" in unknown and "**Tasks**" not in unknown
