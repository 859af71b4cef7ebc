"""`cfn-doctor impact`: every format, the exit codes, and --git against a temporary repository."""

from __future__ import annotations

import json
import subprocess

import pytest

from app.cli import main

OLD = """\
Resources:
  Ledger:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      DatabaseName: ledger
  Topic:
    Type: AWS::SNS::Topic
    Properties: {DisplayName: alerts}
"""
#: the cluster's create-only DatabaseName changes (it is replaced, and its data deleted), the
#: topic is modified, a queue added
NEW = OLD.replace("DatabaseName: ledger", "DatabaseName: ledger2").replace(
    "DisplayName: alerts", "DisplayName: alarms") + "  Queue:\n    Type: AWS::SQS::Queue\n"


def snapshotted(template: str) -> str:
    """The template with UpdateReplacePolicy: Snapshot on the cluster, which keeps its data."""
    cluster = "    Type: AWS::RDS::DBCluster\n"
    return template.replace(cluster, cluster + "    UpdateReplacePolicy: Snapshot\n")


def run(capsys, *args):
    code = main(["impact", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def pair(write):
    return write("old.yaml", OLD), write("new.yaml", NEW)


def test_text_reads_like_a_plan_with_data_loss_first(capsys, pair):
    old, new = pair
    code, out, err = run(capsys, old, new)
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[0] == f"Deploying {new} over a stack deployed from {old}:"
    plan = [line.split() for line in lines[2:5]]
    assert [row[:3] for row in plan] == [["-/+", "replace", "Ledger"], ["~", "modify", "Topic"], ["+", "add", "Queue"]]
    assert "LOSES DATA" in lines[2] and "DatabaseName: 'ledger' → 'ledger2'" in lines[2]
    assert "DisplayName: 'alerts' → 'alarms'" in lines[3]
    assert "Data:" in lines and "What to do:" in lines
    assert lines[-1] == "1 resource loses data; 3 changes."


def test_exit_0_when_no_data_is_lost(capsys, write):
    old, new = write("old.yaml", snapshotted(OLD)), write("new.yaml", snapshotted(NEW))
    code, out, _ = run(capsys, old, new)
    assert code == 0
    assert out.splitlines()[-1] == "no data is lost; 3 changes."


def test_exit_0_and_no_changes_for_the_same_template(capsys, write):
    old, new = write("old.yaml", OLD), write("new.json", json.dumps({"Resources": {
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "alerts"}},
        "Ledger": {"Type": "AWS::RDS::DBCluster",
                   "Properties": {"DatabaseName": "ledger", "Engine": "aurora-postgresql"}},
    }}))
    code, out, _ = run(capsys, old, new)
    assert code == 0 and out.endswith("No changes: no resource is added, changed or removed.\n")


def test_json_keeps_the_issues_names(capsys, pair):
    old, new = pair
    code, out, _ = run(capsys, "--format", "json", old, new)
    assert code == 1
    report = json.loads(out)
    assert (report["old"], report["new"], report["loses_data"]) == (str(old), str(new), True)
    ledger, topic, queue = report["changes"]
    assert list(ledger)[:7] == ["resource", "type", "action", "replacement", "causes", "data", "renamed_to"]
    assert {key: ledger[key] for key in ("resource", "type", "action", "replacement", "data", "renamed_to")} == {
        "resource": "Ledger", "type": "AWS::RDS::DBCluster", "action": "replace", "replacement": "always",
        "data": "lost", "renamed_to": None}
    assert ledger["causes"] == ["DatabaseName: 'ledger' → 'ledger2'"]
    assert (topic["action"], topic["replacement"], topic["data"]) == ("modify", None, "none")
    assert (queue["action"], queue["data"], queue["line"]) == ("add", "none", 10)


def test_markdown_is_a_pull_request_comment(capsys, pair):
    code, out, _ = run(capsys, "--format", "markdown", *pair)
    assert code == 1
    assert out.startswith("### CFN Doctor: update impact\n")
    assert "**1 resource loses data; 3 changes.**" in out
    assert "| | Resource | Type | Action | Data | Why |" in out
    assert ("| 🔴 | `Ledger` | `AWS::RDS::DBCluster` | replace | **loses data** | DatabaseName: 'ledger' → 'ledger2' |"
            in out)
    assert "<details><summary>What happens to the data, and what to do</summary>" in out


