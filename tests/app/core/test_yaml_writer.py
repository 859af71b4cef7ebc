"""Everything the YAML writer renders reads back as the same data through the project's
loader: a whole document, a value after ``key:``, an item after ``- ``, a value inside a
flow collection, and a key.  Values YAML cannot carry are refused with ValueError."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.edits import same_data
from app.core.loading import decode, parse_text, read_file
from app.core.yaml_source import load
from app.core.yaml_writer import Emitter, YamlStyle, dump, quote
from tests.conftest import corpus_files, corpus_id

RAIN = frozenset({"Rain::Embed"})

TRICKY_TEXTS = [
    "", " ", "\n", "\n\n", "\n\n\n", " a", "a ", "\na", "\n a", "\n\ta", " \na", "a\n", "a\n\n", "a \nb", "a\n \nb",
    "a\nb ", "a\n\n\nb\n\n", "\ta\nb", "a\r\nb", "yes", "No", "on", "OFF", "y", "~", "null", "Null", "true", "FALSE",
    "12", "-1", "+1", "012", "0x1F", "0o17", "1e5", "-1E+5", "1.5", "1.", ".5", ".inf", "-.Inf", ".nan", "1_000",
    "2012-10-17", "2001-12-14t21:59:43.10-05:00", "<<", "=", "- a", "? a", ": a", "-a", "?a", ":a", "-", "?", ":",
    "#a", "!a", "!", "&a", "*a", "%a", "@a", "`a", "|a", ">a", "'a", '"a', "a'b", 'a"b', "a\\b", "a: b", "a #b", "a#b",
    "a:", "a:b", "--- a", "---", "...", "... a", "a,b", "[a]", "{a}", "a]", "${AWS::StackName}-x",
    "arn:aws:s3:::bucket/*", "A.Arn", "A.B.C", ".A", "A.", "\x7f", "\x80", "\x85", "\x9f", "\u2028", "\u2029",
    "\ufeff", "\ufffe", "\uffff", "\x00", "\x1b", "\xa0", "é", "\U0001f600",
]
SPECIAL_CHARS = (
    "ab \t\r\n\x00\x01\x1b\x7f\x80\x85\x9f\xa0\u2028\u2029\ufeff\ufffe\uffff\U0001f600é.:#-?!&*,[]{}|>'\"%@`\\"
)

_characters = st.one_of(st.sampled_from(SPECIAL_CHARS), st.characters(exclude_categories=("Cs",)))
texts = st.one_of(
    st.sampled_from(TRICKY_TEXTS),
    st.text(_characters, max_size=10),
    st.lists(st.sampled_from(TRICKY_TEXTS), min_size=1, max_size=3).map("".join),
    st.lists(st.sampled_from(TRICKY_TEXTS), min_size=2, max_size=4).map("\n".join),
)
scalars = st.one_of(
    texts,
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
names = st.one_of(st.sampled_from(["Bucket", "A", "My.Res", "AWS::Region"]), texts)


def _calls(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """CloudFormation (and Rain) calls in long form, the shapes a short-form tag may carry."""
    mappings = st.dictionaries(texts, children, max_size=2)
    return st.one_of(
        st.builds(lambda name: {"Ref": name}, names),
        st.builds(lambda name, attribute: {"Fn::GetAtt": [name, attribute]}, names, names),
        st.builds(lambda dotted: {"Fn::GetAtt": dotted}, st.one_of(st.just("B.Arn"), names)),
        st.builds(lambda text: {"Fn::Sub": text}, texts),
        st.builds(lambda text, variables: {"Fn::Sub": [text, variables]}, texts, mappings),
        st.builds(lambda text: {"Fn::Base64": {"Fn::Sub": text}}, texts),
        st.builds(lambda argument: {"Fn::Base64": argument}, children),
        st.builds(lambda name, yes, no: {"Fn::If": [name, yes, no]}, names, children, children),
        st.builds(lambda items: {"Fn::Join": ["", items]}, st.lists(children, max_size=3)),
        st.builds(lambda name: {"Condition": name}, names),
        st.builds(lambda test: {"Condition": {"StringEquals": test}}, mappings),
        st.builds(lambda argument: {"Rain::Embed": argument}, children),
        st.builds(lambda argument: {"Custom": argument}, children),
    )


values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(texts, children, max_size=3), _calls(children)
    ),
    max_leaves=8,
)
styles = st.builds(
    YamlStyle,
    indent=st.sampled_from([2, 4]),
    indent_sequences=st.booleans(),
    custom_tags=st.sampled_from([RAIN, RAIN | {"Custom"}]),
)
_BUDGET = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(text: str) -> Any:
    return load(text, "written.yaml")[0]


def _assert_reads_back(text: str, expected: Any) -> None:
    assert same_data(_read(text), expected), text


def _in_document(value: Any) -> dict[str, Any]:
    return {"Resources": {"R": {"Properties": {"P": value}}}}


def _after_key_frame(emitter: Emitter, value: Any) -> str:
    # A key after the value shows that the value ends where it should.
    return "Resources:\n  R:\n    P:" + emitter.after_key(value, 4) + "\n    Q: 1\n"


def _after_dash_frame(emitter: Emitter, value: Any, dash_column: int) -> str:
    dash = " " * dash_column + "- "
    return "Resources:\n  R:\n    P:\n" + dash + emitter.after_dash(value, dash_column) + "\n" + dash + "1\n    Q: 1\n"


def _flow_frame(emitter: Emitter, value: Any) -> str:
    rendered = emitter.flow(value)
    return "Resources:\n  R: {P: [" + rendered + ", 1], Q: " + rendered + "}\n"


def _assert_every_rendering_reads_back(value: Any, style: YamlStyle) -> None:
    emitter = Emitter(style)
    _assert_reads_back(dump(_in_document(value), style), _in_document(value))
    _assert_reads_back(_after_key_frame(emitter, value), {"Resources": {"R": {"P": value, "Q": 1}}})
    in_list = {"Resources": {"R": {"P": [value, 1], "Q": 1}}}
    for dash_column in (4, 6):
        _assert_reads_back(_after_dash_frame(emitter, value, dash_column), in_list)
    _assert_reads_back(_flow_frame(emitter, value), {"Resources": {"R": {"P": [value, 1], "Q": value}}})


def _assert_key_reads_back(name: str, style: YamlStyle) -> None:
    _assert_reads_back(dump({name: 1, "Resources": {name: {}}}, style), {name: 1, "Resources": {name: {}}})
    emitter = Emitter(style)
    _assert_reads_back(emitter.key(name) + ": 1\n", {name: 1})
    _assert_reads_back("Resources:\n  " + emitter.key(name) + ":\n  - 1\n", {"Resources": {name: [1]}})


# -- properties ------------------------------------------------------------------------
@_BUDGET
@given(value=values, style=styles)
def test_every_value_reads_back_equal_from_every_rendering(value: Any, style: YamlStyle) -> None:
    _assert_every_rendering_reads_back(value, style)


@_BUDGET
@given(name=texts, style=styles)
def test_every_key_reads_back_equal(name: str, style: YamlStyle) -> None:
    _assert_key_reads_back(name, style)


_SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)


@settings(max_examples=60, deadline=None)
@given(
    text=st.tuples(st.text("ab \n", max_size=3), _SURROGATES, st.text("ab \n", max_size=3)).map("".join),
    wrap=st.sampled_from([
        lambda text: text, lambda text: [text], lambda text: {"Fn::Sub": text}, lambda text: {"k": [text]},
        lambda text: {text: 1}, lambda text: {"Fn::GetAtt": [text, "Arn"]}, lambda text: {"Rain::Embed": text},
    ]),
)
def test_a_lone_surrogate_is_refused_by_every_rendering(text: str, wrap: Any) -> None:
    _assert_refused(wrap(text), repr(text))
    with pytest.raises(ValueError, match="surrogate"):
        Emitter(YamlStyle()).key(text)


def _assert_refused(value: Any, named: str) -> None:
    emitter = Emitter(YamlStyle())
    renderings = [
        lambda: dump(_in_document(value)), lambda: emitter.after_key(value, 4),
        lambda: emitter.after_dash(value, 4), lambda: emitter.flow(value),
    ]
    for render in renderings:
        with pytest.raises(ValueError) as refused:
            render()
        assert named in str(refused.value)


@pytest.mark.parametrize("number", [math.inf, -math.inf, math.nan])
def test_a_non_finite_number_is_refused(number: float) -> None:
    _assert_refused({"Threshold": [number]}, str(number))


# -- the defects the properties found, one by one ---------------------------------------
@pytest.mark.parametrize("value", ["0:?", "a:?b", "\x7f", {"\x7f": "\x7f"}])
def test_values_the_properties_found_read_back(value: Any) -> None:
    _assert_every_rendering_reads_back(value, YamlStyle())


@pytest.mark.parametrize(
    ("text", "escaped"),
    [("a\x7fb", "a\\x7Fb"), ("\x80", "\\x80"), ("\x9f", "\\x9F"), ("\ufffe", "\\uFFFE"), ("\uffff", "\\uFFFF"),
     ("\x00", "\\0"), ("\x1b", "\\x1B"), ("\x85", "\\N"), ("a\u2028b", "a\\Lb"), ("\ufeffa", "\\uFEFFa"),
     ("x\ty", "x\\ty"), ("a\r\nb", "a\\r\\nb")],
)
def test_characters_yaml_cannot_carry_raw_are_escaped_in_double_quotes(text: str, escaped: str) -> None:
    assert quote(text) == f'"{escaped}"'
    _assert_every_rendering_reads_back(text, YamlStyle())
    _assert_every_rendering_reads_back(text + "\nsecond line\n", YamlStyle())


@pytest.mark.parametrize(
    ("text", "header"),
    [("\nafter a blank line", "|-"), ("\n  indented after a blank line\nx", "|{}-"), ("  indented\nx\n", "|{}"),
     ("\tTabbed\nx", "|{}-"), (" \nx", "|{}-"), ("a  \nb \n", "|"), ("a\n   \nb", "|-"), ("a\nb\n\n\n", "|+"),
     ("\n\na\n\n\nb\n\n", "|+"), ("last line has spaces\n  ", "|-")],
)
def test_multi_line_text_stays_a_faithful_literal_block(text: str, header: str) -> None:
    """``|{}`` stands for an indentation indicator: the block's indentation past its parent."""
    for style in (YamlStyle(), YamlStyle(indent=4, indent_sequences=False)):
        assert Emitter(style).after_key(text, 4).startswith(" " + header.format(style.indent) + "\n")
        assert Emitter(style).after_dash(text, 6).startswith(header.format(2) + "\n")
        _assert_every_rendering_reads_back(text, style)
        _assert_every_rendering_reads_back({"Fn::Sub": text}, style)


