"""Reading a contract file as bytes and text, and the model catalog beside it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.core.atomic import sha256_of
from workbench.core.yaml_safe import parse_yaml

CATALOG_NAMES = ("models.yml", "models.yaml")


@dataclass(frozen=True)
class ContractFile:
    """A contract file as read: its bytes, their hash, and the text to edit."""

    path: Path
    raw: bytes
    text: str | None  # None when the bytes are not UTF-8
    bom: bool

    @property
    def sha256(self) -> str:
        """Hash of the bytes read, to notice a change on disk before writing."""
        return sha256_of(self.raw)

    def encode(self, text: str) -> bytes:
        """Bytes to write for `text`, keeping a byte-order mark if the file had one."""
        return (b"\xef\xbb\xbf" if self.bom else b"") + text.encode("utf-8")


def read_contract(path: Path) -> ContractFile:
    """Read a contract file (OSError propagates: the caller reports it)."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text: str | None = raw[3 if bom else 0 :].decode("utf-8")
    except UnicodeDecodeError:
        text = None
    return ContractFile(path, raw, text, bom)


def catalog_beside(contract: Path) -> frozenset[str] | None:
    """Model aliases of a `models.yml` beside the contract, or None when there is none.

    A catalog that does not parse yields None here; the simulator reports its
    findings in full.
    """
    for name in CATALOG_NAMES:
        candidate = contract.parent / name
        if candidate.is_file():
            parsed = parse_yaml(candidate.read_bytes())
            models = parsed.data.get("models") if isinstance(parsed.data, dict) else None
            return frozenset(models) if isinstance(models, dict) else None
    return None
