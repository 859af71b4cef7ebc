import pytest

from app.core.findings import Severity
from tests.rules.helpers import findings

ADMIN = """Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {{}}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {{Effect: {effect}, Action: {action}, Resource: {resource}}}
"""


@pytest.mark.parametrize(("effect", "action", "resource", "fires"), [
    ("Allow", "'*'", "'*'", True),
    ("Allow", "['s3:GetObject', '*']", "['*']", True),
    ("Deny", "'*'", "'*'", False),
    ("Allow", "'s3:*'", "'*'", False),
    ("Allow", "'*'", "arn:aws:s3:::bucket/*", False),
])
def test_wildcard_admin(effect, action, resource, fires):
    result = findings(ADMIN.format(effect=effect, action=action, resource=resource), "CD4001")
    assert bool(result) is fires
    if fires:
        assert result[0].pointer == "/Resources/Role/Properties/Policies/0/PolicyDocument/Statement/0"
        assert result[0].line == 10 and result[0].fix is None


def test_wildcard_admin_in_a_policy_resource():
    template = ("Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
                "      PolicyDocument: {Statement: {Effect: Allow, Action: '*', Resource: '*'}}\n")
    assert len(findings(template, "CD4001")) == 1


SG = """Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      SecurityGroupIngress:
        - {{IpProtocol: {protocol}, FromPort: {low}, ToPort: {high}, {source}}}
"""


@pytest.mark.parametrize(("protocol", "low", "high", "source", "fires"), [
    ("tcp", 3306, 3306, "CidrIp: 0.0.0.0/0", True),
    ("tcp", 5400, 5500, "CidrIpv6: '::/0'", True),
    ("'-1'", -1, -1, "CidrIp: 0.0.0.0/0", True),
    ("tcp", 443, 443, "CidrIp: 0.0.0.0/0", False),
    ("tcp", 3306, 3306, "CidrIp: 10.0.0.0/8", False),
    ("tcp", 3306, 3306, "SourceSecurityGroupId: sg-1", False),
    ("udp", 3306, 3306, "CidrIp: 0.0.0.0/0", False),
])
def test_database_port_open_to_world(protocol, low, high, source, fires):
    result = findings(SG.format(protocol=protocol, low=low, high=high, source=source), "CD4002")
    assert bool(result) is fires
    if fires:
        assert "anyone on the internet" in result[0].message


def test_standalone_ingress_resource():
    template = ("Resources:\n  In:\n    Type: AWS::EC2::SecurityGroupIngress\n"
                "    Properties: {GroupId: sg-1, IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 0.0.0.0/0}\n")
    (finding,) = findings(template, "CD4002")
    assert "PostgreSQL 5432" in finding.message


def group_with(source: str, parameters: str = "", users: str = "") -> str:
    return f"""{parameters}Resources:
  DbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      SecurityGroupIngress:
        - {{IpProtocol: tcp, FromPort: 5432, ToPort: 5432, {source}}}
{users}"""


def test_an_address_from_a_parameter_is_judged_by_its_default():
    parameters = "Parameters:\n  AllowedCidr: {Type: String, Default: 0.0.0.0/0}\n"
    (finding,) = findings(group_with("CidrIp: !Ref AllowedCidr", parameters), "CD4002")
    assert finding.severity is Severity.HIGH
    assert finding.message == ("DbSg lets anyone on the internet (0.0.0.0/0) reach PostgreSQL 5432 — CidrIp is "
                               "'0.0.0.0/0' by default (AllowedCidr defaults to '0.0.0.0/0')")


def test_an_address_a_deploy_may_choose_is_milder_and_a_private_one_passes():
    choice = "Parameters:\n  AllowedCidr: {Type: String, Default: 10.0.0.0/8, AllowedValues: [10.0.0.0/8, 0.0.0.0/0]}\n"
    (finding,) = findings(group_with("CidrIp: !Ref AllowedCidr", choice), "CD4002")
    assert finding.severity is Severity.MEDIUM and finding.message.endswith("CidrIp is '0.0.0.0/0' when AllowedCidr "
                                                                            "is '0.0.0.0/0'")
    private = "Parameters:\n  AllowedCidr: {Type: String, Default: 10.0.0.0/8, AllowedValues: [10.0.0.0/8]}\n"
    assert findings(group_with("CidrIp: !Ref AllowedCidr", private), "CD4002") == []


def test_an_ingress_rule_in_a_branch_says_when():
    conditions = ("Parameters:\n  Public: {Type: String, Default: 'no'}\n"
                  "Conditions:\n  IsPublic: !Equals [!Ref Public, 'yes']\n")
    branch = "!If [IsPublic, {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 0.0.0.0/0}, !Ref AWS::NoValue]"
    template = conditions + group_with("CidrIp: 0.0.0.0/0").replace(
        "{IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 0.0.0.0/0}", branch)
    (finding,) = findings(template, "CD4002")
    assert finding.pointer == "/Resources/DbSg/Properties/SecurityGroupIngress/0/Fn::If/1"
    assert finding.severity is Severity.MEDIUM
    assert finding.message.endswith("CidrIp is '0.0.0.0/0' when IsPublic is true")


LAMBDA = """  Handler:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig: {SecurityGroupIds: [!Ref DbSg], SubnetIds: [subnet-1]}
"""
DATABASE = """  Db:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: postgres, VPCSecurityGroups: [!GetAtt DbSg.GroupId]}
"""
SAM_GLOBALS = """Globals:
  Function:
    VpcConfig: {SecurityGroupIds: [!Ref DbSg], SubnetIds: [subnet-1]}
"""
CLIENT = """  Other:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: proxy
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref DbSg}]
"""


@pytest.mark.parametrize(("parameters", "users", "fires"), [
    ("", LAMBDA, False),
    ("", LAMBDA + DATABASE, True),
    (SAM_GLOBALS, "  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: python3.12}\n", False),
    ("", CLIENT, False),
    ("", "", True),
])
def test_only_a_group_something_listening_can_use_opens_a_database_port(parameters, users, fires):
    assert bool(findings(group_with("CidrIp: 0.0.0.0/0", parameters, users), "CD4002")) is fires


def test_a_standalone_ingress_into_a_lambda_group_passes():
    template = group_with("SourceSecurityGroupId: sg-1", users=LAMBDA) + (
        "  In:\n    Type: AWS::EC2::SecurityGroupIngress\n"
        "    Properties: {GroupId: !Ref DbSg, IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 0.0.0.0/0}\n")
    assert findings(template, "CD4002") == []
    assert len(findings(template.replace(LAMBDA, DATABASE), "CD4002")) == 1
