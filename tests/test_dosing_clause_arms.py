"""An arm named anywhere in a clause (not before the item) is the item's arm only when its label
names the item's agent, or it is a placebo/control arm and the item is a placebo
(extractor.extract.dosing, ``clause_arm_fits`` in extractor.extract.dosing_arms)."""

from __future__ import annotations

import pytest

from extractor.extract.dosing import extract_interventions
from extractor.extract.dosing_arms import clause_arm_fits
from extractor.records import Arm


def _items(text, arms):
    from test_tables import make_ctx  # noqa: PLC0415
    ctx = make_ctx(text, {"arms": arms}, section="methods")
    return [(i.agent, i.arm, i.role, i.amount) for i in extract_interventions(ctx)]


THREE = [{"id": "A1", "label": "1 mg tacrolimus", "n": 40, "role": "experimental"},
         {"id": "A2", "label": "3 mg tacrolimus", "n": 41, "role": "experimental"},
         {"id": "A3", "label": "2.5 mg/kg cyclosporine", "n": 39, "role": "control"}]


@pytest.mark.parametrize("text", [
    "We compared the efficacy of a single dose of tacrolimus with that of cyclosporine.",
    "The aim was to compare one infusion of tacrolimus against cyclosporine in stable patients.",
    "This trial assessed a single course of tacrolimus versus cyclosporine for maintenance.",
    "To evaluate a single intravenous dose of tacrolimus in comparison with cyclosporine.",
    "Efficacy of one daily dose of tacrolimus was compared with that of cyclosporine given as usual.",
])
def test_item_not_put_on_another_agents_arm(text):
    got = _items(text, THREE)
    assert not [g for g in got if g[0] == "tacrolimus" and g[1] == "A3"]


BELI = [{"id": "A1", "label": "belimumab", "n": 30, "role": "experimental"},
        {"id": "A2", "label": "rituximab", "n": 30, "role": "experimental"},
        {"id": "A3", "label": "placebo", "n": 30, "role": "placebo"}]


@pytest.mark.parametrize(("text", "agent", "arm"), [
    ("Rituximab 1000 mg was infused on days 1 and 15 and outcomes were compared with the belimumab arm.", "rituximab", "A2"),
    ("Belimumab 10 mg/kg was given every 4 weeks, as was placebo in the placebo arm.", "belimumab", "A1"),
    ("An infusion of 750 mg rituximab, given twice, was the regimen of the rituximab arm.", "rituximab", "A2"),
    ("A dose of 10 mg/kg belimumab was given monthly to the belimumab group.", "belimumab", "A1"),
    ("Infusions of rituximab 500 mg were repeated after two weeks in the rituximab group only.", "rituximab", "A2"),
])
def test_arm_named_later_that_names_the_agent_is_kept(text, agent, arm):
    got = _items(text, BELI)
    assert [g[1] for g in got if g[0] == agent] == [arm]


ARMS = [Arm(id="A1", label="voclosporin plus MMF", role="experimental"),
        Arm(id="A2", label="placebo plus MMF", role="placebo"),
        Arm(id="A3", label="standard care", role="control"),
        Arm(id="A4", label="high-dose azathioprine", role="experimental"),
        Arm(id="A5", label="Group B", role="experimental")]


@pytest.mark.parametrize(("arm_id", "agent", "fits"), [
    ("A1", "voclosporin", True),
    ("A1", "mycophenolate mofetil", True),
    ("A1", "azathioprine", False),
    ("A2", "placebo", True),
    ("A3", "placebo", True),
    ("A4", "placebo", False),
    ("A4", "azathioprine", True),
    ("A4", "voclosporin", False),
    ("A5", "azathioprine", False),
    (None, "azathioprine", False),
])
def test_clause_arm_fits(arm_id, agent, fits):
    assert clause_arm_fits(ARMS, arm_id, agent) is fits


# --- "oral dryness", "oral ulcers": a body site, not a route (dosing.route_body_noun) ---

@pytest.mark.parametrize(("text", "agent"), [
    ("The trial tests two courses of rituximab in patients with fatigue and oral dryness.", "rituximab"),
    ("Belimumab infusions were studied in patients whose oral ulcers persisted.", "belimumab"),
    ("We assessed six cycles of cyclophosphamide on oral and ocular dryness in this cohort.", "cyclophosphamide"),
    ("Tacrolimus was evaluated for recurrent oral lesions over 12 months.", "tacrolimus"),
    ("Two infusions of abatacept were compared with placebo for oral mucosa involvement.", "abatacept"),
])
def test_oral_body_site_is_not_a_route(text, agent):
    from test_tables import make_ctx  # noqa: PLC0415
    ctx = make_ctx(text, {"arms": [{"id": "A1", "label": agent, "n": 20, "role": "experimental"}]}, section="methods")
    assert not [i for i in extract_interventions(ctx) if i.agent == agent and i.route == "oral"]


@pytest.mark.parametrize("text", [
    "Patients received oral prednisone 20 mg daily.",
    "Prednisone was given orally at 10 mg per day.",
    "Prednisone 5 mg oral once daily was continued.",
    "An oral dose of prednisone 30 mg was taken each morning.",
    "Prednisone (oral, 15 mg/day) was tapered.",
])
def test_oral_route_still_read(text):
    from test_tables import make_ctx  # noqa: PLC0415
    ctx = make_ctx(text, {"arms": [{"id": "A1", "label": "prednisone", "n": 20, "role": "experimental"}]}, section="methods")
    assert [i.route for i in extract_interventions(ctx) if i.agent == "prednisone"] == ["oral"]