def test_text_of_only_line_breaks_is_double_quoted() -> None:
    assert Emitter(YamlStyle()).after_key("\n\n", 0) == ' "\\n\\n"'


def test_getatt_in_string_form_stays_a_string() -> None:
    value = {"Fn::GetAtt": "B.Arn"}
    assert "Fn::GetAtt: B.Arn" in dump(_in_document(value))
    _assert_every_rendering_reads_back(value, YamlStyle())
    _assert_every_rendering_reads_back({"Fn::GetAtt": "NoDot"}, YamlStyle())


def test_getatt_in_list_form_takes_the_dotted_short_form() -> None:
    emitter = Emitter(YamlStyle())
    assert emitter.after_key({"Fn::GetAtt": ["A", "B.C"]}, 0) == " !GetAtt A.B.C"
    assert emitter.flow({"Fn::GetAtt": ["A", "Arn"]}) == "!GetAtt A.Arn"
    for value in ({"Fn::GetAtt": ["A.B", "C"]}, {"Fn::GetAtt": ["A", "x, y"]}, {"Fn::GetAtt": ["A", ""]}):
        _assert_every_rendering_reads_back(value, YamlStyle())


def test_a_call_inside_a_call_keeps_the_outer_in_long_form() -> None:
    value = {"Fn::Base64": {"Fn::Sub": "echo ${AWS::Region}\n"}}
    emitter = Emitter(YamlStyle())
    assert emitter.flow(value) == '{Fn::Base64: !Sub "echo ${AWS::Region}\\n"}'
    assert emitter.after_key(value, 0) == '\n  Fn::Base64: !Sub "echo ${AWS::Region}\\n"'
    _assert_every_rendering_reads_back(value, YamlStyle())
    _assert_every_rendering_reads_back({"Fn::Base64": {"Fn::Sub": "a\nb\n"}}, YamlStyle())


