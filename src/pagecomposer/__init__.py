"""pagecomposer: compose Chinese newspaper pages from a YAML spec into print-ready PDF."""

__version__ = "0.1.0"


def build(issue_path, out_dir, **options):
    """Build an issue from a script: the same code the `build` command runs.

    >>> result = pagecomposer.build("examples/lianghui/issue.yaml", "out", preflight=True)
    >>> result.outputs, result.overset_stories, [r.passed for r in result.preflight]

    Options: pdfx ("1a", "4", "none"), preflight (bool), marks (tuple of kinds), only (page ids),
    report_path. Raises pagecomposer.errors.PagecomposerError (with .where and .hint) on bad input.
    """
    from pagecomposer.pipeline import build as run_build

    return run_build(issue_path, out_dir, **options)
