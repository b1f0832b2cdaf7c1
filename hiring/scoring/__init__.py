"""Scoring and statistics over interview ratings: pure functions over numpy arrays.

No database, terminal or printing here. The report feeds ratings in and renders what
comes out. Typical use::

    from hiring.scoring.rating_table import RatingTable, competency_specs
    from hiring.scoring.statistics import compute_statistics
    from hiring.scoring.recommendations import tally_recommendations

    specs = competency_specs(bank, "inbound-agent")      # scale, kind, weight per competency
    table = RatingTable.build(candidates, interviewers, competencies, scores, specs,
                              rounds=rounds, candidate_ids=all_candidates)
    stats = compute_statistics(table, consensus={("c-17", "teamwork"): 4})
    stats.overall.rows()       # ranked candidates, then incomplete ones
    stats.competency.rows()    # mean / n / min / max / disagreement / consensus / used
    stats.profiles.rows()      # strengths, weaknesses, risks
    stats.panels.rows()        # panel size and small-panel flag
    stats.calibration.rows()   # interviewer leniency; .adjusted beside table.score
    stats.reliability          # ICCs and alpha per competency and overall: value or None
                               # with a reason, 95% interval, band read from the interval
    tally_recommendations(table.candidate_ids, cands, interviewers, decisions).rows()

Modules: ``table`` (input), ``aggregate`` (competency and overall scores, ranking, panel
sizes), ``profile`` (strengths, weaknesses, risks), ``recommendations``, ``calibration``
(leniency), ``icc`` (Shrout & Fleiss ICCs, McGraw & Wong intervals), ``alpha``
(Krippendorff's alpha, bootstrap interval over candidates),
``reliability`` (matrices and the reliability report), ``statistics`` (all in one call).
Each module's docstring documents its methods and the choices made.

The modules import numpy at the top: CLI command modules should import them inside
the command functions so that ``hiring --help`` stays fast.
"""