def test_an_iam_condition_is_a_mapping_and_the_condition_function_a_tag() -> None:
    emitter = Emitter(YamlStyle())
    assert emitter.after_key({"Condition": "IsProd"}, 0) == " !Condition IsProd"
    iam = {"Condition": {"StringEquals": {"aws:x": "y"}}}
    assert emitter.after_key(iam, 0) == "\n  Condition:\n    StringEquals:\n      aws:x: y"
    _assert_every_rendering_reads_back(iam, YamlStyle())


def test_custom_tags_are_written_short_only_when_the_style_knows_them() -> None:
    value = {"Rain::Embed": "f.txt", "Other": {"Custom": "x"}}
    assert "!Rain::Embed f.txt" in Emitter(YamlStyle()).flow({"Rain::Embed": "f.txt"})
    assert "Custom: x" in dump(value)
    assert "!Custom x" in dump(value, YamlStyle(custom_tags=frozenset({"Custom"})))
    _assert_every_rendering_reads_back(value, YamlStyle(custom_tags=frozenset({"Custom"})))


def test_a_custom_key_that_cannot_be_a_tag_stays_in_long_form() -> None:
    style = YamlStyle(custom_tags=frozenset({"has space", "a,b", "!x", "a%21"}))
    for name in style.custom_tags:
        assert "!" + name not in Emitter(style).flow({name: "v"})
        _assert_every_rendering_reads_back({name: "v"}, style)


