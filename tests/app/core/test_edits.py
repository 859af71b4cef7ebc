import pytest

from app.core.edits import Add, Remove, Set, apply_edits, copy_data, same_data
from app.core.errors import EditError


def template():
    database = {"Type": "AWS::RDS::DBCluster", "Properties": {"Tags": [{"Key": "a"}]}}
    return {"Resources": {"Db": database, "Fn": {"Type": "T"}}}


def test_set_replaces_and_its_inverse_restores():
    data = template()
    inverse = apply_edits(data, [Set("/Resources/Db/Type", "X")])
    assert data["Resources"]["Db"]["Type"] == "X"
    apply_edits(data, inverse)
    assert same_data(data, template())


def test_add_key_goes_last_and_remove_inverse_puts_it_back_in_place():
    data = template()
    inverse = apply_edits(data, [Remove("/Resources/Db")])
    assert list(data["Resources"]) == ["Fn"]
    assert inverse == (Add("/Resources/Db", template()["Resources"]["Db"], before="Fn"),)
    apply_edits(data, inverse)
    assert same_data(data, template())


def test_list_insert_and_append_with_dash():
    data = template()
    inverse = apply_edits(data, [Add("/Resources/Db/Properties/Tags/0", {"Key": "first"}),
                                 Add("/Resources/Db/Properties/Tags/-", {"Key": "last"})])
    assert [tag["Key"] for tag in data["Resources"]["Db"]["Properties"]["Tags"]] == ["first", "a", "last"]
    apply_edits(data, inverse)
    assert same_data(data, template())


def test_batch_is_all_or_nothing():
    data = template()
    with pytest.raises(EditError):
        apply_edits(data, [Set("/Resources/Db/Type", "X"), Remove("/Resources/Nope")])
    assert same_data(data, template())


@pytest.mark.parametrize(
    "edit",
    [
        Set("/Resources/Nope", 1),
        Add("/Resources/Db", {}),
        Remove("/Resources/Db/Properties/Tags/5"),
        Add("/Resources/Db/Type/x", 1),
        Set("", {}),
    ],
)
def test_edits_that_do_not_fit_raise(edit):
    with pytest.raises(EditError):
        apply_edits(template(), [edit])


def test_applied_value_is_copied_not_shared():
    data = template()
    value = {"Key": "v"}
    apply_edits(data, [Add("/Resources/Db/Properties/Tags/-", value)])
    value["Key"] = "changed"
    assert data["Resources"]["Db"]["Properties"]["Tags"][-1] == {"Key": "v"}


def test_same_data_compares_types_and_key_order():
    assert not same_data({"a": True}, {"a": 1})
    assert not same_data({"a": 1, "b": 2}, {"b": 2, "a": 1})
    assert same_data(copy_data(template()), template())
