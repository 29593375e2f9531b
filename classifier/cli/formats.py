"""Human-readable output of the CLI (the JSON contract is Analysis.to_dict and the scan line format)."""
from __future__ import annotations

from ..detect.safety import notice_text


def format_analysis(analysis, catalogue) -> str:
    """The human-readable summary; a crisis notice, when one applies, comes before everything else."""
    head = [notice_text(analysis.safety), ""] if analysis.safety is not None else []
    if analysis.reason:
        return "\n".join(head + [analysis.reason])
    lines = head + list(analysis.warnings)
    found = analysis.patterns
    if not found:
        lines.append("This reads as sincere: nothing here looks like a tactic.")
    else:
        n = len(found)
        lines.append(f"{n} pattern{'s' if n > 1 else ''} could make this read as a tactic:")
        for flag in analysis.flags:
            p = catalogue[flag.pattern]
            lines.append(f'  [{p.name}] "{flag.phrase}" ({flag.confidence}, {flag.score:.2f}) at {flag.start}-{flag.end}')
            lines.append(f"      {p.short}")
    return "\n".join(lines)


def print_rewrite(result) -> None:
    for s in result.suggestions:
        print(f'\nInstead of "{s.flag.phrase}":')
        for alt in s.alternatives:
            print(f"  ({alt.tone}) {alt.text}")
            print(f"      {alt.explanation}")
    if result.whole_message:
        print("\nWhole message, said sincerely:\n  " + result.whole_message)
