"""Every kind of bad input becomes one TemplateError with file, line and column."""

import json

import pytest

from app.analysis import ENGINE_ERROR
from app.cli import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, main
from app.core.document import Document
from app.core.errors import TemplateError
from tests.conftest import CORPUS, corpus_files, corpus_id

BAD_CORPUS = CORPUS / "cfn-lint-bad"
#: The malformed cfn-lint fixtures that are no template CFN Doctor can read: line, column
#: and words of the error each must be refused with.  Every other one loads and is checked
#: (each breaks a cfn-lint rule, not the reading of a template).
REFUSED = {
    # not JSON or YAML (shared/corpus/README.md)
    "core/config_invalid_json.json": (8, 6, "Expecting ',' delimiter"),
    "core/config_invalid_yaml.yaml": (8, 7, "did not find expected key"),
    "core/parse_invalid_map.yaml": (18, 41, "a mapping key cannot carry the tag !ImportValue"),
    "json_parse.json": (5, 11, "Expecting ':' delimiter"),
    "template.yaml": (12, 9, "did not find expected key"),
    # no Resources (shared/corpus/README.md)
    "empty_file.yaml": (1, 1, "the file is empty"),
    "not_cloudformation.yaml": (1, 1, "no Resources section"),
    "string.yaml": (1, 1, "a template must be a mapping at the top level, not a string"),
    # a key given twice: which of the values counts is undefined
    "duplicate.json": (17, 3, "duplicate key 'MySNSTopic'"),
    "duplicate.yaml": (9, 3, "duplicate key 'mySnsTopic'"),
}


def error_for(path) -> TemplateError:
    with pytest.raises(TemplateError) as caught:
        Document.open(str(path))
    assert caught.value.path == str(path)
    return caught.value


@pytest.mark.parametrize(
    ("name", "content", "line", "column", "words"),
    [
        ("bad.json", '{\n  "Resources": {\n    "A": 1,\n  }\n}', 4, 3, "property name"),
        ("bad.yaml", "Resources:\n  A: [1, 2\n", 3, 1, "flow sequence"),
        ("empty.yaml", "", 1, 1, "empty"),
        ("blank.json", "  \n\n", 1, 1, "empty"),
        ("list.yaml", "- a\n- b\n", 1, 1, "mapping at the top level"),
        ("scalar.json", '"text"', 1, 1, "mapping at the top level"),
        ("nores.yaml", "Parameters: {}\n", 1, 1, "no Resources"),
        ("resources-list.yaml", "AWSTemplateFormatVersion: x\nResources:\n  - a\n", 2, 1,
         "Resources must be a mapping"),
        ("dup.yaml", "Resources:\n  A: {Type: T}\n  A: {Type: U}\n", 3, 3, "duplicate key 'A'"),
        ("dup.json", '{"Resources": {"A": {}, "A": {}}}', 1, 25, "duplicate key 'A'"),
        ("python.yaml", "Resources: !!python/object/apply:os.system ['echo hi']\n", 1, 12, "refused tag !!python"),
        ("keytag.yaml", "Resources:\n  !Ref A: 1\n", 2, 3, "cannot carry the tag"),
        ("deep.json", '{"Resources": ' + "[" * 300 + "]" * 300 + "}", 1, 214, "nesting deeper"),
        ("deep.yaml", "Resources: " + "[" * 300 + "]" * 300 + "\n", 1, 212, "nesting deeper"),
        ("nan.json", '{"Resources": {}, "A": NaN}', 1, 24, "NaN"),
    ],
)
def test_bad_text(write, name, content, line, column, words):
    error = error_for(write(name, content))
    assert (error.line, error.column) == (line, column)
    assert words in error.message
    assert str(error).startswith(f"{error.path}:{line}:{column}: ")


def test_invalid_utf8_names_its_place(write):
    error = error_for(write("latin1.yaml", "Resources:\n  A: caf\xe9\n".encode("latin-1")))
    assert (error.line, error.column) == (2, 9)
    assert "invalid UTF-8" in error.message


def test_binary_junk(write):
    error = error_for(write("junk.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert "binary" in error.message


def test_utf16_is_refused_with_reason(write):
    assert "UTF-16" in error_for(write("u16.yaml", "Resources: {}\n".encode("utf-16"))).message


def test_alias_bomb_is_refused(write):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        previous, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    lines.append("Resources: {}")
    assert "alias" in error_for(write("bomb.yaml", "\n".join(lines) + "\n")).message


def test_file_over_10_mb_is_refused_without_reading(write):
    path = write("huge.yaml", b"Resources: {}\n" + b"#" * (10 * 1024 * 1024))
    assert "10 MB" in error_for(path).message


def test_missing_file_and_folder(tmp_path):
    assert "cannot read" in error_for(tmp_path / "nope.yaml").message
    assert "folder" in error_for(tmp_path).message


def test_python_tag_is_never_constructed(write, tmp_path):
    marker = tmp_path / "pwned"
    path = write("evil.yaml", f"Resources: !!python/object/apply:os.system ['touch {marker}']\n")
    error_for(path)
    assert not marker.exists()


def check_without_cfn_lint(capsys, path):
    """The exit code of `check --no-cfn-lint` on ``path`` and the rules of its findings."""
    code = main(["check", "--no-cfn-lint", "--min-severity", "info", "--format", "json", str(path)])
    (entry,) = json.loads(capsys.readouterr().out)["files"]
    return code, [finding["rule"] for finding in entry["findings"]]


def test_every_refused_fixture_is_in_the_corpus():
    assert {str(path.relative_to(BAD_CORPUS)) for path in corpus_files(bad=True)} >= set(REFUSED)


@pytest.mark.parametrize("path", corpus_files(bad=True), ids=corpus_id)
def test_malformed_corpus_is_refused_where_expected_and_checked_otherwise(path, capsys):
    refused = REFUSED.get(str(path.relative_to(BAD_CORPUS)))
    if refused is not None:
        line, column, words = refused
        error = error_for(path)
        assert (error.line, error.column) == (line, column) and words in error.message
        assert check_without_cfn_lint(capsys, path) == (EXIT_BAD_INPUT, [])
        return
    Document.open(str(path))
    code, rules = check_without_cfn_lint(capsys, path)
    assert ENGINE_ERROR not in rules
    assert code == (EXIT_FINDINGS if rules else EXIT_OK)
