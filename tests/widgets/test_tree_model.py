from PySide6.QtCore import QModelIndex, Qt

from app.core.document import Document
from app.core.edits import Add, Remove, Set
from app.core.findings import Finding, Severity
from widgets.tree_model import POINTER_ROLE, TemplateFilter, TemplateTreeModel

TEMPLATE = """Parameters:
  Env: {Type: String}
Resources:
  Db:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-mysql
      Tags: [{Key: a, Value: b}]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Role.Arn
Outputs:
  Arn: {Value: !GetAtt Db.Arn}
"""


def build():
    document = Document.from_text(TEMPLATE, "t.yaml")
    model = TemplateTreeModel()
    model.set_template(document.data)
    return document, model


def rows(model, parent=None):
    parent = QModelIndex() if parent is None else parent
    return [model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]


def find(model, *names):
    index = QModelIndex()
    for name in names:
        children = (model.index(r, 0, index) for r in range(model.rowCount(index)))
        index = next(child for child in children if child.data() == name)
    return index


def test_sections_resources_and_properties(qtmodeltester):
    _, model = build()
    qtmodeltester.check(model)
    assert rows(model) == ["Parameters", "Resources", "Outputs"]
    resources = find(model, "Resources")
    assert rows(model, resources) == ["Db", "Fn"]
    db = find(model, "Resources", "Db")
    assert db.siblingAtColumn(1).data() == "AWS::RDS::DBCluster"
    assert rows(model, db) == ["Engine", "Tags"]
    role = find(model, "Resources", "Fn", "Role")
    assert role.siblingAtColumn(1).data() == "GetAtt → Role.Arn"
    assert role.data(POINTER_ROLE) == "/Resources/Fn/Properties/Role"
    assert not model.hasChildren(role)


def test_edits_update_rows_in_place(qtmodeltester, qtbot):
    document, model = build()
    qtmodeltester.check(model)
    db = find(model, "Resources", "Db")
    rows(model, db)  # load Db's children
    edits = [Add("/Resources/Table", {"Type": "AWS::DynamoDB::Table"}),
             Add("/Resources/Db/Properties/DeletionProtection", True)]
    with qtbot.waitSignals([model.rowsInserted, model.rowsInserted]):
        document.apply(edits)
        model.apply_edits(edits)
    assert rows(model, find(model, "Resources")) == ["Db", "Fn", "Table"]
    assert rows(model, db) == ["Engine", "Tags", "DeletionProtection"]
    assert db.isValid() and db.data() == "Db"  # the old index survives: nothing was reset
    edits = [Remove("/Resources/Fn")]
    with qtbot.waitSignal(model.rowsRemoved):
        document.apply(edits)
        model.apply_edits(edits)
    assert rows(model, find(model, "Resources")) == ["Db", "Table"]
    edits = [Set("/Resources/Db/Properties/Engine", "aurora-postgresql")]
    with qtbot.waitSignal(model.dataChanged):
        document.apply(edits)
        model.apply_edits(edits)
    assert find(model, "Resources", "Db", "Engine").siblingAtColumn(1).data() == "aurora-postgresql"


def test_findings_show_count_and_tooltip():
    _, model = build()
    find(model, "Resources")
    finding = Finding("CD1001", "t", Severity.CRITICAL, "Db is deleted with the stack", "/Resources/Db", "Db")
    model.set_findings({"Db": [finding]})
    db = find(model, "Resources", "Db")
    assert db.siblingAtColumn(2).data() == "1"
    assert "CRITICAL  CD1001: Db is deleted" in db.siblingAtColumn(2).data(Qt.ItemDataRole.ToolTipRole)


def test_filter_by_name_type_and_findings(qtmodeltester):
    _, model = build()
    proxy = TemplateFilter()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_text("lambda")
    assert rows(proxy) == ["Resources"]
    assert rows(proxy, find(proxy, "Resources")) == ["Fn"]
    proxy.set_text("")
    proxy.set_only_findings(True, {"Db"})
    assert rows(proxy, find(proxy, "Resources")) == ["Db"]
    assert rows(proxy, find(proxy, "Resources", "Db")) == ["Engine", "Tags"]
