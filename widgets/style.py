"""Colours and small painted icons shared by the views."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from app.core.findings import Severity

SEVERITY_COLOURS = {
    Severity.CRITICAL: "#c62828",
    Severity.HIGH: "#ef6c00",
    Severity.MEDIUM: "#f9a825",
    Severity.LOW: "#1e88e5",
    Severity.INFO: "#78909c",
}

#: Service -> (colour, two-letter badge) for resource icons.
SERVICES = {
    "RDS": ("#1565c0", "DB"), "DynamoDB": ("#3949ab", "DD"), "Lambda": ("#ef6c00", "λ"),
    "IAM": ("#c62828", "IA"), "S3": ("#2e7d32", "S3"), "SNS": ("#ad1457", "SN"), "SQS": ("#6a1b9a", "SQ"),
    "EC2": ("#e65100", "EC"), "SecretsManager": ("#b71c1c", "SM"), "CloudWatch": ("#00838f", "CW"),
    "Logs": ("#00695c", "LG"), "KMS": ("#4e342e", "KM"), "Kinesis": ("#5d4037", "KI"),
    "ElastiCache": ("#283593", "EC"), "ECS": ("#d84315", "CS"), "ApiGateway": ("#7b1fa2", "AG"),
}
SECTION_COLOUR = "#546e7a"


def service_of(resource_type: str) -> str:
    parts = resource_type.split("::")
    return parts[1] if len(parts) > 2 else resource_type


@cache
def badge_icon(colour: str, text: str, size: int = 18) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(QRectF(1, 1, size - 2, size - 2), 4, 4)
    font = QFont()
    font.setPixelSize(int(size * 0.5))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)


def resource_icon(resource_type: str) -> QIcon:
    service = service_of(resource_type)
    colour, text = SERVICES.get(service, ("#607d8b", service[:2].upper() or "?"))
    return badge_icon(colour, text)


@cache
def severity_icon(severity: Severity, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(SEVERITY_COLOURS[severity]))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    painter.end()
    return QIcon(pixmap)