@pytest.mark.parametrize("name", ["?x", ":x", "-x", "? x", ": x", "- x", "<<", "a: b", "a #b", "--- x", "... x", "%x",
                                  "", " ", "\n", "a\nb", "\x7f", "yes", "1", "@x", "`x", "!x", "&x", "*x", "{x}"])
def test_keys_that_look_like_yaml_syntax_read_back(name: str) -> None:
    _assert_key_reads_back(name, YamlStyle())
    _assert_every_rendering_reads_back({name: [name]}, YamlStyle())


def test_plain_keys_stay_plain_where_the_flow_context_allows() -> None:
    emitter = Emitter(YamlStyle())
    assert emitter.key("-x") == "-x" and emitter.key("?x") == "?x"
    assert emitter.flow({"-x": 1, "?x": 2, ":x": 3}) == "{-x: 1, '?x': 2, ':x': 3}"


def test_a_key_too_long_for_a_simple_key_is_written_explicitly() -> None:
    name = "k" * 1030
    value = {name: {"a": 1}, "b": [{name: "\nx\n"}]}
    for style in (YamlStyle(), YamlStyle(indent=4, indent_sequences=False)):
        assert f"? {name}\n" in dump(value, style)
        _assert_every_rendering_reads_back(value, style)
    _assert_key_reads_back("k" * 1024, YamlStyle())
    _assert_key_reads_back("é" * 1022, YamlStyle())
    with pytest.raises(ValueError, match="too long"):
        Emitter(YamlStyle()).key(name)


@pytest.mark.parametrize("text", ["1e5", "-1E+5", "0o17", ".5", "1.", "+1", ".NaN", "--- x", "... x", "---", "..."])
def test_text_a_yaml_1_2_reader_or_a_document_marker_would_take_otherwise_is_quoted(text: str) -> None:
    assert quote(text) == f"'{text}'"


@pytest.mark.parametrize("text", ["-x", "?x", ":x", "a:b", "..x", "x.y", "${Env}-bucket", "1.2.3", "e5"])
def test_plain_text_stays_plain(text: str) -> None:
    assert quote(text) == text


@pytest.mark.parametrize("number", [1e20, 1e-05, 5e-324, -0.0, 1.5e300, 2**70, -(10**30)])
def test_numbers_read_back_with_their_type(number: float) -> None:
    _assert_every_rendering_reads_back(number, YamlStyle())


def test_a_value_of_a_type_json_has_not_is_refused() -> None:
    with pytest.raises(ValueError, match="b'x'"):
        dump({"a": b"x"})


# -- the corpus ------------------------------------------------------------------------
@pytest.mark.parametrize("path", corpus_files(), ids=corpus_id)
def test_a_corpus_template_dumps_in_the_other_style_and_reads_back_equal(path: Any) -> None:
    """test_corpus.py converts every template through the default style; a file re-written
    whole keeps its own style and its custom tags, so this takes the other one."""
    parsed = parse_text(decode(read_file(str(path)), str(path))[0], str(path))
    style = YamlStyle(indent=4, indent_sequences=False, custom_tags=parsed.custom_tags)
    again, _, custom_tags = load(dump(parsed.data, style), str(path))
    assert same_data(again, parsed.data)
    assert parsed.custom_tags <= custom_tags
