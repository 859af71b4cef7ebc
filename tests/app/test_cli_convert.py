import os
import subprocess
import sys

from app.cli import main
from app.core.document import Document

YAML = "# keep\nResources:\n  Db:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Arn: !GetAtt X.Arn\n"


def test_same_format_no_edits_is_byte_identical(write, tmp_path):
    source = write("in.yaml", YAML)
    assert main(["convert", str(source), "-o", str(tmp_path / "out.yml")]) == 0
    assert (tmp_path / "out.yml").read_bytes() == source.read_bytes()


def test_yaml_to_json_and_back_keeps_data_and_short_forms(write, tmp_path):
    source = write("in.yaml", YAML)
    assert main(["convert", str(source), "-o", str(tmp_path / "out.json")]) == 0
    assert '"Fn::GetAtt": [' in (tmp_path / "out.json").read_text()
    assert main(["convert", str(tmp_path / "out.json"), "-o", str(tmp_path / "back.yaml")]) == 0
    back = (tmp_path / "back.yaml").read_text()
    assert "Arn: !GetAtt X.Arn" in back
    assert Document.open(str(tmp_path / "back.yaml")).data == Document.open(str(source)).data


def test_template_extension_keeps_the_input_format(write, tmp_path):
    source = write("in.yaml", YAML)
    assert main(["convert", str(source), "-o", str(tmp_path / "out.template")]) == 0
    assert (tmp_path / "out.template").read_text() == YAML


def test_bad_input_exits_2_with_one_line_and_writes_nothing(write, tmp_path, capsys):
    source = write("bad.yaml", "Resources:\n  A: [1, 2\n")
    out = tmp_path / "out.json"
    assert main(["convert", str(source), "-o", str(out)]) == 2
    error = capsys.readouterr().err
    assert error == f"{source}:3:1: while parsing a flow sequence did not find expected ',' or ']'\n"
    assert not out.exists()


def test_console_script_runs_as_a_process(write, tmp_path):
    source = write("in.yaml", YAML)
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "convert", str(source), "-o", str(tmp_path / "o.json")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert Document.open(str(tmp_path / "o.json")).data == Document.open(str(source)).data


def test_missing_input_exits_2(tmp_path, capsys):
    assert main(["convert", str(tmp_path / "none.yaml"), "-o", str(tmp_path / "o.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_output_dash_is_stdout(write, tmp_path, capsys, monkeypatch):
    source = write("in.yaml", YAML)
    monkeypatch.chdir(tmp_path)
    assert main(["convert", str(source), "-o", "-"]) == 0
    assert capsys.readouterr().out == YAML and sorted(os.listdir(tmp_path)) == ["in.yaml"]


def test_read_only_output_is_refused(write, tmp_path, capsys):
    source, out = write("in.yaml", YAML), write("out.json", "{}\n")
    os.chmod(out, 0o444)
    assert main(["convert", str(source), "-o", str(out)]) == 2
    assert capsys.readouterr().err == f"{out}:0:0: the file is read-only; not replaced\n"
    assert out.read_text() == "{}\n"
