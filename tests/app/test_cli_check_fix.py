import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys

import pytest

from app.analysis import analyse
from app.cli import main
from app.core.document import Document
from app.core.findings import Severity
from resources import EXAMPLE
from rules import profiles
from rules.registry import RULE_IDS, RULES


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
    high = write("high.yaml", "Resources:\n  T: {Type: AWS::DynamoDB::Table, DeletionPolicy: Retain}\n")
    assert run(capsys, "check", "--no-cfn-lint", "--min-severity", "critical", high)[0] == 0
    code, _, err = run(capsys, "check", "--no-cfn-lint", dirty, bad)
    assert code == 2 and err == f"{bad}:2:1: while parsing a flow node did not find expected node content\n"


def test_check_text_names_lines(capsys, example):
    code, out, _ = run(capsys, "check", "--profile", "financial-services", "--no-cfn-lint", example)
    assert code == 1
    assert f"{example}:268:7: critical CD1001 AuroraDBCluster (AWS::RDS::DBCluster) has DeletionPolicy: Delete" in out
    assert f"{example}:269:7: critical CD1002 " in out
    assert "critical CD6001 The financial-services profile requires a DynamoDB session table" in out


def test_check_json_reports_each_finding_of_the_analysis(capsys, example):
    code, out, _ = run(capsys, "check", "--format", "json", "--profile", "financial-services", example)
    assert code == 1
    (entry,) = json.loads(out)["files"]
    assert entry["path"] == str(example)
    profile = profiles.for_template("financial-services", str(example), RULE_IDS)
    expected = [f for f in analyse(Document.open(str(example)), profile) if f.severity >= Severity.LOW]
    reported = [f for f in entry["findings"] if f["source"] == "cfn-doctor"]
    assert [(f["rule"], f["resource"], f["pointer"], f["line"], f["column"], f["severity"], f["message"])
            for f in reported] == [(f.rule, f.resource, f.pointer, f.line, f.column, f.severity.label, f.message)
                                   for f in expected]
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


def own_findings(capsys, path):
    """Every finding of CFN Doctor's rules that `check` reports for ``path`` (financial-services)."""
    _, out, _ = run(capsys, "check", "--no-cfn-lint", "--min-severity", "info", "--format", "json",
                    "--profile", "financial-services", path)
    (entry,) = json.loads(out)["files"]
    return entry["findings"]


def fix_summary(err):
    """(fixes applied, findings remaining) from the line `fix` ends with."""
    applied, remaining = re.search(r"applied (\d+) fix(?:es)?; (\d+) findings? remain", err).groups()
    return int(applied), int(remaining)


def test_fix_applies_every_safe_fix_and_a_second_run_applies_nothing(capsys, example, tmp_path):
    safe = [f for f in own_findings(capsys, example) if f["fix_safety"] == "safe"]
    out = tmp_path / "fixed.yaml"
    code, _, err = run(capsys, "fix", "--profile", "financial-services", example, "-o", out)
    applied, remaining = fix_summary(err)
    assert code == 0 and safe and applied >= 1
    left = own_findings(capsys, out)
    assert remaining == len(left) and not [f for f in left if f["fix_safety"] == "safe"]
    again = tmp_path / "again.yaml"
    code, _, err = run(capsys, "fix", "--profile", "financial-services", out, "-o", again)
    assert code == 0 and fix_summary(err) == (0, remaining) and again.read_bytes() == out.read_bytes()


def test_fix_writes_output_and_in_place(capsys, example, tmp_path):
    out = tmp_path / "fixed.yaml"
    assert run(capsys, "fix", "--profile", "financial-services", example, "-o", out)[0] == 0
    fixed = Document.open(str(out))
    assert fixed.format == "yaml" and fixed.data["Resources"]["AuroraDBCluster"]["DeletionPolicy"] == "Retain"
    assert "DashboardBody: !Sub" in out.read_text()
    original = example.read_bytes()
    assert run(capsys, "fix", "--rule", "CD1001", "--in-place", example)[0] == 0
    assert example.read_bytes() != original
    assert Document.open(str(example)).data["Resources"]["AuroraDBCluster"]["UpdateReplacePolicy"] == "Delete"


def test_fix_to_stdout_and_diff(capsys, write):
    source = write("t.yaml", "# keep\nResources:\n  Db:\n    Type: AWS::RDS::DBCluster\n    DeletionPolicy: Delete\n"
                   "    UpdateReplacePolicy: Retain\n")
    code, out, _ = run(capsys, "fix", "--rule", "CD1001", source)
    assert code == 0 and out == source.read_text().replace("DeletionPolicy: Delete", "DeletionPolicy: Retain")
    code, out, _ = run(capsys, "fix", "--rule", "CD1001", "--diff", source)
    assert "-    DeletionPolicy: Delete\n+    DeletionPolicy: Retain\n" in out
    code, out, _ = run(capsys, "fix", "--rule", "CD1001", "--format", "json", source)
    assert json.loads(out)["Resources"]["Db"]["DeletionPolicy"] == "Retain"


