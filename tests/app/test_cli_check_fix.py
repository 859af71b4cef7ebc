import json
import shutil
import subprocess
import sys

import pytest

from app.cli import main
from app.document import Document
from resources import EXAMPLE
from rules.registry import RULES


@pytest.fixture
def example(tmp_path):
    path = tmp_path / "transactions.json"
    shutil.copy(EXAMPLE, path)
    return path


def run(capsys, *args):
    code = main([*map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_exit_codes(capsys, write):
    clean = write("clean.yaml", "Resources:\n  Topic: {Type: AWS::SNS::Topic}\n")
    dirty = write("dirty.yaml", "Resources:\n  Db: {Type: AWS::RDS::DBCluster, DeletionPolicy: Delete}\n")
    bad = write("bad.yaml", "Resources: [\n")
    assert run(capsys, "check", "--no-cfn-lint", clean)[0] == 0
    assert run(capsys, "check", "--no-cfn-lint", dirty)[0] == 1
    assert run(capsys, "check", "--no-cfn-lint", "--min-severity", "critical", write("high.yaml", "Resources:\n  T: {Type: AWS::DynamoDB::Table, DeletionPolicy: Retain}\n"))[0] == 0
    code, _, err = run(capsys, "check", "--no-cfn-lint", dirty, bad)
    assert code == 2 and err == f"{bad}:2:1: while parsing a flow node did not find expected node content\n"


def test_check_text_names_lines(capsys, example):
    code, out, _ = run(capsys, "check", "--profile", "financial-services", "--no-cfn-lint", example)
    assert code == 1
    assert f"{example}:268:7: critical CD1001 AuroraDBCluster (AWS::RDS::DBCluster) has DeletionPolicy: Delete" in out
    assert f"{example}:269:7: critical CD1002 " in out
    assert "critical CD6001 The financial-services profile requires a DynamoDB session table" in out


def test_check_json_shape(capsys, example):
    code, out, _ = run(capsys, "check", "--format", "json", "--profile", "financial-services", example)
    assert code == 1
    (entry,) = json.loads(out)["files"]
    assert entry["path"] == str(example)
    keys = {"rule", "title", "severity", "source", "resource", "pointer", "line", "column", "message", "fix", "fix_safety"}
    assert all(set(finding) == keys for finding in entry["findings"])
    aurora = next(f for f in entry["findings"] if f["rule"] == "CD1001" and f["resource"] == "AuroraDBCluster")
    assert aurora["severity"] == "critical" and aurora["pointer"] == "/Resources/AuroraDBCluster/DeletionPolicy"
    assert aurora["fix"] == "Set DeletionPolicy to Retain" and aurora["fix_safety"] == "safe"
    assert not any(f["source"] == "cfn-lint" and f["severity"] in ("high", "medium") for f in entry["findings"])


def test_check_sarif_is_valid_2_1_0(capsys, example):
    _, out, _ = run(capsys, "check", "--format", "sarif", "--no-cfn-lint", example)
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    (run_,) = sarif["runs"]
    driver = run_["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]] == [rule.id for rule in RULES]
    assert all(rule["helpUri"].startswith("https://") and rule["fullDescription"]["text"] for rule in driver["rules"])
    result = run_["results"][0]
    assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] >= 1 and result["level"] in ("error", "warning", "note")


def test_fix_writes_output_and_in_place(capsys, example, tmp_path):
    out = tmp_path / "fixed.yaml"
    code, _, err = run(capsys, "fix", "--profile", "financial-services", example, "-o", out)
    assert code == 0 and "applied 8 fixes; 0 findings remain" in err
    fixed = Document.open(str(out))
    assert fixed.format == "yaml" and fixed.data["Resources"]["AuroraDBCluster"]["DeletionPolicy"] == "Retain"
    assert "DashboardBody: !Sub" in out.read_text()
    original = example.read_bytes()
    assert run(capsys, "fix", "--rule", "CD1001", "--in-place", example)[0] == 0
    assert example.read_bytes() != original
    assert Document.open(str(example)).data["Resources"]["AuroraDBCluster"]["UpdateReplacePolicy"] == "Delete"


def test_fix_to_stdout_and_diff(capsys, write):
    source = write("t.yaml", "# keep\nResources:\n  Db:\n    Type: AWS::RDS::DBCluster\n    DeletionPolicy: Delete\n    UpdateReplacePolicy: Retain\n")
    code, out, _ = run(capsys, "fix", "--rule", "CD1001", source)
    assert code == 0 and out == source.read_text().replace("DeletionPolicy: Delete", "DeletionPolicy: Retain")
    code, out, _ = run(capsys, "fix", "--rule", "CD1001", "--diff", source)
    assert "-    DeletionPolicy: Delete\n+    DeletionPolicy: Retain\n" in out
    code, out, _ = run(capsys, "fix", "--rule", "CD1001", "--format", "json", source)
    assert json.loads(out)["Resources"]["Db"]["DeletionPolicy"] == "Retain"


def test_fix_unsafe_needs_the_flag(capsys, write):
    source = write("t.yaml", "Resources:\n  Db:\n    Type: AWS::RDS::DBCluster\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n")
    _, out, err = run(capsys, "fix", "--rule", "CD2001", source)
    assert "StorageEncrypted" not in out and "1 with an unsafe fix: --unsafe-fixes" in err
    _, out, _ = run(capsys, "fix", "--rule", "CD2001", "--unsafe-fixes", source)
    assert "StorageEncrypted: true" in out


def test_fix_bad_input_and_bad_rule(capsys, write, tmp_path):
    bad = write("bad.json", "{")
    out = tmp_path / "o.json"
    code, _, err = run(capsys, "fix", bad, "-o", out)
    assert code == 2 and err.startswith(f"{bad}:1:2: ") and not out.exists()
    assert run(capsys, "fix", "--rule", "XX1", write("t.yaml", "Resources: {}\n"))[0] == 2


def test_rules_listing_and_explain(capsys):
    code, out, _ = run(capsys, "rules")
    assert code == 0 and all(rule.id in out for rule in RULES)
    code, out, _ = run(capsys, "rules", "cd1001")
    assert code == 0 and "## Why is this bad?" in out and "Docs: https://docs.aws.amazon.com/" in out
    assert run(capsys, "rules", "ZZ9")[0] == 2


def test_check_starts_without_qt():
    probe = "import sys; from app.cli import main; main(['rules']); assert 'PySide6' not in sys.modules, 'Qt loaded'"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
