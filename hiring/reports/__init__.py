"""Candidate comparison reports and single-candidate scorecards.

Layers: ``data`` (bulk reads from the store into plain lists, ``ReportData``),
``scored`` (the rating table and every statistic from ``hiring.scoring``), ``context``
(-> plain template data; with ``reliability_table``, and ``scorecards`` for the candidate
and competency reports),
``blind`` (codes instead of names for blind review), ``build``
(render through ``hiring.render`` and write atomically), ``pdf`` (tagged PDF/UA-1, or
PDF/A-3a / PDF/A-3b with the ratings attached as CSV and JSON). Typical use::

    from hiring.reports.build import build_compare_report
    build_compare_report(store, bank, "inbound-agent", "panel", None, "en", "pdf",
                         Path("compare.pdf"), pdf_variant="pdf/a-3a")

Submodules are imported lazily by the CLI so ``hiring --help`` stays fast.
"""
