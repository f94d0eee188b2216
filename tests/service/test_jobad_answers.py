"""Job ads without duties, answered through the trained model: the 422 says what was found."""

from __future__ import annotations

import pytest

from risk_service.schemas import Role
from risk_service.scoring import RoleError, assess

# --- no duties: the 422 says what was found -----------------------------------------------------

_NO_DUTIES = (
    "Ihr Profil: Abgeschlossene Ausbildung als Industriekauffrau, sichere Excel-Kenntnisse\n"
    "Wir bieten: 30 Tage Urlaub, Jobrad und Gleitzeit"
)


def test_a_description_without_duties_says_what_was_found(model):
    with pytest.raises(RoleError) as caught:
        assess(Role(description=_NO_DUTIES), model)
    assert caught.value.loc == ["description"]
    assert "only requirements and benefits were found" in caught.value.msg


def test_no_duties_with_an_unknown_title_does_not_blame_the_title(model):
    with pytest.raises(RoleError) as caught:
        assess(Role(title="Qxzv Wibbleflonk", description=_NO_DUTIES), model)
    assert caught.value.loc == ["description"]
    assert "only requirements and benefits were found" in caught.value.msg
    assert "title" not in caught.value.msg
