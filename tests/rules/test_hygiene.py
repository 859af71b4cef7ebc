import pytest

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
