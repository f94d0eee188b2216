"""The rule-based head is fitted so that a statement's length says nothing about its label."""

import numpy as np
import pandas as pd

from training.train import LENGTH_EDGES, length_balanced_weights


def test_under_the_weights_every_length_bucket_has_the_corpus_share_of_rule_based():
    rng = np.random.default_rng(0)
    n_words = rng.integers(1, 40, size=600)
    # short statements are more often rule-based, as in our corpus
    labels = pd.Series((rng.random(600) < np.where(n_words <= 5, 0.8, 0.3)).astype(int))
    texts = pd.Series([" ".join(["wort"] * n) for n in n_words])
    weights = length_balanced_weights(texts, labels)
    bucket = pd.cut(pd.Series(n_words), LENGTH_EDGES, include_lowest=True)
    weighted = (
        pd.DataFrame({"b": bucket, "y": labels, "w": weights})
        .groupby("b", observed=True)
        .apply(lambda g: np.average(g["y"], weights=g["w"]), include_groups=False)
    )
    assert np.allclose(weighted, labels.mean())
    assert np.isclose(weights.sum(), len(labels))  # the total weight stays the corpus size
