"""ProperDocs (the community fork of MkDocs 1.6) builds the example site with the plugin as
it is, for real (``python -m properdocs build``)."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.generators import run_build
from tests.fixtures.sites import CHECKOUT, FixtureSite, example_config, model, model_file


@pytest.mark.slow
def test_properdocs_builds_the_example_site_with_the_plugin_unchanged(tmp_path):
    config = example_config(tmp_path)
    result = run_build("properdocs", config, tmp_path / "site", "--strict",
                       cache=tmp_path / "cache")
    assert result.code == 0, result.log
    page = result.page("threat-models/guest-checkout/")
    assert page.count('<pre class="mermaid"><code>') == 1
    assert '<tr id="CHK-001"' in page and 'class="tm-heatmap"' in page
    assert 'src="../../assets/threatmodel/mermaid-init.js"' in page
    assert (result.site / "assets/threatmodel/threatmodel.css").is_file()
    register = result.page("threat-models/register/")
    assert "77 threats</strong> (78 when counted per target) in 3 models" in register
    assert "tm-unrendered" not in register and 'class="tm-slot"' not in register
    assert re.search(r"INFO\s+-\s+\S*docs/threat-models/shipping-webhook\.md:\d+: TM503",
                     result.log), result.log


def test_properdocs_strict_fails_on_our_warnings(tmp_path):
    site = FixtureSite(tmp_path)
    bad = model(threats=[{**CHECKOUT["threats"][0], "targets": ["nowhere"]}])
    site.write("docs/models/checkout.md", model_file(bad))
    site.configure("material")  # ProperDocs ships no "mkdocs" theme of its own
    result = run_build("properdocs", tmp_path / "mkdocs.yml", tmp_path / "site", "--strict")
    assert result.code == 1
    assert re.search(r"WARNING\s+-\s+docs/models/checkout\.md:\d+: TM2\d\d .*nowhere",
                     result.log), result.log
