-- Narrative lineage across runs (stable ids) and weekly series per narrative and narrative x candidate.
CREATE TABLE narrative_lineage (
    run_id                 VARCHAR NOT NULL,
    narrative_id           VARCHAR NOT NULL,   -- id in this run; for 'dormant' the old id with no cluster here
    previous_run_id        VARCHAR,            -- NULL for 'new'
    previous_narrative_id  VARCHAR,            -- NULL for 'new'
    relation               VARCHAR NOT NULL,   -- new | continuing | merged | split | dormant
    similarity             DOUBLE              -- centroid cosine similarity; NULL for 'new'
);

CREATE TABLE weekly (
    run_id        VARCHAR NOT NULL,
    narrative_id  VARCHAR NOT NULL,
    candidate_id  VARCHAR,                     -- NULL: all posts of the narrative
    week          VARCHAR NOT NULL,            -- ISO week, UTC, e.g. 2024-W42
    posts         BIGINT NOT NULL,
    authors       BIGINT NOT NULL,             -- unique authors
    reposts       BIGINT NOT NULL,             -- sum of the posts' repost counts
    likes         BIGINT NOT NULL,
    replies       BIGINT NOT NULL,
    growth        DOUBLE,                      -- (posts - previous week) / previous week; NULL when previous is 0
    burst         BOOLEAN NOT NULL
);

CREATE TABLE track_params (
    run_id           VARCHAR PRIMARY KEY,
    match_threshold  DOUBLE NOT NULL,        -- centroid cosine similarity that keeps an id
    burst_k          DOUBLE NOT NULL,        -- burst: posts >= max(burst_min_count, burst_k x median of
    burst_window     INTEGER NOT NULL,       --        the previous burst_window weeks)
    burst_min_count  INTEGER NOT NULL
);
