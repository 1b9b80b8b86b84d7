"""What /api/docs/ shows a reader: public reads without a padlock, enums with real names."""

import yaml
from helpers import REPO

SCHEMA = yaml.safe_load((REPO / "schema.yml").read_text())
READS = [
    (path, method, operation)
    for path, operations in SCHEMA["paths"].items()
    for method, operation in operations.items()
    if method == "get"
]


def test_public_reads_list_no_security_requirement():
    assert READS
    assert [path for path, _, operation in READS if "security" in operation] == []


def test_writes_still_need_a_token():
    submit = SCHEMA["paths"]["/api/v1/runs/"]["post"]
    assert {"tokenAuth": []} in submit["security"]
    assert {} not in submit["security"]
    assert "tokenAuth" in SCHEMA["components"]["securitySchemes"]


def test_enums_have_names_that_say_what_they_are():
    names = set(SCHEMA["components"]["schemas"])
    assert not {"BetterEnum", "BlankEnum"} & names
    assert SCHEMA["components"]["schemas"]["BetterDirectionEnum"]["enum"] == ["higher", "lower"]
    assert SCHEMA["components"]["schemas"]["NotSetEnum"]["enum"] == [""]
    assert "#/components/schemas/BlankEnum" not in (REPO / "schema.yml").read_text()
