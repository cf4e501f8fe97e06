"""Text from contracts and git history, made safe to print on a terminal."""

from __future__ import annotations

# Characters that drive a terminal or reorder what it shows: C0 (tab and
# newline aside), DEL, C1, and the bidirectional overrides ("Trojan source").
_UNSAFE = {
    i: f"\\x{i:02x}" if i < 0x100 else f"\\u{i:04x}"
    for i in [
        *(c for c in range(0x20) if c not in (0x09, 0x0A)),
        *range(0x7F, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
}


def terminal_safe(text: str) -> str:
    """`text` with control and bidi-override characters shown as escapes (`\\x1b`).

    Contract values, commit subjects, authors and tags reach the terminal; a
    crafted one must not move the cursor, clear the screen or hide text from a
    reviewer.
    """
    return text.translate(_UNSAFE)
