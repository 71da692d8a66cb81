"""`narratives eval`: score the pipeline on hand-labeled sets, with BERTopic beside every narrative figure.

Each set goes, once per embedding model, through the same stages as `narratives run`, in a store of
its own (a temporary DuckDB file): ingest the posts, `run_pipeline`, then read back what the run
stored (assignments, narratives, mentions, coordination, weekly bursts, timings). Gold labels ride
along into the store's `gold` table, which no pipeline stage reads. Scores:

- narratives: ARI, NMI, V-measure and B-cubed over the posts whose gold narrative is not "none"
  (the narratives we are asked to find) and over all posts ("none" as one more class); outliers
  are singleton clusters (see `narratives.metrics`), their share is reported; each gold narrative
  is matched one-to-one (Hungarian on F1) to a predicted narrative and scored by P/R/F1; and per
  gold taxonomy id, P/R/F1 of "assigned to a narrative labelled with that id" (for the ISCA set:
  assigned to the antisemitic-framing narrative versus Biased = 1). BERTopic on the same vectors
  gets the same clustering and matching scores.
- targets: P/R/F1 of the candidates found per post, micro and per candidate.
- stance: accuracy and macro-F1 over (post, gold target) pairs; a gold target the run did not find
  counts as a wrong stance. On a set whose gold has only favor/against (P-Stance) the figure is
  SemEval's F-avg (mean F1 of favor and against), else macro-F1 over against/favor/neutral; `metric`
  says which. The VADER-sign baseline is scored on the same pairs, and `gold_pairs` scores the stance
  model on every gold pair (the run's stance where it linked the target, else the model on the whole
  post), so a linking miss and a stance error can be told apart.
- time: weeks in which each gold narrative bursts (the tracker's own burst rule, from the run's
  track parameters, applied to gold weekly counts) versus the weeks the tracker flagged for the
  matched predicted narrative.
- coordination: P/R/F1 of "an evidence post of a coordinated group" against gold `coordinated`, and
  pairwise per account pair (`account_pairs`).
- timings: posts/s per stage, device, model.

Modules: `sets` (labeled sets, read by `narratives.sources.labeled_sets`), `records` (what a run and an
evaluation produce), `scoring` (pure scores), `harness` (sets through the public API, files written),
`render` (tables and report.md).
"""

from .harness import evaluate, read_run, run_set, sample_posts, write_labeled, write_results
from .records import DEFAULT_SEED, NONE, OURS, Evaluation, PostPrediction, RunOutput
from .render import Table, models_chart, render_markdown, report_tables, results_chart
from .sets import EvalSet, EvalSetError, load_eval_set, set_name
from .scoring import (
    gold_burst_weeks,
    score_clustering,
    score_run,
    score_stance,
    score_targets,
    score_taxonomy,
    score_time,
    timings,
)

__all__ = ["DEFAULT_SEED", "NONE", "OURS", "EvalSet", "EvalSetError", "Evaluation", "PostPrediction", "RunOutput",
           "Table", "evaluate", "gold_burst_weeks", "load_eval_set", "models_chart", "read_run", "render_markdown",
           "report_tables", "results_chart",
           "run_set", "sample_posts",
           "score_clustering", "score_run", "score_stance", "score_targets", "score_taxonomy", "score_time",
           "set_name", "timings", "write_labeled", "write_results"]
