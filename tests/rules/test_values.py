"""Values judged by every literal a deploy can give them."""

from rules.values import ABSENT, UNKNOWN, Outcome, Values

TEMPLATE = {
    "Parameters": {
        "Policy": {"Type": "String", "Default": "Delete", "AllowedValues": ["Delete", "Retain"]},
        "Cidr": {"Type": "String", "Default": "0.0.0.0/0"},
        "Required": {"Type": "String"},
        "KeyArn": {"Type": "String", "Default": ""},
    },
    "Conditions": {
        "HasKey": {"Fn::Not": [{"Fn::Equals": [{"Ref": "KeyArn"}, ""]}]},
        "IsProd": {"Fn::Equals": [{"Ref": "Required"}, "prod"]},
        "Both": {"Fn::And": [{"Condition": "HasKey"}, {"Condition": "IsProd"}]},
    },
    "Mappings": {"Env": {"dev": {"Retention": 1}, "prod": {"Retention": 35}}},
    "Resources": {},
}
VALUES = Values(TEMPLATE)


def test_a_literal_is_itself_always():
    assert VALUES.outcomes(True) == [Outcome(True)]


def test_a_parameter_gives_its_default_and_its_allowed_values():
    assert VALUES.outcomes({"Ref": "Policy"}) == [
        Outcome("Delete", "by default (Policy defaults to 'Delete')"),
        Outcome("Retain", "when Policy is 'Retain'", default=False),
    ]


def test_a_free_parameter_can_be_anything_else_too():
    assert [o.value for o in VALUES.outcomes({"Ref": "Cidr"})] == ["0.0.0.0/0", UNKNOWN]
    assert VALUES.default({"Ref": "Required"}) is UNKNOWN


def test_both_branches_of_an_if_and_which_one_a_default_deploy_takes():
    outcomes = VALUES.outcomes({"Fn::If": ["HasKey", True, False]})
    assert outcomes == [Outcome(True, "when HasKey is true", default=False), Outcome(False, "when HasKey is false")]
    assert VALUES.default({"Fn::If": ["HasKey", True, False]}) is False


def test_no_value_is_absent_and_an_undecidable_condition_defaults_to_nothing():
    outcomes = VALUES.outcomes({"Fn::If": ["IsProd", {"Ref": "AWS::NoValue"}, "x"]})
    assert [o.value for o in outcomes] == [ABSENT, "x"] and not any(o.default for o in outcomes)
    assert VALUES.condition_default("Both") is False  # HasKey is false by default, whatever IsProd is


def test_a_mapping_lookup_by_parameter_gives_every_entry():
    outcomes = VALUES.outcomes({"Fn::FindInMap": ["Env", {"Ref": "Required"}, "Retention"]})
    assert [(o.value, o.when) for o in outcomes] == [(1, "for Env dev/Retention"), (35, "for Env prod/Retention")]
    assert VALUES.outcomes({"Fn::FindInMap": ["Env", "prod", "Retention"]}) == [Outcome(35)]


def test_other_functions_are_unknown_and_described():
    (outcome,) = VALUES.outcomes({"Fn::GetAtt": ["Key", "Arn"]})
    assert outcome.value is UNKNOWN and outcome.described() == "unknown"
    assert VALUES.outcomes({"Ref": "Policy"})[0].described() == "'Delete' by default (Policy defaults to 'Delete')"