def test_sarif_has_one_result_a_change(capsys, pair):
    old, new = pair
    code, out, _ = run(capsys, "--format", "sarif", old, new)
    assert code == 1
    (sarif_run,) = json.loads(out)["runs"]
    rules = [rule["id"] for rule in sarif_run["tool"]["driver"]["rules"]]
    results = sarif_run["results"]
    assert [(result["ruleId"], result["level"]) for result in results] == [
        ("impact/data-loss", "error"), ("impact/modify", "note"), ("impact/add", "note")]
    assert all(rules[result["ruleIndex"]] == result["ruleId"] for result in results)
    location = results[0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == str(new)
    assert location["physicalLocation"]["region"]["startLine"] == 2
    assert location["logicalLocations"] == [{"name": "Ledger", "kind": "resource"}]
    assert results[0]["message"]["text"].startswith("Replace Ledger (AWS::RDS::DBCluster): DatabaseName")


def test_a_template_error_is_one_line_with_its_place(capsys, write):
    old, bad = write("old.yaml", OLD), write("bad.yaml", "Resources: [\n")
    code, out, err = run(capsys, old, bad)
    assert (code, out) == (2, "")
    assert err == f"{bad}:2:1: while parsing a flow node did not find expected node content\n"


def test_a_missing_file_and_a_wrong_number_of_files_are_bad_input(capsys, pair, tmp_path):
    old, _ = pair
    code, _, err = run(capsys, old, tmp_path / "missing.yaml")
    assert code == 2 and err.startswith(f"{tmp_path / 'missing.yaml'}:0:0: cannot read")
    code, _, err = run(capsys, old)
    assert (code, err) == (2, "cfn-doctor: impact takes OLD NEW (1 file given)\n")
    code, _, err = run(capsys, "--git", "HEAD", *pair)
    assert (code, err) == (2, "cfn-doctor: impact takes --git REV FILE (2 files given)\n")


# -- --git ---------------------------------------------------------------------------------------


def git(folder, *args):
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false",
                    *args], cwd=folder, check=True, capture_output=True)


@pytest.fixture
def repository(tmp_path):
    """A repository with stacks/ledger.yaml committed as OLD, and changed to NEW in the work tree."""
    root = tmp_path / "repo"
    (root / "stacks").mkdir(parents=True)
    template = root / "stacks" / "ledger.yaml"
    template.write_text(OLD, encoding="utf-8")
    git(root, "init", "--quiet")
    git(root, "add", ".")
    git(root, "commit", "--quiet", "-m", "old")
    template.write_text(NEW, encoding="utf-8")
    return root, template


def test_git_compares_the_file_with_its_committed_version(capsys, repository, monkeypatch):
    root, template = repository
    monkeypatch.chdir(root.parent)  # git runs from the file's folder, not the current one
    code, out, err = run(capsys, "--git", "HEAD", template, "--format", "json")
    assert (code, err) == (1, "")
    report = json.loads(out)
    assert (report["old"], report["new"]) == ("HEAD:stacks/ledger.yaml", str(template))
    assert [change["resource"] for change in report["changes"]] == ["Ledger", "Topic", "Queue"]


def test_git_after_a_commit_of_the_change_finds_none_against_head(capsys, repository):
    root, template = repository
    git(root, "commit", "--quiet", "-am", "new")
    code, out, _ = run(capsys, "--git", "HEAD", template)
    assert code == 0 and "No changes" in out
    code, out, _ = run(capsys, "--git", "HEAD~1", template)
    assert code == 1 and "LOSES DATA" in out


def test_git_outside_a_repository_is_bad_input(capsys, write, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))  # no repository above the test's folder
    template = write("alone.yaml", OLD)
    code, out, err = run(capsys, "--git", "HEAD", template)
    assert (code, out) == (2, "")
    assert err.startswith(f"cfn-doctor: {template} is not in a git repository (--git reads OLD from its history)")
    assert err.count("\n") == 1


def test_git_with_a_file_not_in_the_revision_is_bad_input(capsys, repository):
    root, _ = repository
    fresh = root / "stacks" / "fresh.yaml"
    fresh.write_text(OLD, encoding="utf-8")
    code, _, err = run(capsys, "--git", "HEAD", fresh)
    assert code == 2 and err.startswith(f"cfn-doctor: {fresh} is not in HEAD (git: ")
    assert err.count("\n") == 1


def test_git_with_an_unknown_revision_is_bad_input(capsys, repository):
    _, template = repository
    code, _, err = run(capsys, "--git", "no-such-branch", template)
    assert (code, err) == (2, "cfn-doctor: unknown revision no-such-branch\n")


def test_git_with_a_committed_template_error_names_the_revision(capsys, repository):
    root, template = repository
    template.write_text("Resources: [\n", encoding="utf-8")
    git(root, "commit", "--quiet", "-am", "broken")
    template.write_text(NEW, encoding="utf-8")
    code, _, err = run(capsys, "--git", "HEAD", template)
    assert (code, err) == (2, "HEAD:stacks/ledger.yaml:2:1: while parsing a flow node did not find expected node "
                              "content\n")


def test_the_command_is_listed_and_documented(capsys):
    with pytest.raises(SystemExit):
        main(["impact", "--help"])
    out = capsys.readouterr().out
    assert "--git REV" in out and "text,json,markdown,sarif" in out
