import pytest

from app.core import pointer as jp


def test_join_and_split_escape_slash_and_tilde():
    pointer = jp.join(["Resources", "a/b", "c~d", 0])
    assert pointer == "/Resources/a~1b/c~0d/0"
    assert jp.split(pointer) == ("Resources", "a/b", "c~d", "0")


def test_root_pointer_is_empty():
    assert jp.split("") == ()
    assert jp.join([]) == ""


def test_pointer_must_start_with_slash():
    with pytest.raises(ValueError):
        jp.split("Resources")


@pytest.mark.parametrize("token", ["01", "-1", "x", "3"])
def test_list_index_rejects_bad_tokens(token):
    with pytest.raises(ValueError):
        jp.list_index(token, 3, allow_end=False)


def test_list_index_dash_means_end_only_when_allowed():
    assert jp.list_index("-", 3, allow_end=True) == 3
    with pytest.raises(ValueError):
        jp.list_index("-", 3, allow_end=False)


def test_is_within():
    assert jp.is_within("/a/b", "/a")
    assert jp.is_within("/a", "/a")
    assert not jp.is_within("/ab", "/a")
