"""Values judged by every literal a deploy can give them."""

from rules.values import ABSENT, UNKNOWN, Outcome, Values, circumstances

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


SETTINGS = {
    "SSESpecification": {"Fn::If": ["HasKey", {"SSEEnabled": True}, {"Ref": "AWS::NoValue"}]},
    "Encrypted": {"Fn::If": ["HasKey", True, {"Fn::If": ["IsProd", False, {"Ref": "Policy"}]}]},
}


def test_a_setting_is_looked_up_through_each_branch_and_says_where_it_is_written():
    outcomes = VALUES.all_outcomes(SETTINGS, "SSESpecification", "SSEEnabled")
    assert [(o.value, o.when, o.default) for o in outcomes] == [
        (True, "when HasKey is true", False), (ABSENT, "when HasKey is false", True)]
    assert [o.path for o in outcomes] == [
        ("SSESpecification", "Fn::If", 1, "SSEEnabled"), ("SSESpecification", "Fn::If", 2, "SSEEnabled")]


def test_a_missing_key_is_absent_where_it_would_go_and_a_function_on_the_way_is_unknown():
    (missing,) = VALUES.outcomes({"Other": 1}, "SSESpecification", "SSEEnabled")
    assert missing.value is ABSENT and missing.path == ("SSESpecification", "SSEEnabled") and not missing.conditional
    (unknown,) = VALUES.outcomes({"SSESpecification": {"Ref": "Cidr"}}, "SSESpecification", "SSEEnabled")
    assert unknown.value is UNKNOWN


def test_nested_branches_name_every_condition_on_the_way():
    outcomes = VALUES.all_outcomes(SETTINGS, "Encrypted")
    assert [(o.value, o.when) for o in outcomes] == [
        (True, "when HasKey is true"),
        (False, "when HasKey is false and IsProd is true"),
        ("Delete", "when HasKey is false and IsProd is false, by default (Policy defaults to 'Delete')"),
        ("Retain", "when HasKey is false and IsProd is false and Policy is 'Retain'"),
    ]
    assert [o.path for o in outcomes][-1] == ("Encrypted", "Fn::If", 2, "Fn::If", 2)


def test_branches_leave_other_functions_as_written():
    value = {"Fn::If": ["HasKey", {"Fn::Join": ["", ["a", "b"]]}, {"Ref": "AWS::NoValue"}]}
    assert [o.value for o in VALUES.branches(value)] == [{"Fn::Join": ["", ["a", "b"]]}, ABSENT]


def test_a_value_named_twice_keeps_the_circumstance_a_default_deploy_has():
    conditions = {"HasKey": TEMPLATE["Conditions"]["HasKey"], "IsDev": {"Fn::Equals": [{"Ref": "KeyArn"}, "dev"]}}
    value = {"Fn::If": ["HasKey", False, {"Fn::If": ["IsDev", True, False]}]}
    outcomes = {o.value: o for o in Values({**TEMPLATE, "Conditions": conditions}).outcomes(value)}
    assert outcomes[False].default and outcomes[False].when == "when HasKey is false and IsDev is false"


def test_an_undefined_condition_is_unknown():
    assert [o.value for o in VALUES.outcomes({"Fn::If": ["Nowhere", True, False]})] == [UNKNOWN]


def test_circumstances_name_each_unsafe_outcome_or_nothing_when_one_is_unconditional():
    unsafe = [Outcome(False, "when HasKey is false"), Outcome("Delete", "when Policy is 'Delete'", default=False)]
    assert circumstances(unsafe) == "false when HasKey is false (the default); 'Delete' when Policy is 'Delete'"
    assert circumstances([*unsafe, Outcome(False)]) == ""