def test_fix_unsafe_needs_the_flag(capsys, write):
    source = write("t.yaml", "Resources:\n  Db:\n    Type: AWS::RDS::DBCluster\n    DeletionPolicy: Retain\n"
                   "    UpdateReplacePolicy: Retain\n")
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


DB = "# keep\nResources:\n  Db:\n    Type: AWS::RDS::DBCluster\n    DeletionPolicy: Delete\n"


def test_fix_output_dash_is_stdout(capsys, write, monkeypatch):
    source = write("t.yaml", DB)
    monkeypatch.chdir(source.parent)
    code, out, _ = run(capsys, "fix", "--rule", "CD1001", source, "-o", "-")
    assert code == 0 and out == DB.replace("Delete", "Retain")
    assert not (source.parent / "-").exists() and source.read_text() == DB


def test_fix_in_place_and_output_cannot_be_combined(capsys, write, tmp_path):
    source = write("t.yaml", DB)
    with pytest.raises(SystemExit) as caught:
        main(["fix", "--in-place", "-o", str(tmp_path / "out.yaml"), str(source)])
    assert caught.value.code == 2 and "not allowed with argument" in capsys.readouterr().err
    assert source.read_text() == DB and not (tmp_path / "out.yaml").exists()


@pytest.mark.parametrize("where", ["--in-place", "-o"])
def test_fix_refuses_to_replace_a_read_only_file(capsys, write, where):
    source = write("t.yaml", DB)
    target = source if where == "--in-place" else write("out.yaml", "old\n")
    os.chmod(target, 0o444)
    arguments = [source, "--in-place"] if where == "--in-place" else [source, "-o", target]
    code, out, err = run(capsys, "fix", "--rule", "CD1001", *arguments)
    assert (code, out, err) == (2, "", f"{target}:0:0: the file is read-only; not replaced\n")
    assert target.read_text() == (DB if where == "--in-place" else "old\n")


def test_fix_diff_names_the_file_by_its_path_from_here(capsys, write, monkeypatch, tmp_path):
    (tmp_path / "stacks").mkdir()
    source = write("stacks/t.yaml", DB)
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "fix", "--rule", "CD1001", "--diff", "stacks/t.yaml")[1].startswith(
        "--- a/stacks/t.yaml\n+++ b/stacks/t.yaml\n")
    assert run(capsys, "fix", "--rule", "CD1001", "--diff", source)[1].startswith("--- a/stacks/t.yaml\n")
    monkeypatch.chdir(tmp_path / "stacks")
    assert run(capsys, "fix", "--rule", "CD1001", "--diff", "../stacks/t.yaml")[1].startswith("--- a/t.yaml\n")


def test_fix_diff_of_a_file_without_final_newline_marks_it(capsys, write):
    source = write("t.yaml", DB.rstrip("\n"))
    _, out, _ = run(capsys, "fix", "--rule", "CD1001", "--diff", source)
    assert "-    DeletionPolicy: Delete\n\\ No newline at end of file\n+    DeletionPolicy: Retain" in out


def test_check_refuses_a_fifo_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = subprocess.run([sys.executable, "-m", "app.cli", "check", "--no-cfn-lint", str(fifo)],
                            capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 2
    assert result.stderr == f"{fifo}:0:0: is a named pipe (FIFO), not a template file\n"


def test_check_refuses_a_socket_and_a_device(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a short relative name: socket paths are limited to about 100 bytes
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind("t.sock")
        code, _, err = run(capsys, "check", "--no-cfn-lint", "t.sock")
    assert code == 2 and err == "t.sock:0:0: is a socket, not a template file\n"
    code, _, err = run(capsys, "check", "--no-cfn-lint", os.devnull)
    assert code == 2 and err == f"{os.devnull}:0:0: is a device, not a template file\n"


def test_check_reads_standard_input_as_dash(capsys, monkeypatch):
    template = b"Resources:\n  Db: {Type: AWS::RDS::DBCluster, DeletionPolicy: Delete}\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(template)))
    code, out, _ = run(capsys, "check", "--no-cfn-lint", "-")
    assert code == 1 and "<stdin>:2:" in out and "CD1001" in out


@pytest.mark.parametrize("other", [["-o", "x.yaml"], ["--in-place"]])
def test_fix_diff_cannot_be_combined_with_writing(capsys, write, other):
    path = write("t.yaml", "Resources:\n  Db: {Type: AWS::RDS::DBCluster, DeletionPolicy: Delete}\n")
    with pytest.raises(SystemExit) as usage:
        main(["fix", "--diff", *other, str(path)])
    assert usage.value.code == 2 and "not allowed with" in capsys.readouterr().err


def test_fix_diff_in_another_format_is_refused_not_a_broken_patch(capsys, write):
    path = write("t.yaml", "Resources:\n  Db: {Type: AWS::RDS::DBCluster, DeletionPolicy: Delete}\n")
    code, out, err = run(capsys, "fix", "--diff", "--format", "json", path)
    assert code == 2 and out == "" and "in its own format" in err
