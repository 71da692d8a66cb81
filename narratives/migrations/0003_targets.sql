-- Every candidate mention found in a run, with how it was found and the post's stance toward it.
CREATE TABLE mentions (
    run_id        VARCHAR NOT NULL,
    platform      VARCHAR NOT NULL,
    post_id       VARCHAR NOT NULL,
    candidate_id  VARCHAR NOT NULL,        -- registry id, e.g. marco_rubio
    span_start    INTEGER,                 -- character offsets in posts.text; NULL for context links
    span_end      INTEGER,
    surface       VARCHAR,                 -- the matched text
    method        VARCHAR NOT NULL,        -- full_name | alias | misspelling | handle | hashtag | script | title_surname
                                           -- | surname | first_name | description (see narratives/targets.py)
    confidence    DOUBLE NOT NULL,
    stance        VARCHAR,                 -- against | favor | neutral (toward candidate_id, same for all its mentions in the post)
    stance_score  DOUBLE                   -- the stance model's probability of that stance
);
