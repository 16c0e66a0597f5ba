"""A product dosed as the sum of its components ("fish oil (6 capsules/day equaling 2 g EPA and
1 g DHA)"): one dose, the sum, when the components share a unit; and the other side — doses of
agents of their own, or of different units, are not summed.

Every case is an invented wording (products, numbers and word order varied)."""

from __future__ import annotations

import pytest

from extractor.extract.dosing import extract_interventions


def _items(text, arms=None):
    from test_tables import make_ctx  # noqa: PLC0415
    ctx = make_ctx(text, {"arms": arms} if arms else None, section="methods")
    return [(i.agent, i.arm, i.role, i.amount, i.unit) for i in extract_interventions(ctx)]


ARMS = [{"id": "A1", "label": "fish oil", "n": 30, "role": "experimental"},
        {"id": "A2", "label": "placebo", "n": 30, "role": "placebo"}]


@pytest.mark.parametrize(("text", "amount"), [
    ("Patients were randomised to receive fish oil (6 capsules/day equaling 2.25 g EPA and 2.25 g DHA) or identical placebo capsules.", 4.5),
    ("Participants took fish oil (four capsules daily providing 1.8 g of eicosapentaenoic acid plus 1.2 g of docosahexaenoic acid) or placebo.", 3.0),
    ("The active group received fish oil (capsules containing 1 g EPA + 0.5 g DHA) for 12 weeks, the control group placebo.", 1.5),
    ("Subjects were allocated to omega-3 fatty acids (three softgels equivalent to 960 mg EPA and 640 mg DHA per day) or olive oil placebo.", 1600),
    ("Fish oil (two sachets a day delivering 3 g EPA, and 2 g DHA) was added to standard care in the treatment group.", 5.0),
])
def test_component_doses_are_summed(text, amount):
    got = [i for i in _items(text, ARMS) if i[1] == "A1"]
    assert got and got[0][3] == pytest.approx(amount), got


@pytest.mark.parametrize(("text", "unsummed"), [
    ("Patients received fish oil (capsules containing 2 g EPA and 500 mg DHA) or placebo.", 2.5),
    ("Patients received fish oil (capsules containing 2 g/kg EPA and 1 g DHA) or placebo.", 3.0),
    ("Patients received fish oil (capsules containing 2 g EPA) and 1 g of mycophenolate mofetil daily.", 3.0),
    ("Patients received fish oil (capsules containing 1.5 g EPA and 1.5 g) or placebo.", 3.0),
    ("Patients received fish oil (6 capsules daily, 4 g in total) or placebo, and 2 g mycophenolate mofetil and 1 g EPA.", 6.0),
])
def test_no_sum_across_units_agents_or_unnamed_parts(text, unsummed):
    got = [i for i in _items(text, ARMS) if i[1] in ("A1", None)]
    assert all(i[3] != pytest.approx(unsummed) for i in got), got
