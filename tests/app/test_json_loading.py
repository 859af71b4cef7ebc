from app.document import Document

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
