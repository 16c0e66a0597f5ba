"""JATS metadata that carries the trial registration is kept in the text (ingest/xml.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.extract.identity import extract_identity
from extractor.extract.run import build_context
from extractor.ingest.load import load

HEAD = '<?xml version="1.0"?><article xmlns:xlink="http://www.w3.org/1999/xlink"><front><article-meta>' \
       '<title-group><article-title>A lupus nephritis trial</article-title></title-group>' \
       '<abstract><p>Patients were randomised.</p></abstract>'
TAIL = '</article-meta></front><body><sec><title>Methods</title><p>Methods text.</p></sec></body></article>'

VARIANTS = [
    ('<custom-meta-group><custom-meta><meta-name>Trial registration</meta-name><meta-value><ext-link ext-link-type="clintrialgov" '
     'xlink:href="https://clinicaltrials.gov/ct2/show/NCT01639339">NCT01639339</ext-link></meta-value></custom-meta></custom-meta-group>',
     "NCT01639339"),
    ('<custom-meta-group><custom-meta><meta-name>Clinical trial registration number</meta-name>'
     '<meta-value>ISRCTN12345678</meta-value></custom-meta></custom-meta-group>', "ISRCTN12345678"),
    ('<ext-link ext-link-type="clinical-trial" xlink:href="https://www.chictr.org.cn">ChiCTR1800015432</ext-link>', "ChiCTR1800015432"),
    ('<related-object document-type="clinical-trial" source-id="NCT00292517" source-id-type="registry"/>', "NCT00292517"),
    ('<abstract abstract-type="trial-registration"><title>Trial registration</title><p>ClinicalTrials.gov NCT02226900</p></abstract>',
     "NCT02226900"),
]


@pytest.mark.parametrize("meta,want", VARIANTS)
def test_jats_registration_in_text_and_identity(tmp_path: Path, meta: str, want: str) -> None:
    path = tmp_path / "a.xml"
    path.write_text(HEAD + meta + TAIL, encoding="utf-8")
    (doc,) = load(path)
    assert "Trial registration: " in doc.text and want in doc.text
    assert doc.text.index(want) < doc.text.index("Methods text.")
    assert want in extract_identity(build_context(doc)).registry_ids


def test_other_metadata_is_not_text(tmp_path: Path) -> None:
    meta = ('<custom-meta-group><custom-meta><meta-name>Funding</meta-name><meta-value>Grant 123</meta-value></custom-meta>'
            '</custom-meta-group><ext-link ext-link-type="uri" xlink:href="https://example.org">example.org</ext-link>')
    path = tmp_path / "b.xml"
    path.write_text(HEAD + meta + TAIL, encoding="utf-8")
    (doc,) = load(path)
    assert "Grant 123" not in doc.text and "Trial registration" not in doc.text
