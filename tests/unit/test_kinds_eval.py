"""training.kinds_eval's arithmetic: the likeliest kind and the agreement figures (no model)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from training.kinds_eval import _kinds, agreement


def test_the_likeliest_kind_from_summed_probabilities_and_from_two_heads():
    manual = pd.Series([0.7, 0.1, 0.2, 0.45])
    people = pd.Series([0.1, 0.6, 0.2, 0.45])
    assert _kinds(manual, people, summed=True).tolist() == [
        "manual", "people", "information", "manual"
    ]  # fmt: skip
    # independent heads: both below one half is information work
    assert _kinds(pd.Series([0.4]), pd.Series([0.4])).tolist() == ["information"]


def test_agreement_counts_kinds_against_the_label_kinds():
    frame = pd.DataFrame(
        {
            "label_kind": ["manual", "people", "information", "information"],
            "advice_kind": ["manual", "information", "information", "manual"],
            "advice_cues_kind": ["manual", "people", "information", "information"],
            "summed_kind": ["manual", "people", "information", "information"],
            "head_kind": ["manual", "people", "people", "information"],
            "paired_kind": ["manual", "people", "people", "information"],
            "advice_people": [False, True, False, False],
            "advice_cues_people": [False, True, True, False],
        }
    )
    for name in ("summed", "head", "paired"):
        for kind in ("manual", "people"):
            frame[f"{name}_{kind}"] = np.where(frame["label_kind"] == kind, 0.9, 0.1)
    got = agreement(frame)
    assert got["advice"]["agree"] == 0.5 and got["summed"]["agree"] == 1.0
    assert got["advice"]["manual"] == {"precision": 0.5, "recall": 1.0, "f1": 0.667}
    assert got["head"]["people"]["precision"] == 0.5
    assert got["advice_cues_with_people"]["precision"] == 0.5
    assert got["auc_summed_manual"] == 1.0
