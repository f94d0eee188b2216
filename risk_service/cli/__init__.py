"""Command line: one command per pipeline stage (``risk-service``, ``python -m risk_service``).

Each command imports what it needs when it runs, so ``risk-service score`` loads neither Flask
nor ``training/``, and a command whose extra is not installed says which one to install.
"""

from __future__ import annotations

import click

from risk_service.cli import batch, models, serve, training


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Job-automation risk from the rule-basedness of a role's tasks."""


for _command in (
    batch.score,
    batch.workforce,
    training.train,
    training.evaluate,
    training.import_,
    training.feedback,
    serve.serve,
    models.models,
):
    main.add_command(_command)
