"""The figures every model choice is judged by."""

import pandas as pd
import pytest

from training.evaluate import category_macro_f1


def test_a_category_no_statement_holds_does_not_cost_a_share_of_macro_f1():
    true = pd.Series(["routine_cognitive", "routine_manual", "nonroutine_analytic"] * 20)
    pred = true.copy()
    pred.iloc[0] = "ai_process_interface"  # one wrong prediction of a category dev never holds
    # one statement of 60 is wrong: its category loses recall, the average not a sixth
    assert category_macro_f1(true, pred) == pytest.approx(0.991, abs=0.001)  # not 0.744
    assert category_macro_f1(true, true) == 1.0


def test_a_wrong_category_still_costs_the_true_one():
    true = pd.Series(["routine_cognitive"] * 10 + ["routine_manual"] * 10)
    pred = pd.Series(["routine_manual"] * 20)
    assert category_macro_f1(true, pred) < 0.5
