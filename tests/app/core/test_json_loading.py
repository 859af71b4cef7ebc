import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import json_source
from app.core import pointer as jp
from app.core.document import Document
from app.core.errors import TemplateError
from app.core.json_source import MAX_DEPTH

TEMPLATE = """{
  "Resources": {
    "AuroraDBCluster": {
      "Type": "AWS::RDS::DBCluster",
      "DeletionPolicy": "Delete",
      "Properties": {"Tags": [{"Key": "a\\u00e9", "Value": "x"}]}
    }
  }
}
"""


def test_json_data_and_positions():
    document = Document.from_text(TEMPLATE, "t.json")
    assert document.format == "json"
    assert document.data["Resources"]["AuroraDBCluster"]["Properties"]["Tags"][0]["Key"] == "aé"
    location = document.positions.locate("/Resources/AuroraDBCluster/DeletionPolicy")
    assert (location.line, location.column) == (5, 7)
    item = document.positions.locate("/Resources/AuroraDBCluster/Properties/Tags/0/Value")
    assert (item.line, item.column) == (6, 50)


def test_json_keys_with_escapes_locate():
    document = Document.from_text('{"Resources": {"a\\"b": {"Type": "T"}}}', "t.json")
    assert document.positions.locate('/Resources/a"b/Type').column == 25


def test_template_extension_is_sniffed_by_content():
    assert Document.from_text(TEMPLATE, "stack.template").format == "json"
    assert Document.from_text("Resources: {}\n", "stack.template").format == "yaml"


# -- positions: value spans ------------------------------------------------------------

def _nodes(value, pointer=""):
    yield pointer, value
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for token, child in children:
        yield from _nodes(child, jp.child(pointer, token))


@pytest.mark.parametrize("text", [TEMPLATE, TEMPLATE.replace("\n", "\r"), json.dumps(json.loads(TEMPLATE))])
def test_every_value_span_holds_that_value_and_every_key_offset_its_key(text):
    data, positions = json_source.load(text, "t.json")
    for pointer, value in _nodes(data):
        span = positions.tree()
        for token in jp.split(pointer):
            if span.members is not None:
                key_start, span = span.members[token]
                assert json.JSONDecoder().raw_decode(text, key_start)[0] == token
            else:
                span = span.items[int(token)]
        assert json.loads(text[span.start : span.end]) == value


# -- numbers and nesting the loader refuses, with their place --------------------------

@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ('{\n  "Resources": {},\n  "Big": 1e999\n}', 3, 10, "1e999 is too large"),
        ('{"Resources": {}, "Small": [1, -1e400]}', 1, 32, "-1e400 is too large"),
        ('{"Resources": {}, "S": "1e999", "M": 1e999}', 1, 38, "too large"),
        ('{"Resources": {}, "Long": 1' + "0" * 400 + ".5}", 1, 27, "is too large"),
        ('{"Resources": {},\n "N": NaN}', 2, 7, "NaN is not valid JSON"),
        ('{"Resources": {}, "N": [-Infinity]}', 1, 25, "-Infinity is not valid JSON"),
        ('{"Resources": {},\n "Digits": -' + "9" * 5000 + "}", 2, 12, "5000 digits"),
    ],
)
def test_numbers_without_a_faithful_value_are_refused_where_they_stand(text, line, column, message):
    with pytest.raises(TemplateError) as raised:
        json_source.load(text, "t.json")
    assert (raised.value.line, raised.value.column) == (line, column)
    assert message in raised.value.message


def _nested(depth: int, before: str = "") -> str:
    """A template whose ``Deep`` member nests ``depth`` levels in all (the root counts)."""
    return '{"Resources": {}, ' + before + '"Deep": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"


@pytest.mark.parametrize(
    "text",
    [
        _nested(MAX_DEPTH + 1),
        _nested(MAX_DEPTH + 50, before='"Hides": "' + "]}" * 400 + '", '),  # closing brackets in a string
        _nested(5000),  # deeper than the parser's recursion
        '{"Resources": {}, "Deep": ' + "[" * 5000,  # and never closed
    ],
)
def test_deep_nesting_is_refused_at_the_first_bracket_too_deep(text):
    with pytest.raises(TemplateError) as raised:
        json_source.load(text, "t.json")
    first_too_deep = text.index('"Deep": ') + len('"Deep": ') + MAX_DEPTH - 1
    assert (raised.value.line, raised.value.column) == (1, first_too_deep + 1)
    assert "nesting deeper than" in raised.value.message


def test_nesting_up_to_the_limit_and_brackets_in_strings_load():
    data, _ = json_source.load(_nested(MAX_DEPTH, before='"Looks": "' + "[{" * 400 + '", '), "t.json")
    assert data["Looks"] == "[{" * 400


_JSONISH = st.lists(st.sampled_from(['{', '}', '[', ']', ',', ':', '"a"', '"\\u', '1e999', '-0', '9' * 4400, 'NaN',
                                     'true', ' ', '\n', '"x\\"]"', '1', '1.5e-400', '"Resources"']), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_JSONISH)
def test_any_text_loads_or_raises_a_located_template_error(tokens):
    text = '{"Resources": {}, "X": ' + "".join(tokens) + "}"
    try:
        json_source.load(text, "t.json")
    except TemplateError as error:
        assert error.line >= 1 and error.column >= 1
