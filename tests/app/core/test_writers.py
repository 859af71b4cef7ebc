import json

import pytest

from app.core.document import Document
from app.core.json_writer import detect
from app.core.json_writer import dump as dump_json
from app.core.yaml_writer import dump as dump_yaml
from app.core.yaml_writer import is_plain_safe

SAMPLE = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Resources": {
        "Fn": {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                "Code": {"ZipFile": "import os\n\ndef handler(event, context):\n    return os.environ['X']\n"},
                "Env": {"Fn::Sub": ["${A}-${B}", {"A": {"Ref": "AWS::StackName"}, "B": {"Fn::ImportValue": "x"}}]},
                "Flags": ["yes", "no", "on", "012", "1.0", "2012-10-17", "null", "", " padded ", "a: b", "# hash",
                          "- dash", "*star", "üñí"],
                "Numbers": [1, -2, 1.5, 1e20, True, False, None],
                "Join": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}]]},
                "Empty": {}, "None": [], "Tab": "a\tb", "CR": "a\r\nb", "Weird": "line\u2028sep",
                "Condition": {"StringEquals": {"aws:x": "y"}},
            },
        }
    },
}


def test_yaml_export_reads_back_equal_and_uses_short_forms():
    text = dump_yaml(SAMPLE)
    assert Document.from_text(text, "out.yaml").data == SAMPLE
    assert "Role: !GetAtt Role.Arn" in text
    assert "Env: !Sub\n" in text
    assert "ZipFile: |\n          import os\n\n          def handler" in text
    assert "- 'yes'" in text and "- '2012-10-17'" in text and "- '012'" in text
    assert "Condition:\n" in text  # an IAM condition block is not the Condition function


@pytest.mark.parametrize("text", ["yes", "No", "on", "~", "null", "12", "1.5", "0x10", "2012-10-17", "1_000", "a: b",
                                  "x #y", "@at", "- a", "", " a"])
def test_strings_a_yaml_reader_would_retype_are_quoted(text):
    assert not is_plain_safe(text)


@pytest.mark.parametrize("text", ["aurora-mysql", "arn:aws:s3:::bucket/*", "${AWS::StackName}-x", "AWS::RDS::DBCluster",
                                  "10.0.0.0/16"])
def test_ordinary_strings_stay_plain(text):
    assert is_plain_safe(text)


def test_json_style_detection_and_dump():
    original = '{\r\n    "a": [\r\n        1\r\n    ]\r\n}'
    style = detect(original)
    assert (style.indent, style.newline, style.final_newline) == ("    ", "\r\n", False)
    assert dump_json(json.loads(original), style) == original


def test_json_dump_keeps_unicode_unescaped_and_key_order():
    text = dump_json({"z": "é", "a": 1})
    assert text == '{\n  "z": "é",\n  "a": 1\n}\n'


def test_json_style_detection_of_a_cr_only_file():
    original = '{\r    "a": [\r        1\r    ]\r}\r'
    style = detect(original)
    assert (style.indent, style.newline, style.final_newline) == ("    ", "\r", True)
    assert dump_json(json.loads(original), style) == original


def test_json_dump_escapes_lone_surrogates_only():
    text = dump_json({"k\udc00": ["\ud800x", "\U0001f600"]})
    assert text == '{\n  "k\\udc00": [\n    "\\ud800x",\n    "\U0001f600"\n  ]\n}\n'
    assert json.loads(text.encode("utf-8")) == {"k\udc00": ["\ud800x", "\U0001f600"]}
