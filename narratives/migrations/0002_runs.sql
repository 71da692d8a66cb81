-- Embedding cache, runs, the narratives each run found and every post's assignment.
CREATE TABLE embeddings (
    text_hash  VARCHAR NOT NULL,           -- posts.text_hash
    model      VARCHAR NOT NULL,           -- model card id
    vector     FLOAT[] NOT NULL,           -- L2-normalised
    PRIMARY KEY (text_hash, model)
);

CREATE TABLE runs (
    run_id       VARCHAR PRIMARY KEY,      -- e.g. r20241104T120000-<short hash>
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    since        TIMESTAMP,
    until        TIMESTAMP,
    model        VARCHAR NOT NULL,
    device       VARCHAR,
    seed         INTEGER,
    params       JSON,                     -- every parameter that shaped the result
    n_posts      BIGINT,
    n_texts      BIGINT,                   -- unique normalised texts
    n_embedded   BIGINT,                   -- texts embedded this run (cache misses)
    timings      JSON,                     -- {stage: seconds}
    status       VARCHAR NOT NULL          -- running | done | failed
);

CREATE TABLE narratives (
    run_id          VARCHAR NOT NULL,
    narrative_id    VARCHAR NOT NULL,      -- stable across runs (track stage)
    label           VARCHAR NOT NULL,      -- taxonomy title, or keywords for a new unnamed narrative
    taxonomy_id     VARCHAR,               -- NULL when no taxonomy entry matched
    taxonomy_score  DOUBLE,
    keywords        VARCHAR[],
    examples        JSON,                  -- [{platform, post_id, text}] most representative posts
    n_posts         BIGINT NOT NULL,
    share           DOUBLE,                -- of all posts in the run window
    first_seen      TIMESTAMP,
    last_seen       TIMESTAMP,
    centroid        FLOAT[],
    status          VARCHAR,               -- new | continuing | merged | split (track stage)
    PRIMARY KEY (run_id, narrative_id)
);

CREATE TABLE assignments (
    run_id        VARCHAR NOT NULL,
    platform      VARCHAR NOT NULL,
    post_id       VARCHAR NOT NULL,
    narrative_id  VARCHAR,                 -- NULL: outlier
    score         DOUBLE,                  -- cosine similarity to the narrative centroid
    PRIMARY KEY (run_id, platform, post_id)
);
